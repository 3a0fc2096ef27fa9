// The one tree (issue 6) end to end: real groved, real worker-lib programs.
// The seed's Speakers served from one worker and called from another, in
// start order; the kv example surviving a SIGKILL of its store in the middle
// of a client's stream; a handler that never returns caught by the heartbeat
// watchdog, redelivered, then dead-lettered and shown by grovectl.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

#include "groved_harness.hpp"
#include "status_json.hpp"

using namespace grove::test;
using nlohmann::json;

namespace {

std::string with_bins(std::string config) {
  const std::pair<const char*, const char*> bins[] = {
      {"@KVSTORE@", GROVE_KVSTORE}, {"@KVCLIENT@", GROVE_KVCLIENT}, {"@PROBE@", GROVE_TREE_PROBE},
      {"@SPEAKERS_SERVICE@", GROVE_SPEAKERS_SERVICE}, {"@SPEAKERS_CLIENT@", GROVE_SPEAKERS_CLIENT}};
  for (const auto& [marker, bin] : bins) config = replace_all(config, marker, bin);
  return config;
}

TEST(GrovedTree, SpeakersServedFromOneWorkerAreCalledFromAnotherStartedOnlyOnceTheFirstIsReady) {
  Groved g(with_bins(R"(
name = "speakers"
control = "@DIR@/ctl.sock"
[[children]]
name = "service"
command = ["@SPEAKERS_SERVICE@"]
mailbox = true
[[children]]
name = "client"
command = ["@SPEAKERS_CLIENT@"]
mailbox = true
restart = "transient"
)"));
  const auto ready = g.wait_for("child_ready", {{"path", "service"}});
  const auto started = g.wait_for("child_started", {{"path", "client"}});
  EXPECT_TRUE(g.wait_stdout("client | jesse: The ABCs of OTP")) << g.stdout_text();
  g.wait_for("child_terminated", {{"offender", "client"}, {"reason", "exit:0"}});
  EXPECT_EQ(g.stdout_text().find("jose:"), std::string::npos) << "removed before the call";
  std::size_t ready_at = 0, started_at = 0;
  for (std::size_t i = 0; i < g.events().size(); ++i) {
    if (g.events()[i].raw == ready.raw) ready_at = i;
    if (g.events()[i].raw == started.raw) started_at = i;
  }
  EXPECT_LT(ready_at, started_at) << "the client started before the service's init returned";
  EXPECT_EQ(g.terminate(), 0);
}

TEST(GrovedTree, TheKvStoreSigkilledInTheMiddleOfAStreamOfWritesLosesNoneOfThem) {
  constexpr int kWrites = 60000;
  Groved g(with_bins(R"(
name = "kv"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = 5
period = "10s"
[[children]]
name = "store"
command = ["@KVSTORE@", "@DIR@/kv.log"]
mailbox = true
watchdog = "2s"
[[children]]
name = "client"
command = ["@KVCLIENT@", "60000", "30000"]
mailbox = true
restart = "transient"
)"));
  const auto store = g.wait_for("child_ready", {{"path", "store"}});
  g.wait_for("child_started", {{"path", "client"}});
  ASSERT_TRUE(eventually([&] {
    const json m = mailbox_of(g, "store");
    return m.is_object() && m["handled"].get<int>() >= kWrites / 10;
  })) << "the stream never got going";
  const auto killed = g.ctl({"signal", "KILL", "store"});
  ASSERT_EQ(killed.code, 0) << killed.err;
  g.wait_for("child_terminated", {{"offender", "store"}, {"reason", "signal:SIGKILL"}});
  g.wait_for("child_restarted", {{"path", "store"}});
  EXPECT_TRUE(g.wait_stdout("nothing lost", 60s)) << g.stdout_text();
  g.wait_for("child_terminated", {{"offender", "client"}, {"reason", "exit:0"}}, 30s);
  std::ifstream log(g.dir() + "/kv.log");
  int lines = 0;
  for (std::string l; std::getline(log, l);) ++lines;
  EXPECT_EQ(lines, kWrites) << "every write applied exactly once";
  // The store's inbox releases the last records once their acks reach its
  // pump, just after the replies the client saw: polled (bounded).
  EXPECT_TRUE(eventually([&] {
    const json box = mailbox_of(g, "store");
    return box.is_object() && box["depth"] == 0;
  })) << mailbox_of(g, "store").dump();
  const json m = mailbox_of(g, "store");
  ASSERT_TRUE(m.is_object());
  EXPECT_EQ(m["dead_letters"], 0);
  EXPECT_GE(m["processes"].get<int>(), 2);  // its root and the store, plus the heartbeat
  EXPECT_NE(store.pid(), 0);
  ASSERT_EQ(g.ctl({"stop", "store"}).code, 0);
  EXPECT_EQ(mailbox_of(g, "store")["processes"], 0) << "a stopped worker runs no process";
  EXPECT_EQ(g.terminate(), 0);
}

TEST(GrovedTree, AHandlerThatNeverReturnsIsCaughtByTheHeartbeatWatchdogThenDeadLettered) {
  Groved g(with_bins(R"(
name = "hang"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = 10
period = "60s"
[[children]]
name = "srv"
command = ["@PROBE@", "serve", "echo"]
mailbox = true
watchdog = "500ms"
max_redeliveries = 1
[[children]]
name = "cli"
command = ["@PROBE@", "cast", "echo", "hang", "after the hang"]
mailbox = true
restart = "transient"
)"));
  g.wait_for("child_ready", {{"path", "srv"}});
  // First delivery and one redelivery hang; the second redelivery is a dead letter.
  for (int hang = 0; hang < 2; ++hang) {
    g.wait_for("watchdog_timeout", {{"path", "srv"}});
    g.wait_for("child_restarted", {{"path", "srv"}});
  }
  EXPECT_TRUE(g.wait_stdout("srv | handled: after the hang")) << g.stdout_text();
  const auto letters = g.ctl({"deadletters", "srv", "--json"});
  EXPECT_EQ(letters.code, 0) << letters.err;
  EXPECT_NE(letters.out.find("\"reason\":\"redeliveries\""), std::string::npos) << letters.out;
  const json m = mailbox_of(g, "srv");
  ASSERT_TRUE(m.is_object());
  EXPECT_EQ(m["dead_letters"], 1);
  EXPECT_EQ(g.terminate(), 0);
}

TEST(GrovedTree, ASenderBlockedOnAFullInboxKeepsItsHeartbeatAndGetsFullAtItsTimeout) {
  Groved g(with_bins(R"(
name = "full"
control = "@DIR@/ctl.sock"
[[children]]
name = "srv"
command = ["@PROBE@", "serve", "echo"]
mailbox = true
[[children]]
name = "cli"
command = ["@PROBE@", "flood", "echo", "100000", "2000"]
mailbox = true
watchdog = "400ms"
autostart = false
restart = "temporary"
)"));
  g.wait_for("child_ready", {{"path", "srv"}});
  ASSERT_EQ(g.ctl({"stop", "srv"}).code, 0);  // nobody reads its inbox now
  ASSERT_EQ(g.ctl({"start", "cli"}).code, 0);
  // Blocked far longer than its watchdog (the cast's 5 s timeout): not a hang.
  EXPECT_TRUE(g.wait_stdout("cli | error after", 20s)) << g.stdout_text();
  EXPECT_NE(g.stdout_text().find("the target's inbox stayed full"), std::string::npos) << g.stdout_text();
  EXPECT_TRUE(g.all("watchdog_timeout").empty()) << g.log_text();
  EXPECT_EQ(g.terminate(), 0);
}

}  // namespace
