// tree_guardian.hpp — takes the whole tree down when groved dies, SIGKILL too.
//
// PR_SET_PDEATHSIG kills a supervisor's direct children when it dies, but not
// what those children forked (a shell script's background jobs). The
// guardian is a tiny process of its own session that holds the process group
// of every running child, told over a pipe. When the last writer of that pipe
// is gone — groved and every nested supervisor, however they ended — it
// SIGKILLs every group it still holds, then exits.
//
//   TreeGuardian guardian = TreeGuardian::start();   // before any child
//   guardian.add(pgid);        // after spawn
//   guardian.remove(pgid);     // after the group was reaped and killed
//   guardian.kill_owned_by(pid);  // a supervisor process died: its groups go
//
// Contract: start() forks once and must run before any child. add() writes
// at once (with whatever is queued), right after the spawn: the guardian
// knows a child's group before its supervisor logs it started or reports it
// ready, so a supervisor SIGKILLed just after its subtree came up still
// takes the subtree down (with add queued until the end of the loop round,
// a background job of the child survived that, about 1 run in 40 under
// load). What the child forks in the microseconds before add is the one gap
// left (the child itself dies by PDEATHSIG). remove/kill_owned_by are queued
// and sent by flush(), which the supervisor process calls once per event
// loop round. Each write is at most PIPE_BUF bytes of whole records, so
// nested supervisors, which inherit the write end across fork, share the
// pipe safely. The write end is CLOEXEC:
// exec'd workers never hold it. A group is only a number: remove() it once
// its leader is reaped and its stragglers killed, so a reused pid is never
// killed later.
#pragma once

#include <sys/types.h>

#include <vector>

namespace grove::groved {

class TreeGuardian {
 public:
  static TreeGuardian start();
  TreeGuardian() = default;
  void add(pid_t pgid) const;  // sent at once
  void remove(pid_t pgid) const;
  // Every group added by process `owner` (a supervisor that died, however:
  // its children lost their supervisor) is SIGKILLed and forgotten.
  void kill_owned_by(pid_t owner) const;
  void flush() const;
  // Clean exit: closes groved's write end and reaps the guardian (it exits
  // once every nested supervisor's copy is closed too, which by then it is).
  void stop();
  int write_fd() const { return write_fd_; }
  pid_t pid() const { return pid_; }

 private:
  TreeGuardian(int write_fd, pid_t pid) : write_fd_(write_fd), pid_(pid) {}
  void send(int op, pid_t target) const;
  int write_fd_ = -1;
  pid_t pid_ = -1;
  mutable std::vector<char> queued_;  // whole records, not yet written
};

}  // namespace grove::groved
