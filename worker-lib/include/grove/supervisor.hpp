// supervisor.hpp — the in-worker Supervisor: OTP's supervisor for
// lightweight processes, driven by the same pure policy engine as groved
// (policy/supervision.hpp), so strategies, restart types, intensity/period,
// ordered start and stop, backoff and significant children mean exactly
// what they mean in grove.toml.
//
//   grove::SupervisorSpec spec{
//       {.strategy = grove::Strategy::one_for_one, .intensity = 3, .period = 5s},
//       {grove::worker<Cache>("cache"),
//        grove::worker<Web>("web", 8080).restart(grove::RestartType::transient),
//        grove::process_child("ticker", ticker)}};
//   auto sup = co_await grove::Supervisor::start_link(std::move(spec));
//   auto rows = co_await sup->which_children();
//   grove::Result<grove::Pid, grove::ChildError> web = co_await sup->restart_child("web");
//
// How the engine's actions map onto processes: spawn = run the child's
// start (a GenServer's start_link: returns once its init did; that is the
// child's readiness), signal = exit(child, shutdown), kill = exit(child,
// kill), ready = the supervisor's own start_link returns, exit = the
// supervisor ends (reason shutdown when it gave up, like OTP). The engine's
// deadlines (shutdown timeouts, restart delays) become send_after timers on
// the scheduler's clock. A child's exit reaches the supervisor as an exit
// signal (it traps exits); its reason maps onto ExitKind (normal,
// shutdown, anything else abnormal).
//
// Operator requests are synchronous, like OTP's: terminate_child answers
// once the child has exited (after its shutdown: exit(child, shutdown),
// then kill when the time runs out), restart_child and start_child once the
// new incarnation's start returned (its init), with the start's error if
// it failed. The supervisor holds the caller's From meanwhile and goes on
// serving other calls and its children's exits.
//
// Contract: only inside a process. Children are started from the
// supervisor's process and must be linked to it (the helpers do that). The
// supervisor's parent ending makes it stop its children in reverse order,
// then exit with the parent's reason.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grove/gen_server.hpp"
#include "policy/child_spec.hpp"
#include "policy/supervision.hpp"

namespace grove {

// One child of an in-worker supervisor.
struct Child {
  std::string name;
  // Runs in the supervisor's process; returns the started child's pid, linked.
  std::function<Async<Result<Pid>>()> start;
  ChildType type = ChildType::worker;
  ChildPolicy policy;

  Child&& restart(RestartType r) && {
    policy.restart = r;
    return std::move(*this);
  }
  Child&& shutdown(Shutdown s) && {
    policy.shutdown = s;
    return std::move(*this);
  }
  // Replaces the whole policy, except a shutdown that `p` leaves at
  // ChildPolicy's default: the child keeps its own (infinity for a
  // supervisor_child, or what .shutdown() set). To give a supervisor child
  // 5 s, call .shutdown() after .with().
  Child&& with(ChildPolicy p) && {
    if (p.shutdown == ChildPolicy{}.shutdown) p.shutdown = policy.shutdown;
    policy = std::move(p);
    return std::move(*this);
  }
};

struct SupervisorSpec {
  SupervisorPolicy policy;
  std::vector<Child> children;
};

// Why an operator request on a child did not do what it asked.
struct ChildError {
  enum class Kind : std::uint8_t {
    not_found,      // no child has that name (OTP: {error, not_found})
    start_failed,   // the child's start failed: `cause` says how (OTP: {error, Reason})
    stopped,        // a terminate_child overtook this start or restart
    shutting_down,  // the supervisor is ending (it gave up, or its parent ended)
    call_failed,    // no answer from the supervisor: `cause` (timeout, noproc, exited)
  };
  Kind kind = Kind::not_found;
  CallError cause;  // start_failed, call_failed
  friend bool operator==(const ChildError&, const ChildError&) = default;
};
std::string describe(const ChildError& error);  // "start_failed: exited: crash: boom"

struct ChildInfo {
  std::string name;
  Pid pid;  // none unless running
  ChildState state = ChildState::stopped;
  int restarts = 0;
};

namespace detail {

template <class S, class... A>
Async<Result<Pid>> start_server_child(A... args) {
  auto r = co_await grove::start_link<S>(std::move(args)...);
  if (!r) co_return r.error();
  co_return r->pid;
}

class SupervisorServer;
struct WhichChildren {};
struct ChildOp {
  std::string name;
  Event::Kind kind;  // stop | start | restart
};
using ChildOpResult = Result<Pid, ChildError>;  // stop: an empty Pid
// An operator request waiting for the engine: for the child's end (stop),
// or for the start of incarnation `incarnation` (start, restart).
struct OpWaiter {
  std::size_t child;
  bool want_up;
  std::uint64_t incarnation;
  From from;
};
Async<ChildOpResult> child_op(Server<SupervisorServer> server, ChildOp op, std::chrono::nanoseconds timeout);
Async<Result<void, ChildError>> stop_op(Server<SupervisorServer> server, std::string name,
                                        std::chrono::nanoseconds timeout);
struct SupervisorTick {
  std::uint64_t generation;
};

class SupervisorServer {
 public:
  explicit SupervisorServer(SupervisorSpec spec);
  Async<InitResult> init();
  std::vector<ChildInfo> handle_call(const WhichChildren&);
  Async<CallResult<ChildOpResult>> handle_call(const ChildOp& op, From& from);
  Async<CastResult> handle_info(Message& m);
  Async<void> terminate(const ExitReason& reason);

 private:
  Async<void> run(std::vector<Action> actions);
  void rearm();
  std::optional<std::size_t> index_of(Pid pid) const;
  void answer_start(std::size_t child, const Result<Pid>& started);
  void check_waiters();
  std::optional<ChildOpResult> outcome(const OpWaiter& w) const;

  SupervisorSpec spec_;
  Supervision engine_;
  std::vector<Pid> pids_;
  TimerId timer_;
  std::optional<SteadyTime> armed_for_;
  std::uint64_t generation_ = 0;
  std::optional<ExitReason> exit_;
  std::vector<OpWaiter> waiters_;
};

}  // namespace detail

// A GenServer child: start_link<S>(args...) on every (re)start.
template <class S, class... A>
Child worker(std::string name, A... args) {
  Child c;
  c.name = std::move(name);
  c.start = [args...]() { return detail::start_server_child<S>(args...); };
  c.policy.shutdown = default_shutdown(ChildType::worker);
  return c;
}

// A bare process child: spawn_link(f, args...), ready as soon as spawned.
template <class F, class... A>
Child process_child(std::string name, F f, A... args) {
  Child c;
  c.name = std::move(name);
  c.start = [f, args...]() -> Async<Result<Pid>> { co_return spawn_link(f, args...); };
  c.policy.shutdown = default_shutdown(ChildType::worker);
  return c;
}

class Supervisor {
 public:
  static Async<Result<Supervisor>> start_link(SupervisorSpec spec);
  // A reference to a supervisor known by pid (e.g. a nested one).
  static Supervisor at(Pid pid) { return Supervisor(Server<detail::SupervisorServer>{pid}); }

  auto which_children(std::chrono::nanoseconds timeout = kDefaultCallTimeout) const {
    return call(server_, detail::WhichChildren{}, timeout);
  }
  // Operator requests, as grovectl's stop/restart/start (not counted
  // against intensity; a terminated child stays down until started). Each
  // answers when done (see the header comment); the timeout is OTP's,
  // infinity, as the supervisor always answers once the child's shutdown
  // or start is over.
  // terminate_child: the child has exited (also when it was down already).
  Async<Result<void, ChildError>> terminate_child(std::string name,
                                                  std::chrono::nanoseconds timeout = infinity) const {
    return detail::stop_op(server_, std::move(name), timeout);
  }
  // restart_child: stopped if up, then started; the new incarnation's pid.
  Async<Result<Pid, ChildError>> restart_child(std::string name, std::chrono::nanoseconds timeout = infinity) const {
    return detail::child_op(server_, detail::ChildOp{std::move(name), Event::Kind::restart}, timeout);
  }
  // start_child: starts a stopped child (once it is down, if it is being
  // stopped); a running child's pid at once.
  Async<Result<Pid, ChildError>> start_child(std::string name, std::chrono::nanoseconds timeout = infinity) const {
    return detail::child_op(server_, detail::ChildOp{std::move(name), Event::Kind::start}, timeout);
  }
  Pid pid() const { return server_.pid; }

 private:
  explicit Supervisor(Server<detail::SupervisorServer> s) : server_(s) {}
  Server<detail::SupervisorServer> server_;
};

// A nested supervisor as a child (shutdown infinity by default, like OTP).
Child supervisor_child(std::string name, SupervisorSpec spec);

}  // namespace grove
