// The scheduler: fairness, run modes, the thread pool with work stealing,
// and sends from threads outside it.
#include "grove/scheduler.hpp"

#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include "grove/gen_server.hpp"
#include "worker_fixture.hpp"

using namespace std::chrono_literals;
using grove::Pid;

using Scheduling = WorkerFixture;

namespace {

grove::Process forward_forever(Pid next) {
  for (;;) {
    grove::Message m = co_await grove::receive();
    if (!grove::send(next, std::move(m))) co_return;
  }
}

// Builds a ring of n processes and passes `messages` hops around it.
grove::Process ring(int n, long messages) {
  Pid next = grove::self();
  for (int i = 1; i < n; ++i) next = grove::spawn_link(forward_forever, next);
  grove::send(next, 0);
  for (long hops = n; hops < messages; hops += n) grove::send(next, co_await grove::receive());
  co_await grove::receive();
  grove::exit(grove::ExitReason::shutdown());  // takes the linked ring down
}

struct Counter {
  long n = 0;
  long handle_call(const int&) { return ++n; }
};

}  // namespace

TEST_F(Scheduling, AFloodedMailboxCannotStarveOthers) {
  long flooded_handled = 0;
  long seen_when_other_ran = -1;
  Pid flooded = spawn([&]() -> grove::Process {
    for (;;) {
      co_await grove::receive();
      ++flooded_handled;
    }
  });
  Pid other = spawn([&]() -> grove::Process {
    co_await grove::receive();
    seen_when_other_ran = flooded_handled;
  });
  settle();
  for (int i = 0; i < 100'000; ++i) sched.send(flooded, i);
  sched.send(other, 0);
  settle();
  EXPECT_EQ(flooded_handled, 100'000);
  EXPECT_GE(seen_when_other_ran, 0);
  EXPECT_LE(seen_when_other_ran, 2 * 64);  // within the first batches, not after the flood
}

TEST_F(Scheduling, RunUntilExitReturnsTheRootsReason) {
  grove::Scheduler s;
  Pid root = s.spawn([]() -> grove::Process {
    co_await grove::yield();
    grove::exit(grove::ExitReason::error("done"));
  });
  EXPECT_EQ(s.run_until_exit(root), grove::ExitReason::error("done"));
}

TEST(SchedulerPool, RingOnTwoThreadsPassesEveryMessage) {
  grove::Scheduler pool({.threads = 2});
  Pid root = pool.spawn(ring, 100, 200'000L);
  EXPECT_EQ(pool.run_until_exit(root), grove::ExitReason::shutdown());
}

TEST(SchedulerPool, ManyIndependentRingsShareThePool) {
  grove::Scheduler pool({.threads = 2});
  std::atomic<int> done{0};
  Pid root = pool.spawn([&]() -> grove::Process {
    grove::trap_exit(true);
    for (int r = 0; r < 8; ++r) grove::spawn_link(ring, 50, 20'000L);
    for (int r = 0; r < 8; ++r) {
      co_await grove::receive([&](grove::ExitSignal& e) {
        if (e.reason == grove::ExitReason::shutdown()) ++done;
      });
    }
  });
  pool.run_until_exit(root);
  EXPECT_EQ(done.load(), 8);
}

TEST(SchedulerPool, CallsAcrossThreadsAllGetTheirReply) {
  grove::Scheduler pool({.threads = 2});
  std::atomic<long> ok{0};
  Pid root = pool.spawn([&]() -> grove::Process {
    auto server = co_await grove::start_link<Counter>();
    grove::trap_exit(true);
    for (int c = 0; c < 4; ++c)
      grove::spawn_link([&ok, s = *server]() -> grove::Process {
        for (int i = 0; i < 5000; ++i)
          if (co_await grove::call(s, 1, 10s)) ++ok;
      });
    for (int c = 0; c < 4; ++c) co_await grove::receive([](grove::ExitSignal&) {});
  });
  pool.run_until_exit(root);
  EXPECT_EQ(ok.load(), 20'000);
}

TEST(SchedulerPool, ExternalThreadsSendWhileThePoolRuns) {
  grove::Scheduler pool({.threads = 2});
  std::atomic<long> got{0};
  std::vector<Pid> sinks;
  for (int i = 0; i < 4; ++i)
    sinks.push_back(pool.spawn([&]() -> grove::Process {
      for (;;) {
        grove::Message m = co_await grove::receive();
        if (m.is<int>()) got.fetch_add(1, std::memory_order_relaxed);
      }
    }));
  pool.start();
  std::vector<std::thread> senders;
  for (int t = 0; t < 2; ++t)
    senders.emplace_back([&] {
      for (int i = 0; i < 10'000; ++i) pool.send(sinks[static_cast<std::size_t>(i) % sinks.size()], i);
    });
  for (auto& t : senders) t.join();
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (got.load() < 20'000 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  pool.stop();
  EXPECT_EQ(got.load(), 20'000);
}

TEST(SchedulerPool, DestroyingASchedulerWithLiveProcessesFreesThem) {
  auto pool = std::make_unique<grove::Scheduler>(grove::SchedulerOptions{.threads = 2});
  for (int i = 0; i < 100; ++i)
    pool->spawn([]() -> grove::Process {
      std::string held(100, 'x');
      co_await grove::receive();
    });
  pool->start();
  pool->stop();
  pool.reset();  // ASan/LSan: nothing leaks
  SUCCEED();
}

// ---- drivers: misuse stops with one message, never undefined behaviour

TEST(SchedulerMisuse, RunUntilIdleOnAPoolStopsWithAMessage) {
  grove::Scheduler pool({.threads = 2});
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // re-runs the test alone
  EXPECT_DEATH(pool.run_until_idle(), "grove: fatal: Scheduler::run_until_idle needs threads = 1");
}

TEST_F(Scheduling, ADriverStartedFromInsideAProcessStopsWithAMessage) {
  spawn([this] { sched.run_until_idle(); });
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // re-runs the test alone
  EXPECT_DEATH(settle(), "grove: fatal: Scheduler::run_until_idle called while another driver");
}

TEST(SchedulerMisuse, StartTwiceStopsWithAMessage) {
  grove::Scheduler pool({.threads = 2});
  pool.start();
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // re-runs the test alone
  EXPECT_DEATH(pool.start(), "grove: fatal: Scheduler::start called while another driver");
  pool.stop();
}

TEST(SchedulerPool, StopFromAnotherThreadEndsRun) {
  grove::Scheduler pool({.threads = 2});
  std::promise<void> running;
  pool.spawn([&running]() -> grove::Process {
    running.set_value();  // run() has the scheduler now
    co_await grove::receive();
  });
  std::thread driver([&] { pool.run(); });
  ASSERT_EQ(running.get_future().wait_for(10s), std::future_status::ready);
  pool.stop();
  driver.join();  // bounded by the test's TIMEOUT
  EXPECT_EQ(pool.live(), 1u);
}
