// restart_intensity.hpp — OTP's restart intensity check, as a pure function.
//
// A supervisor keeps the times of its recent restarts. Each restart adds
// `now`; restarts older than `period` are forgotten; more than `intensity`
// remembered restarts means the supervisor gives up (OTP's add_restart/3).
//
//   RestartHistory h;
//   auto verdict = add_restart(h, now, /*intensity=*/3, /*period=*/5s);
//   if (verdict == IntensityVerdict::give_up) ... stop all children, exit ...
//
// Contract: a restart at time t is still remembered at `now` while
// t >= now - period (inclusive, like OTP). intensity 0 gives up on the first
// restart. The history never holds more than intensity + 1 entries.
#pragma once

#include <chrono>
#include <deque>

#include "policy/child_spec.hpp"

namespace grove {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using RestartHistory = std::deque<TimePoint>;  // newest at the back

enum class IntensityVerdict { ok, give_up };

// Records a restart at `now` in `history` (pruning what fell out of the
// window) and says whether the supervisor may go on.
IntensityVerdict add_restart(RestartHistory& history, TimePoint now, int intensity,
                             Duration period);

}  // namespace grove
