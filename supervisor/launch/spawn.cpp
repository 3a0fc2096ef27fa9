#include "spawn.hpp"

#include <fcntl.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

#include "executable_path.hpp"

namespace grove::launch {
namespace {

// Everything the child reads, as raw pointers into memory the parent built
// before fork: the child copies nothing and allocates nothing.
struct ChildPlan {
  const char* program = nullptr;
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  const char* cwd = nullptr;
  bool set_umask = false;
  mode_t umask_value = 0;
  const Credentials* credentials = nullptr;
  const RlimitPlan* limits = nullptr;
  const FdPlacement* fds = nullptr;
  std::size_t fd_count = 0;
  int* scratch = nullptr;  // fd_count slots for the high copies
  int high_base = 3;       // above every target fd
  int status_fd = -1;
  pid_t parent = 0;
};

struct StatusRecord {
  std::uint16_t stage;
  std::uint16_t detail;
  std::int32_t err;
};
static_assert(sizeof(StatusRecord) == 8, "one atomic pipe write, decoded by read_exec_status");

[[noreturn]] void fail(const ChildPlan& p, ChildStage stage, int detail, int err) {
  const StatusRecord rec{static_cast<std::uint16_t>(stage), static_cast<std::uint16_t>(detail),
                         err};
  [[maybe_unused]] ssize_t n = ::write(p.status_fd, &rec, sizeof rec);
  _exit(exit_code_for(err));
}

// The kernel's struct sigaction: the raw system call also resets glibc's
// reserved signals (32, 33), which sigaction(3) refuses to touch but which a
// parent (a sanitizer runtime, say) may have left ignored.
struct KernelSigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)();
  std::uint64_t mask;
};

void reset_signals(const ChildPlan& p) {
  const KernelSigaction dfl{SIG_DFL, 0, nullptr, 0};
  // Errors are expected for SIGKILL and SIGSTOP.
  for (int sig = 1; sig < NSIG; ++sig) ::syscall(SYS_rt_sigaction, sig, &dfl, nullptr, sizeof dfl.mask);
  sigset_t none;
  sigemptyset(&none);
  if (sigprocmask(SIG_SETMASK, &none, nullptr) != 0) fail(p, ChildStage::reset_signals, 0, errno);
}

bool is_placed(const ChildPlan& p, int target) {
  for (std::size_t i = 0; i < p.fd_count; ++i)
    if (p.fds[i].target == target) return true;
  return false;
}

int copy_high(const ChildPlan& p, int fd, ChildStage stage, int detail) {
  int high = fcntl(fd, F_DUPFD_CLOEXEC, p.high_base);
  if (high < 0) fail(p, stage, detail, errno);
  return high;
}

void mark_cloexec_from_3(const ChildPlan& p) {
  if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
  if (errno != ENOSYS && errno != EINVAL) fail(p, ChildStage::mark_cloexec, 0, errno);
  struct rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  const int max_fd = static_cast<int>(std::min<rlim_t>(rl.rlim_cur, 1u << 20));
  for (int fd = 3; fd < max_fd; ++fd) fcntl(fd, F_SETFD, FD_CLOEXEC);
}

// Copies every source (and the status pipe) above all targets first, so
// placing one fd can never clobber another source, then dup2s the copies
// into place after the blanket CLOEXEC: dup2 clears CLOEXEC on the target.
void place_fds(ChildPlan& p) {
  int null_fd = -1;
  if (!is_placed(p, 0) || !is_placed(p, 1) || !is_placed(p, 2)) {
    null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null_fd < 0) fail(p, ChildStage::open_devnull, 0, errno);
    null_fd = copy_high(p, null_fd, ChildStage::open_devnull, 0);
  }
  if (p.status_fd < p.high_base) p.status_fd = copy_high(p, p.status_fd, ChildStage::place_fds, 0);
  for (std::size_t i = 0; i < p.fd_count; ++i)
    p.scratch[i] = copy_high(p, p.fds[i].source, ChildStage::place_fds, p.fds[i].target);
  mark_cloexec_from_3(p);
  for (std::size_t i = 0; i < p.fd_count; ++i)
    if (dup2(p.scratch[i], p.fds[i].target) < 0)
      fail(p, ChildStage::place_fds, p.fds[i].target, errno);
  for (int fd = 0; fd <= 2; ++fd)
    if (!is_placed(p, fd) && dup2(null_fd, fd) < 0) fail(p, ChildStage::place_fds, fd, errno);
}

void apply_limits(const ChildPlan& p) {
  for (std::size_t i = 0; i < p.limits->count; ++i) {
    const RlimitSetting& s = p.limits->settings[i];
    const struct rlimit rl{s.value, s.value};
    if (setrlimit(s.resource, &rl) != 0) fail(p, ChildStage::set_rlimit, s.resource, errno);
  }
  if (p.set_umask) umask(p.umask_value);
}

// Raw system calls: glibc's wrappers may broadcast the change to every
// thread of the process, and a vfork child shares the parent's memory.
void switch_credentials(const ChildPlan& p) {
  const Credentials* c = p.credentials;
  if (!c) return;
  if (syscall(SYS_setgroups, c->groups.size(), c->groups.data()) != 0)
    fail(p, ChildStage::set_groups, 0, errno);
  if (syscall(SYS_setgid, c->gid) != 0) fail(p, ChildStage::set_gid, 0, errno);
  if (c->switch_user && syscall(SYS_setuid, c->uid) != 0) fail(p, ChildStage::set_uid, 0, errno);
}

[[noreturn]] void run_child(ChildPlan& p) noexcept {
  reset_signals(p);
  if (setsid() < 0) fail(p, ChildStage::new_session, 0, errno);
  place_fds(p);
  apply_limits(p);
  switch_credentials(p);
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(p, ChildStage::parent_death_signal, 0, errno);
  if (getppid() != p.parent) _exit(127);  // groved died before PDEATHSIG was armed
  if (p.cwd && chdir(p.cwd) != 0) fail(p, ChildStage::chdir, 0, errno);
  execve(p.program, p.argv, p.envp);
  fail(p, ChildStage::exec, 0, errno);
}

std::vector<char*> pointers(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const std::string& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

std::optional<SpawnError> check_request(const SpawnRequest& r) {
  if (r.argv.empty()) return SpawnError{SpawnError::Code::bad_request, EINVAL, "empty command"};
  for (const FdPlacement& f : r.fds)
    if (f.source < 0 || f.target < 0 || f.target > 0xffff)
      return SpawnError{SpawnError::Code::bad_request, EBADF, "fd placement"};
  return std::nullopt;
}

}  // namespace

Result<Spawned, SpawnError> spawn(const SpawnRequest& request) {
  if (auto bad = check_request(request)) return *bad;
  auto program = resolve_executable(request.argv[0], search_path_of(request.env), request.cwd);
  if (!program) {
    const ExecutableError& e = program.error();
    return SpawnError{e.err == EACCES ? SpawnError::Code::not_executable
                                      : SpawnError::Code::not_found,
                      e.err, e.program};
  }
  std::vector<char*> argv = pointers(request.argv);
  std::vector<char*> envp = pointers(request.env);
  std::vector<int> scratch(request.fds.size());
  int status[2];
  if (pipe2(status, O_CLOEXEC | O_NONBLOCK) != 0)
    return SpawnError{SpawnError::Code::pipe, errno, "pipe2"};
  UniqueFd status_read(status[0]);
  UniqueFd status_write(status[1]);

  ChildPlan plan;
  plan.program = program.value().c_str();
  plan.argv = argv.data();
  plan.envp = envp.data();
  plan.cwd = request.cwd.empty() ? nullptr : request.cwd.c_str();
  plan.set_umask = request.umask.has_value();
  plan.umask_value = request.umask.value_or(0);
  plan.credentials = request.credentials ? &*request.credentials : nullptr;
  plan.limits = &request.limits;
  plan.fds = request.fds.data();
  plan.fd_count = request.fds.size();
  plan.scratch = scratch.data();
  for (const FdPlacement& f : request.fds) plan.high_base = std::max(plan.high_base, f.target + 1);
  plan.status_fd = status_write.get();
  plan.parent = getpid();

  // vfork: the child borrows groved's memory until it execs, so neither the
  // page tables are copied nor does groved take copy-on-write faults after;
  // restarts cost a fraction of a fork (see the restart benchmark). The
  // child only makes system calls and never returns from here.
  const pid_t pid = vfork();
  if (pid < 0) return SpawnError{SpawnError::Code::fork, errno, "vfork"};
  if (pid == 0) run_child(plan);
  return Spawned{pid, std::move(status_read), std::move(program.value())};
}

ExecStatus read_exec_status(int exec_status_fd) {
  StatusRecord rec{};
  ssize_t n;
  do n = ::read(exec_status_fd, &rec, sizeof rec);
  while (n < 0 && errno == EINTR);
  ExecStatus s;
  if (n == 0) {
    s.kind = ExecStatus::Kind::succeeded;
  } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
    s.kind = ExecStatus::Kind::pending;
  } else if (n != static_cast<ssize_t>(sizeof rec)) {
    s.kind = ExecStatus::Kind::failed;
    s.err = n < 0 ? errno : EPROTO;
  } else {
    s.kind = ExecStatus::Kind::failed;
    s.stage = static_cast<ChildStage>(rec.stage);
    s.detail = rec.detail;
    s.err = rec.err;
  }
  return s;
}

int exit_code_for(int err) {
  return (err == EACCES || err == EPERM || err == ENOEXEC) ? 126 : 127;
}

Result<UniqueFd, SpawnError> open_pidfd(pid_t pid) {
  const long fd = syscall(SYS_pidfd_open, pid, 0);
  if (fd < 0) return SpawnError{SpawnError::Code::bad_request, errno, "pidfd_open"};
  return UniqueFd(static_cast<int>(fd));
}

std::string SpawnError::describe() const {
  const std::string reason = std::strerror(err);
  switch (code) {
    case Code::not_found:
    case Code::not_executable: return "unable to exec " + context + ": " + reason;
    case Code::bad_request: return "invalid spawn request (" + context + "): " + reason;
    case Code::pipe:
    case Code::fork: return "unable to " + context + ": " + reason;
  }
  return "unable to spawn: " + reason;
}

namespace {

std::string stage_action(const ExecStatus& s, std::string_view program, std::string_view cwd) {
  const std::string prog(program);
  switch (s.stage) {
    case ChildStage::none: return "read the exec status of " + prog;
    case ChildStage::reset_signals: return "reset signals for " + prog;
    case ChildStage::new_session: return "start a session for " + prog;
    case ChildStage::open_devnull: return "open /dev/null for " + prog;
    case ChildStage::place_fds: return "place fd " + std::to_string(s.detail) + " for " + prog;
    case ChildStage::mark_cloexec: return "mark fds close-on-exec for " + prog;
    case ChildStage::set_rlimit:
      return "set resource limit " +
             std::string(rlimit_name(static_cast<RlimitResource>(s.detail))) + " for " + prog;
    case ChildStage::set_groups: return "set supplementary groups for " + prog;
    case ChildStage::set_gid: return "set group id for " + prog;
    case ChildStage::set_uid: return "set user id for " + prog;
    case ChildStage::parent_death_signal: return "set the parent-death signal for " + prog;
    case ChildStage::chdir: return "change directory to " + std::string(cwd);
    case ChildStage::exec: return "exec " + prog;
  }
  return "start " + prog;
}

}  // namespace

std::string ExecStatus::describe(std::string_view program, std::string_view cwd) const {
  if (kind == Kind::succeeded) return "exec " + std::string(program) + " succeeded";
  if (kind == Kind::pending) return "exec " + std::string(program) + " pending";
  return "unable to " + stage_action(*this, program, cwd) + ": " + std::strerror(err);
}

}  // namespace grove::launch
