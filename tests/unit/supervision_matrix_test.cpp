// The OTP matrix: strategy x restart type x exit kind, for the middle child of
// three, against the expected actions written out by hand.
#include <gtest/gtest.h>

#include <tuple>

#include "policy/enum_names.hpp"
#include "supervision_harness.hpp"

using namespace grove;
using namespace grove::test;

namespace {

using Case = std::tuple<Strategy, RestartType, ExitKind>;

std::string expected_trace(Strategy s, RestartType r, ExitKind k) {
  if (!restarts_after(r, k)) return "";
  switch (s) {
    case Strategy::one_for_one: return "spawn 1";
    case Strategy::one_for_all: return "stop 2, stop 0, spawn 0, spawn 1, spawn 2";
    case Strategy::rest_for_one: return "stop 2, spawn 1, spawn 2";
  }
  return "?";
}

std::string exit_name(ExitKind k) {
  switch (k) {
    case ExitKind::normal: return "normal";
    case ExitKind::shutdown: return "shutdown";
    case ExitKind::abnormal: return "abnormal";
  }
  return "?";
}

class OtpMatrix : public ::testing::TestWithParam<Case> {};

}  // namespace

TEST_P(OtpMatrix, MiddleChildExitRestartsWhatOtpRestarts) {
  const auto [strategy, restart, kind] = GetParam();
  Harness h(policy(strategy), workers(3, restart));
  ASSERT_EQ(h.start(), "spawn 0, spawn 1, spawn 2, ready");

  EXPECT_EQ(h.crash(1, kind), expected_trace(strategy, restart, kind));

  const bool restarted = restarts_after(restart, kind);
  EXPECT_EQ(h.sup.children()[1].restarts, restarted ? 1 : 0);
  EXPECT_EQ(h.sup.children()[1].state == ChildState::running, restarted);
  EXPECT_EQ(h.sup.children()[0].state, ChildState::running);
}

INSTANTIATE_TEST_SUITE_P(
    AllCombinations, OtpMatrix,
    ::testing::Combine(::testing::Values(Strategy::one_for_one, Strategy::one_for_all,
                                         Strategy::rest_for_one),
                       ::testing::Values(RestartType::permanent, RestartType::transient,
                                         RestartType::temporary),
                       ::testing::Values(ExitKind::normal, ExitKind::shutdown,
                                         ExitKind::abnormal)),
    [](const ::testing::TestParamInfo<Case>& p) {
      return std::string(name_of(std::get<0>(p.param))) + "_" +
             std::string(name_of(std::get<1>(p.param))) + "_" +
             exit_name(std::get<2>(p.param));
    });
