// grovectl against a real groved: every verb, on leaves and on a nested
// supervisor, with its output and exit code.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "groved_harness.hpp"
#include "status_json.hpp"

using namespace grove::test;
using nlohmann::json;

namespace {

const char* kTree = R"(
name = "ctl"
control = "@DIR@/ctl.sock"
[supervisor]
strategy = "one_for_one"
intensity = 20
period = "10s"
[[children]]
name = "db"
command = ["sleep", "1000"]
[[children]]
name = "api"
type = "supervisor"
strategy = "one_for_all"
intensity = 20
period = "10s"
  [[children.children]]
  name = "web"
  ready = "fd:3"
  command = ["sh", "-c", "echo web says hello; sleep 0.2; echo >&3; exec sleep 1000"]
  [[children.children]]
  name = "cache"
  command = ["sleep", "1000"]
)";

int pid_of(const Groved& g, const std::string& path) {
  const auto r = g.ctl({"pid", path});
  EXPECT_EQ(r.code, 0) << r.err;
  return std::atoi(r.out.c_str());
}

void expect_shape(const json& n) {
  for (const char* key : {"name", "path", "type", "state"}) EXPECT_TRUE(n[key].is_string()) << key << n;
  EXPECT_TRUE(n["pid"].is_number_integer() || n["pid"].is_null()) << n;
  EXPECT_TRUE(n["restarts"].is_number_integer()) << n;
  EXPECT_TRUE(n["uptime_s"].is_number()) << n;
  const json& e = n["last_exit"];
  EXPECT_TRUE(e.is_null() || (e.is_object() && (e["code"].is_number_integer() || e["code"].is_null()) &&
                              (e["signal"].is_string() || e["signal"].is_null())))
      << n;
  const std::string state = n["state"];
  EXPECT_TRUE(state == "starting" || state == "running" || state == "stopping" ||
              state == "stopped" || state == "restarting" || state == "failed")
      << state;
  ASSERT_TRUE(n["children"].is_array());
  for (const auto& c : n["children"]) expect_shape(c);
}

}  // namespace

TEST(Grovectl, StatusTableShowsEveryNodeIncludingNestedOnes) {
  Groved g(kTree);
  g.wait_for("tree_ready");
  const auto r = g.ctl({"status"});
  EXPECT_EQ(r.code, 0) << r.err;
  for (const char* path : {"db ", "api ", "api/web ", "api/cache "})
    EXPECT_NE(r.out.find(path), std::string::npos) << path << "\n" << r.out;
  EXPECT_NE(r.out.find("PATH"), std::string::npos);
  EXPECT_EQ(r.out.find("\033["), std::string::npos) << "colour when not on a terminal";
}

TEST(Grovectl, StatusJsonHasTheDocumentedShape) {
  Groved g(kTree);
  g.wait_for("tree_ready");
  const json j = status_json(g);
  ASSERT_TRUE(j.is_object()) << j;
  EXPECT_EQ(j["name"], "ctl");
  ASSERT_EQ(j["children"].size(), 2u);
  for (const auto& c : j["children"]) expect_shape(c);
  const json web = node_of(j, "api/web");
  ASSERT_TRUE(web.is_object());
  EXPECT_EQ(web["state"], "running");
  EXPECT_EQ(web["type"], "worker");
  EXPECT_EQ(node_of(j, "api")["type"], "supervisor");
}

TEST(Grovectl, StatusOfAPathShowsThatSubtreeOnly) {
  Groved g(kTree);
  g.wait_for("tree_ready");
  const auto r = g.ctl({"status", "api"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("api/web"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("db "), std::string::npos) << r.out;
}

TEST(Grovectl, StatusExitsZeroWhateverTheStatesAndShowsTheLastExit) {
  Groved g(R"(
name = "ctl"
control = "@DIR@/ctl.sock"
[[children]]
name = "oneshot"
restart = "temporary"
command = ["sh", "-c", "exit 7"]
[[children]]
name = "marker"
command = ["sleep", "1000"]
)");
  g.wait_for("child_terminated", {{"offender", "oneshot"}});
  const json j = status_json(g);
  const json one = node_of(j, "oneshot");
  ASSERT_TRUE(one.is_object());
  EXPECT_EQ(one["state"], "failed");
  EXPECT_EQ(one["last_exit"]["code"], 7);
  EXPECT_TRUE(one["pid"].is_null());
}

TEST(Grovectl, RestartOfALeafReturnsOnceTheNewIncarnationIsReady) {
  Groved g(kTree);
  g.wait_for("tree_ready");
  const int before = pid_of(g, "api/web");
  const auto r = g.ctl({"restart", "api/web"});
  EXPECT_EQ(r.code, 0) << r.err;
  const json after = status_json(g);
  const json web = node_of(after, "api/web");
  ASSERT_TRUE(web.is_object());
  EXPECT_EQ(web["state"], "running") << "restart returned before readiness";
  EXPECT_NE(web["pid"].get<int>(), before);
  EXPECT_EQ(web["restarts"], 0) << "an operator restart is not counted";
}

TEST(Grovectl, RestartOfANestedSupervisorRestartsItsSubtree) {
  Groved g(kTree);
  g.wait_for("tree_ready");
  const int api = pid_of(g, "api"), web = pid_of(g, "api/web"), db = pid_of(g, "db");
  EXPECT_EQ(g.ctl({"restart", "api"}).code, 0);
  EXPECT_NE(pid_of(g, "api"), api);
  EXPECT_NE(pid_of(g, "api/web"), web);
  EXPECT_EQ(pid_of(g, "db"), db);
}

TEST(Grovectl, StoppedChildStaysDownAcrossSiblingRestartsUntilStarted) {
  Groved g(kTree);
  g.wait_for("tree_ready");
  EXPECT_EQ(g.ctl({"stop", "api/cache"}).code, 0);
  send_signal(pid_of(g, "api/web"), SIGKILL);  // api is one_for_all
  g.wait_for("child_restarted", {{"path", "api/web"}});
  g.wait_for("child_ready", {{"path", "api/web"}});
  EXPECT_EQ(node_of(status_json(g), "api/cache")["state"], "stopped");
  EXPECT_EQ(g.ctl({"start", "api/cache"}).code, 0);
  EXPECT_EQ(node_of(status_json(g), "api/cache")["state"], "running");
}

TEST(Grovectl, StopAndStartOfANestedSupervisor) {
  Groved g(kTree);
  g.wait_for("tree_ready");
  const int web = pid_of(g, "api/web");
  EXPECT_EQ(g.ctl({"stop", "api"}).code, 0);
  EXPECT_TRUE(wait_gone(web, 5s));
  EXPECT_EQ(node_of(status_json(g), "api")["state"], "stopped");
  EXPECT_EQ(g.ctl({"start", "api"}).code, 0);
  EXPECT_EQ(node_of(status_json(g), "api/web")["state"], "running");
}

// A tree of one steady child ("marker", so the tree runs) and `child`, the
// TOML of one more [[children]] entry; the root gives up past `intensity`.
std::string marker_tree(const std::string& child, int intensity = 0) {
  return R"(
name = "ctl"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = )" + std::to_string(intensity) + R"(
[[children]]
name = "marker"
command = ["sleep", "1000"]
[[children]]
)" + child;
}

TEST(Grovectl, StartThatFailsSaysWhy) {
  Groved g(marker_tree(R"(name = "bad"
autostart = false
restart = "temporary"
ready = "fd:3"
command = ["sh", "-c", "exit 3"]
)"));
  g.wait_for("tree_ready");
  const auto r = g.ctl({"start", "bad"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("bad failed to start (exit:3)"), std::string::npos) << r.err;
}

TEST(Grovectl, StartOfAChildWhoseStartsKeepFailingAnswersAtTheFirstFailure) {
  // transient, no restart_delay: the policy starts it again at once; the
  // operator's start still ends with the first failure, saying why.
  Groved g(marker_tree(R"(name = "never"
autostart = false
restart = "transient"
ready = "tcp://127.0.0.1:1"
start_timeout = "300ms"
command = ["sleep", "1000"]
)", 1000));
  g.wait_for("tree_ready");
  const auto r = g.ctl({"start", "never"}, 10s);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("never failed to start (start_timeout 300ms ran out)"), std::string::npos) << r.err;
}

TEST(Grovectl, AProgramThatCannotBeExecutedSaysWhyInStartAndStatus) {
  Groved g(marker_tree(R"(name = "ghost"
autostart = false
restart = "temporary"
command = ["/nonexistent/program"]
)"));
  g.wait_for("tree_ready");
  const auto r = g.ctl({"start", "ghost"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("ghost failed to start ("), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/nonexistent/program"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("No such file or directory"), std::string::npos) << r.err;
  const json row = node_of(g, "ghost");
  EXPECT_NE(row["note"].get<std::string>().find("start failed: "), std::string::npos) << row;
  EXPECT_NE(row["note"].get<std::string>().find("/nonexistent/program"), std::string::npos) << row;
}

TEST(Grovectl, StatusSaysWhyAStoppedChildIsStopped) {
  Groved g(R"(
name = "ctl"
control = "@DIR@/ctl.sock"
[[children]]
name = "slow"
ready = "notify"
start_timeout = "infinity"
command = ["sleep", "1000"]
[[children]]
name = "next"
command = ["sleep", "1000"]
[[children]]
name = "off"
autostart = false
command = ["sleep", "1000"]
)");
  g.wait_for("child_started", {{"path", "slow"}});  // and never ready: "next" waits its turn
  const json j = json::parse(g.ctl({"status", "--json"}).out, nullptr, false);
  EXPECT_EQ(node_of(j, "slow")["state"], "starting");
  EXPECT_EQ(node_of(j, "next")["state"], "stopped");
  EXPECT_EQ(node_of(j, "next")["note"], "waiting to start");
  EXPECT_EQ(node_of(j, "off")["state"], "stopped");
  EXPECT_EQ(node_of(j, "off")["note"], "autostart = false");
}

TEST(Grovectl, AWaitingVerbSaysItStillWaitsEveryTenSeconds) {
  // A child that ignores SIGTERM takes its whole shutdown time to stop.
  Groved g(R"(
name = "ctl"
control = "@DIR@/ctl.sock"
[[children]]
name = "stubborn"
ready = "fd:3"
shutdown = "11s"
command = ["sh", "-c", "trap '' TERM; echo >&3; while :; do sleep 1; done"]
)");
  g.wait_for("tree_ready");
  const auto r = g.ctl({"stop", "stubborn"}, 30s);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("grovectl: stop stubborn: still waiting for groved after 10 s"), std::string::npos) << r.err;
}

TEST(Grovectl, PidAndSignalAddressALeaf) {
  Groved g(kTree);
  g.wait_for("tree_ready");
  const int db = pid_of(g, "db");
  EXPECT_EQ(db, g.wait_for("child_started", {{"path", "db"}}, 0ms).pid());
  EXPECT_EQ(g.ctl({"signal", "USR1", "db"}).code, 0);
  g.wait_for("child_terminated", {{"offender", "db"}, {"reason", "signal:SIGUSR1"}});
}

TEST(Grovectl, UnknownPathVerbAndDaemonHaveTheirExitCodes) {
  Groved g(kTree);
  g.wait_for("tree_ready");
  const auto path = g.ctl({"restart", "api/nope"});
  EXPECT_EQ(path.code, 1);
  EXPECT_NE(path.err.find("unknown path 'api/nope'"), std::string::npos) << path.err;
  const auto verb = g.ctl({"frobnicate"});
  EXPECT_EQ(verb.code, 2);
  EXPECT_NE(verb.err.find("unknown command 'frobnicate'"), std::string::npos) << verb.err;
  const auto none = run_command({grovectl_binary(), "--socket", g.dir() + "/nothing.sock", "status"});
  EXPECT_EQ(none.code, 3);
  EXPECT_EQ(g.ctl({"restart"}).code, 2) << "a missing PATH is a usage error";
  const auto sig = g.ctl({"signal", "FOO", "db"});
  EXPECT_EQ(sig.code, 2) << "an unknown signal is a usage error";
  EXPECT_NE(sig.err.find("unknown signal 'FOO'"), std::string::npos) << sig.err;
  EXPECT_EQ(g.ctl({"logs", "-n", "-5", "db"}).code, 2) << "a negative line count is a usage error";
  EXPECT_EQ(run_command({grovectl_binary(), "--name", "ctl", "--socket", g.socket(), "status"}).code, 2)
      << "--name and --socket are alternatives";
}

TEST(Grovectl, LogsShowsTheLastLinesAndFollowsNewOnes) {
  Groved g(R"(
name = "ctl"
control = "@DIR@/ctl.sock"
[[children]]
name = "talker"
ready = "fd:3"
command = ["sh", "-c", "echo one; echo two; echo three; echo >&3; while read line < @DIR@/say; do echo \"$line\"; done"]
)");
  ASSERT_EQ(::mkfifo((g.dir() + "/say").c_str(), 0600), 0);
  g.wait_for("tree_ready");
  // groved echoes a line after it stored it: once echoed, logs has it.
  g.wait_stdout("talker | three\n");
  EXPECT_EQ(g.ctl({"logs", "-n", "2", "talker"}).out, "two\nthree\n");
  Background follow({grovectl_binary(), "--socket", g.socket(), "logs", "-f", "-n", "1", "talker"});
  // The past line comes in the reply that also registers the follower.
  EXPECT_EQ(follow.next_line(), "three");
  std::ofstream(g.dir() + "/say") << "four\n";
  EXPECT_EQ(follow.next_line(), "four");
}

TEST(Grovectl, ShutdownStopsTheTreeAndGrovedExitsZero) {
  Groved g(kTree);
  g.wait_for("tree_ready");
  EXPECT_EQ(g.ctl({"shutdown"}).code, 0);
  EXPECT_EQ(g.wait_exit(), 0);
  EXPECT_FALSE(std::ifstream(g.socket()).good() || ::access(g.socket().c_str(), F_OK) == 0)
      << "the socket file outlived groved";
}

TEST(Grovectl, LogsOfAChildWritingToAFileSaysWhere) {
  Groved g(R"(
name = "ctl"
control = "@DIR@/ctl.sock"
[[children]]
name = "filer"
stdout = "@DIR@/filer.out"
stderr = "null"
command = ["sleep", "1000"]
)");
  g.wait_for("tree_ready");
  const auto r = g.ctl({"logs", "filer"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("filer writes to " + g.dir() + "/filer.out"), std::string::npos) << r.err;
  EXPECT_EQ(g.ctl({"logs", "nope"}).code, 1);
}

TEST(Grovectl, StatusOfAPathAsJsonIsThatNodesObject) {
  Groved g(kTree);
  g.wait_for("tree_ready");
  const json j = status_json(g, "api");
  ASSERT_TRUE(j.is_object()) << j;
  expect_shape(j);
  EXPECT_EQ(j["path"], "api");
  EXPECT_EQ(j["children"].size(), 2u);
}

TEST(Grovectl, APathWithATrailingSlashIsThatPath) {
  Groved g(kTree);
  g.wait_for("tree_ready");
  const json j = status_json(g, "api/");
  ASSERT_TRUE(j.is_object()) << j;
  expect_shape(j);
  EXPECT_EQ(j["path"], "api");
  EXPECT_EQ(j["state"], "running");
  EXPECT_EQ(g.ctl({"pid", "api/web/"}).code, 0);
}

TEST(Grovectl, ShutdownReturnsOnceGrovedIsGone) {
  Groved g(kTree);
  g.wait_for("tree_ready");
  const pid_t web = g.wait_for("child_started", {{"path", "api/web"}}, 0ms).pid();
  EXPECT_EQ(g.ctl({"shutdown"}).code, 0);
  EXPECT_FALSE(alive(web)) << "shutdown returned before the tree was down";
  EXPECT_EQ(g.wait_exit(), 0);
}

TEST(Grovectl, ANestedSupervisorThatDoesNotAnswerDoesNotHoldStatus) {
  Groved g(kTree);
  g.wait_for("tree_ready");
  const pid_t api = pid_of(g, "api");
  send_signal(api, SIGSTOP);
  const auto r = g.ctl({"status", "--json"}, 10s);
  send_signal(api, SIGCONT);
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out, nullptr, false);
  EXPECT_EQ(node_of(j, "api")["note"], "api does not answer") << r.out;
  EXPECT_EQ(node_of(j, "db")["state"], "running");
}

TEST(Grovectl, SeveralTreesWithoutANameIsAUsageError) {
  const std::string dir = "/tmp/grove-ctl-several";
  std::filesystem::create_directories(dir + "/grove");
  std::ofstream(dir + "/grove/a.sock") << "";
  std::ofstream(dir + "/grove/b.sock") << "";
  const auto r = run_command({"env", "XDG_RUNTIME_DIR=" + dir, "GROVE_SOCKET=", grovectl_binary(), "status"});
  std::filesystem::remove_all(dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("several trees"), std::string::npos) << r.err;
}

TEST(Grovectl, AMissingCommandIsAUsageError) {
  const auto r = run_command({grovectl_binary(), "--name", "x"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("a command is required"), std::string::npos) << r.err;
}
