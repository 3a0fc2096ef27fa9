#include "child_pipe.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace grove::launch {

Result<ChildPipe, ChildPipeError> open_child_pipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return ChildPipeError{errno, "pipe2"};
  ChildPipe p{UniqueFd(fds[0]), UniqueFd(fds[1])};
  // O_NONBLOCK lives on the open file description: the child's end stays blocking.
  if (fcntl(p.parent_read.get(), F_SETFL, O_NONBLOCK) != 0) return ChildPipeError{errno, "fcntl"};
  return p;
}

Result<ChildPipe, ChildPipeError> open_output(const Output& output) {
  switch (output.kind) {
    case Output::Kind::null: return ChildPipe{};
    case Output::Kind::inherit:
    case Output::Kind::log: return open_child_pipe();
    case Output::Kind::file: break;
  }
  UniqueFd fd(::open(output.path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
  if (!fd) return ChildPipeError{errno, output.path};
  return ChildPipe{UniqueFd(), std::move(fd)};
}

std::string ChildPipeError::describe() const {
  const std::string verb = context == "pipe2" || context == "fcntl" ? "unable to " : "unable to open ";
  return verb + context + ": " + std::strerror(err);
}

}  // namespace grove::launch
