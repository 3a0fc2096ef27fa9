#include "policy/restart_intensity.hpp"

#include <gtest/gtest.h>

using namespace grove;
using namespace std::chrono_literals;

namespace {
const TimePoint t0{};
}

TEST(RestartIntensity, RestartsUpToIntensityWithinPeriodAreAllowed) {
  RestartHistory h;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(add_restart(h, t0 + i * 1s, 3, 5s), IntensityVerdict::ok);
}

TEST(RestartIntensity, FourthRestartWithinPeriodGivesUp) {
  RestartHistory h;
  for (int i = 0; i < 3; ++i) add_restart(h, t0 + i * 1s, 3, 5s);
  EXPECT_EQ(add_restart(h, t0 + 3s, 3, 5s), IntensityVerdict::give_up);
}

TEST(RestartIntensity, RestartExactlyOnePeriodOldStillCounts) {
  RestartHistory h;
  add_restart(h, t0, 1, 5s);
  EXPECT_EQ(add_restart(h, t0 + 5s, 1, 5s), IntensityVerdict::give_up);
}

TEST(RestartIntensity, RestartJustOlderThanPeriodIsForgotten) {
  RestartHistory h;
  add_restart(h, t0, 1, 5s);
  EXPECT_EQ(add_restart(h, t0 + 5s + 1ms, 1, 5s), IntensityVerdict::ok);
}

TEST(RestartIntensity, ZeroIntensityGivesUpOnFirstRestart) {
  RestartHistory h;
  EXPECT_EQ(add_restart(h, t0, 0, 5s), IntensityVerdict::give_up);
}

TEST(RestartIntensity, SlowCrashLoopNeverGivesUp) {
  RestartHistory h;
  for (int i = 0; i < 100; ++i)
    ASSERT_EQ(add_restart(h, t0 + i * 6s, 1, 5s), IntensityVerdict::ok) << "restart " << i;
  EXPECT_LE(h.size(), 2u);
}

TEST(RestartIntensity, HistoryStaysBoundedAfterGivingUp) {
  RestartHistory h;
  for (int i = 0; i < 50; ++i) add_restart(h, t0 + i * 1ms, 2, 5s);
  EXPECT_EQ(h.size(), 3u);
}
