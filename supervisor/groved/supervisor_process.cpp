#include "groved/supervisor_process.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>

#include "control/control_message.hpp"
#include "control/line_channel.hpp"
#include "groved/adopted_orphans.hpp"
#include "groved/control_server.hpp"
#include "groved/event_log.hpp"
#include "groved/own_output.hpp"
#include "policy/exit_kind.hpp"

namespace grove::groved {

namespace {

void reap_all(SupervisorNode& node, const TreeContext& tree) {
  int status = 0;
  pid_t pid;
  while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
    // A supervisor process (a nested one, or an orphan that was one) that
    // ended: the groups it registered lost their supervisor, so they go.
    if (!node.is_worker(pid)) tree.guardian.kill_owned_by(pid);
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

// Our stdout/stderr buffer what a slow reader did not take (own_output.hpp):
// the loop writes it when the fd takes writes again.
void watch_own_output(EventLoop& loop) {
  on_own_output_pending([&loop](int fd) {
    try {
      loop.watch(fd, EPOLLOUT, [&loop, fd](std::uint32_t) {
        if (flush_own_output(fd)) loop.unwatch(fd);
      });
    } catch (const std::system_error&) {
      // Not pollable: nothing could wait on it; the buffer goes at exit.
    }
  });
}

void announce_ready(int& ready_fd, const TreeContext& tree, const std::string& path) {
  if (ready_fd < 0) {
    LogLine("tree_ready").kv("tree", tree.name).kv("pid", ::getpid());
    return;
  }
  // Logged first: once the parent reads the newline, its own lines follow.
  LogLine("supervisor_ready").kv("tree", tree.name).kv("path", path).kv("pid", ::getpid());
  const ssize_t ignored = ::write(ready_fd, "\n", 1);
  (void)ignored;
  ::close(ready_fd);
  ready_fd = -1;
}

// SIGHUP = `grovectl reload`, its outcome logged (nobody waits for a reply).
void reload_on_hangup(SupervisorNode& node) {
  control::Request r;
  r.verb = control::Verb::reload;
  r.path = node.path();
  node.handle_request(r, [](const control::Reply&) { return true; });  // reload() logs the outcome
}

// A nested supervisor's requests come from its parent over `channel`.
class ParentLink {
 public:
  ParentLink(EventLoop& loop, SupervisorNode& node, int fd)
      : loop_(loop), node_(node), channel_(launch::UniqueFd(fd)) {
    rewatch();
  }

 private:
  void on_readable() {
    std::vector<std::string> lines;
    const auto got = channel_.read_lines(lines);
    for (const std::string& line : lines) {
      std::string error;
      auto request = control::decode_request(line, error);
      if (!request) continue;  // the parent only sends what it encoded
      node_.handle_request(*request, [this](const control::Reply& reply) {
        channel_.send(control::encode(reply));
        channel_.flush();
        rewatch();
        return true;  // the parent cancels streams it no longer wants
      });
    }
    // EOF: the parent is gone; PR_SET_PDEATHSIG ends this process too.
    if (got != control::LineChannel::Read::ok) return loop_.unwatch(channel_.fd());
    channel_.flush();
    rewatch();
  }
  void rewatch() {
    loop_.watch(channel_.fd(), channel_.wants_write() ? EPOLLIN | EPOLLOUT : EPOLLIN,
                [this](std::uint32_t) { on_readable(); });
  }
  EventLoop& loop_;
  SupervisorNode& node_;
  control::LineChannel channel_;
};

}  // namespace

int run_supervisor_process(const TreeContext& tree, const std::string& path,
                           const SupervisorPolicy& policy, std::vector<ChildSpec> children,
                           SupervisorFds fds, ControlServer* server) {
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  EventLoop loop;
  SupervisorNode node(loop, tree, path, policy, std::move(children));
  loop.on_signals({SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGUSR2}, [&](int sig) {
    switch (sig) {
      case SIGCHLD: reap_all(node, tree); break;
      case SIGTERM:
      case SIGINT: node.shutdown(); break;
      case SIGUSR2: node.reopen_logs(); break;
      case SIGHUP: reload_on_hangup(node); break;
      default: break;
    }
  });
  std::optional<ParentLink> parent;
  if (fds.parent_channel >= 0) parent.emplace(loop, node, fds.parent_channel);
  if (server) server->attach(loop, node);
  node.on_ready = [&] { announce_ready(fds.ready, tree, path); };
  watch_own_output(loop);
  struct Unwatch {  // however this ends (an exception too): the loop goes with it
    ~Unwatch() { on_own_output_pending(nullptr); }
  } unwatch;
  node.start();
  while (!node.finished()) {
    loop.run_once();
    tree.guardian.flush();
  }
  tree.guardian.flush();
  stop_adopted_orphans(tree, std::chrono::seconds(2));  // daemons that escaped their child's group
  if (fds.ready >= 0) ::close(fds.ready);
  return node.end_reason() == EndReason::gave_up ? kSupervisorGaveUpCode : 0;
}

}  // namespace grove::groved
