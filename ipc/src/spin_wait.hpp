// spin_wait.hpp (private) — the bounded spin both sides do before a futex
// sleep: poll until the condition holds or `spin_for` has passed (or the
// deadline); the caller then announces itself and sleeps.
//
//   auto peer_here = [&] { return other_side_cpu() == my_cpu(); };
//   if (spin_until([&] { return any_ready(); }, peer_here, options.spin_for, deadline))
//     return true;   // no sleep, no wake-up system call for the other side
//   ... announce, fence, re-check, futex_wait ...
//
// Why time and not a count of polls: what a sleep costs is time (here a
// cross-CPU futex wake-up is ~15 us, a same-CPU one ~2 us), so the spin that
// pays for itself is a time too, whatever a poll costs (1 lane or 256).
// Pause or yield between polls: while the other side last ran on our CPU
// (peer_here(), read every 16 polls) a pause cannot help it, so we
// sched_yield() and let it run; otherwise we pause, because a yield hands our
// CPU to whatever else is runnable there (a neighbour's compiler) for a whole
// time slice: with a busy loop sharing the receiver's CPU, one-way 64 B
// across CPUs went from 2.9 M msg/s (64 pauses, then yields) to 67 M/s (the bare
// ring: 88). Bounded: the loop ends at spin_for (steady clock, read at least
// every 16 polls and after every yield).
#pragma once

#include <sched.h>

#include <chrono>
#include <cstdint>

#include "barriers.hpp"
#include "grove/ipc/futex.hpp"
#include "grove/ipc/inbox_layout.hpp"

namespace grove::ipc::detail {

// The moment `budget` after `start`, or the deadline if that comes first
// (no overflow for a huge budget such as "spin forever").
inline Deadline spin_end(Deadline start, std::chrono::nanoseconds budget, Deadline deadline) {
  if (deadline <= start) return start;
  return budget < deadline - start ? start + budget : deadline;
}

template <class Ready, class PeerHere>
bool spin_until(Ready&& ready, PeerHere&& peer_here, std::chrono::nanoseconds spin_for,
                Deadline deadline) {
  if (spin_for <= std::chrono::nanoseconds::zero()) return false;
  const Deadline stop = spin_end(Clock::now(), spin_for, deadline);
  bool yield = peer_here();
  for (std::uint32_t i = 1;; ++i) {
    if (ready()) return true;
    if (yield) {
      ::sched_yield();
    } else {
      cpu_relax();
    }
    if (yield || (i & 15) == 0) {
      if (Clock::now() >= stop) return false;
      if ((i & 15) == 0) yield = peer_here();
    }
  }
}

// The CPU hint of the calling thread (layout::cpu_hint; 0 if unknown).
inline std::uint32_t my_cpu_hint() {
  return layout::cpu_hint(::sched_getcpu());  // ~2 ns: glibc reads it from rseq
}

}  // namespace grove::ipc::detail
