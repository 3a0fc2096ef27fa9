// permanent / transient / temporary against exit 0, exit 1 and a signal,
// with real processes: the restart happens or it does not.
#include <gtest/gtest.h>

#include <tuple>

#include "groved_harness.hpp"

using namespace grove::test;

namespace {

// The child runs once per incarnation: the first ends as `how`, the later
// ones wait, so a restart is visible as a second child_started.
std::string config(const std::string& restart, const std::string& how) {
  return R"(
name = "rt"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = 5
period = "10s"
[[children]]
name = "x"
restart = ")" + restart + R"("
command = ["sh", "-c", "if [ \"$GROVE_INCARNATION\" = 1 ]; then )" + how + R"(; fi; exec sleep 1000"]
[[children]]
name = "marker"
command = ["sleep", "1000"]
)";
}

using Case = std::tuple<std::string, std::string, bool>;  // restart, how, restarted
class GrovedRestartType : public ::testing::TestWithParam<Case> {};

}  // namespace

TEST_P(GrovedRestartType, RestartsExactlyWhenOtpSaysSo) {
  const auto& [restart, how, restarted] = GetParam();
  Groved g(config(restart, how));
  g.wait_for("tree_ready");
  g.wait_for("child_terminated", {{"offender", "x"}});
  // The marker's stop during shutdown orders the log: anything x did because
  // of its exit is logged before it.
  EXPECT_EQ(g.terminate(), 0);
  EXPECT_EQ(g.all("child_restarted").size(), restarted ? 1u : 0u) << g.log_text();
}

INSTANTIATE_TEST_SUITE_P(
    Matrix, GrovedRestartType,
    ::testing::Values(Case{"permanent", "exit 0", true}, Case{"permanent", "exit 1", true},
                      Case{"permanent", "kill -9 $$", true}, Case{"transient", "exit 0", false},
                      Case{"transient", "exit 1", true}, Case{"transient", "kill -9 $$", true},
                      Case{"temporary", "exit 0", false}, Case{"temporary", "exit 1", false},
                      Case{"temporary", "kill -9 $$", false}),
    [](const ::testing::TestParamInfo<Case>& p) {
      const std::string how = std::get<1>(p.param);
      const std::string kind = how == "exit 0" ? "exit0" : how == "exit 1" ? "exit1" : "sigkill";
      return std::get<0>(p.param) + "_" + kind;
    });

TEST(GrovedRestartTypeExtra, SuccessExitCodeCountsAsNormalForTransient) {
  Groved g(R"(
name = "rt"
control = "@DIR@/ctl.sock"
[[children]]
name = "x"
restart = "transient"
success_exit_codes = [42]
command = ["sh", "-c", "exit 42"]
[[children]]
name = "marker"
command = ["sleep", "1000"]
)");
  g.wait_for("tree_ready");
  g.wait_for("child_terminated", {{"offender", "x"}, {"reason", "exit:42"}});
  EXPECT_EQ(g.terminate(), 0);
  EXPECT_TRUE(g.all("child_restarted").empty());
}
