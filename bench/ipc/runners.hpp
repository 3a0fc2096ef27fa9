// runners.hpp — one function per (figure, system): each forks its processes,
// pins them (harness.hpp), runs, checks every message, and returns what it
// measured: seconds for the whole one-way stream, or seconds per round trip.
// A negative result means the system failed (reported, never printed as JSON).
#pragma once

#include <cstddef>
#include <cstdint>

#include "harness.hpp"

namespace grove::bench {

struct OnewayCase {
  std::size_t size;        // payload bytes: 64 or 4096
  int senders;             // 1 or 4 processes
  Placement placement;
  std::uint64_t per_sender;
};

// Futex sleeps in the last grove run (its inboxes count them: InboxStats)
// or futex ping-pong run (waits that slept until woken): each cost the other
// side a wake-up system call. One-way: the receiver's and the senders' (on
// a full lane); ping-pong: the server's and the client's, which show whether
// a mode slept as it says.
struct SleepCounts {
  std::uint64_t receiver = 0;
  std::uint64_t sender = 0;
};
extern SleepCounts last_sleeps;

double oneway_grove(const OnewayCase& c);
double oneway_bare_ring(const OnewayCase& c);
double oneway_boost_mq(const OnewayCase& c);
double oneway_pipe(const OnewayCase& c);
double oneway_socketpair(const OnewayCase& c);

// How each side waits for the other's message in a ping-pong:
//   sleep         the receiver is asleep when the message arrives: the client
//                 works kSleepGap between round trips (not timed), so the
//                 server has gone to sleep, and it sleeps itself after it
//                 sent (grove: spin_for 0). What an idle service's wake-up
//                 costs, the same for every system.
//   back_to_back  the next round trip starts at once, every system as it
//                 comes: grove's reader with its default spin (20 us, CPU
//                 aware), the peers as written (no spin; the futex peer's
//                 unconditional wake call delays its own wait a little).
//   spin          both sides poll and never sleep (grove and the bare spin).
enum class PingpongMode { sleep, back_to_back, spin };
inline constexpr std::chrono::microseconds kSleepGap{100};

struct PingpongCase {
  Placement placement;
  int rounds;
  PingpongMode mode;
};

double pingpong_grove(const PingpongCase& c);
double pingpong_futex(const PingpongCase& c);
double pingpong_spin(const PingpongCase& c);
double pingpong_boost_mq(const PingpongCase& c);
double pingpong_pipe(const PingpongCase& c);
double pingpong_socketpair(const PingpongCase& c);

// The first 8 bytes of every bench message: who sent it and its number.
inline std::uint64_t tag_of(int sender, std::uint64_t seq) {
  return (static_cast<std::uint64_t>(sender) << 48) | seq;
}

// Checks arrival order per sender (every message once, in order).
class OrderCheck {
 public:
  void see(std::uint64_t tag) {
    const auto sender = static_cast<std::size_t>(tag >> 48);
    const std::uint64_t seq = tag & ((std::uint64_t{1} << 48) - 1);
    if (sender >= 8 || seq != next_[sender]) ++errors_;
    if (sender < 8) next_[sender] = seq + 1;
  }
  std::uint64_t errors() const { return errors_; }

 private:
  std::uint64_t next_[8] = {};
  std::uint64_t errors_ = 0;
};

}  // namespace grove::bench
