#include "groved/tree_guardian.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <map>

namespace grove::groved {

namespace {

struct Record {
  std::int32_t op;      // 1 add pgid, 2 remove pgid, 3 kill the groups of owner
  std::int32_t target;  // pgid (1, 2) or owner pid (3)
  std::int32_t owner;   // the supervisor process that wrote the record
};
static_assert(sizeof(Record) == 12);  // < PIPE_BUF: every write is atomic

void kill_owned(std::map<pid_t, pid_t>& groups, pid_t owner) {
  for (auto it = groups.begin(); it != groups.end();) {
    if (it->second != owner) {
      ++it;
      continue;
    }
    ::kill(-it->first, SIGKILL);
    it = groups.erase(it);
  }
}

[[noreturn]] void guard(int read_fd) {
  std::map<pid_t, pid_t> groups;  // pgid -> the supervisor that added it
  Record r{};
  for (;;) {
    const ssize_t n = ::read(read_fd, &r, sizeof r);
    if (n < 0 && errno == EINTR) continue;
    if (n != static_cast<ssize_t>(sizeof r)) break;  // EOF: every writer is gone
    if (r.target <= 1) continue;                      // never kill(-1) or init's group
    if (r.op == 1) groups[r.target] = r.owner;
    if (r.op == 2) groups.erase(r.target);
    if (r.op == 3) kill_owned(groups, r.target);
  }
  for (const auto& [pgid, owner] : groups) ::kill(-pgid, SIGKILL);
  ::_exit(0);
}

}  // namespace

TreeGuardian TreeGuardian::start() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) return {};
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return {};
  }
  if (pid == 0) {
    // Its own session: a signal to groved's process group spares it. It
    // holds none of groved's fds (a pipe on groved's stdout would otherwise
    // stay open after groved died).
    ::setsid();
    ::prctl(PR_SET_NAME, "groved-guard");
    sigset_t all;
    sigfillset(&all);
    ::sigprocmask(SIG_BLOCK, &all, nullptr);  // only SIGKILL/SIGSTOP can stop it
    const int keep = fds[0];
    const int null_fd = ::open("/dev/null", O_RDWR);
    for (int std_fd = 0; std_fd < 3 && null_fd >= 0; ++std_fd)
      if (std_fd != keep) ::dup2(null_fd, std_fd);
    if (keep > 3) ::close_range(3, static_cast<unsigned>(keep) - 1, 0);
    ::close_range(static_cast<unsigned>(keep) + 1, ~0U, 0);
    guard(keep);
  }
  ::close(fds[0]);
  // Nonblocking: a guardian stopped by a hostile child must never block
  // groved; a full pipe costs protection for that one group, not liveness.
  ::fcntl(fds[1], F_SETFL, O_NONBLOCK);
  return TreeGuardian(fds[1], pid);
}

void TreeGuardian::stop() {
  flush();
  if (write_fd_ >= 0) ::close(write_fd_);
  write_fd_ = -1;
  if (pid_ > 0)
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  pid_ = -1;
}

void TreeGuardian::add(pid_t pgid) const {
  send(1, pgid);
  flush();
}
void TreeGuardian::remove(pid_t pgid) const { send(2, pgid); }
void TreeGuardian::kill_owned_by(pid_t owner) const { send(3, owner); }

void TreeGuardian::send(int op, pid_t target) const {
  if (write_fd_ < 0) return;
  const Record r{op, target, ::getpid()};
  const char* bytes = reinterpret_cast<const char*>(&r);
  queued_.insert(queued_.end(), bytes, bytes + sizeof r);
}

void TreeGuardian::flush() const {
  constexpr std::size_t kChunk = (PIPE_BUF / sizeof(Record)) * sizeof(Record);
  std::size_t sent = 0;
  while (sent < queued_.size()) {
    const std::size_t n = std::min(kChunk, queued_.size() - sent);
    const ssize_t w = ::write(write_fd_, queued_.data() + sent, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) break;  // full (a stopped guardian): drop, never block groved
    sent += static_cast<std::size_t>(w);
  }
  queued_.clear();
}

}  // namespace grove::groved
