// futex.hpp — sleep and wake on a 32-bit word in a shared mapping.
//
//   std::atomic<std::uint32_t>& seq = data->wake_seq;
//   const std::uint32_t seen = seq.load(std::memory_order_acquire);
//   ... announce, fence, re-check the condition ...
//   futex_wait(seq, seen, deadline);         // sleeper
//   seq.fetch_add(1); futex_wake(seq, 1);    // waker
//
// Contract: shared (not _PRIVATE) futex ops, so processes mapping the same
// segment wake each other (libstdc++ 12's atomic::wait is process-private).
// futex_wait returns on wake, on a changed word, on a signal, or at the
// deadline; callers re-check their condition in a loop (spurious returns are
// allowed). The deadline is std::chrono::steady_clock, which is
// CLOCK_MONOTONIC on Linux. Async-signal-safe: both are one system call.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

namespace grove::ipc {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

// "Wait as long as it takes": a deadline that arms no timer. A futex sleep
// with a timeout arms a high-resolution timer; on this VM that costs a trap
// per sleep and keeps a woken CPU out of its fast (polling) idle: sleeping
// ping-pong across CPUs 41-48 us with a far deadline, 22-43 us without.
inline constexpr Deadline kNoDeadline = Deadline::max();

static_assert(std::atomic<std::uint32_t>::is_always_lock_free);
static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t));

enum class FutexWait : std::uint8_t { woken, changed, interrupted, timed_out };

// Sleeps while word == expected, until woken or the (optional) deadline
// (nullopt or kNoDeadline: no timer).
FutexWait futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected,
                     std::optional<Deadline> deadline);

// Wakes up to `count` sleepers; returns how many were woken.
int futex_wake(std::atomic<std::uint32_t>& word, int count);

}  // namespace grove::ipc
