// child_process.hpp — a forked test child running a lambda, for the ipc
// tests that need real processes (crashes, cross-process wake-ups).
//
//   ChildProcess c = ChildProcess::spawn([](ChildProcess::Channel& ch) {
//     ... ch.signal_ready(); ... return 0;           // exit code of the child
//   });
//   ASSERT_TRUE(c.wait_ready(deadline));             // the child reached a point
//   c.kill(SIGKILL);
//   auto status = c.wait_exit(deadline);             // waitpid status, bounded
//
// Every wait takes a deadline (pidfd + poll, ready pipe + poll); the
// destructor SIGKILLs and reaps a child that is still running, so a failing
// test never leaks processes. The child leaves with _exit (no gtest, no
// atexit handlers, no LeakSanitizer pass over the parent's heap copy).
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <optional>
#include <utility>

namespace grove::ipc::testing {

class ChildProcess {
 public:
  using Clock = std::chrono::steady_clock;

  struct Channel {
    int ready_fd;
    void signal_ready() const {
      const char b = 1;
      [[maybe_unused]] auto n = ::write(ready_fd, &b, 1);
    }
  };

  template <class Body>
  static ChildProcess spawn(Body&& body) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return ChildProcess();
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::close(fds[0]);
      Channel ch{fds[1]};
      ::_exit(body(ch));
    }
    ::close(fds[1]);
    ChildProcess c;
    c.pid_ = pid;
    c.ready_fd_ = fds[0];
    c.pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    return c;
  }

  ChildProcess(ChildProcess&& o) noexcept
      : pid_(std::exchange(o.pid_, -1)),
        pidfd_(std::exchange(o.pidfd_, -1)),
        ready_fd_(std::exchange(o.ready_fd_, -1)) {}
  ChildProcess& operator=(ChildProcess&&) = delete;
  ~ChildProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (pidfd_ >= 0) ::close(pidfd_);
    if (ready_fd_ >= 0) ::close(ready_fd_);
  }

  pid_t pid() const { return pid_; }
  bool started() const { return pid_ > 0 && pidfd_ >= 0; }

  // True once the child called signal_ready() (one byte per call).
  bool wait_ready(Clock::time_point deadline) const {
    if (!poll_in(ready_fd_, deadline)) return false;
    char b;
    return ::read(ready_fd_, &b, 1) == 1;
  }

  void kill(int sig) const {
    if (pid_ > 0) ::kill(pid_, sig);  // never kill(-1): that signals everything
  }

  // The waitpid status once the child ended, or nullopt at the deadline.
  std::optional<int> wait_exit(Clock::time_point deadline) {
    if (pid_ <= 0 || !poll_in(pidfd_, deadline)) return std::nullopt;
    int status = 0;
    if (::waitpid(pid_, &status, 0) != pid_) return std::nullopt;
    pid_ = -1;
    return status;
  }

  // Convenience: true when the child exited with code 0 before the deadline.
  bool exited_cleanly(Clock::time_point deadline) {
    const auto st = wait_exit(deadline);
    return st && WIFEXITED(*st) && WEXITSTATUS(*st) == 0;
  }

 private:
  ChildProcess() = default;
  static bool poll_in(int fd, Clock::time_point deadline) {
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      pollfd p{fd, POLLIN, 0};
      const int rc = ::poll(&p, 1, static_cast<int>(std::max<long long>(0, left.count())));
      if (rc > 0) return true;
      if (rc == 0 || errno != EINTR) return false;
    }
  }

  pid_t pid_ = -1;
  int pidfd_ = -1;
  int ready_fd_ = -1;
};

}  // namespace grove::ipc::testing
