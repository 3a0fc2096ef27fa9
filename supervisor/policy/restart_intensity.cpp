#include "policy/restart_intensity.hpp"

namespace grove {

IntensityVerdict add_restart(RestartHistory& history, TimePoint now, int intensity,
                             Duration period) {
  const TimePoint threshold = now - period;
  while (!history.empty() && history.front() < threshold) history.pop_front();
  history.push_back(now);
  if (static_cast<long>(history.size()) <= intensity) return IntensityVerdict::ok;
  // Keep the window bounded even if the caller goes on after a give_up.
  while (static_cast<long>(history.size()) > intensity + 1) history.pop_front();
  return IntensityVerdict::give_up;
}

}  // namespace grove
