// backoff.hpp — the delay before a child's next restart (beyond OTP).
//
// The first restart waits restart_delay; each further restart doubles the
// previous delay up to backoff_max; a child that ran for at least
// backoff_reset before it died starts over at restart_delay.
//
//   child.delay = next_restart_delay(child.policy, child.delay, ran_for);
//
// Contract: pure. `previous` is the delay used for the last restart, or
// Duration::zero() when there was none. backoff_max <= restart_delay means a
// constant delay. Restarts count towards intensity whatever the delay.
#pragma once

#include "policy/child_spec.hpp"

namespace grove {

Duration next_restart_delay(const ChildPolicy& policy, Duration previous, Duration ran_for);

}  // namespace grove
