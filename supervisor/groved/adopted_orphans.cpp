#include "groved/adopted_orphans.hpp"

#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <thread>

#include "groved/event_log.hpp"
#include "grove/ipc/process_identity.hpp"

namespace grove::groved {

namespace {

// Its group when it leads one (a daemon's own session), else itself.
void signal_orphan(pid_t pid, int sig) {
  if (::getpgid(pid) == pid) ::kill(-pid, sig);
  else ::kill(pid, sig);
}

// Reaps those of `pids` that ended; returns the ones still running.
std::vector<pid_t> reap_ended(const std::vector<pid_t>& pids) {
  std::vector<pid_t> left;
  for (const pid_t p : pids)
    if (::waitpid(p, nullptr, WNOHANG) == 0) left.push_back(p);
  return left;
}

}  // namespace

std::vector<pid_t> children_of(pid_t self, pid_t except) {
  std::vector<pid_t> out;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return out;
  while (const dirent* e = ::readdir(proc)) {
    pid_t pid = 0;
    const char* end = e->d_name + std::strlen(e->d_name);
    const auto [p, ec] = std::from_chars(e->d_name, end, pid);
    if (ec != std::errc{} || p != end || pid == except) continue;
    const auto st = ipc::read_proc_stat(pid);
    if (st && st->ppid == self) out.push_back(pid);
  }
  ::closedir(proc);
  return out;
}

void stop_adopted_orphans(const TreeContext& tree, std::chrono::milliseconds grace) {
  const pid_t self = ::getpid();
  std::vector<pid_t> left = children_of(self, tree.guardian.pid());
  for (const pid_t pid : left) {
    LogLine("orphan_stopped").kv("tree", tree.name).kv("pid", pid).kv("signal", "SIGTERM");
    signal_orphan(pid, SIGTERM);
  }
  // Bounded: a daemon gets `grace` to end on SIGTERM, polled (it is not a
  // child the event loop knows, and the loop is gone by now).
  const auto until = std::chrono::steady_clock::now() + grace;
  while (!(left = reap_ended(left)).empty() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  for (const pid_t pid : left) {
    LogLine("orphan_stopped").kv("tree", tree.name).kv("pid", pid).kv("signal", "SIGKILL");
    signal_orphan(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
}

}  // namespace grove::groved
