#include "policy/backoff.hpp"

#include <gtest/gtest.h>

using namespace grove;
using namespace std::chrono_literals;

namespace {
ChildPolicy with_backoff(Duration first, Duration max) {
  ChildPolicy p;
  p.restart_delay = first;
  p.backoff_max = max;
  p.backoff_reset = 30s;
  return p;
}
}  // namespace

TEST(Backoff, FirstRestartWaitsRestartDelay) {
  EXPECT_EQ(next_restart_delay(with_backoff(100ms, 2s), 0ms, 1s), 100ms);
}

TEST(Backoff, EachQuickCrashDoublesTheDelayUpToTheCap) {
  const ChildPolicy p = with_backoff(100ms, 1s);
  Duration d{0};
  std::vector<Duration> seen;
  for (int i = 0; i < 6; ++i) seen.push_back(d = next_restart_delay(p, d, 10ms));
  EXPECT_EQ(seen, (std::vector<Duration>{100ms, 200ms, 400ms, 800ms, 1s, 1s}));
}

TEST(Backoff, RunningLongerThanResetStartsOver) {
  EXPECT_EQ(next_restart_delay(with_backoff(100ms, 1s), 800ms, 30s), 100ms);
}

TEST(Backoff, NoCapMeansAConstantDelay) {
  EXPECT_EQ(next_restart_delay(with_backoff(250ms, 0ms), 250ms, 1ms), 250ms);
}

TEST(Backoff, NoDelayConfiguredRestartsAtOnce) {
  EXPECT_EQ(next_restart_delay(ChildPolicy{}, 0ms, 1ms), 0ms);
}
