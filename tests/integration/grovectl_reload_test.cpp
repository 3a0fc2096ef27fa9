// reload with real processes: what was added starts, what was removed stops,
// changed definitions restart, policy-only changes and unchanged children
// keep their pid, a broken file changes nothing.
#include <signal.h>

#include <gtest/gtest.h>

#include <fstream>

#include "groved_harness.hpp"

using namespace grove::test;

namespace {

std::string tree(const std::string& children) {
  return R"(
name = "rl"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = 10
period = "10s"
)" + children;
}

const char* kBefore = R"(
[[children]]
name = "same"
command = ["sleep", "1001"]
[[children]]
name = "changed"
command = ["sleep", "1002"]
[[children]]
name = "removed"
command = ["sleep", "1003"]
[[children]]
name = "policy"
command = ["sleep", "1004"]
[[children]]
name = "api"
type = "supervisor"
  [[children.children]]
  name = "web"
  command = ["sleep", "1005"]
  [[children.children]]
  name = "stays"
  command = ["sleep", "1006"]
)";

const char* kAfter = R"(
[[children]]
name = "same"
command = ["sleep", "1001"]
[[children]]
name = "changed"
command = ["sleep", "2002"]
[[children]]
name = "policy"
command = ["sleep", "1004"]
restart = "transient"
shutdown = "1s"
[[children]]
name = "added"
command = ["sleep", "1007"]
[[children]]
name = "api"
type = "supervisor"
  [[children.children]]
  name = "web"
  command = ["sleep", "2005"]
  [[children.children]]
  name = "stays"
  command = ["sleep", "1006"]
)";

int pid_of(const Groved& g, const std::string& path) {
  const auto r = g.ctl({"pid", path});
  return r.code == 0 ? std::atoi(r.out.c_str()) : 0;
}

void rewrite(const Groved& g, const std::string& text) {
  std::string t = tree(text);
  for (std::size_t at; (at = t.find("@DIR@")) != std::string::npos;) t.replace(at, 5, g.dir());
  std::ofstream(g.dir() + "/grove.toml") << t;
}

}  // namespace

TEST(GrovectlReload, AppliesExactlyWhatChanged) {
  Groved g(tree(kBefore));
  g.wait_for("tree_ready");
  const int same = pid_of(g, "same"), changed = pid_of(g, "changed"), removed = pid_of(g, "removed"),
            policy = pid_of(g, "policy"), api = pid_of(g, "api"), web = pid_of(g, "api/web"),
            stays = pid_of(g, "api/stays");
  rewrite(g, kAfter);
  const auto r = g.ctl({"reload"});
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* line : {"removed removed", "restarted changed", "policy of policy updated",
                           "added added", "restarted api/web"})
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;
  g.wait_for("reload_change", {{"change", "restarted api/web (definition changed)"}});  // logged for grovectl's too

  g.wait_for("child_started", {{"path", "added"}});
  g.wait_for("child_started", {{"path", "api/web"}});  // the first start
  g.wait_for("child_started", {{"path", "api/web"}});  // the reload's
  EXPECT_EQ(pid_of(g, "same"), same);
  EXPECT_EQ(pid_of(g, "policy"), policy);
  EXPECT_EQ(pid_of(g, "api"), api) << "a nested supervisor restarted for its child's change";
  EXPECT_EQ(pid_of(g, "api/stays"), stays) << "a sibling restarted because it shares a supervisor";
  EXPECT_NE(pid_of(g, "changed"), changed);
  EXPECT_NE(pid_of(g, "api/web"), web);
  EXPECT_EQ(pid_of(g, "removed"), 0);
  EXPECT_TRUE(wait_gone(removed, 5s));
  EXPECT_EQ(g.ctl({"status", "removed"}).code, 1) << "a removed child is gone from the tree";
}

TEST(GrovectlReload, PolicyChangeTakesEffect) {
  Groved g(tree(R"(
[[children]]
name = "x"
command = ["sleep", "1000"]
[[children]]
name = "marker"
command = ["sleep", "1000"]
)"));
  g.wait_for("tree_ready");
  rewrite(g, R"(
[[children]]
name = "x"
restart = "temporary"
command = ["sleep", "1000"]
[[children]]
name = "marker"
command = ["sleep", "1000"]
)");
  ASSERT_EQ(g.ctl({"reload"}).code, 0);
  send_signal(pid_of(g, "x"), SIGKILL);
  g.wait_for("child_terminated", {{"offender", "x"}});
  EXPECT_EQ(g.terminate(), 0);
  EXPECT_TRUE(g.all("child_restarted").empty()) << "x was restarted although now temporary";
}

TEST(GrovectlReload, BrokenConfigChangesNothingAndSaysWhere) {
  Groved g(tree(kBefore));
  g.wait_for("tree_ready");
  const int changed = pid_of(g, "changed");
  rewrite(g, std::string(kAfter) + "\n[[children]]\nname = \"bad\"\nrestart = \"always\"\ncommand = [\"true\"]\n");
  const auto r = g.ctl({"reload"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("grove.toml:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean"), std::string::npos) << r.err;
  EXPECT_EQ(pid_of(g, "changed"), changed);
  EXPECT_NE(pid_of(g, "removed"), 0);
}

TEST(GrovectlReload, SighupReloadsToo) {
  Groved g(tree(kBefore));
  g.wait_for("tree_ready");
  rewrite(g, kAfter);
  send_signal(g.pid(), SIGHUP);
  g.wait_for("child_started", {{"path", "added"}});
  g.wait_for("reload_change", {{"change", "added added"}});
}

TEST(GrovectlReload, AChildStoppedByTheOperatorStaysStoppedWhenItsDefinitionChanges) {
  Groved g(tree(kBefore));
  g.wait_for("tree_ready");
  ASSERT_EQ(g.ctl({"stop", "changed"}).code, 0);
  rewrite(g, kAfter);
  const auto r = g.ctl({"reload"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("updated changed (stopped"), std::string::npos) << r.out;
  EXPECT_EQ(pid_of(g, "changed"), 0);
  ASSERT_EQ(g.ctl({"start", "changed"}).code, 0);
  const auto args = run_command({"cat", "/proc/" + std::to_string(pid_of(g, "changed")) + "/cmdline"});
  EXPECT_NE(args.out.find("2002"), std::string::npos) << "started with the old definition";
}

TEST(GrovectlReload, ANewOrderOfTheChildrenIsANote) {
  Groved g(tree(R"(
[[children]]
name = "db"
command = ["sleep", "1000"]
[[children]]
name = "web"
command = ["sleep", "1000"]
)"));
  g.wait_for("tree_ready");
  rewrite(g, R"(
[[children]]
name = "web"
command = ["sleep", "1000"]
[[children]]
name = "db"
command = ["sleep", "1000"]
)");
  const auto r = g.ctl({"reload"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("note: the new order of the root supervisor's children takes effect when groved restarts"),
            std::string::npos) << r.out;
}
