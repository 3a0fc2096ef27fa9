#include "supervisor_under_test.hpp"

#include "announcement_socket.hpp"
#include "process_accounting.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace grove::bench {
namespace {

[[noreturn]] void exec_child(const std::vector<char*>& argv) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) signal(sig, SIG_DFL);
  setsid();
  dup2(2, 1);
  execvp(argv[0], argv.data());
  std::fprintf(stderr, "restart_driver: unable to exec %s: %s\n", argv[0], std::strerror(errno));
  _exit(127);
}

// Reaps whatever has exited; returns the status of `watched` if it was reaped.
std::optional<int> reap_exited(pid_t watched) {
  std::optional<int> watched_status;
  int status = 0;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
    if (pid == watched) watched_status = status;
  return watched_status;
}

}  // namespace

std::optional<std::string> SupervisorUnderTest::start(const std::vector<std::string>& argv) {
  if (argv.empty()) return "no supervisor command given";
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
    return std::string("unable to become a subreaper: ") + std::strerror(errno);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_ = fork();
  if (pid_ < 0) return std::string("unable to fork: ") + std::strerror(errno);
  if (pid_ == 0) exec_child(args);
  reaped_ = false;
  return std::nullopt;
}

void SupervisorUnderTest::note_exit(int status) {
  reaped_ = true;
  if (WIFEXITED(status))
    std::fprintf(stderr, "restart_driver: supervisor %d exited with code %d\n", pid_,
                 WEXITSTATUS(status));
  else if (WIFSIGNALED(status))
    std::fprintf(stderr, "restart_driver: supervisor %d killed by signal %d\n", pid_,
                 WTERMSIG(status));
}

bool SupervisorUnderTest::running() {
  if (reaped_) return false;
  if (auto status = reap_exited(pid_)) note_exit(*status);
  return !reaped_;
}

void SupervisorUnderTest::stop(std::chrono::milliseconds grace) {
  if (pid_ < 0) return;
  if (!reaped_) kill(pid_, SIGTERM);
  auto deadline = monotonic_ns() + grace.count() * 1'000'000;
  while (running() && monotonic_ns() < deadline) usleep(5000);
  for (int round = 0; round < 100; ++round) {
    auto left = descendants_of(getpid());
    if (left.empty()) break;
    for (pid_t pid : left) kill(pid, SIGKILL);
    usleep(2000);
    if (auto status = reap_exited(pid_); status && !reaped_) note_exit(*status);
  }
  while (waitpid(-1, nullptr, WNOHANG) > 0) {
  }
  pid_ = -1;
}

}  // namespace grove::bench
