// spawn.hpp — start one child process the way DESIGN.md's process hygiene
// asks, and learn whether its exec succeeded.
//
//   SpawnRequest req;
//   req.argv = {"redis-server", "--port", "6390"};
//   req.env = build_child_env(...);                    // child_env.hpp
//   req.fds = {{log_pipe.child_write.get(), 1}, {log_pipe.child_write.get(), 2}};
//   auto child = spawn(req);                           // error: ENOENT/EACCES, pipe, fork
//   epoll_add(child.value().exec_status.get(), EPOLLIN);
//   ... when readable: ExecStatus s = read_exec_status(fd);  // succeeded | failed{stage, errno}
//
// What the child does between fork and exec, in this order, with
// async-signal-safe calls only (everything else is prepared before fork:
// argv/envp arrays, the executable resolved through the child's PATH,
// credentials, rlimits; files are opened by the caller):
//   every signal disposition to SIG_DFL, then an empty signal mask;
//   setsid (the child leads its own session and process group);
//   the fd plan: each FdPlacement's source is placed at its target; 0, 1
//   and 2 not placed get /dev/null; every other fd is marked CLOEXEC
//   (close_range(CLOSE_RANGE_CLOEXEC), a loop on old kernels);
//   setrlimit (soft = hard), umask;
//   setgroups, setgid, setuid;
//   prctl(PR_SET_PDEATHSIG, SIGKILL), then getppid() against groved's pid
//   taken before fork (the kernel clears PDEATHSIG when ids change, hence
//   after the switch; the recheck closes the race with groved dying first);
//   chdir (as the new user, so permissions are the user's);
//   execve.
// A failing step writes one 8-byte record {stage, detail, errno} to the exec
// status pipe and _exit(126) for EACCES/EPERM/ENOEXEC, else _exit(127).
//
// Contract:
// - Every fd of groved must be CLOEXEC (open with O_CLOEXEC, pipe2,
//   SOCK_CLOEXEC, accept4): the child marks stray fds CLOEXEC too, but a
//   non-CLOEXEC fd is still a bug worth avoiding. The placed fds survive.
// - FdPlacement sources stay owned by the caller; close the child's ends in
//   groved after spawn() returns.
// - spawn() uses vfork: the caller is suspended while the child sets itself
//   up (system calls only) until it execs or fails, so spawn() does not
//   block beyond that; it allocates the argv/envp pointer arrays only. It never waits for, signals or reaps the
//   child: groved's SIGCHLD handling reaps it (waitpid), pidfd or not.
// - The exec status fd is nonblocking and CLOEXEC: EOF means exec succeeded
//   (or the child died before writing, which waitpid will tell), a record
//   means a stage failed, EAGAIN means not yet.
// - Single-threaded callers only (the vfork child shares the caller's
//   memory and relies on no lock held by another thread).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "credentials.hpp"
#include "result.hpp"
#include "rlimit_plan.hpp"
#include "unique_fd.hpp"

namespace grove::launch {

// Place groved's fd `source` at number `target` in the child (dup2 there).
// The same source may be placed at several targets (stdout and stderr).
struct FdPlacement {
  int source = -1;
  int target = -1;
};

struct SpawnRequest {
  std::vector<std::string> argv;           // argv[0] resolved through PATH of `env`
  std::vector<std::string> env;            // "KEY=VALUE", the whole environment
  std::string cwd;                         // "" = groved's cwd
  std::optional<mode_t> umask;             // unset = groved's umask
  std::optional<Credentials> credentials;  // unset = groved's ids
  RlimitPlan limits;
  std::vector<FdPlacement> fds;            // 0/1/2 not listed get /dev/null
};

struct SpawnError {
  enum class Code { bad_request, not_found, not_executable, pipe, fork };
  Code code;
  int err = 0;
  std::string context;           // the program's path, or the call that failed
  std::string describe() const;  // "unable to exec /usr/bin/nope: No such file or directory"
};

struct Spawned {
  pid_t pid = -1;
  UniqueFd exec_status;  // read end, nonblocking, CLOEXEC: see read_exec_status
  std::string program;   // the resolved path that was exec'd
};

Result<Spawned, SpawnError> spawn(const SpawnRequest& request);

// The step of the child's setup that failed.
enum class ChildStage : std::uint16_t {
  none = 0,
  reset_signals,
  new_session,
  open_devnull,
  place_fds,       // detail: the target fd
  mark_cloexec,
  set_rlimit,      // detail: the resource (RLIMIT_*)
  set_groups,
  set_gid,
  set_uid,
  parent_death_signal,
  chdir,
  exec,
};

struct ExecStatus {
  enum class Kind { pending, succeeded, failed };
  Kind kind = Kind::pending;
  ChildStage stage = ChildStage::none;  // Kind::failed
  std::uint16_t detail = 0;             // target fd, rlimit resource
  int err = 0;                          // the child's errno; EPROTO for a torn record
  // "unable to exec /usr/bin/x: Permission denied",
  // "unable to change directory to /srv/app: No such file or directory".
  std::string describe(std::string_view program, std::string_view cwd) const;
};

// Reads the exec status pipe once it is readable (or to poll it). Does not
// block (the fd is nonblocking). Close the fd after a non-pending answer.
ExecStatus read_exec_status(int exec_status_fd);

// Exit code the child uses when `err` made a stage fail: 126 for
// EACCES/EPERM/ENOEXEC (found but not runnable), 127 otherwise.
int exit_code_for(int err);

// pidfd_open(2): a pollable fd that becomes readable when `pid` exits.
// Nonblocking is not needed: it is only polled. CLOEXEC.
Result<UniqueFd, SpawnError> open_pidfd(pid_t pid);

}  // namespace grove::launch
