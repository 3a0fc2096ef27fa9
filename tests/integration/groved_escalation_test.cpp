// Restart intensity with real processes: a nested supervisor that gives up
// is restarted by its parent (counted there), and a root that gives up ends
// groved with exit code 3.
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include <gtest/gtest.h>

#include "groved_harness.hpp"

using namespace grove::test;

TEST(GrovedEscalation, RootThatGivesUpExitsWithCode3AndStopsEverything) {
  Groved g(R"(
name = "esc"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = 2
period = "30s"
[[children]]
name = "steady"
command = ["sleep", "1000"]
[[children]]
name = "crasher"
command = ["sh", "-c", "exit 1"]
)");
  const pid_t steady = g.wait_for("child_started", {{"path", "steady"}}).pid();
  EXPECT_EQ(g.wait_exit(), 3);
  g.wait_for("gave_up", {{"supervisor", "/"}, {"reason", "intensity"}, {"offender", "crasher"}});
  EXPECT_EQ(g.all("child_restarted").size(), 2u);
  EXPECT_TRUE(wait_gone(steady, 2s));
  // Said when decided: before the stop of the sibling it takes down.
  const auto& events = g.events();
  const auto gave_up = std::find_if(events.begin(), events.end(), [](const auto& e) { return e.event == "gave_up"; });
  const auto stop = std::find_if(events.begin(), events.end(), [](const auto& e) {
    return e.event == "child_stop" && e.get("path") == "steady";
  });
  EXPECT_LT(gave_up - events.begin(), stop - events.begin());
}

TEST(GrovedEscalation, NestedSupervisorGivingUpIsRestartedByItsParent) {
  Groved g(R"(
name = "esc"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = 5
period = "30s"
[[children]]
name = "steady"
command = ["sleep", "1000"]
[[children]]
name = "api"
type = "supervisor"
intensity = 1
period = "30s"
  [[children.children]]
  name = "flaky"
  command = ["sleep", "1000"]
)");
  g.wait_for("tree_ready");
  const pid_t steady = g.wait_for("child_started", {{"path", "steady"}}, 0ms).pid();
  for (int crash = 0; crash < 2; ++crash) {
    const pid_t flaky = g.wait_for("child_ready", {{"path", "api/flaky"}}).pid();
    send_signal(flaky, SIGKILL);
  }
  g.wait_for("gave_up", {{"supervisor", "api"}});
  g.wait_for("child_terminated", {{"offender", "api"}, {"reason", "exit:3"}});
  const auto again = g.wait_for("child_restarted", {{"path", "api"}});
  g.wait_for("child_started", {{"path", "api/flaky"}});
  EXPECT_TRUE(alive(steady)) << "a sibling of the nested supervisor was touched";
  EXPECT_EQ(again.get("restarts"), "1");
  EXPECT_EQ(g.terminate(), 0);
}

TEST(GrovedEscalation, GivingUpClimbsTwoLevelsToTheRoot) {
  Groved g(R"(
name = "esc"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = 0
period = "30s"
[[children]]
name = "mid"
type = "supervisor"
intensity = 0
period = "30s"
  [[children.children]]
  name = "leaf"
  type = "supervisor"
  intensity = 0
  period = "30s"
    [[children.children.children]]
    name = "w"
    command = ["sleep", "1000"]
)");
  g.wait_for("tree_ready");
  const pid_t w = g.wait_for("child_started", {{"path", "mid/leaf/w"}}, 0ms).pid();
  send_signal(w, SIGKILL);
  EXPECT_EQ(g.wait_exit(), 3);
  g.wait_for("gave_up", {{"supervisor", "mid/leaf"}});
  g.wait_for("gave_up", {{"supervisor", "mid"}});
  g.wait_for("gave_up", {{"supervisor", "/"}});
}

TEST(GrovedEscalation, TransientNestedSupervisorThatGaveUpStaysDown) {
  Groved g(R"(
name = "esc"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = 5
period = "30s"
[[children]]
name = "api"
type = "supervisor"
restart = "transient"
intensity = 0
period = "30s"
  [[children.children]]
  name = "w"
  command = ["sleep", "1000"]
[[children]]
name = "marker"
command = ["sleep", "1000"]
)");
  g.wait_for("tree_ready");
  send_signal(g.wait_for("child_started", {{"path", "api/w"}}, 0ms).pid(), SIGKILL);
  g.wait_for("child_terminated", {{"offender", "api"}, {"reason", "exit:3"}});
  EXPECT_EQ(g.terminate(), 0);
  EXPECT_TRUE(g.all("child_restarted").empty());
}

TEST(GrovedEscalation, SignificantChildEndingShutsTheTreeDownCleanly) {
  Groved g(R"(
name = "esc"
control = "@DIR@/ctl.sock"
[supervisor]
auto_shutdown = "any_significant"
[[children]]
name = "server"
command = ["sleep", "1000"]
[[children]]
name = "job"
restart = "transient"
significant = true
ready = "fd:3"
command = ["sh", "-c", "echo >&3; read x < @DIR@/go"]
)");
  ASSERT_EQ(::mkfifo((g.dir() + "/go").c_str(), 0600), 0);
  g.wait_for("tree_ready");
  std::ofstream(g.dir() + "/go") << "done\n";  // the job finishes normally
  EXPECT_EQ(g.wait_exit(), 0);
  g.wait_for("supervisor_exit", {{"supervisor", "/"}, {"reason", "auto_shutdown"}}, 0ms);
  g.wait_for("child_stop", {{"path", "server"}}, 0ms);
}
