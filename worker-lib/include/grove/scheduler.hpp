// scheduler.hpp — runs lightweight processes on one thread (the default)
// or on a pool of threads with work stealing.
//
//   grove::Scheduler sched;                          // one thread, steady clock
//   grove::Pid root = sched.spawn(main_process);
//   grove::ExitReason why = sched.run_until_exit(root);
//
//   grove::Scheduler pool({.threads = 4});           // work stealing
//   pool.start();                                    // background threads
//   pool.send(pid, Ping{});                          // from any thread
//   pool.stop();
//
// Scheduling: a process runs until it waits (run to completion); one turn
// handles at most `batch` messages, then the process goes to the back of the
// queue, so a flooded mailbox cannot starve the others. Timers (receive and
// call timeouts, send_after) live in one cancellable heap per scheduler.
//
// Contract: members are thread-safe unless noted. run(), run_until_exit(),
// run_until_idle() and start() are mutually exclusive: one driver at a
// time. The destructor stops the threads and destroys every process still
// alive (their frames are destroyed; no exit signals are sent).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "grove/exit_reason.hpp"
#include "grove/message.hpp"
#include "grove/pid.hpp"
#include "grove/process.hpp"
#include "grove/scheduler_clock.hpp"

namespace grove {

class IdleSource;

struct SchedulerOptions {
  unsigned threads = 1;              // > 1: a pool with work stealing
  SchedulerClock* clock = nullptr;   // nullptr: the steady clock
  unsigned batch = 64;               // messages per turn before yielding
};

// Where a name that is not registered locally may live (another worker of
// the tree, through shared memory). Return true when it took the message.
class RemoteRouter {
 public:
  virtual ~RemoteRouter() = default;
  virtual bool send(std::string_view name, Message&& message) = 0;
};

class Scheduler {
 public:
  explicit Scheduler(SchedulerOptions options = {});
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Spawns from outside any process (e.g. main); inside one, use grove::spawn.
  template <class F, class... A>
  Pid spawn(F&& f, A&&... args) {
    return spawn_body(detail::make_body(std::forward<F>(f), std::forward<A>(args)...));
  }
  template <class T>
  bool send(Pid to, T&& value) {
    if constexpr (std::is_same_v<std::decay_t<T>, Message>) return send_node(to, value.release());
    else return send_node(to, Message::of(std::forward<T>(value)).release());
  }
  std::optional<Pid> whereis(std::string_view name) const;
  bool alive(Pid pid) const;
  std::size_t live() const;  // processes alive now

  // Runs on the calling thread (plus threads-1 helpers) until no process is
  // alive or stop() is called.
  void run();
  // Runs until `pid` has exited and returns its reason (noproc if unknown).
  ExitReason run_until_exit(Pid pid);
  // One thread only, for deterministic tests: runs until no process is
  // runnable and no timer is due; returns the number of turns run.
  std::size_t run_until_idle();
  // Background threads (threads of them) until stop().
  void start();
  void stop();

  SchedulerClock& clock() const;
  void set_remote_router(RemoteRouter* router);
  // Work the scheduler's threads do besides processes (idle_source.hpp):
  // set before it runs; nullptr (e.g. in the source's destructor) waits for
  // a thread serving it to finish, so the source may go away afterwards.
  void set_idle_source(IdleSource* source);
  // Serves the idle source now, if the calling scheduler thread may (no
  // other thread is serving it, and this one is not inside serve()).
  bool serve_idle_source();

  struct Impl;  // scheduler.cpp

 private:
  Pid spawn_body(std::coroutine_handle<> body);
  bool send_node(Pid to, detail::Node* n);
  std::unique_ptr<Impl> impl_;
};

}  // namespace grove
