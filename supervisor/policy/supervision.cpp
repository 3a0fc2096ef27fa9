#include "policy/supervision.hpp"

#include <algorithm>
#include <utility>

#include "policy/backoff.hpp"
#include "policy/strategy.hpp"

namespace grove {

namespace {
constexpr int kSigKill = 9;
bool is_up(ChildState s) { return s == ChildState::starting || s == ChildState::running; }
}  // namespace

Supervision::Supervision(SupervisorPolicy policy, std::vector<ChildEntry> children)
    : policy_(std::move(policy)) {
  children_.reserve(children.size());
  for (auto& entry : children) {
    ChildRecord r;
    r.wanted = entry.policy.autostart;
    r.entry = std::move(entry);
    children_.push_back(std::move(r));
  }
}

std::vector<Action> Supervision::start(TimePoint now) {
  std::vector<Action> out;
  if (phase_ != Phase::idle) return out;
  phase_ = Phase::starting;
  for (auto& c : children_) c.start_queued = c.wanted;
  pump(now, out);
  return out;
}

std::vector<Action> Supervision::handle(const Event& event, TimePoint now) {
  std::vector<Action> out;
  if (phase_ == Phase::done) return out;
  switch (event.kind) {
    case Event::Kind::ready:
      if (children_.at(event.child).state == ChildState::starting) {
        children_[event.child].state = ChildState::running;
        children_[event.child].deadline.reset();  // the start timeout is over
      }
      break;
    case Event::Kind::exited: on_exit(event.child, event.exit, now, out); break;
    case Event::Kind::spawn_failed: on_exit(event.child, ExitKind::abnormal, now, out); break;
    case Event::Kind::tick: on_tick(now, out); break;
    case Event::Kind::shutdown: begin_shutdown(EndReason::shutdown_requested, now, out); break;
    default: on_operator(event, now, out); break;
  }
  pump(now, out);
  return out;
}

std::size_t Supervision::add_child(ChildEntry entry, TimePoint now, std::vector<Action>& out) {
  ChildRecord r;
  r.wanted = entry.policy.autostart;
  r.entry = std::move(entry);
  const bool starts = r.wanted && (phase_ == Phase::starting || phase_ == Phase::running);
  r.start_queued = starts;
  children_.push_back(std::move(r));
  pump(now, out);
  return children_.size() - 1;
}

std::optional<TimePoint> Supervision::next_deadline() const {
  std::optional<TimePoint> next = queue_not_before_;
  for (const auto& c : children_)
    if (c.deadline && (!next || *c.deadline < *next)) next = c.deadline;
  return next;
}

// An exit the supervisor asked for completes a stop; any other is a failure
// (or a normal end) that the restart type decides about.
void Supervision::on_exit(std::size_t i, ExitKind kind, TimePoint now, std::vector<Action>& out) {
  ChildRecord& c = children_.at(i);
  if (c.state == ChildState::stopped || c.state == ChildState::failed ||
      c.state == ChildState::restarting)
    return;  // no process of this child was running: a stale report
  // A child already due to be stopped by a group restart that dies first
  // completes that stop; it is not a second failure (OTP terminates the
  // group synchronously and never sees such an exit as new).
  const bool expected = c.state == ChildState::stopping || c.stop_queued;
  if (c.start_timed_out) kind = ExitKind::abnormal;
  c.start_timed_out = false;
  c.stop_queued = false;
  c.deadline.reset();
  c.last_exit = kind;
  c.state = c.start_queued ? ChildState::restarting : ChildState::stopped;
  if (expected) {
    if (c.respawn_after_stop && phase_ != Phase::shutting_down) {
      c.respawn_after_stop = false;
      spawn(i, false, now, out);
    }
    return;
  }
  if (phase_ == Phase::shutting_down) return;
  on_failure(i, kind, now, out);
}

void Supervision::on_failure(std::size_t i, ExitKind kind, TimePoint now,
                             std::vector<Action>& out) {
  ChildRecord& c = children_[i];
  const RestartType restart = c.entry.policy.restart;
  if (!c.wanted || !restarts_after(restart, kind)) {
    if (restart == RestartType::temporary) c.wanted = false;
    if (kind == ExitKind::abnormal) c.state = ChildState::failed;
    c.start_queued = false;
    check_auto_shutdown(i, now, out);
    return;
  }
  if (add_restart(history_, now, policy_.intensity, policy_.period) == IntensityVerdict::give_up) {
    begin_shutdown(EndReason::gave_up, now, out);
    return;
  }
  c.delay = next_restart_delay(c.entry.policy, c.delay,
                               std::chrono::duration_cast<Duration>(now - c.started_at));
  if (policy_.strategy != Strategy::one_for_one) {
    queue_group_restart(i, now);
  } else if (c.delay > Duration::zero()) {
    c.state = ChildState::restarting;
    c.deadline = now + c.delay;
  } else {
    spawn(i, true, now, out);
  }
}

// one_for_all / rest_for_one: stop the group (reverse order), then start it
// (in order), after the failed child's backoff delay.
void Supervision::queue_group_restart(std::size_t failed, TimePoint now) {
  const RestartGroup group = restart_group(policy_.strategy, failed, children_.size());
  for (std::size_t j = group.first; j < group.last; ++j) {
    ChildRecord& s = children_[j];
    if (is_up(s.state)) s.stop_queued = true;
    if (s.state == ChildState::restarting) s.deadline.reset();
    if (s.entry.policy.restart == RestartType::temporary && j != failed) s.wanted = false;
    if (!s.wanted) continue;
    s.start_queued = true;
    if (!is_up(s.state) && s.state != ChildState::stopping) s.state = ChildState::restarting;
  }
  if (children_[failed].delay <= Duration::zero()) return;
  const TimePoint at = now + children_[failed].delay;
  if (!queue_not_before_ || *queue_not_before_ < at) queue_not_before_ = at;
}

void Supervision::on_tick(TimePoint now, std::vector<Action>& out) {
  if (queue_not_before_ && *queue_not_before_ <= now) queue_not_before_.reset();
  for (std::size_t i = 0; i < children_.size(); ++i) {
    ChildRecord& c = children_[i];
    if (!c.deadline || *c.deadline > now) continue;
    c.deadline.reset();
    switch (c.state) {
      case ChildState::starting:
        c.start_timed_out = true;
        out.push_back({Action::Kind::kill, i, kSigKill, {}});
        break;
      case ChildState::stopping: out.push_back({Action::Kind::kill, i, kSigKill, {}}); break;
      case ChildState::restarting:
        if (!c.start_queued) spawn(i, true, now, out);
        break;
      default: break;
    }
  }
}

void Supervision::on_operator(const Event& event, TimePoint now, std::vector<Action>& out) {
  if (phase_ == Phase::shutting_down) return;
  const std::size_t i = event.child;
  ChildRecord& c = children_.at(i);
  switch (event.kind) {
    case Event::Kind::stop:
      c.wanted = false;
      c.start_queued = false;
      c.respawn_after_stop = false;
      if (is_up(c.state)) begin_stop(i, now, out);
      if (c.state == ChildState::restarting || c.state == ChildState::failed) {
        c.state = ChildState::stopped;
        c.deadline.reset();
      }
      break;
    case Event::Kind::start:
      c.wanted = true;
      if (c.state == ChildState::stopping) c.respawn_after_stop = true;  // once it is down
      else if (!is_up(c.state)) c.start_queued = true;
      break;
    case Event::Kind::restart:
      c.wanted = true;
      if (is_up(c.state)) {
        c.respawn_after_stop = true;
        begin_stop(i, now, out);
      } else if (c.state == ChildState::stopping) {
        c.respawn_after_stop = true;
      } else {
        c.deadline.reset();
        c.start_queued = true;
      }
      break;
    default: break;
  }
}

void Supervision::check_auto_shutdown(std::size_t i, TimePoint now, std::vector<Action>& out) {
  if (!children_[i].entry.policy.significant) return;
  if (policy_.auto_shutdown == AutoShutdown::never) return;
  if (policy_.auto_shutdown == AutoShutdown::all_significant) {
    for (const auto& c : children_)
      if (c.entry.policy.significant &&
          (is_up(c.state) || c.state == ChildState::restarting || c.start_queued))
        return;
  }
  begin_shutdown(EndReason::auto_shutdown, now, out);
}

void Supervision::begin_shutdown(EndReason reason, TimePoint now, std::vector<Action>& out) {
  (void)now;
  (void)out;
  if (phase_ == Phase::shutting_down) return;
  phase_ = Phase::shutting_down;
  end_reason_ = reason;
  queue_not_before_.reset();
  for (auto& c : children_) {
    c.start_queued = false;
    c.respawn_after_stop = false;
    if (is_up(c.state)) c.stop_queued = true;
    if (c.state == ChildState::restarting) {
      c.state = ChildState::stopped;
      c.deadline.reset();
    }
  }
}

void Supervision::begin_stop(std::size_t i, TimePoint now, std::vector<Action>& out) {
  ChildRecord& c = children_[i];
  c.stop_queued = false;
  c.start_timed_out = false;
  c.state = ChildState::stopping;
  c.deadline.reset();
  const Shutdown& s = c.entry.policy.shutdown;
  if (s.kind == Shutdown::Kind::brutal_kill) {
    out.push_back({Action::Kind::kill, i, kSigKill, {}});
    return;
  }
  out.push_back({Action::Kind::signal, i, c.entry.policy.stop_signal, {}});
  if (s.kind == Shutdown::Kind::timeout) c.deadline = now + s.timeout;
}

void Supervision::spawn(std::size_t i, bool automatic, TimePoint now, std::vector<Action>& out) {
  ChildRecord& c = children_[i];
  c.start_queued = false;
  c.state = ChildState::starting;
  c.incarnation++;
  if (automatic && c.incarnation > 1) c.restarts++;
  c.started_at = now;
  c.deadline.reset();
  if (c.entry.policy.start_timeout > Duration::zero()) c.deadline = now + c.entry.policy.start_timeout;
  out.push_back({Action::Kind::spawn, i, 0, {}});
}

// Runs the ordered sequences: queued stops first (highest index, one at a
// time), then queued starts (lowest index, one at a time).
void Supervision::pump(TimePoint now, std::vector<Action>& out) {
  if (phase_ == Phase::idle || phase_ == Phase::done) return;
  if (pump_stops(now, out)) return;
  if (phase_ == Phase::shutting_down) {
    if (any_in(ChildState::stopping)) return;
    phase_ = Phase::done;
    out.push_back({Action::Kind::exit, 0, 0, end_reason_.value_or(EndReason::shutdown_requested)});
    return;
  }
  if (pump_starts(now, out)) return;
  if (phase_ == Phase::starting) {
    phase_ = Phase::running;
    out.push_back({Action::Kind::ready, 0, 0, {}});
  }
}

// Returns true while the stop sequence still has work in flight.
bool Supervision::pump_stops(TimePoint now, std::vector<Action>& out) {
  if (any_in(ChildState::stopping)) return true;
  for (std::size_t k = children_.size(); k-- > 0;) {
    ChildRecord& c = children_[k];
    if (!c.stop_queued) continue;
    c.stop_queued = false;
    if (is_up(c.state)) {
      begin_stop(k, now, out);
      return true;
    }
  }
  return false;
}

// Returns true while the start sequence still has work in flight.
bool Supervision::pump_starts(TimePoint now, std::vector<Action>& out) {
  if (any_in(ChildState::starting)) return true;
  if (queue_not_before_ && *queue_not_before_ > now) return true;
  queue_not_before_.reset();
  for (std::size_t k = 0; k < children_.size(); ++k) {
    if (!children_[k].start_queued) continue;
    const bool automatic = children_[k].state == ChildState::restarting;
    spawn(k, automatic, now, out);
    return true;
  }
  return false;
}

bool Supervision::any_in(ChildState state) const {
  return std::any_of(children_.begin(), children_.end(),
                     [state](const ChildRecord& c) { return c.state == state; });
}

}  // namespace grove
