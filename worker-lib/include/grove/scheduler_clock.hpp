// scheduler_clock.hpp — the time source a Scheduler reads, injectable.
//
// Timers, receive/call timeouts and the in-worker supervisor's deadlines
// all read the scheduler's clock, never std::chrono directly, so tests move
// time by hand and never sleep:
//
//   grove::ManualClock clock;                       // starts at an epoch
//   grove::Scheduler sched({.clock = &clock});
//   ... spawn a process that waits with receive(100ms) ...
//   sched.run_until_idle();
//   clock.advance(100ms);
//   sched.run_until_idle();                         // the timeout fired
//
// Contract: now() is monotonic and thread-safe. The clock must outlive the
// scheduler. With a ManualClock an idle scheduler thread does not sleep
// until a deadline (time does not pass by itself): run_until_idle returns.
#pragma once

#include <atomic>
#include <chrono>

#include "grove/timer_heap.hpp"

namespace grove {

class SchedulerClock {
 public:
  virtual ~SchedulerClock() = default;
  virtual SteadyTime now() const = 0;
  // True when time passes by itself (an idle scheduler may sleep until a
  // deadline); false for clocks moved by hand.
  virtual bool advances_by_itself() const = 0;
};

class SteadyClock final : public SchedulerClock {
 public:
  SteadyTime now() const override { return std::chrono::steady_clock::now(); }
  bool advances_by_itself() const override { return true; }
  static SteadyClock& instance();
};

class ManualClock final : public SchedulerClock {
 public:
  SteadyTime now() const override {
    return SteadyTime{std::chrono::nanoseconds{ns_.load(std::memory_order_acquire)}};
  }
  bool advances_by_itself() const override { return false; }
  void advance(std::chrono::nanoseconds d) { ns_.fetch_add(d.count(), std::memory_order_acq_rel); }

 private:
  // Starts well after the epoch so that "now - period" never underflows.
  std::atomic<std::chrono::nanoseconds::rep> ns_{std::chrono::nanoseconds{std::chrono::hours{1}}.count()};
};

}  // namespace grove
