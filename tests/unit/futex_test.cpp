#include "grove/ipc/futex.hpp"

#include <gtest/gtest.h>

#include <new>
#include <thread>

#include "../fault/child_process.hpp"
#include "grove/ipc/process_identity.hpp"
#include "grove/ipc/segment.hpp"

namespace grove::ipc {
namespace {

using testing::ChildProcess;
using namespace std::chrono_literals;

TEST(Futex, WaitReturnsChangedWhenTheWordDiffers) {
  std::atomic<std::uint32_t> word{1};
  EXPECT_EQ(futex_wait(word, 0, Clock::now() + 1s), FutexWait::changed);
}

TEST(Futex, WaitEndsAtTheDeadline) {
  std::atomic<std::uint32_t> word{0};
  const auto start = Clock::now();
  EXPECT_EQ(futex_wait(word, 0, start + 20ms), FutexWait::timed_out);
  EXPECT_GE(Clock::now() - start, 20ms);
}

TEST(Futex, NoDeadlineSleepsUntilWokenFromAnotherThread) {
  std::atomic<std::uint32_t> word{0};
  std::thread waker([&] {
    word.store(1);
    futex_wake(word, 1);  // before or after the sleep starts: either way it ends
  });
  const FutexWait r = futex_wait(word, 0, kNoDeadline);
  EXPECT_TRUE(r == FutexWait::woken || r == FutexWait::changed);
  waker.join();
}

TEST(Futex, WakesASleeperInAnotherProcess) {
  auto seg = Segment::create_memfd(4096);
  ASSERT_TRUE(seg);
  auto* word = new (seg->data()) std::atomic<std::uint32_t>(0);
  ChildProcess child = ChildProcess::spawn([&](ChildProcess::Channel&) {
    // Exit 0 only when a futex_wake (not the deadline) ended the sleep.
    const auto deadline = Clock::now() + 5s;
    FutexWait r = FutexWait::interrupted;
    while (word->load() == 0 && Clock::now() < deadline) r = futex_wait(*word, 0, deadline);
    return r == FutexWait::woken ? 0 : 1;
  });
  ASSERT_TRUE(child.started());
  // Wake only once the child sleeps (state S), so the wake is what ends it.
  const auto deadline = Clock::now() + 5s;
  while (Clock::now() < deadline) {
    const auto st = read_proc_stat(child.pid());
    if (st && st->state == 'S') break;
    futex_wait(*word, 0, Clock::now() + 1ms);
  }
  word->store(1);
  futex_wake(*word, 1);
  EXPECT_TRUE(child.exited_cleanly(Clock::now() + 10s));
}

}  // namespace
}  // namespace grove::ipc
