// worker_fixture.hpp — a deterministic worker-lib scheduler for tests: one
// thread (the test's), a ManualClock, and run_until_idle() to settle.
//
//   TEST_F(WorkerFixture, Something) {
//     spawn([&]() -> grove::Process { ...; co_return; });
//     settle();                 // runs until nothing is runnable
//     advance(100ms);           // moves time, fires due timers, settles
//   }
#pragma once

#include <gtest/gtest.h>

#include <chrono>

#include "grove/grove.hpp"

class WorkerFixture : public ::testing::Test {
 protected:
  template <class F, class... A>
  grove::Pid spawn(F&& f, A&&... args) {
    return sched.spawn(std::forward<F>(f), std::forward<A>(args)...);
  }
  void settle() { sched.run_until_idle(); }
  void advance(std::chrono::nanoseconds d) {
    clock.advance(d);
    sched.run_until_idle();
  }

  grove::ManualClock clock;
  grove::Scheduler sched{{.threads = 1, .clock = &clock}};
};
