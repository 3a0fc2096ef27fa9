// The bounded spin before a futex sleep (ipc/src/spin_wait.hpp): it stops as
// soon as the condition holds, never polls with no budget, always ends by its
// budget or the caller's deadline, whichever comes first, and yields only
// while the other side shares our CPU.
#include "../../ipc/src/spin_wait.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace grove::ipc::detail {
namespace {

using namespace std::chrono_literals;

constexpr auto kElsewhere = [] { return false; };  // the other side runs on another CPU

TEST(SpinWait, StopsAtTheFirstPollThatIsReady) {
  int polls = 0;
  EXPECT_TRUE(spin_until([&] { return ++polls == 3; }, kElsewhere, 1s, Clock::now() + 10s));
  EXPECT_EQ(polls, 3);
}

TEST(SpinWait, ANoSpinBudgetNeverPolls) {
  int polls = 0;
  EXPECT_FALSE(spin_until([&] { return ++polls > 0; }, kElsewhere, 0ns, Clock::now() + 10s));
  EXPECT_EQ(polls, 0);
}

TEST(SpinWait, GivesUpOnceItsBudgetHasPassedWhetherItPausesOrYields) {
  for (const bool peer_here : {false, true}) {
    int polls = 0;
    const auto start = Clock::now();
    EXPECT_FALSE(spin_until([&] { return ++polls < 0; }, [&] { return peer_here; }, 2ms,
                            start + 10s));
    const auto spent = Clock::now() - start;
    EXPECT_GE(spent, 2ms);
    EXPECT_LT(spent, 2s);  // bounded: a loaded machine may add a time slice, not more
    EXPECT_GE(polls, 1);  // one yield to a busy CPU can take the whole budget
  }
}

TEST(SpinWait, AnEarlierDeadlineEndsAnEndlessBudget) {
  const auto start = Clock::now();
  EXPECT_FALSE(spin_until([] { return false; }, kElsewhere, std::chrono::nanoseconds::max(),
                          start + 2ms));
  const auto spent = Clock::now() - start;
  EXPECT_GE(spent, 2ms);
  EXPECT_LT(spent, 2s);
}

TEST(SpinWait, APassedDeadlineEndsTheSpinWithinSixteenPolls) {
  int polls = 0;
  EXPECT_FALSE(spin_until([&] { return ++polls < 0; }, kElsewhere, 1h, Clock::now() - 1s));
  EXPECT_LE(polls, 16);  // pausing, the clock is read every 16 polls
}

TEST(SpinWait, AsksWhereThePeerRunsEverySixteenPolls) {
  int polls = 0, asked = 0;
  EXPECT_TRUE(spin_until([&] { return ++polls == 64; }, [&] { return ++asked < 0; }, 1h,
                         Clock::now() + 10s));
  EXPECT_EQ(asked, 1 + 63 / 16);  // once at the start, then after polls 16, 32 and 48
}

TEST(MyCpuHint, IsTheCurrentCpuPlusOne) {
  const std::uint32_t hint = my_cpu_hint();
  EXPECT_GE(hint, 1u);  // sched_getcpu() works here
  EXPECT_LE(hint, static_cast<std::uint32_t>(CPU_SETSIZE));
}

TEST(SpinEnd, IsTheBudgetOrTheDeadlineWithoutOverflow) {
  const Deadline start = Clock::now();
  EXPECT_EQ(spin_end(start, 5us, start + 1s), start + 5us);
  EXPECT_EQ(spin_end(start, 5s, start + 1s), start + 1s);
  EXPECT_EQ(spin_end(start, std::chrono::nanoseconds::max(), Deadline::max()), Deadline::max());
  EXPECT_EQ(spin_end(start, 5us, start - 1s), start);
}

}  // namespace
}  // namespace grove::ipc::detail
