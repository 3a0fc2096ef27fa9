#include "grove/pid.hpp"

namespace grove {

std::string describe(Pid pid) {
  return "<0." + std::to_string(pid.index) + "." + std::to_string(pid.serial) + ">";
}

}  // namespace grove
