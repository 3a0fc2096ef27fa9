// child_pipe.hpp — the fds that connect a child's stdout/stderr (and an s6
// readiness fd) to groved, prepared before spawn.
//
//   auto out = open_output(spec.process.stdout_to);     // inherit|log|null|file
//   if (out.value().child_end) request.fds.push_back({out.value().child_end.get(), 1});
//   auto ready = open_child_pipe();                     // ready = "fd:3"
//   request.fds.push_back({ready.value().child_end.get(), 3});
//   auto child = spawn(request);
//   // then close the child ends in groved; epoll the parent_read ends:
//   // LinePrefixer (inherit), RotatingLog (log), a newline = ready (fd:N).
//
// Contract:
// - parent_read is nonblocking and CLOEXEC; child_end is CLOEXEC and
//   blocking (a child's stdout must never be nonblocking); spawn() places it.
// - Output::null gives no fds: spawn() puts /dev/null on unplaced 0/1/2.
// - Output::file opens the path O_WRONLY|O_APPEND|O_CREAT (0644) as groved,
//   relative to groved's cwd; the child writes to it directly.
// - Output::inherit and Output::log give a pipe. groved gives stdout and
//   stderr a pipe each for "inherit" (each goes to groved's own stdout or
//   stderr), and one shared pipe when both are "log" (one file, in order).
#pragma once

#include <string>

#include "policy/child_spec.hpp"
#include "result.hpp"
#include "unique_fd.hpp"

namespace grove::launch {

struct ChildPipe {
  UniqueFd parent_read;  // groved's end: nonblocking, CLOEXEC; -1 when none
  UniqueFd child_end;    // for FdPlacement; -1 for Output::null
};

struct ChildPipeError {
  int err = 0;
  std::string context;           // "pipe2", or the file that could not be opened
  std::string describe() const;  // "unable to open /var/log/x.log: Permission denied"
};

Result<ChildPipe, ChildPipeError> open_child_pipe();
Result<ChildPipe, ChildPipeError> open_output(const Output& output);

}  // namespace grove::launch
