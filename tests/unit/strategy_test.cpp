#include "policy/strategy.hpp"

#include <gtest/gtest.h>

using namespace grove;

TEST(Strategy, OneForOneTakesOnlyTheFailedChild) {
  const auto g = restart_group(Strategy::one_for_one, 2, 5);
  EXPECT_EQ(g.first, 2u);
  EXPECT_EQ(g.last, 3u);
}

TEST(Strategy, OneForAllTakesEveryChild) {
  const auto g = restart_group(Strategy::one_for_all, 2, 5);
  EXPECT_EQ(g.first, 0u);
  EXPECT_EQ(g.last, 5u);
}

TEST(Strategy, RestForOneTakesTheFailedChildAndThoseAfterIt) {
  const auto g = restart_group(Strategy::rest_for_one, 2, 5);
  EXPECT_EQ(g.first, 2u);
  EXPECT_EQ(g.last, 5u);
  EXPECT_FALSE(g.contains(1));
  EXPECT_TRUE(g.contains(4));
}
