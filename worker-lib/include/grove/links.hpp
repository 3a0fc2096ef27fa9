// links.hpp — links, monitors, exit signals and trap_exit (Erlang's).
//
// A link ties two processes' fates: when one ends with a reason other than
// normal, the other ends with that reason too, unless it traps exits, in
// which case it receives an ExitSignal message instead. A monitor is
// one-way and never kills: the watcher receives a Down message when the
// watched process ends (reason noproc if it was already gone).
//
//   grove::trap_exit(true);
//   grove::Pid w = grove::spawn_link(worker);
//   co_await grove::receive([&](grove::ExitSignal& e) { log(describe(e.reason)); });
//
//   grove::MonitorRef ref = grove::monitor(server);
//   co_await grove::receive([&](grove::Down& d) { ... d.ref == ref ... });
//
//   grove::exit(pid, grove::ExitReason::shutdown());  // an exit signal
//   grove::exit(pid, grove::ExitReason::kill());      // untrappable: ends with killed
//
// Contract: call from inside a process (outside one, each of these stops
// the program with "grove: fatal: grove::monitor called outside a process";
// there is no caller to link, watch or notify). Signals between two
// processes arrive in the order they were sent. A crash's reason carries
// the exception's message (ExitReason::crash).
#pragma once

#include "grove/exit_reason.hpp"
#include "grove/pid.hpp"

namespace grove {

// Received by a process that traps exits, instead of dying.
struct ExitSignal {
  Pid from;
  ExitReason reason;
};

// Received by a monitoring process when the watched one ended.
struct Down {
  MonitorRef ref;
  Pid pid;
  ExitReason reason;
};

void link(Pid other);
void unlink(Pid other);
MonitorRef monitor(Pid other);
void demonitor(MonitorRef ref);
// Returns the previous setting.
bool trap_exit(bool on);
// Sends an exit signal to `to`, with Erlang's exit/2 effects: kill ends
// `to` with killed, even if it traps exits; otherwise a process that traps
// exits receives ExitSignal{caller, reason}; otherwise `to` ends with
// `reason`, except that normal is ignored, unless `to` is the caller: a
// process that does not trap exits and sends itself normal ends with
// normal. A signal to oneself is applied at once: the caller ends at its
// next wait (or at the end of its body), with that reason.
void exit(Pid to, ExitReason reason);

namespace detail {
// Payload of an exit signal node.
struct ExitPayload {
  ExitReason reason;
  bool linked = false;  // sent because of a link (vs exit/2)
};
}  // namespace detail

}  // namespace grove
