#include "policy/backoff.hpp"

#include <algorithm>

namespace grove {

Duration next_restart_delay(const ChildPolicy& policy, Duration previous, Duration ran_for) {
  const Duration first = policy.restart_delay;
  if (previous <= Duration::zero() || ran_for >= policy.backoff_reset) return first;
  if (policy.backoff_max <= first) return first;
  return std::min(previous * 2, policy.backoff_max);
}

}  // namespace grove
