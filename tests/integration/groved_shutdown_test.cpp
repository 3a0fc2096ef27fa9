// Stopping: the stop signal, the shutdown timeout, brutal_kill, and the
// whole process group of a shell script.
#include <signal.h>

#include <gtest/gtest.h>

#include <fstream>

#include "groved_harness.hpp"

using namespace grove::test;

TEST(GrovedShutdown, ChildIgnoringSigtermIsKilledAfterItsShutdownTimeout) {
  Groved g(R"(
name = "sd"
control = "@DIR@/ctl.sock"
[[children]]
name = "stubborn"
shutdown = "300ms"
ready = "fd:3"
command = ["sh", "-c", "trap '' TERM; echo >&3; while :; do sleep 1; done"]
)");
  g.wait_for("tree_ready");
  EXPECT_EQ(g.terminate(), 0);
  g.wait_for("child_stop", {{"path", "stubborn"}, {"signal", "SIGTERM"}}, 0ms);
  g.wait_for("child_kill", {{"path", "stubborn"}}, 0ms);
  g.wait_for("child_terminated", {{"offender", "stubborn"}, {"reason", "signal:SIGKILL"}}, 0ms);
}

TEST(GrovedShutdown, AShellScriptsOwnChildrenGoWithIt) {
  Groved g(R"(
name = "sd"
control = "@DIR@/ctl.sock"
[[children]]
name = "script"
ready = "fd:3"
command = ["sh", "-c", "sleep 1000 & echo $! > @DIR@/bg.pid; echo >&3; trap '' TERM; wait"]
shutdown = "200ms"
)");
  g.wait_for("tree_ready");
  pid_t bg = -1;
  std::ifstream(g.dir() + "/bg.pid") >> bg;  // written before it said ready
  ASSERT_GT(bg, 0);
  ASSERT_TRUE(alive(bg));
  EXPECT_EQ(g.terminate(), 0);
  EXPECT_TRUE(wait_gone(bg, 2s)) << "the script's background sleep survived";
}

TEST(GrovedShutdown, BrutalKillSendsSigkillAtOnce) {
  Groved g(R"(
name = "sd"
control = "@DIR@/ctl.sock"
[[children]]
name = "x"
shutdown = "brutal_kill"
command = ["sleep", "1000"]
)");
  g.wait_for("tree_ready");
  EXPECT_EQ(g.terminate(), 0);
  EXPECT_TRUE(g.all("child_stop").empty());
  g.wait_for("child_kill", {{"path", "x"}}, 0ms);
}

TEST(GrovedShutdown, CustomStopSignalIsUsed) {
  Groved g(R"(
name = "sd"
control = "@DIR@/ctl.sock"
[[children]]
name = "x"
stop_signal = "SIGINT"
command = ["sleep", "1000"]
)");
  g.wait_for("tree_ready");
  EXPECT_EQ(g.terminate(), 0);
  g.wait_for("child_terminated", {{"offender", "x"}, {"reason", "signal:SIGINT"}}, 0ms);
}

TEST(GrovedShutdown, SigintIsAnOrderlyShutdownToo) {
  Groved g(R"(
name = "sd"
control = "@DIR@/ctl.sock"
[[children]]
name = "x"
command = ["sleep", "1000"]
)");
  g.wait_for("tree_ready");
  send_signal(g.pid(), SIGINT);
  EXPECT_EQ(g.wait_exit(), 0);
  g.wait_for("child_stop", {{"path", "x"}}, 0ms);
}
