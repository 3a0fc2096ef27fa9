// idle_source.hpp — work a scheduler thread does besides running processes:
// grove::tree's inbox (tree.hpp). Served by the scheduler's own threads, it
// needs no thread of its own, so what it delivers reaches a process with no
// hop between threads (a call between two workers on one CPU is then two
// context switches, as over a socket, instead of eight).
//
//   struct Inbox : grove::IdleSource {
//     bool serve() override;                    // read, dispatch, release
//     bool arm(grove::SleepPlan& p) override;   // p.fds = {notify fd}; false if work is ready
//   };
//   sched.set_idle_source(&inbox);              // before the scheduler runs
//
// Contract: one scheduler thread at a time serves the source: when it has
// no process to run (then it sleeps in ppoll() on the plan's fds and on its
// own wake-ups, instead of on its condition variable), every 32 turns while
// it is busy, and when a process asks (Scheduler::serve_idle_source(), e.g.
// while it waits for room in another worker's inbox). serve() must not wait
// long: the scheduler thread's processes wait meanwhile. Calls are never
// nested: serve_idle_source() from inside serve() does nothing.
#pragma once

#include <chrono>
#include <optional>

namespace grove {

// What an idle scheduler thread sleeps on: any fd readable (or the timeout)
// means the source may have work.
struct SleepPlan {
  int fds[2] = {-1, -1};
  std::optional<std::chrono::nanoseconds> timeout;  // nullopt: no limit of the source's
};

class IdleSource {
 public:
  virtual ~IdleSource() = default;
  // Does what is ready now, without blocking; true if it did anything.
  virtual bool serve() = 0;
  // About to sleep: false if something is ready now (serve() again instead);
  // else the plan is filled and the source's wake-ups are armed.
  virtual bool arm(SleepPlan& plan) = 0;
};

}  // namespace grove
