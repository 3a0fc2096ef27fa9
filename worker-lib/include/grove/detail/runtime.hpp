// runtime.hpp — the scheduler entry points that the header-only parts of
// worker-lib (awaiters, behaviours) call. Not for users: use process.hpp.
//
// Contract: every function here must be called on a scheduler thread,
// inside a process's turn (current() != nullptr), unless it says otherwise.
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

// The process whose turn this thread is running (nullptr outside a turn).
ProcessCore* current();

// Takes every queued signal of `core`: messages into its inbox, system
// signals handled on the spot (links, monitors, exits, replies and
// timeouts for its waiter).
void intake(ProcessCore& core);
// Counts one message handled without suspending; false when the process has
// used its batch for this turn and must yield.
bool take_budget();

// Delivers `n` to `to` (consumes n; a dead target bounces it). Callable on
// any thread: off the scheduler's threads it goes through its injection
// queue (then the result only says the scheduler took it).
bool deliver(Pid to, Node* n);
bool deliver_named(std::string_view name, Node* n);

// Spawns a process whose body is `body` (an initially suspended coroutine).
// link: link it with the calling process. monitor: set for spawn_monitor.
Pid spawn_body(std::coroutine_handle<> body, bool link, MonitorRef* monitor);

std::uint64_t new_ref();
SteadyTime now();
TimerId arm_timer(SteadyTime when, Pid target, Node* payload);
void disarm_timer(TimerId id);  // frees the payload when it had not fired

// The reason the process being torn down on this thread exits with (used
// by From's destructor to tell a waiting caller why); nullptr otherwise.
const ExitReason* dying_reason();

}  // namespace grove::detail
