#include "grove/ipc/futex.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <ctime>

namespace grove::ipc {

namespace {
std::uint32_t* address(std::atomic<std::uint32_t>& word) {
  // The kernel compares the raw 32-bit word; std::atomic<uint32_t> is exactly
  // that word (static_assert in the header).
  return reinterpret_cast<std::uint32_t*>(&word);
}

timespec to_timespec(Deadline d) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d.time_since_epoch()).count();
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
  ts.tv_nsec = static_cast<long>(ns % 1'000'000'000);
  return ts;
}
}  // namespace

FutexWait futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected,
                     std::optional<Deadline> deadline) {
  timespec ts{};
  const timespec* tsp = nullptr;
  if (deadline && *deadline != kNoDeadline) {
    // A deadline already past would still cost the timer slack (~50 us).
    if (*deadline <= Clock::now()) return FutexWait::timed_out;
    ts = to_timespec(*deadline);
    tsp = &ts;
  }
  // WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline, so retries after
  // EINTR do not stretch the wait.
  const long rc = ::syscall(SYS_futex, address(word), FUTEX_WAIT_BITSET, expected, tsp,
                            nullptr, FUTEX_BITSET_MATCH_ANY);
  if (rc == 0) return FutexWait::woken;
  switch (errno) {
    case EAGAIN: return FutexWait::changed;
    case ETIMEDOUT: return FutexWait::timed_out;
    default: return FutexWait::interrupted;
  }
}

int futex_wake(std::atomic<std::uint32_t>& word, int count) {
  const long rc = ::syscall(SYS_futex, address(word), FUTEX_WAKE, count, nullptr, nullptr, 0);
  return rc < 0 ? 0 : static_cast<int>(rc);
}

}  // namespace grove::ipc
