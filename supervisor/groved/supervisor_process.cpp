#include "groved/supervisor_process.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "groved/event_log.hpp"
#include "policy/exit_kind.hpp"

namespace grove::groved {

namespace {

void reap_all(SupervisorNode& node, const TreeContext& tree) {
  int status = 0;
  pid_t pid;
  while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
    // Whoever it was, if it was a supervisor its children lost their
    // supervisor: their groups go (a no-op for any other process).
    tree.guardian.kill_owned_by(pid);
    if (node.on_reaped(pid, status)) continue;
    if (pid == tree.guardian.pid()) {
      LogLine("guardian_died").kv("tree", tree.name).kv("reason", describe_wait_status(status));
      continue;
    }
    // An orphan reparented to us (subreaper duty), e.g. a double-forked daemon.
    LogLine("orphan_reaped").kv("tree", tree.name).kv("pid", pid)
        .kv("reason", describe_wait_status(status));
  }
}

void announce_ready(int& ready_fd, const TreeContext& tree, const std::string& path) {
  if (ready_fd < 0) {
    LogLine("tree_ready").kv("tree", tree.name).kv("pid", ::getpid());
    return;
  }
  const ssize_t ignored = ::write(ready_fd, "\n", 1);
  (void)ignored;
  ::close(ready_fd);
  ready_fd = -1;
  LogLine("supervisor_ready").kv("tree", tree.name).kv("path", path).kv("pid", ::getpid());
}

}  // namespace

int run_supervisor_process(const TreeContext& tree, const std::string& path,
                           const SupervisorPolicy& policy, std::vector<ChildSpec> children,
                           int ready_fd) {
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  EventLoop loop;
  SupervisorNode node(loop, tree, path, policy, std::move(children));
  loop.on_signals({SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGUSR2}, [&](int sig) {
    switch (sig) {
      case SIGCHLD: reap_all(node, tree); break;
      case SIGTERM:
      case SIGINT: node.shutdown(); break;
      case SIGUSR2: node.reopen_logs(); break;
      case SIGHUP: LogLine("reload_ignored").kv("tree", tree.name); break;
      default: break;
    }
  });
  node.on_ready = [&] { announce_ready(ready_fd, tree, path); };
  node.start();
  while (!node.finished()) loop.run_once();
  if (ready_fd >= 0) ::close(ready_fd);
  return node.end_reason() == EndReason::gave_up ? kSupervisorGaveUpCode : 0;
}

}  // namespace grove::groved
