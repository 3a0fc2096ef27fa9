#include "groved/nested_supervisor.hpp"

#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <csignal>

#include "groved/supervisor_process.hpp"

namespace grove::groved {

namespace {

// Closes every fd above 2 except those in `keep`.
void close_all_but(std::array<int, 2> keep) {
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
                                int ready_fd, pid_t parent) {
  ::setsid();
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(1);
  close_all_but({ready_fd, tree.guardian.write_fd()});
  ::prctl(PR_SET_NAME, "groved-sup");
  ::_exit(run_supervisor_process(tree, path, spec.supervisor, spec.children, ready_fd));
}

}  // namespace

launch::Result<NestedSupervisor, std::string> spawn_nested_supervisor(const TreeContext& tree,
                                                                      const std::string& path,
                                                                      const ChildSpec& spec) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) return std::string("unable to create pipe: ") + strerror(errno);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return std::string("unable to fork: ") + strerror(err);
  }
  if (pid == 0) {
    ::close(fds[0]);
    become_nested(tree, path, spec, fds[1], parent);
  }
  ::close(fds[1]);
  ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
  NestedSupervisor n;
  n.pid = pid;
  n.ready.reset(fds[0]);
  return n;
}

}  // namespace grove::groved
