#include "groved/nested_supervisor.hpp"

#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <system_error>

#include "groved/groved_exit.hpp"
#include "groved/own_output.hpp"
#include "groved/supervisor_process.hpp"

namespace grove::groved {

namespace {

// Closes every fd above 2 except those in `keep`.
void close_all_but(std::array<int, 3> keep) {
  std::sort(keep.begin(), keep.end());
  unsigned from = 3;
  for (int k : keep) {
    if (k < 3) continue;
    if (static_cast<unsigned>(k) > from) ::close_range(from, static_cast<unsigned>(k) - 1, 0);
    from = static_cast<unsigned>(k) + 1;
  }
  ::close_range(from, ~0U, 0);
}

[[noreturn]] void become_nested(TreeContext tree, const std::string& path, const ChildSpec& spec,
                                SupervisorFds fds, pid_t parent) {
  ::setsid();
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(1);
  close_all_but({fds.ready, fds.parent_channel, tree.guardian.write_fd()});
  reset_own_output_after_fork();
  ::prctl(PR_SET_NAME, "groved-sup");
  tree.mailboxes = nullptr;  // root's: this process only names them (and never destroys them: _exit)
  try {
    const int code = run_supervisor_process(tree, path, spec.supervisor, spec.children, fds);
    drain_own_output(std::chrono::seconds(1));
    ::_exit(code);
  } catch (const std::system_error&) {
    drain_own_output(std::chrono::seconds(1));
    ::_exit(static_cast<int>(GrovedExit::fatal));  // an abnormal exit: the parent restarts it
  }
}

}  // namespace

launch::Result<NestedSupervisor, std::string> spawn_nested_supervisor(const TreeContext& tree,
                                                                      const std::string& path,
                                                                      const ChildSpec& spec) {
  int ready[2];
  if (::pipe2(ready, O_CLOEXEC) < 0) return std::string("unable to create pipe: ") + strerror(errno);
  int channel[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, channel) < 0) {
    const int err = errno;
    ::close(ready[0]);
    ::close(ready[1]);
    return std::string("unable to create socketpair: ") + strerror(err);
  }
  const pid_t parent = ::getpid();
  tree.guardian.flush();  // the child must not send the parent's queue again
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    for (int fd : {ready[0], ready[1], channel[0], channel[1]}) ::close(fd);
    return std::string("unable to fork: ") + strerror(err);
  }
  if (pid == 0) {
    ::close(ready[0]);
    ::close(channel[0]);
    become_nested(tree, path, spec, SupervisorFds{ready[1], channel[1]}, parent);
  }
  ::close(ready[1]);
  ::close(channel[1]);
  ::fcntl(ready[0], F_SETFL, O_NONBLOCK);
  NestedSupervisor n;
  n.pid = pid;
  n.ready.reset(ready[0]);
  n.channel.reset(channel[0]);
  return n;
}

}  // namespace grove::groved
