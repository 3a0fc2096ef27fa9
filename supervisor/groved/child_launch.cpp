// SupervisorNode: turning a spawn action into a running process.
#include <unistd.h>

#include <chrono>

#include "groved/event_log.hpp"
#include "groved/nested_supervisor.hpp"
#include "groved/supervisor_node.hpp"
#include "launch/child_env.hpp"
#include "launch/child_pipe.hpp"
#include "launch/env_file.hpp"
#include "launch/spawn.hpp"

namespace grove::groved {

namespace {

// A start error found before any process existed: logged, kept for
// grovectl, then reported to the engine as a failed start (it counts like
// any other).
bool start_error(const TreeContext& tree, ChildProcess& c, const std::string& why) {
  LogLine("start_error").kv("tree", tree.name).kv("path", c.path).kv("error", why);
  c.start_failure = why;
  return false;
}

// stdout and stderr to the same log file share one pipe, so their lines
// interleave in the order the child wrote them.
bool same_log(const ProcessDef& p) {
  return p.stdout_to.kind == Output::Kind::log && p.stderr_to.kind == Output::Kind::log;
}

}  // namespace

void SupervisorNode::spawn_child(std::size_t i) {
  ChildProcess& c = children_.at(i);
  c.start_failure.clear();
  const bool ok = c.spec.type == ChildType::supervisor ? spawn_supervisor(i) : spawn_worker(i);
  if (!ok) {
    close_fds(i);
    c.last_start_failure = c.start_failure;
    feed(Event::spawn_failed(i));
    return;
  }
  c.started_wall = std::chrono::system_clock::now();
  tree_.guardian.add(c.pid);
  log_spawn(i);
  watch_readiness(i);
}

// Everything that can fail is prepared before fork: files, pipes, env,
// credentials; spawn() then only forks and execs.
bool SupervisorNode::spawn_worker(std::size_t i) {
  ChildProcess& c = children_[i];
  const ProcessDef& p = c.spec.process;
  launch::SpawnRequest req;
  req.argv = p.command;
  req.cwd = p.cwd;
  if (p.umask) req.umask = static_cast<mode_t>(*p.umask);
  req.limits = launch::make_rlimit_plan(p.limits);

  launch::EnvAssignments file_vars;
  if (!p.env_file.empty()) {
    auto vars = launch::read_env_file(p.env_file);
    if (!vars) return start_error(tree_, c, vars.error().describe());
    file_vars = std::move(vars.value());
  }
  if (!p.user.empty() || !p.group.empty()) {
    auto creds = launch::resolve_credentials(p.user, p.group);
    if (!creds) return start_error(tree_, c, creds.error().describe());
    req.credentials = creds.value();
  }
  launch::GroveVars vars;
  vars.tree = tree_.name;
  vars.path = c.path;
  vars.socket = tree_.control;
  vars.incarnation = engine_.children()[i].incarnation;
  if (c.spec.policy.ready.kind == Readiness::Kind::notify || c.spec.policy.watchdog)
    vars.notify_socket = notify_address();
  if (c.spec.policy.watchdog)
    vars.watchdog_usec = static_cast<std::uint64_t>(c.spec.policy.watchdog->count()) * 1000;
  if (p.mailbox) {
    const MailboxNames& names = tree_.mailbox_names;
    vars.mailbox = launch::GroveVars::Mailbox{names.inbox(c.path), names.directory(),
                                              c.spec.policy.max_redeliveries, names.deadletter_file(c.path)};
  }
  req.env = launch::build_child_env(tree_.base_env, file_vars, p.env, vars);

  // Child ends stay open until spawn() has placed them, then close here.
  std::vector<launch::UniqueFd> child_ends;
  auto route = [&](const Output& o, OutputStream& stream, int target, int echo) -> bool {
    if (o.kind == Output::Kind::log && !c.log) {
      auto dir = launch::make_log_dir(tree_.log_dir);
      if (!dir) return start_error(tree_, c, dir.error().describe());
      auto log = launch::RotatingLog::open(launch::log_file_path(tree_.log_dir, c.path),
                                           tree_.log_max_bytes, tree_.log_backups);
      if (!log) return start_error(tree_, c, log.error().describe());
      c.log = std::make_unique<launch::RotatingLog>(std::move(log.value()));
    }
    auto pipe = launch::open_output(o);
    if (!pipe) return start_error(tree_, c, pipe.error().describe());
    if (pipe.value().child_end) req.fds.push_back({pipe.value().child_end.get(), target});
    if (same_log(p) && target == 1) req.fds.push_back({pipe.value().child_end.get(), 2});
    stream.read_end = std::move(pipe.value().parent_read);
    if (o.kind == Output::Kind::inherit) {
      stream.echo_fd = echo;
      stream.prefixer = std::make_unique<launch::LinePrefixer>(c.path);
    }
    child_ends.push_back(std::move(pipe.value().child_end));
    return true;
  };
  if (!route(p.stdout_to, c.out, 1, 1)) return false;
  if (!same_log(p) && !route(p.stderr_to, c.err, 2, 2)) return false;

  if (c.spec.policy.ready.kind == Readiness::Kind::fd) {
    auto pipe = launch::open_child_pipe();
    if (!pipe) return start_error(tree_, c, pipe.error().describe());
    req.fds.push_back({pipe.value().child_end.get(), c.spec.policy.ready.fd});
    c.ready_pipe = std::move(pipe.value().parent_read);
    child_ends.push_back(std::move(pipe.value().child_end));
  }

  auto spawned = launch::spawn(req);
  if (!spawned) return start_error(tree_, c, spawned.error().describe());
  c.pid = spawned.value().pid;
  c.program = spawned.value().program;
  c.exec_status = std::move(spawned.value().exec_status);
  return true;
}

bool SupervisorNode::spawn_supervisor(std::size_t i) {
  ChildProcess& c = children_[i];
  auto nested = spawn_nested_supervisor(tree_, c.path, c.spec);
  if (!nested) return start_error(tree_, c, nested.error());
  c.pid = nested.value().pid;
  c.program = "groved";
  c.ready_pipe = std::move(nested.value().ready);
  c.channel = std::make_unique<control::LineChannel>(std::move(nested.value().channel));
  loop_.watch(c.channel->fd(), EPOLLIN, [this, i](std::uint32_t) { on_channel(i); });
  return true;
}

// One notify socket per supervisor process, bound on first use. Abstract
// (no file to leak) and named after this process, so trees never collide.
std::string SupervisorNode::notify_address() {
  if (!notify_) {
    auto sock = launch::NotifySocket::bind("@grove/" + tree_.name + "/" +
                                           std::to_string(::getpid()) + "/notify");
    if (!sock) {
      LogLine("notify_error").kv("tree", tree_.name).kv("error", sock.error().describe());
      return "";
    }
    notify_.emplace(std::move(sock.value()));
    loop_.watch(notify_->fd(), EPOLLIN, [this](std::uint32_t) { on_notify(); });
  }
  return notify_->address();
}

}  // namespace grove::groved
