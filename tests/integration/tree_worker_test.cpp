// worker-lib programs as workers of a tree, with this test playing groved's
// part (TreeRig: the directory, the inboxes, the environment, restarts):
// calls and casts across real processes, readiness, standalone mode,
// messages that wait for a worker's next incarnation, redelivery and dead
// letters after crashes, and the kv example surviving a SIGKILL mid-stream.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tree_rig.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using grove::test::TreeRig;
using grove::test::Worker;

const std::string kProbe = GROVE_TREE_PROBE;

std::vector<std::string> lines_of(const std::string& file) {
  std::ifstream in(file);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

TEST(TreeWorkers, ACallReachesAServerInAnotherWorkerAndItsReplyComesBack) {
  TreeRig rig;
  rig.start_ready("srv", {kProbe, "serve", "echo"});
  Worker& cli = rig.start("cli", {kProbe, "call", "echo", "hello across workers"});
  EXPECT_TRUE(rig.wait_output(cli, "reply: hello across workers")) << cli.buffer;
  EXPECT_EQ(rig.wait_exit(cli), 0);
}

TEST(TreeWorkers, ACallToANameNobodyServesIsNoproc) {
  TreeRig rig;
  Worker& cli = rig.start("cli", {kProbe, "call", "nobody", "x"});
  EXPECT_TRUE(rig.wait_output(cli, "error: noproc")) << cli.buffer;
}

TEST(TreeWorkers, ACallerThatAsksNotToWaitGetsNoprocAtOnceWhenTheWorkerIsDown) {
  TreeRig rig;
  Worker& srv = rig.start_ready("srv", {kProbe, "serve", "echo"});
  rig.kill_hard(srv);
  // A minute of call timeout: only the down check can answer within the wait.
  Worker& cli = rig.start("cli", {kProbe, "call", "echo", "x", "--nowait", "--timeout-ms", "60000"});
  EXPECT_TRUE(rig.wait_output(cli, "error: noproc", 10s)) << cli.buffer;
}

TEST(TreeWorkers, MessagesSentWhileAWorkerIsDownReachItsNextIncarnation) {
  TreeRig rig;
  Worker& srv = rig.start_ready("srv", {kProbe, "serve", "echo"});
  rig.kill_hard(srv);
  Worker& cli = rig.start("cli", {kProbe, "cast", "echo", "first", "second"});
  EXPECT_TRUE(rig.wait_output(cli, "sent 2")) << cli.buffer;
  EXPECT_EQ(rig.inbox("srv").stats().pending, 2u);
  Worker& again = rig.start_ready("srv", {kProbe, "serve", "echo"});
  EXPECT_TRUE(rig.wait_output(again, "handled: first\nhandled: second\n")) << again.buffer;
}

TEST(TreeWorkers, RequestsQueuedAndArrivingDuringInitAreHandledInTheOrderTheyWereSent) {
  TreeRig rig;
  Worker& srv = rig.start_ready("srv", {kProbe, "serve", "echo"});
  rig.kill_hard(srv);
  Worker& early = rig.start("cli", {kProbe, "cast", "echo", "1", "2", "3"});
  EXPECT_TRUE(rig.wait_output(early, "sent 3")) << early.buffer;
  // Its next incarnation's init is slow on both sides of serving the name
  // (its inbox pump sees 1-3 before the name is served): what arrives after
  // the name is served must not overtake what was queued before.
  Worker& again = rig.start("srv", {kProbe, "serve", "echo", "--slow-init-ms", "300"});
  ASSERT_TRUE(rig.wait_output(again, "serving\n")) << again.buffer;
  Worker& late = rig.start("cli", {kProbe, "cast", "echo", "4", "5"});
  EXPECT_TRUE(rig.wait_output(late, "sent 2")) << late.buffer;
  EXPECT_TRUE(rig.wait_ready());
  EXPECT_TRUE(rig.wait_output(again, "handled: 5\n")) << again.buffer;
  EXPECT_EQ(again.buffer, "serving\nhandled: 1\nhandled: 2\nhandled: 3\nhandled: 4\nhandled: 5\n");
}

TEST(TreeWorkers, AMessageThatKeepsCrashingItsWorkerIsDeadLetteredAfterMaxRedeliveries) {
  TreeRig rig;
  constexpr unsigned kMax = 2;
  Worker* srv = &rig.start_ready("srv", {kProbe, "serve", "echo"}, kMax);
  Worker& cli = rig.start("cli", {kProbe, "cast", "echo", "crash", "after"});
  EXPECT_TRUE(rig.wait_output(cli, "sent 2")) << cli.buffer;
  // The first delivery and kMax redeliveries crash it; then the poison is set aside.
  for (unsigned crash = 0; crash <= kMax; ++crash) {
    const int status = rig.wait_exit(*srv);
    ASSERT_NE(status, -1) << "incarnation " << crash << " did not crash";
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT) << status;
    srv = &rig.start("srv", {kProbe, "serve", "echo"}, kMax);  // as its supervisor would
  }
  EXPECT_TRUE(rig.wait_output(*srv, "handled: after")) << srv->buffer;
  const auto letters = lines_of(rig.deadletters("srv"));
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_NE(letters[0].find("\"reason\":\"redeliveries\""), std::string::npos) << letters[0];
  EXPECT_NE(letters[0].find("\"deliveries\":3"), std::string::npos) << letters[0];
  EXPECT_EQ(rig.inbox("srv").stats().dead_letters, 1u);
}

TEST(TreeWorkers, AHandlerThatThrowsIsADeadLetterAndWhatWasQueuedBehindItReachesTheRestartedServer) {
  TreeRig rig;
  Worker& srv = rig.start_ready("srv", {kProbe, "supervised", "echo"});
  Worker& cli = rig.start("cli", {kProbe, "cast", "echo", "throw", "after"});
  EXPECT_TRUE(rig.wait_output(cli, "sent 2")) << cli.buffer;
  EXPECT_TRUE(rig.wait_output(srv, "handled: after")) << srv.buffer;
  // The pump settles both after the fact, in either order (the dead letter's
  // line is written before it is counted): counters, polled (bounded).
  for (int i = 0; i < 1000; ++i) {
    const auto s = rig.inbox("srv").stats();
    if (s.handled >= 1 && s.dead_letters >= 1) break;
    std::this_thread::sleep_for(2ms);
  }
  const auto letters = lines_of(rig.deadletters("srv"));
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_NE(letters[0].find("\"reason\":\"handler crashed\""), std::string::npos) << letters[0];
  EXPECT_NE(letters[0].find("\"text\":\"throw\""), std::string::npos) << letters[0];
  const auto stats = rig.inbox("srv").stats();
  EXPECT_EQ(stats.handled, 1u);  // "after"; the thrown one is not counted as handled
  EXPECT_EQ(stats.dead_letters, 1u);
  EXPECT_EQ(stats.pending, 0u);
}

TEST(TreeWorkers, AProgramStartedByHandRunsStandaloneAndCallsItsOwnServers) {
  Worker w;
  int pipefd[2];
  ASSERT_EQ(::pipe(pipefd), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(pipefd[1], 1);
    ::unsetenv("GROVE_INBOX");
    ::execl(kProbe.c_str(), kProbe.c_str(), "self", "echo", "by hand", static_cast<char*>(nullptr));
    _exit(127);
  }
  ::close(pipefd[1]);
  std::string out;
  char buf[512];
  for (ssize_t n; (n = ::read(pipefd[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  ::close(pipefd[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_EQ(out, "reply: by hand (standalone)\n");
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(TreeWorkers, TheKvStoreKilledMidStreamLosesNoWrite) {
  TreeRig rig;
  const std::string log = rig.dir() + "/kv.log";
  Worker& store = rig.start_ready("store", {GROVE_KVSTORE, log});
  constexpr int kWrites = 30000;
  Worker& client = rig.start("client", {GROVE_KVCLIENT, std::to_string(kWrites), "15000"});
  // SIGKILL the store once it has handled a tenth of the stream.
  const auto deadline = Clock::now() + 20s;
  while (rig.inbox("store").stats().handled < kWrites / 10 && Clock::now() < deadline)
    std::this_thread::sleep_for(1ms);  // polling another process's counter: no event to wait on
  rig.kill_hard(store);
  rig.start_ready("store", {GROVE_KVSTORE, log});
  EXPECT_TRUE(rig.wait_output(client, "nothing lost", 60s)) << client.buffer;
  EXPECT_EQ(rig.wait_exit(client, 30s), 0);
  EXPECT_EQ(lines_of(log).size(), static_cast<std::size_t>(kWrites));  // each write applied once
  EXPECT_EQ(rig.inbox("store").stats().dead_letters, 0u);
}

}  // namespace
