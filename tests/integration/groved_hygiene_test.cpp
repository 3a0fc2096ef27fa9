// Process hygiene: groved's death takes the tree with it, orphans are
// reaped, exec failures are clear start errors.
#include <signal.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <fstream>

#include "groved_harness.hpp"

using namespace grove::test;

namespace {

// The children below write their pid file, then say they are ready on fd 3:
// once groved logged tree_ready, the files are there.
pid_t read_pid_file(const std::string& path) {
  std::ifstream f(path);
  pid_t p = -1;
  f >> p;
  return p;
}

}  // namespace

TEST(GrovedHygiene, SigkillOfGrovedLeavesNoProcessOfTheTreeAlive) {
  Groved g(R"(
name = "hy"
control = "@DIR@/ctl.sock"
[[children]]
name = "plain"
command = ["sleep", "1000"]
[[children]]
name = "script"
ready = "fd:3"
command = ["sh", "-c", "sleep 1000 & echo $! > @DIR@/bg.pid; echo >&3; wait"]
[[children]]
name = "api"
type = "supervisor"
  [[children.children]]
  name = "deep"
  ready = "fd:3"
  command = ["sh", "-c", "sleep 1000 & echo $! > @DIR@/deep.pid; echo >&3; wait"]
)");
  g.wait_for("tree_ready");
  std::vector<pid_t> tree;
  for (const auto& e : g.all("child_started")) tree.push_back(e.pid());
  tree.push_back(read_pid_file(g.dir() + "/bg.pid"));
  tree.push_back(read_pid_file(g.dir() + "/deep.pid"));
  ASSERT_EQ(tree.size(), 6u);
  for (pid_t p : tree) ASSERT_TRUE(alive(p)) << p;

  g.kill_hard();
  for (pid_t p : tree) EXPECT_TRUE(wait_gone(p, 5s)) << "pid " << p << " outlived groved";
}

TEST(GrovedHygiene, SigkillOfANestedSupervisorTakesItsWholeSubtree) {
  Groved g(R"(
name = "hy"
control = "@DIR@/ctl.sock"
[[children]]
name = "api"
type = "supervisor"
  [[children.children]]
  name = "script"
  ready = "fd:3"
  command = ["sh", "-c", "sleep 1000 & echo $! > @DIR@/bg.pid; echo >&3; wait"]
)");
  g.wait_for("tree_ready");
  const pid_t sup = g.wait_for("child_started", {{"path", "api"}}, 0ms).pid();
  const pid_t script = g.wait_for("child_started", {{"path", "api/script"}}, 0ms).pid();
  const pid_t bg = read_pid_file(g.dir() + "/bg.pid");
  ASSERT_GT(bg, 1);
  send_signal(sup, SIGKILL);
  g.wait_for("child_restarted", {{"path", "api"}});
  EXPECT_TRUE(wait_gone(script, 5s)) << "the worker outlived its supervisor";
  EXPECT_TRUE(wait_gone(bg, 5s)) << "the worker's own child outlived its supervisor";
  EXPECT_EQ(g.terminate(), 0);
}

TEST(GrovedHygiene, MissingProgramIsAStartErrorNamingItsPath) {
  Groved g(R"(
name = "hy"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = 1
period = "30s"
[[children]]
name = "ghost"
command = ["/nonexistent/program", "--flag"]
)");
  const auto e = g.wait_for("start_error", {{"path", "ghost"}});
  EXPECT_NE(e.get("error").find("/nonexistent/program"), std::string::npos) << e.raw;
  EXPECT_NE(e.get("error").find("No such file or directory"), std::string::npos) << e.raw;
  EXPECT_EQ(g.wait_exit(), 3);
}

TEST(GrovedHygiene, NonExecutableProgramIsAStartErrorWithEacces) {
  Groved g(R"(
name = "hy"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = 0
period = "30s"
[[children]]
name = "text"
command = ["@DIR@/grove.toml"]
)");
  const auto e = g.wait_for("start_error", {{"path", "text"}});
  EXPECT_NE(e.get("error").find("Permission denied"), std::string::npos) << e.raw;
  EXPECT_EQ(g.wait_exit(), 3);
}

TEST(GrovedHygiene, DoubleForkedDaemonIsReapedNotLeftAZombie) {
  Groved g(R"(
name = "hy"
control = "@DIR@/ctl.sock"
[[children]]
name = "forker"
ready = "fd:3"
command = ["sh", "-c", "(sh -c 'echo $$ > @DIR@/orphan.pid; echo >&3; exec sleep 0.2' &); exec sleep 1000"]
)");
  g.wait_for("tree_ready");
  const pid_t orphan = read_pid_file(g.dir() + "/orphan.pid");
  ASSERT_GT(orphan, 1);
  // Reparented to groved (a subreaper), it must be reaped: gone, not a zombie.
  g.wait_for("orphan_reaped", {{"pid", std::to_string(orphan)}});
  EXPECT_NE(::kill(orphan, 0), 0) << "the orphan is still a zombie";
  EXPECT_EQ(g.terminate(), 0);
}

TEST(GrovedHygiene, ADaemonThatLeftItsChildsSessionDoesNotOutliveTheTree) {
  // What `redis-server --daemonize yes` does: a process in a session of its
  // own, which the child's process group no longer holds; its parent ends
  // (once the daemon wrote its pid file: after its setsid), and groved, a
  // subreaper, adopts it. A shutdown must still stop it.
  Groved g(R"(
name = "hy"
control = "@DIR@/ctl.sock"
[[children]]
name = "forker"
ready = "fd:3"
restart = "transient"
command = ["sh", "-c", 'setsid sh -c "echo \$\$ > @DIR@/daemon.pid; exec sleep 1000" & while [ ! -s @DIR@/daemon.pid ]; do sleep 0.01; done; echo >&3; exit 0']
[[children]]
name = "nested"
type = "supervisor"
  [[children.children]]
  name = "forker2"
  ready = "fd:3"
  restart = "transient"
  command = ["sh", "-c", 'setsid sh -c "echo \$\$ > @DIR@/daemon2.pid; exec sleep 1000" & while [ ! -s @DIR@/daemon2.pid ]; do sleep 0.01; done; echo >&3; exit 0']
)");
  g.wait_for("tree_ready");
  g.wait_for("child_terminated", {{"offender", "forker"}});
  g.wait_for("child_terminated", {{"offender", "nested/forker2"}});
  const pid_t daemon = read_pid_file(g.dir() + "/daemon.pid");
  const pid_t daemon2 = read_pid_file(g.dir() + "/daemon2.pid");
  ASSERT_GT(daemon, 1);
  ASSERT_GT(daemon2, 1);
  ASSERT_TRUE(alive(daemon)) << "it escaped: the test's premise";
  ASSERT_TRUE(alive(daemon2));
  EXPECT_EQ(g.terminate(), 0);
  EXPECT_TRUE(wait_gone(daemon, 5s)) << "the daemon outlived groved";
  EXPECT_TRUE(wait_gone(daemon2, 5s)) << "the nested supervisor's daemon outlived it";
  EXPECT_FALSE(g.all("orphan_stopped").empty());
}
