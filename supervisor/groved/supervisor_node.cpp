#include "groved/supervisor_node.hpp"

#include <signal.h>

#include <cerrno>

#include <utility>

#include "config/duration.hpp"
#include "groved/event_log.hpp"
#include "policy/enum_names.hpp"

namespace grove::groved {

namespace {

std::vector<ChildEntry> engine_entries(const std::vector<ChildSpec>& specs) {
  std::vector<ChildEntry> entries;
  entries.reserve(specs.size());
  for (const ChildSpec& s : specs) entries.push_back(engine_entry(s));
  return entries;
}

std::vector<ChildProcess> runtime_records(const std::string& parent, std::vector<ChildSpec> specs) {
  std::vector<ChildProcess> records(specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    records[i].path = child_path(parent, specs[i].name);
    records[i].spec = std::move(specs[i]);
  }
  return records;
}

const char* end_reason_name(EndReason r) {
  switch (r) {
    case EndReason::shutdown_requested: return "shutdown";
    case EndReason::gave_up: return "intensity";
    case EndReason::auto_shutdown: return "auto_shutdown";
  }
  return "?";
}

}  // namespace

ChildEntry engine_entry(const ChildSpec& spec) {
  ChildEntry e{spec.name, spec.type, spec.policy};
  // A nested supervisor is ready when its own children are: OTP gives a
  // supervisor's start no deadline, and neither does groved.
  if (spec.type == ChildType::supervisor) e.policy.start_timeout = Duration::zero();
  return e;
}

std::string child_path(const std::string& parent, const std::string& name) {
  return parent.empty() ? name : parent + "/" + name;
}

SupervisorNode::SupervisorNode(EventLoop& loop, const TreeContext& tree, std::string path,
                               const SupervisorPolicy& policy, std::vector<ChildSpec> children)
    : loop_(loop),
      tree_(tree),
      path_(std::move(path)),
      children_(runtime_records(path_, children)),
      engine_(policy, engine_entries(children)) {}

void SupervisorNode::start() {
  for (const Action& a : engine_.start(Clock::now())) pending_.push_back(a);
  drain();
}

void SupervisorNode::shutdown() { feed(Event::shutdown()); }

void SupervisorNode::feed(const Event& event) {
  const bool giving_up = engine_.end_reason() == EndReason::gave_up;
  for (const Action& a : engine_.handle(event, Clock::now())) pending_.push_back(a);
  // Said when decided, naming the exit that was one too many, before the
  // children's stop lines (OTP's supervisor report names its child too).
  if (!giving_up && engine_.end_reason() == EndReason::gave_up)
    LogLine("gave_up").kv("tree", tree_.name).kv("supervisor", path_.empty() ? "/" : path_)
        .kv("reason", "intensity")
        .kv("intensity", engine_.policy().intensity)
        .kv("period_ms", static_cast<std::int64_t>(engine_.policy().period.count()))
        .kv("offender", event.kind == Event::Kind::exited || event.kind == Event::Kind::spawn_failed
                            ? children_.at(event.child).path
                            : std::string());
  drain();
}

// Actions may feed new events (a spawn that fails at once); they queue up
// behind the current ones instead of recursing.
void SupervisorNode::drain() {
  if (draining_) return;
  draining_ = true;
  while (!pending_.empty()) {
    const Action a = pending_.front();
    pending_.pop_front();
    apply(a);
  }
  draining_ = false;
  rearm_deadline();
  check_waiters();
}

void SupervisorNode::apply(const Action& a) {
  switch (a.kind) {
    case Action::Kind::spawn: spawn_child(a.child); break;
    case Action::Kind::signal: signal_group(a.child, a.signal); break;
    case Action::Kind::kill:
      if (engine_.children()[a.child].start_timed_out) {  // not ready in time: say so, not "SIGKILL"
        ChildProcess& c = children_.at(a.child);
        c.start_failure = "start_timeout " + config::format_duration(c.spec.policy.start_timeout) + " ran out";
      }
      signal_group(a.child, SIGKILL);
      break;
    case Action::Kind::ready:
      if (on_ready) on_ready();
      break;
    case Action::Kind::exit:
      LogLine("supervisor_exit").kv("tree", tree_.name)
          .kv("supervisor", path_.empty() ? "/" : path_).kv("reason", end_reason_name(a.reason));
      finished_ = true;
      break;
  }
}

void SupervisorNode::signal_group(std::size_t i, int signal) {
  const ChildProcess& c = children_.at(i);
  if (c.pid <= 0) return;
  LogLine(signal == SIGKILL ? "child_kill" : "child_stop").kv("tree", tree_.name).kv("path", c.path)
      .kv("pid", c.pid).kv("signal", signal_name(signal));
  send_signal(i, signal);
}

void SupervisorNode::send_signal(std::size_t i, int signal) {
  const ChildProcess& c = children_[i];
  if (c.pid <= 0) return;
  // Session leader: its pid is its process group, so its own children go too.
  // Just after fork the child may not have called setsid yet: then the group
  // does not exist and the signal goes to the process (pending until it
  // unblocks signals, so it is not lost).
  if (::kill(-c.pid, signal) < 0 && errno == ESRCH) ::kill(c.pid, signal);
}

bool SupervisorNode::is_worker(pid_t pid) const {
  for (const ChildProcess& c : children_)
    if (c.pid == pid) return c.spec.type == ChildType::worker;
  return false;
}

bool SupervisorNode::on_reaped(pid_t pid, int wait_status) {
  for (std::size_t i = 0; i < children_.size(); ++i) {
    ChildProcess& c = children_[i];
    if (c.pid != pid) continue;
    // Whatever the leader left behind in its group goes with it.
    ::kill(-pid, SIGKILL);
    tree_.guardian.remove(pid);
    c.pid = -1;
    c.last_wait_status = wait_status;
    close_fds(i);
    // Expected: the supervisor was stopping it, or was about to (a group
    // restart) — the engine treats both alike.
    const ChildRecord& before = engine_.children()[i];
    const bool expected = before.state == ChildState::stopping || before.stop_queued;
    if (before.state == ChildState::starting)  // ended before it was ready: keep why
      c.last_start_failure = c.start_failure.empty() ? describe_wait_status(wait_status) : c.start_failure;
    LogLine("child_terminated").kv("tree", tree_.name)
        .kv("supervisor", path_.empty() ? "/" : path_).kv("offender", c.path).kv("pid", pid)
        .kv("reason", describe_wait_status(wait_status)).kv("expected", expected ? "yes" : "no");
    feed(Event::exited(i, classify_wait_status(wait_status, c.spec.policy, c.spec.type)));
    return true;
  }
  return false;
}

// SIGUSR2: reopen this process's log files and pass the signal down to the
// nested supervisors, which hold their own children's logs.
void SupervisorNode::reopen_logs() {
  for (ChildProcess& c : children_) {
    if (c.spec.type == ChildType::supervisor && c.pid > 0) ::kill(c.pid, SIGUSR2);
    if (!c.log) continue;
    auto r = c.log->reopen();
    if (!r) LogLine("log_error").kv("tree", tree_.name).kv("path", c.path).kv("error", r.error().describe());
  }
  LogLine("logs_reopened").kv("tree", tree_.name).kv("supervisor", path_.empty() ? "/" : path_);
}

void SupervisorNode::rearm_deadline() {
  std::optional<TimePoint> at = engine_.next_deadline();
  for (const ChildProcess& c : children_)
    for (const auto& t : {c.probe_retry_at, c.watchdog_at, c.heartbeat_check_at})
      if (t && (!at || *t < *at)) at = t;
  for (const auto& [id, p] : pending_requests_)
    if (p.deadline && (!at || *p.deadline < *at)) at = p.deadline;
  loop_.set_deadline(at, [this] { on_deadline(); });
}

void SupervisorNode::on_deadline() {
  const TimePoint now = Clock::now();
  for (std::size_t i = 0; i < children_.size(); ++i) {
    ChildProcess& c = children_[i];
    if (c.probe_retry_at && *c.probe_retry_at <= now) {
      c.probe_retry_at.reset();
      start_probe(i);
    }
    if (c.heartbeat_check_at && *c.heartbeat_check_at <= now) check_heartbeat(i, now);
    if (c.watchdog_at && *c.watchdog_at <= now) {
      // A hung child: killed, and its exit counts as a crash like any other.
      c.watchdog_at.reset();
      LogLine("watchdog_timeout").kv("tree", tree_.name).kv("path", c.path).kv("pid", c.pid)
          .kv("watchdog_ms", static_cast<std::int64_t>(c.spec.policy.watchdog->count()));
      signal_group(i, SIGKILL);
    }
  }
  expire_pending(now);
  feed(Event::tick());
}

// child_restarted for the supervisor's own restarts (the engine counted one
// since the last spawn), child_started for first starts and operator ones.
void SupervisorNode::log_spawn(std::size_t i) {
  ChildProcess& c = children_[i];
  const ChildRecord& r = engine_.children()[i];
  const bool automatic = r.restarts > c.restarts_logged;
  c.restarts_logged = r.restarts;
  LogLine(automatic ? "child_restarted" : "child_started")
      .kv("tree", tree_.name).kv("path", c.path).kv("pid", c.pid)
      .kv("incarnation", static_cast<std::int64_t>(r.incarnation))
      .kv("restarts", r.restarts);
}

}  // namespace grove::groved
