// The idle source (idle_source.hpp): work a scheduler's own threads do
// besides processes. An idle thread sleeps in ppoll() on the source's fds
// and still wakes for its processes and timers; a busy one serves the
// source every 32 turns; nothing nests; set_idle_source(nullptr) waits for
// a thread that is serving. Real eventfds, real threads (label tsan).
#include <sys/eventfd.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "grove/grove.hpp"
#include "grove/idle_source.hpp"

using namespace std::chrono_literals;

namespace {

// A source over one eventfd: each serve() that finds it written sends the
// count to `target` (when set). It counts its calls and lets a test wait
// until a scheduler thread is about to sleep on it.
class EventSource : public grove::IdleSource {
 public:
  explicit EventSource(grove::Scheduler& s) : sched_(s), fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}
  ~EventSource() override { ::close(fd_); }

  bool serve() override {
    serves.fetch_add(1);
    nested_refused = nested_refused && !sched_.serve_idle_source();  // never nests
    std::uint64_t n = 0;
    if (::read(fd_, &n, sizeof n) != static_cast<ssize_t>(sizeof n)) return false;
    if (target) sched_.send(target, static_cast<int>(n));
    return true;
  }
  bool arm(grove::SleepPlan& plan) override {
    plan.fds[0] = fd_;
    {
      std::lock_guard lock(mu_);
      ++arms_;
    }
    cv_.notify_all();
    return true;
  }

  void signal(std::uint64_t n) const { (void)!::write(fd_, &n, sizeof n); }
  // Waits (bounded) until a thread armed the source more than `seen` times.
  bool wait_armed_after(int seen) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 10s, [&] { return arms_ > seen; });
  }
  int arms() {
    std::lock_guard lock(mu_);
    return arms_;
  }

  std::atomic<int> serves{0};
  bool nested_refused = true;
  grove::Pid target;

 private:
  grove::Scheduler& sched_;
  int fd_;
  std::mutex mu_;
  std::condition_variable cv_;
  int arms_ = 0;
};

// Runs the scheduler on its own thread until `root` exits; false if that
// takes more than 10 s (then it is stopped: the test fails, not hangs,
// unless the scheduler cannot even be woken to stop; ctest's timeout then).
bool run_until_exit_within(grove::Scheduler& sched, grove::Pid root, std::function<void()> meanwhile) {
  auto done = std::async(std::launch::async, [&] { return sched.run_until_exit(root); });
  meanwhile();
  if (done.wait_for(10s) == std::future_status::ready) return true;
  sched.stop();
  return false;
}

// A one-thread scheduler with an EventSource set (unset at the end, before
// either goes).
class IdleSourceTest : public ::testing::Test {
 protected:
  void SetUp() override { sched.set_idle_source(&source); }
  void TearDown() override { sched.set_idle_source(nullptr); }
  grove::Scheduler sched;
  EventSource source{sched};
};

TEST_F(IdleSourceTest, AnIdleSchedulerServesItWhenItsFdBecomesReadable) {
  int got = 0;
  const grove::Pid root = sched.spawn([&]() -> grove::Process {
    grove::Message m = co_await grove::receive();
    if (const int* n = m.get<int>()) got = *n;
  });
  source.target = root;
  ASSERT_TRUE(run_until_exit_within(sched, root, [&] {
    ASSERT_TRUE(source.wait_armed_after(0));  // the scheduler is going to sleep on the fd
    source.signal(7);
  }));
  EXPECT_EQ(got, 7);
}

TEST_F(IdleSourceTest, ASendFromAnotherThreadWakesTheThreadSleepingOnIt) {
  // The thread asleep in ppoll() must hear the scheduler's own wake-ups: a
  // lost one would leave the process waiting forever (bounded here).
  constexpr int kRounds = 200;
  const grove::Pid root = sched.spawn([&]() -> grove::Process {
    for (int i = 0; i < kRounds; ++i) (void)co_await grove::receive();
  });
  ASSERT_TRUE(run_until_exit_within(sched, root, [&] {
    // Each send comes right after the scheduler armed the source to sleep:
    // in the window before, or during, its ppoll().
    for (int i = 0, seen = 0; i < kRounds; ++i) {
      ASSERT_TRUE(source.wait_armed_after(seen)) << "round " << i;
      seen = source.arms();
      ASSERT_TRUE(sched.send(root, i));
    }
  }));
}

TEST_F(IdleSourceTest, TimersStillFireWhileTheSchedulerSleepsOnIt) {
  const auto t0 = std::chrono::steady_clock::now();
  const grove::Pid root = sched.spawn([&]() -> grove::Process { co_await grove::sleep_for(20ms); });
  ASSERT_TRUE(run_until_exit_within(sched, root, [] {}));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 20ms);
  EXPECT_GE(source.arms(), 1) << "it slept on the source";
}

TEST_F(IdleSourceTest, ABusySchedulerServesItEvery32Turns) {
  constexpr int kTurns = 3200;
  const grove::Pid root = sched.spawn([&]() -> grove::Process {
    for (int i = 0; i < kTurns; ++i) co_await grove::yield();
  });
  ASSERT_TRUE(run_until_exit_within(sched, root, [] {}));
  EXPECT_GE(source.serves.load(), kTurns / 32 - 1);
}

TEST_F(IdleSourceTest, ServingIsRefusedOutsideTheSchedulerAndInsideTheSource) {
  EXPECT_FALSE(sched.serve_idle_source()) << "the calling thread is not one of the scheduler's";
  bool from_process = false;
  source.signal(1);  // something to do, so serve() says it did something
  const grove::Pid root = sched.spawn([&]() -> grove::Process {
    from_process = sched.serve_idle_source();
    co_return;
  });
  ASSERT_TRUE(run_until_exit_within(sched, root, [] {}));
  EXPECT_TRUE(from_process) << "a process of the scheduler may serve it";
  EXPECT_TRUE(source.nested_refused) << "serve_idle_source() inside serve() must do nothing";
}

// A source whose serve() holds on until the test lets it go.
class HeldSource : public grove::IdleSource {
 public:
  bool serve() override {
    std::unique_lock lock(mu);
    if (served) return false;
    in_serve = true;
    cv.notify_all();
    cv.wait(lock, [&] { return released; });
    served = true;
    return true;
  }
  bool arm(grove::SleepPlan&) override { return true; }
  std::mutex mu;
  std::condition_variable cv;
  bool in_serve = false, released = false, served = false;
};

TEST(IdleSource, UnsettingItWaitsForTheThreadServingIt) {
  grove::Scheduler sched({.threads = 2});
  HeldSource source;
  sched.set_idle_source(&source);
  sched.start();
  {
    std::unique_lock lock(source.mu);
    ASSERT_TRUE(source.cv.wait_for(lock, 10s, [&] { return source.in_serve; }));
  }
  std::atomic<bool> returned{false};
  std::thread unset([&] {
    sched.set_idle_source(nullptr);
    returned = true;
  });
  // No event says "still blocked": give it time to return wrongly.
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(returned.load()) << "set_idle_source(nullptr) returned while serve() ran";
  {
    std::lock_guard lock(source.mu);
    source.released = true;
  }
  source.cv.notify_all();
  unset.join();
  EXPECT_TRUE(returned.load());
  sched.stop();
}

}  // namespace

namespace {

// A process that sets `got` when a message (the source's) reaches it.
grove::Pid spawn_receiver(grove::Scheduler& sched, std::promise<void>& got) {
  return sched.spawn([&got]() -> grove::Process {
    (void)co_await grove::receive();
    got.set_value();
  });
}

// Waits until another thread sets `flag` (a process that runs now); false
// after 10 s. Polled: a process that never waits cannot signal anything else.
bool wait_until_set(const std::atomic<bool>& flag) {
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  while (!flag.load() && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
  return flag.load();
}

TEST(IdleSource, APoolKeepsServingItWhileOneThreadIsStuckInAProcess) {
  // Whichever of the two threads was polling, once one of them runs a
  // process that never waits, the other must take the source over (the
  // wake-up that made the process runnable wakes the other thread too).
  for (int round = 0; round < 20; ++round) {
    grove::Scheduler sched({.threads = 2});
    EventSource source(sched);
    sched.set_idle_source(&source);
    std::atomic<bool> hogging{false}, release{false};
    std::promise<void> got;
    source.target = spawn_receiver(sched, got);
    sched.start();
    sched.spawn([&]() -> grove::Process {
      hogging = true;
      while (!release.load()) {
      }  // never waits: its thread is stuck here
      co_return;
    });
    ASSERT_TRUE(wait_until_set(hogging));
    source.signal(1);
    const bool served = got.get_future().wait_for(10s) == std::future_status::ready;
    release = true;
    sched.set_idle_source(nullptr);
    sched.stop();
    ASSERT_TRUE(served) << "round " << round << ": nobody served the source";
  }
}

}  // namespace

namespace {

// Set around the process's own serve_idle_source() call: the scheduler's
// idle threads call serve() too, and must not be the ones held.
thread_local bool tls_the_process_serves = false;

// serve() holds on, the first time the process calls it, until let go.
class GatedSource : public EventSource {
 public:
  using EventSource::EventSource;
  bool serve() override {
    {
      std::unique_lock lock(mu);
      if (!passed && tls_the_process_serves) {
        held = true;
        cv.notify_all();
        cv.wait(lock, [&] { return let_go; });
        passed = true;
      }
    }
    return EventSource::serve();
  }
  std::mutex mu;
  std::condition_variable cv;
  bool has_passed() {
    std::lock_guard lock(mu);
    return passed;
  }
  bool held = false, let_go = false, passed = false;
};

TEST(IdleSource, AThreadThatFoundItTakenLooksAgainWhenNobodyPollsIt) {
  // T1: a process serves the source (as a blocked send does), then keeps
  // its thread busy. T2 went idle meanwhile and found the source taken: it
  // must not sleep until something unrelated wakes it.
  grove::Scheduler sched({.threads = 2});
  GatedSource source(sched);
  sched.set_idle_source(&source);
  std::atomic<bool> release{false}, hogging{false};
  std::promise<void> got;
  source.target = spawn_receiver(sched, got);
  sched.start();
  sched.spawn([&]() -> grove::Process {
    // Another thread may be polling the source: try until this one served it.
    while (!source.has_passed()) {
      tls_the_process_serves = true;
      (void)sched.serve_idle_source();  // held inside serve() until let go
      tls_the_process_serves = false;
      if (!source.has_passed()) co_await grove::yield();
    }
    hogging = true;
    while (!release.load()) {
    }  // then keeps its thread
    co_return;
  });
  {
    std::unique_lock lock(source.mu);
    ASSERT_TRUE(source.cv.wait_for(lock, 10s, [&] { return source.held; }));
  }
  // No event says the other thread is asleep now: give it time to get there.
  std::this_thread::sleep_for(50ms);
  {
    std::lock_guard lock(source.mu);
    source.let_go = true;
  }
  source.cv.notify_all();
  ASSERT_TRUE(wait_until_set(hogging));
  source.signal(1);  // after that serve(): only the other thread can take it now
  const bool served = got.get_future().wait_for(5s) == std::future_status::ready;
  release = true;
  sched.set_idle_source(nullptr);
  sched.stop();
  EXPECT_TRUE(served) << "the source waited for an unrelated wake-up";
}

}  // namespace
