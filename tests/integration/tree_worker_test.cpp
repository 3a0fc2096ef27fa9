// worker-lib programs as workers of a tree, with this test playing groved's
// part (TreeRig: the directory, the inboxes, the environment, restarts):
// calls and casts across real processes, readiness, standalone mode,
// messages that wait for a worker's next incarnation, redelivery and dead
// letters after crashes, and the kv example surviving a SIGKILL mid-stream.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "grove/ipc/inbox.hpp"
#include "grove/ipc/process_identity.hpp"
#include "grove/ipc/tree_directory.hpp"

extern char** environ;

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
namespace ipc = grove::ipc;

struct Worker {
  pid_t pid = -1;
  int out = -1;         // its stdout
  std::string buffer;   // read so far
};

class TreeRig {
 public:
  TreeRig() {
    static int n = 0;
    tree_ = "treetest-" + std::to_string(getpid()) + "-" + std::to_string(++n);
    char tmpl[] = "/tmp/grove-tree-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
    auto d = ipc::TreeDirectory::create(segment("~names"));
    if (!d) throw std::runtime_error(ipc::describe(d.error()));
    directory_ = std::make_unique<ipc::TreeDirectory>(std::move(*d));
    notify_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    notify_path_ = dir_ + "/notify";
    std::strcpy(a.sun_path, notify_path_.c_str());
    if (::bind(notify_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("bind notify");
  }
  ~TreeRig() {
    for (auto& [path, w] : workers_) stop(w);
    ::close(notify_);
    fs::remove_all(dir_);
  }

  std::string segment(const std::string& inbox) const {
    return ipc::format(ipc::SegmentName{static_cast<std::uint32_t>(getuid()), tree_, ipc::ProcessIdentity::self(), inbox});
  }
  ipc::Inbox& inbox(const std::string& path) {
    auto it = inboxes_.find(path);
    if (it == inboxes_.end()) {
      auto made = ipc::Inbox::create(segment(path), {.lanes = 32, .lane_bytes = 64 * 1024});
      if (!made) throw std::runtime_error(ipc::describe(made.error()));
      it = inboxes_.emplace(path, std::make_unique<ipc::Inbox>(std::move(*made))).first;
    }
    return *it->second;
  }
  std::string deadletters(const std::string& path) const { return dir_ + "/" + path + ".deadletters"; }
  const std::string& dir() const { return dir_; }

  // Starts `argv` as the worker at `path` (replacing a dead one).
  Worker& start(const std::string& path, std::vector<std::string> argv, unsigned max_redeliveries = 3) {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) env.emplace_back(*e);
    env.push_back("GROVE_TREE=" + tree_);
    env.push_back("GROVE_PATH=" + path);
    env.push_back("GROVE_INBOX=" + inbox(path).name());
    env.push_back("GROVE_DIRECTORY=" + directory_->name());
    env.push_back("GROVE_DEADLETTERS=" + deadletters(path));
    env.push_back("GROVE_MAX_REDELIVERIES=" + std::to_string(max_redeliveries));
    env.push_back("NOTIFY_SOCKET=" + notify_path_);
    int pipefd[2];
    if (::pipe2(pipefd, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
    std::vector<char*> av, ev;
    for (auto& s : argv) av.push_back(s.data());
    av.push_back(nullptr);
    for (auto& s : env) ev.push_back(s.data());
    ev.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, av[0], &fa, nullptr, av.data(), ev.data());
    posix_spawn_file_actions_destroy(&fa);
    ::close(pipefd[1]);
    if (rc != 0) throw std::runtime_error("spawn " + argv[0]);
    Worker& w = workers_[path];
    if (w.out >= 0) ::close(w.out);
    w = Worker{pid, pipefd[0], {}};
    return w;
  }

  // READY=1 from any worker, within `limit`.
  bool wait_ready(std::chrono::milliseconds limit = 10s) {
    pollfd p{notify_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(limit.count())) != 1) return false;
    char buf[256];
    const ssize_t n = ::recv(notify_, buf, sizeof buf, 0);
    return n > 0 && std::string(buf, static_cast<std::size_t>(n)).find("READY=1") != std::string::npos;
  }
  Worker& start_ready(const std::string& path, std::vector<std::string> argv, unsigned max_redeliveries = 3) {
    Worker& w = start(path, std::move(argv), max_redeliveries);
    EXPECT_TRUE(wait_ready()) << path << " never reported ready";
    return w;
  }

  // Reads the worker's stdout until it contains `needle` (true) or the deadline.
  bool wait_output(Worker& w, const std::string& needle, std::chrono::milliseconds limit = 20s) {
    const auto deadline = Clock::now() + limit;
    while (w.buffer.find(needle) == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      pollfd p{w.out, POLLIN, 0};
      if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) != 1) return false;
      char buf[4096];
      const ssize_t n = ::read(w.out, buf, sizeof buf);
      if (n <= 0) return w.buffer.find(needle) != std::string::npos;
      w.buffer.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }

  // The worker's wait status, or -1 when it did not exit within `limit`.
  int wait_exit(Worker& w, std::chrono::milliseconds limit = 20s) {
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, w.pid, 0));
    if (pidfd < 0) return -1;
    pollfd p{pidfd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(limit.count()));
    ::close(pidfd);
    if (ready != 1) return -1;
    int status = 0;
    ::waitpid(w.pid, &status, 0);
    w.pid = -1;
    return status;
  }
  void kill_hard(Worker& w) {
    ::kill(w.pid, SIGKILL);
    EXPECT_NE(wait_exit(w), -1);
  }

 private:
  void stop(Worker& w) {
    if (w.pid > 0) {
      ::kill(w.pid, SIGKILL);
      ::waitpid(w.pid, nullptr, 0);
    }
    if (w.out >= 0) ::close(w.out);
  }

  std::string tree_;
  std::string dir_;
  std::unique_ptr<ipc::TreeDirectory> directory_;
  std::map<std::string, std::unique_ptr<ipc::Inbox>> inboxes_;
  std::map<std::string, Worker> workers_;
  int notify_ = -1;
  std::string notify_path_;
};

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
  const auto letters = lines_of(rig.deadletters("srv"));
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_NE(letters[0].find("\"reason\":\"handler crashed\""), std::string::npos) << letters[0];
  EXPECT_NE(letters[0].find("\"text\":\"throw\""), std::string::npos) << letters[0];
  // The pump acknowledges after the handler returned: a counter, polled (bounded).
  for (int i = 0; i < 1000 && rig.inbox("srv").stats().handled < 1; ++i) std::this_thread::sleep_for(2ms);
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
