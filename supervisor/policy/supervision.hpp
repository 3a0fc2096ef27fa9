// supervision.hpp — one supervisor's OTP policy as a pure state machine.
//
// A Supervision holds the state of one supervisor and its direct children
// (in start order). The driver — groved for OS processes, worker-lib's
// in-worker Supervisor for lightweight processes — feeds it events and
// carries out the actions it returns. It makes no system calls and reads no
// clock: time comes in with every call.
//
//   Supervision sup(policy, {{"db", ChildType::worker, db_policy}, ...});
//   for (const Action& a : sup.start(now)) run(a);       // spawn "db" ...
//   ... on a child's readiness:  run(sup.handle(Event::ready(0), now));
//   ... on its exit:             run(sup.handle(Event::exited(0, kind), now));
//   ... when sup.next_deadline() passes: run(sup.handle(Event::tick(), now));
//
// Semantics (OTP's supervisor unless noted; see grove.toml(5)):
// - Ordered start: children start in order, each once the previous one is
//   ready, or failed to start, or waits out a restart delay. When the first
//   sequence is done the supervisor reports `ready` (once).
// - Ordered stop: stops go one child at a time, highest index first, each
//   once the previous one has exited.
// - A child's exit that its restart type restarts counts one restart against
//   intensity/period (failed starts included); too many and the supervisor
//   gives up: stops every child, then `exit` with EndReason::gave_up.
// - one_for_one restarts the child alone (at once, or after its backoff
//   delay), concurrently with others. one_for_all and rest_for_one stop the
//   rest of the group in reverse order, then start the group in order;
//   temporary children of the group are not restarted.
// - An operator `stop` keeps the child down (also across sibling restarts)
//   until `start`; an operator `restart` is not counted against intensity.
// - significant children + auto_shutdown end the supervisor (OTP 24).
//
// Contract: single-threaded; every call returns the actions to run in order.
// Child indices are positions in the vector given at construction (or
// added by add_child); they never change while the Supervision lives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "policy/child_spec.hpp"
#include "policy/exit_kind.hpp"
#include "policy/restart_intensity.hpp"

namespace grove {

enum class ChildState : std::uint8_t { stopped, starting, running, stopping, restarting, failed };

// Why a supervisor ended.
enum class EndReason : std::uint8_t {
  shutdown_requested,  // the operator or the parent asked
  gave_up,             // restart intensity exceeded (OTP: reason shutdown)
  auto_shutdown,       // significant children ended (OTP 24)
};

// What the engine needs of a child: its identity and policy.
struct ChildEntry {
  std::string name;
  ChildType type = ChildType::worker;
  ChildPolicy policy;
};

// The engine's record of one child: observed state, desired state, history.
struct ChildRecord {
  ChildEntry entry;
  ChildState state = ChildState::stopped;
  bool wanted = true;                   // desired: up
  bool start_queued = false;            // waits in the ordered start sequence
  bool stop_queued = false;             // waits in the ordered stop sequence
  bool respawn_after_stop = false;      // operator restart in progress
  bool start_timed_out = false;         // killed because start_timeout passed
  std::uint64_t incarnation = 0;        // spawns so far
  int restarts = 0;                     // automatic restarts so far
  TimePoint started_at{};               // spawn time of this incarnation
  Duration delay{0};                    // last restart delay (backoff)
  std::optional<TimePoint> deadline;    // start timeout | shutdown | restart delay
  std::optional<ExitKind> last_exit;
};

struct Event {
  enum class Kind : std::uint8_t {
    ready,         // the child reported readiness
    exited,        // the child's process ended (kind says how)
    spawn_failed,  // the driver could not create the process at all
    tick,          // time passed: deadlines may have been reached
    stop,          // operator: stop the child and keep it down
    start,         // operator: start a stopped child
    restart,       // operator: stop the child, then start it again
    shutdown,      // stop everything in order, then exit
  };
  Kind kind = Kind::tick;
  std::size_t child = 0;
  ExitKind exit = ExitKind::abnormal;

  static Event ready(std::size_t c) { return {Kind::ready, c, ExitKind::normal}; }
  static Event exited(std::size_t c, ExitKind k) { return {Kind::exited, c, k}; }
  static Event spawn_failed(std::size_t c) { return {Kind::spawn_failed, c, ExitKind::abnormal}; }
  static Event tick() { return {Kind::tick, 0, ExitKind::normal}; }
  static Event stop(std::size_t c) { return {Kind::stop, c, ExitKind::normal}; }
  static Event start(std::size_t c) { return {Kind::start, c, ExitKind::normal}; }
  static Event restart(std::size_t c) { return {Kind::restart, c, ExitKind::normal}; }
  static Event shutdown() { return {Kind::shutdown, 0, ExitKind::normal}; }
};

struct Action {
  enum class Kind : std::uint8_t {
    spawn,   // start a new incarnation of `child` (state is now starting)
    signal,  // send `signal` to the child's process group
    kill,    // SIGKILL the child's process group (brutal_kill, timeouts)
    ready,   // the supervisor's own ordered start is complete (once)
    exit,    // every child is down; the supervisor ends with `reason`
  };
  Kind kind = Kind::spawn;
  std::size_t child = 0;
  int signal = 0;
  EndReason reason = EndReason::shutdown_requested;
  friend bool operator==(const Action&, const Action&) = default;
};

class Supervision {
 public:
  enum class Phase : std::uint8_t { idle, starting, running, shutting_down, done };

  Supervision(SupervisorPolicy policy, std::vector<ChildEntry> children);

  // Begins the ordered start of every autostart child.
  std::vector<Action> start(TimePoint now);
  std::vector<Action> handle(const Event& event, TimePoint now);
  // The earliest deadline the driver must wake up for with Event::tick().
  std::optional<TimePoint> next_deadline() const;

  // Policy-only changes (reload): take effect from the next decision on.
  void set_policy(const SupervisorPolicy& policy) { policy_ = policy; }
  void set_child_policy(std::size_t i, const ChildPolicy& p) { children_[i].entry.policy = p; }
  // Reload: a changed definition (type, policy) for an existing child; the
  // driver restarts it when its process definition changed.
  void update_child(std::size_t i, ChildEntry entry) { children_[i].entry = std::move(entry); }
  // Reload (OTP's start_child): appends a child, which starts (if autostart)
  // once the running ones are up. Returns its index.
  std::size_t add_child(ChildEntry entry, TimePoint now, std::vector<Action>& out);

  const std::vector<ChildRecord>& children() const { return children_; }
  const SupervisorPolicy& policy() const { return policy_; }
  Phase phase() const { return phase_; }
  std::optional<EndReason> end_reason() const { return end_reason_; }

 private:
  void on_exit(std::size_t i, ExitKind kind, TimePoint now, std::vector<Action>& out);
  void on_failure(std::size_t i, ExitKind kind, TimePoint now, std::vector<Action>& out);
  void queue_group_restart(std::size_t i, TimePoint now);
  void on_tick(TimePoint now, std::vector<Action>& out);
  void on_operator(const Event& event, TimePoint now, std::vector<Action>& out);
  void check_auto_shutdown(std::size_t i, TimePoint now, std::vector<Action>& out);
  void begin_shutdown(EndReason reason, TimePoint now, std::vector<Action>& out);
  void begin_stop(std::size_t i, TimePoint now, std::vector<Action>& out);
  void spawn(std::size_t i, bool automatic, TimePoint now, std::vector<Action>& out);
  void pump(TimePoint now, std::vector<Action>& out);
  bool pump_stops(TimePoint now, std::vector<Action>& out);
  bool pump_starts(TimePoint now, std::vector<Action>& out);
  bool any_in(ChildState state) const;

  SupervisorPolicy policy_;
  std::vector<ChildRecord> children_;
  RestartHistory history_;
  Phase phase_ = Phase::idle;
  std::optional<EndReason> end_reason_;
  std::optional<TimePoint> queue_not_before_;  // group restart delay
};

}  // namespace grove
