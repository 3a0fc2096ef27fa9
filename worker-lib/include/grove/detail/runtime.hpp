// runtime.hpp — the scheduler entry points that the header-only parts of
// worker-lib (awaiters, behaviours) call. Not for users: use process.hpp.
//
// Contract: every function here must be called on a scheduler thread,
// inside a process's turn (current() != nullptr), unless it says otherwise.
// Where a public function is called somewhere it cannot be honoured
// (outside a process, a second driver, ...), misuse() stops the program
// with one clear message: the one place such contract breaches end.
#pragma once

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <string_view>

#include "grove/detail/node.hpp"
#include "grove/detail/process_core.hpp"
#include "grove/pid.hpp"
#include "grove/timer_heap.hpp"

namespace grove {
class Scheduler;
}

namespace grove::detail {

// Prints "grove: fatal: WHAT PROBLEM" to stderr and aborts. For contract
// breaches only (never for runtime conditions, which are error values).
[[noreturn]] void misuse(const char* what, const char* problem);
inline constexpr const char* kOutsideProcess =
    "called outside a process (from other threads use the Scheduler's members)";

// The process whose turn this thread is running; misuse() when there is
// none (a wait awaited outside a process). Never nullptr.
ProcessCore* current();

// Takes every queued signal of `core`: messages into its inbox, system
// signals handled on the spot (links, monitors, exits, replies and
// timeouts for its waiter).
void intake(ProcessCore& core);
// Counts one message handled without suspending; false when the process has
// used its batch for this turn and must yield.
bool take_budget();

// Delivers `n` to `to` (consumes n; a dead target bounces it). Only on the
// scheduler's threads (misuse() elsewhere: a send, cast, exit signal or
// reply made off them has no scheduler to go to; use Scheduler::send).
bool deliver(Pid to, Node* n);
bool deliver_named(std::string_view name, Node* n);

// Spawns a process whose body is `body` (an initially suspended coroutine).
// link: link it with the calling process. monitor: set for spawn_monitor.
Pid spawn_body(std::coroutine_handle<> body, bool link, MonitorRef* monitor);

// Both need the scheduler's thread (misuse() off it).
std::uint64_t new_ref();
SteadyTime now();
TimerId arm_timer(SteadyTime when, Pid target, Node* payload);
void disarm_timer(TimerId id);  // frees the payload when it had not fired

// The reason the process being torn down on this thread exits with (used
// by From's destructor to tell a waiting caller why); nullptr otherwise.
const ExitReason* dying_reason();

}  // namespace grove::detail
