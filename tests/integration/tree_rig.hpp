// tree_rig.hpp — plays groved's part for worker-lib programs in tests: the
// tree's names directory, one inbox per worker path, each worker's
// environment (GROVE_*, NOTIFY_SOCKET), its start and restart, its stdout.
//
//   TreeRig rig;
//   Worker& srv = rig.start_ready("srv", {probe, "serve", "echo"});   // waits for READY=1
//   Worker& cli = rig.start("cli", {probe, "call", "echo", "hi"});
//   EXPECT_TRUE(rig.wait_output(cli, "reply: hi"));
//   rig.kill_hard(srv);                                               // SIGKILL + reap
//
// Every wait is bounded; the destructor SIGKILLs and reaps what still runs
// and removes its temp directory (the inboxes go with the rig).
#pragma once

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
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "grove/ipc/inbox.hpp"
#include "grove/ipc/process_identity.hpp"
#include "grove/ipc/tree_directory.hpp"

extern char** environ;

namespace grove::test {

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
    std::filesystem::remove_all(dir_);
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

  const std::string& directory() const { return directory_->name(); }

  // Starts `argv` as the worker at `path` (replacing a dead one).
  Worker& start(const std::string& path, std::vector<std::string> argv, unsigned max_redeliveries = 3) {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e)
      if (std::strncmp(*e, "GROVE_", 6) != 0) env.emplace_back(*e);
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
  bool wait_ready(std::chrono::milliseconds limit = std::chrono::seconds(10)) {
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
  bool wait_output(Worker& w, const std::string& needle, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (w.buffer.find(needle) == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
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
  int wait_exit(Worker& w, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
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

}  // namespace grove::test
