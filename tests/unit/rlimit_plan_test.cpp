#include "launch/rlimit_plan.hpp"

#include <gtest/gtest.h>

namespace grove::launch {
namespace {

TEST(RlimitPlan, UnsetLimitsAreLeftOut) {
  EXPECT_EQ(make_rlimit_plan(Limits{}).count, 0u);
}

TEST(RlimitPlan, SetLimitsAppearInFixedOrder) {
  Limits limits;
  limits.core = 0;
  limits.nofile = 1024;
  const RlimitPlan plan = make_rlimit_plan(limits);
  ASSERT_EQ(plan.count, 2u);
  EXPECT_EQ(plan.settings[0].resource, RLIMIT_NOFILE);
  EXPECT_EQ(plan.settings[0].value, 1024u);
  EXPECT_EQ(plan.settings[1].resource, RLIMIT_CORE);
  EXPECT_EQ(plan.settings[1].value, 0u);
}

TEST(RlimitPlan, MaximumValueMeansUnlimited) {
  Limits limits;
  limits.as = UINT64_MAX;
  EXPECT_EQ(make_rlimit_plan(limits).settings[0].value, RLIM_INFINITY);
}

TEST(RlimitPlan, NamesAreTheConfigKeys) {
  EXPECT_EQ(rlimit_name(RLIMIT_AS), "as");
  EXPECT_EQ(rlimit_name(RLIMIT_NOFILE), "nofile");
  EXPECT_EQ(rlimit_name(RLIMIT_NPROC), "nproc");
  EXPECT_EQ(rlimit_name(RLIMIT_CORE), "core");
}

}  // namespace
}  // namespace grove::launch
