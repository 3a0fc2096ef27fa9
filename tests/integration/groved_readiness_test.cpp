// Ordered start with each readiness kind: the next child starts only once
// the previous one is ready (started, fd:N, notify, tcp), bounded by
// start_timeout.
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "groved_harness.hpp"

using namespace grove::test;

namespace {

// Index of the first event matching name+path, or -1.
int index_of(const Groved& g, const std::string& event, const std::string& path) {
  const auto& ev = g.events();
  for (std::size_t i = 0; i < ev.size(); ++i)
    if (ev[i].event == event && ev[i].get("path") == path) return static_cast<int>(i);
  return -1;
}

void expect_b_started_after_a_ready(Groved& g) {
  g.wait_for("tree_ready");
  const int ready_a = index_of(g, "child_ready", "a");
  const int start_b = index_of(g, "child_started", "b");
  ASSERT_GE(ready_a, 0);
  EXPECT_LT(ready_a, start_b) << g.log_text();
}

std::string tree_with_first(const std::string& first_child) {
  return R"(
name = "rd"
control = "@DIR@/ctl.sock"
[[children]]
name = "a"
)" + first_child + R"(
[[children]]
name = "b"
command = ["sleep", "1000"]
)";
}

}  // namespace

TEST(GrovedReadiness, FdReadinessWaitsForTheNewline) {
  Groved g(tree_with_first(R"(ready = "fd:3"
command = ["sh", "-c", "sleep 0.3; echo >&3; exec sleep 1000"])"));
  expect_b_started_after_a_ready(g);
  EXPECT_EQ(g.terminate(), 0);
}

TEST(GrovedReadiness, NotifyReadinessAcceptsSystemdNotify) {
  if (::access("/usr/bin/systemd-notify", X_OK) != 0) GTEST_SKIP() << "systemd-notify not installed";
  Groved g(tree_with_first(R"(ready = "notify"
command = ["sh", "-c", "sleep 0.3; systemd-notify --ready; exec sleep 1000"])"));
  expect_b_started_after_a_ready(g);
  EXPECT_EQ(g.terminate(), 0);
}

TEST(GrovedReadiness, NotifyReadinessAcceptsAPlainDatagramFromTheMainProcess) {
  // sd_notify(3) by hand: a datagram "READY=1" to $NOTIFY_SOCKET ('@' = abstract).
  Groved g(tree_with_first(R"X(ready = "notify"
command = ["python3", "-c", "import os,socket,time; time.sleep(0.3); a=os.environ['NOTIFY_SOCKET']; a='\\0'+a[1:] if a[0]=='@' else a; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b'STATUS=up\\nREADY=1', a); time.sleep(1000)"])X"));
  expect_b_started_after_a_ready(g);
  EXPECT_EQ(g.terminate(), 0);
}

TEST(GrovedReadiness, TcpReadinessWaitsForTheListener) {
  const int port = free_port();
  Groved g(tree_with_first(R"(ready = "tcp://127.0.0.1:)" + std::to_string(port) + R"("
command = ["python3", "-m", "http.server", ")" + std::to_string(port) + R"(", "--bind", "127.0.0.1"])"));
  expect_b_started_after_a_ready(g);
  EXPECT_EQ(g.terminate(), 0);
}

TEST(GrovedReadiness, StartTimeoutKillsAChildThatNeverGetsReadyAndCountsIt) {
  Groved g(R"(
name = "rd"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = 1
period = "30s"
[[children]]
name = "mute"
ready = "notify"
start_timeout = "300ms"
command = ["sleep", "1000"]
)");
  g.wait_for("child_kill", {{"path", "mute"}});
  g.wait_for("child_restarted", {{"path", "mute"}});
  g.wait_for("child_kill", {{"path", "mute"}});
  EXPECT_EQ(g.wait_exit(), 3);  // the second timeout exceeds intensity 1
}

TEST(GrovedReadiness, ChildThatExitsBeforeReadyIsAFailedStartAndTheNextStillStarts) {
  Groved g(R"(
name = "rd"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = 5
period = "30s"
[[children]]
name = "a"
ready = "fd:3"
restart_delay = "10s"
command = ["sh", "-c", "exit 2"]
[[children]]
name = "b"
command = ["sleep", "1000"]
)");
  g.wait_for("child_terminated", {{"offender", "a"}, {"reason", "exit:2"}});
  g.wait_for("child_started", {{"path", "b"}});
  g.wait_for("tree_ready");
  EXPECT_EQ(g.terminate(), 0);
}

TEST(GrovedWatchdog, ChildWhoseHeartbeatStopsIsKilledAndRestarted) {
  if (::access("/usr/bin/systemd-notify", X_OK) != 0) GTEST_SKIP() << "systemd-notify not installed";
  // Beats every 100 ms for 3 beats, then hangs: the 400 ms watchdog fires.
  Groved g(R"(
name = "wd"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = 5
period = "30s"
[[children]]
name = "beater"
ready = "notify"
watchdog = "400ms"
command = ["sh", "-c", "systemd-notify --ready; for i in 1 2 3; do sleep 0.1; systemd-notify WATCHDOG=1; done; exec sleep 1000"]
)");
  const pid_t first = g.wait_for("child_ready", {{"path", "beater"}}).pid();
  g.wait_for("watchdog_timeout", {{"path", "beater"}, {"pid", std::to_string(first)}});
  g.wait_for("child_terminated", {{"offender", "beater"}, {"reason", "signal:SIGKILL"}});
  g.wait_for("child_restarted", {{"path", "beater"}});
  EXPECT_EQ(g.terminate(), 0);
}

TEST(GrovedWatchdog, SteadyHeartbeatKeepsTheChildAlive) {
  if (::access("/usr/bin/systemd-notify", X_OK) != 0) GTEST_SKIP() << "systemd-notify not installed";
  // 25 beats 100 ms apart outlast the 1 s watchdog more than twice over,
  // each beat with a 10x margin even on a loaded machine; the child then
  // exits 0 on its own, which ends this transient child cleanly.
  Groved g(R"(
name = "wd"
control = "@DIR@/ctl.sock"
[[children]]
name = "beater"
restart = "transient"
ready = "notify"
watchdog = "1s"
command = ["sh", "-c", "systemd-notify --ready; i=0; while [ $i -lt 25 ]; do sleep 0.1; systemd-notify WATCHDOG=1; i=$((i+1)); done"]
[[children]]
name = "marker"
command = ["sleep", "1000"]
)");
  g.wait_for("child_terminated", {{"offender", "beater"}, {"reason", "exit:0"}});
  EXPECT_EQ(g.terminate(), 0);
  EXPECT_TRUE(g.all("watchdog_timeout").empty()) << g.log_text();
}
