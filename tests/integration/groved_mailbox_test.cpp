// Mailbox workers under a real groved (issue 6, groved's side of the tree
// contract): root groved's inboxes, their environment and lifetime, messages
// that wait for a worker's next incarnation, the heartbeat watchdog, the
// status figures and grovectl deadletters. The worker is mailbox_probe,
// which does with its inbox what a worker-lib program does.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <functional>
#include <span>
#include <string>
#include <thread>

#include "grove/ipc/inbox_writer.hpp"
#include "groved_harness.hpp"
#include "status_json.hpp"

using namespace grove::test;
using nlohmann::json;

namespace {

std::string with_probe(const std::string& config) { return replace_all(config, "@PROBE@", GROVE_MAILBOX_PROBE); }

std::optional<mode_t> segment_mode(const std::string& name) {
  struct stat st{};
  if (::stat(("/dev/shm/" + name).c_str(), &st) != 0) return std::nullopt;
  return st.st_mode & 07777;
}

void send_text(const std::string& inbox, const std::string& text) {
  auto writer = grove::ipc::InboxWriter::open(inbox);
  ASSERT_TRUE(writer) << grove::ipc::describe(writer.error());
  const auto bytes = std::as_bytes(std::span(text.data(), text.size()));
  const auto sent = writer->send({1, 0}, bytes, grove::ipc::Clock::now() + 5s);
  ASSERT_TRUE(sent) << grove::ipc::describe(sent.error());
}

const char* kNested = R"(
name = "mbenv"
control = "@DIR@/ctl.sock"
[[children]]
name = "cache"
mailbox = true
command = ["@PROBE@", "env"]
[[children]]
name = "plain"
command = ["sleep", "1000"]
[[children]]
name = "api"
type = "supervisor"
  [[children.children]]
  name = "store"
  mailbox = true
  max_redeliveries = 5
  command = ["@PROBE@", "env"]
)";

TEST(MailboxTree, EachMailboxWorkerAtAnyDepthGetsItsInboxAndTheFourVariables) {
  Groved g(with_probe(kNested));
  const std::string cache = g.wait_for("mailbox_created", {{"path", "cache"}}).get("inbox");
  const std::string store = g.wait_for("mailbox_created", {{"path", "api/store"}}).get("inbox");
  EXPECT_EQ(g.events().front().event, "groved_started") << "the run's first line, before its inboxes";
  g.wait_for("child_ready", {{"path", "cache"}});  // ready = "notify" by default: READY=1 came
  g.wait_for("child_ready", {{"path", "api/store"}});
  ASSERT_TRUE(g.wait_stdout("api/store | env GROVE_DEADLETTERS=")) << g.stdout_text();
  const std::string out = g.stdout_text();
  EXPECT_NE(out.find("cache | env GROVE_INBOX=" + cache + "\n"), std::string::npos) << out;
  EXPECT_NE(out.find("api/store | env GROVE_INBOX=" + store + "\n"), std::string::npos) << out;
  EXPECT_NE(out.find("cache | env GROVE_MAX_REDELIVERIES=3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("api/store | env GROVE_MAX_REDELIVERIES=5\n"), std::string::npos) << out;
  EXPECT_NE(out.find("api/store | env GROVE_DEADLETTERS=" + g.dir() + "/mbenv.deadletters/api%2Fstore.ndjson\n"),
            std::string::npos) << out;
  const auto dir_at = out.find("cache | env GROVE_DIRECTORY=");
  ASSERT_NE(dir_at, std::string::npos) << out;
  const std::string directory = out.substr(dir_at + 28, out.find('\n', dir_at) - dir_at - 28);
  EXPECT_EQ(segment_mode(cache), 0600);
  EXPECT_EQ(segment_mode(store), 0600);
  EXPECT_EQ(segment_mode(directory), 0600);
  EXPECT_EQ(g.terminate(), 0);
  EXPECT_FALSE(segment_mode(cache)) << "groved's exit unlinks its inboxes";
  EXPECT_FALSE(segment_mode(store));
  EXPECT_FALSE(segment_mode(directory));
}

TEST(MailboxTree, ANonMailboxChildGetsNoMailboxVariablesAndNoStatusFigures) {
  Groved g(with_probe(kNested));
  g.wait_for("child_ready", {{"path", "api/store"}});
  const json plain = node_of(g, "plain");
  ASSERT_TRUE(plain.is_object());
  EXPECT_FALSE(plain.contains("mailbox"));
  EXPECT_FALSE(node_of(g, "api").contains("mailbox"));
  EXPECT_TRUE(node_of(g, "api/store").contains("mailbox"));
  std::ifstream environ("/proc/" + std::to_string(g.wait_for("child_started", {{"path", "plain"}}).pid()) +
                        "/environ");
  std::string env((std::istreambuf_iterator<char>(environ)), std::istreambuf_iterator<char>());
  EXPECT_EQ(env.find("GROVE_INBOX="), std::string::npos);
  EXPECT_EQ(g.terminate(), 0);
}

TEST(MailboxTree, SegmentsLeftByAKilledGrovedAreSweptAtTheNextStart) {
  const char* config = R"(
name = "mbsweep"
control = "@DIR@/ctl.sock"
[[children]]
name = "w"
mailbox = true
command = ["@PROBE@"]
)";
  std::string inbox;
  {
    Groved first(with_probe(config));
    inbox = first.wait_for("mailbox_created", {{"path", "w"}}).get("inbox");
    first.wait_for("child_ready", {{"path", "w"}});
    first.kill_hard();
    EXPECT_EQ(segment_mode(inbox), 0600) << "a SIGKILLed groved cannot unlink";
  }
  Groved second(with_probe(config));
  second.wait_for("segments_swept", {{"tree", "mbsweep"}});
  second.wait_for("child_ready", {{"path", "w"}});
  EXPECT_FALSE(segment_mode(inbox));
  EXPECT_EQ(second.terminate(), 0);
}

const char* kEcho = R"(
name = "mbecho"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = 10
period = "60s"
[[children]]
name = "echo"
mailbox = true
command = ["@PROBE@", "echo"]
)";

TEST(MailboxTree, MessagesSentWhileTheWorkerIsStoppedWaitForItsNextIncarnation) {
  Groved g(with_probe(kEcho));
  const std::string inbox = g.wait_for("mailbox_created", {{"path", "echo"}}).get("inbox");
  g.wait_for("child_ready", {{"path", "echo"}});
  ASSERT_EQ(g.ctl({"stop", "echo"}).code, 0);
  for (const char* m : {"m1", "m2", "m3"}) send_text(inbox, m);
  const json stopped = node_of(g, "echo");
  EXPECT_EQ(stopped["state"], "stopped");
  EXPECT_EQ(stopped["mailbox"]["depth"], 3) << stopped.dump();
  EXPECT_EQ(stopped["mailbox"]["handled"], 0);
  ASSERT_EQ(g.ctl({"start", "echo"}).code, 0);
  ASSERT_TRUE(g.wait_stdout("echo | got m1\necho | got m2\necho | got m3\n")) << g.stdout_text();
  EXPECT_TRUE(eventually([&] { return node_of(g, "echo")["mailbox"]["handled"] == 3; }))
      << node_of(g, "echo").dump();
  const json running = node_of(g, "echo");
  EXPECT_EQ(running["mailbox"]["depth"], 0);
  EXPECT_GE(running["mailbox"]["handled_per_s"].get<double>(), 0.0);
  EXPECT_EQ(running["mailbox"]["dead_letters"], 0);
  EXPECT_EQ(g.terminate(), 0);
}

TEST(MailboxTree, MessagesSentToACrashedWorkerReachItsNextIncarnation) {
  Groved g(with_probe(kEcho));
  const std::string inbox = g.wait_for("mailbox_created", {{"path", "echo"}}).get("inbox");
  const pid_t first = g.wait_for("child_ready", {{"path", "echo"}}).pid();
  send_signal(first, SIGKILL);
  send_text(inbox, "after-crash");
  g.wait_for("child_restarted", {{"path", "echo"}});
  ASSERT_TRUE(g.wait_stdout("echo | got after-crash\n")) << g.stdout_text();
  EXPECT_EQ(g.terminate(), 0);
}

TEST(MailboxWatchdog, AWorkerWhoseHeartbeatStopsIsKilledAndRestarted) {
  Groved g(with_probe(R"(
name = "mbwd"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = 10
period = "60s"
[[children]]
name = "hang"
mailbox = true
watchdog = "400ms"
command = ["@PROBE@", "beat", "3"]
)"));
  const pid_t first = g.wait_for("child_ready", {{"path", "hang"}}).pid();
  g.wait_for("watchdog_timeout", {{"path", "hang"}, {"pid", std::to_string(first)}});
  g.wait_for("child_terminated", {{"offender", "hang"}, {"reason", "signal:SIGKILL"}});
  g.wait_for("child_restarted", {{"path", "hang"}, {"restarts", "1"}});
  EXPECT_EQ(g.terminate(), 0);
}

TEST(MailboxWatchdog, AWorkerThatKeepsBeatingIsLeftAlone) {
  // 12 beats 250 ms apart (WATCHDOG_USEC/4) outlast the 1 s watchdog three
  // times over; the probe then exits 0, which ends this transient child.
  Groved g(with_probe(R"(
name = "mbbeat"
control = "@DIR@/ctl.sock"
[[children]]
name = "beater"
restart = "transient"
mailbox = true
watchdog = "1s"
command = ["@PROBE@", "beat", "12", "exit"]
[[children]]
name = "marker"
command = ["sleep", "1000"]
)"));
  g.wait_for("child_terminated", {{"offender", "beater"}, {"reason", "exit:0"}});
  EXPECT_TRUE(g.all("watchdog_timeout").empty()) << g.log_text();
  EXPECT_EQ(g.terminate(), 0);
}

const char* kLetters = R"(
name = "mbdead"
control = "@DIR@/ctl.sock"
[[children]]
name = "w"
mailbox = true
command = ["@PROBE@", "deadletter"]
[[children]]
name = "plain"
command = ["sleep", "1000"]
)";

TEST(MailboxDeadLetters, GrovectlShowsAWorkersDeadLettersAndStatusCountsThem) {
  Groved g(with_probe(kLetters), {}, {{"mbdead.deadletters/old.ndjson", "{\"from\":\"an earlier run\"}\n"}});
  g.wait_for("child_ready", {{"path", "w"}});
  ASSERT_TRUE(g.wait_stdout("w | deadletter written\n")) << g.stdout_text();
  EXPECT_FALSE(std::filesystem::exists(g.dir() + "/mbdead.deadletters/old.ndjson"));
  struct stat st{};
  ASSERT_EQ(::stat((g.dir() + "/mbdead.deadletters").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);

  const auto raw = g.ctl({"deadletters", "w", "--json"});
  ASSERT_EQ(raw.code, 0) << raw.err;
  const json letter = json::parse(raw.out, nullptr, false);
  ASSERT_TRUE(letter.is_object()) << raw.out;
  EXPECT_EQ(letter["reason"], "redeliveries");
  EXPECT_EQ(letter["text"], "k=v");
  const auto table = g.ctl({"deadletters", "w"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("REASON"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("redeliveries"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("\"k=v\""), std::string::npos) << table.out;
  EXPECT_EQ(node_of(g, "w")["mailbox"]["dead_letters"], 1);
  const auto status = g.ctl({"status"});
  EXPECT_NE(status.out.find("DEAD"), std::string::npos) << status.out;
  EXPECT_EQ(g.terminate(), 0);
}

TEST(MailboxDeadLetters, AskingForAPathWithoutAMailboxIsRefused) {
  Groved g(with_probe(kLetters));
  g.wait_for("child_ready", {{"path", "w"}});
  const auto plain = g.ctl({"deadletters", "plain"});
  EXPECT_EQ(plain.code, 1);
  EXPECT_NE(plain.err.find("plain is not a mailbox worker"), std::string::npos) << plain.err;
  const auto unknown = g.ctl({"deadletters", "nope"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.err.find("unknown path 'nope'"), std::string::npos) << unknown.err;
  EXPECT_EQ(g.terminate(), 0);
}

TEST(MailboxReload, AnAddedMailboxWorkerGetsItsInboxFirstAndARemovedOneLosesItsNames) {
  Groved g(with_probe(R"(
name = "mbreload"
control = "@DIR@/ctl.sock"
[[children]]
name = "old"
mailbox = true
command = ["@PROBE@"]
[[children]]
name = "api"
type = "supervisor"
  [[children.children]]
  name = "keep"
  command = ["sleep", "1000"]
)"));
  const std::string old_inbox = g.wait_for("mailbox_created", {{"path", "old"}}).get("inbox");
  g.wait_for("tree_ready");
  std::string next = with_probe(R"(
name = "mbreload"
control = "@DIR@/ctl.sock"
[[children]]
name = "api"
type = "supervisor"
  [[children.children]]
  name = "keep"
  command = ["sleep", "1000"]
  [[children.children]]
  name = "fresh"
  mailbox = true
  command = ["@PROBE@", "env"]
)");
  for (std::size_t at; (at = next.find("@DIR@")) != std::string::npos;) next.replace(at, 5, g.dir());
  std::ofstream(g.dir() + "/grove.toml") << next;
  const auto r = g.ctl({"reload"});
  ASSERT_EQ(r.code, 0) << r.err;
  g.wait_for("mailbox_retired", {{"path", "old"}});
  const std::string fresh = g.wait_for("mailbox_created", {{"path", "api/fresh"}}).get("inbox");
  g.wait_for("child_ready", {{"path", "api/fresh"}});
  ASSERT_TRUE(g.wait_stdout("api/fresh | env GROVE_INBOX=" + fresh + "\n")) << g.stdout_text();
  std::size_t created = 0, started = 0;
  for (std::size_t i = 0; i < g.events().size(); ++i) {
    const LogEvent& e = g.events()[i];
    if (e.event == "mailbox_created" && e.get("path") == "api/fresh") created = i;
    if (e.event == "child_started" && e.get("path") == "api/fresh") started = i;
  }
  EXPECT_LT(created, started) << g.log_text();
  EXPECT_EQ(segment_mode(old_inbox), 0600) << "kept until groved exits";
  EXPECT_EQ(g.terminate(), 0);
  EXPECT_FALSE(segment_mode(old_inbox));
  EXPECT_FALSE(segment_mode(fresh));
}

}  // namespace
