// groved_exit.hpp — groved's exit status, pinned (groved(8) EXIT STATUS).
#pragma once

#include "policy/exit_kind.hpp"

namespace grove::groved {

enum class GrovedExit : int {
  clean = 0,                      // orderly shutdown (signal, or auto_shutdown)
  config_error = 1,               // the config did not load; nothing started
  usage = 2,                      // bad command line
  gave_up = kSupervisorGaveUpCode,  // the root supervisor exceeded its intensity
  fatal = 4,                      // the system refused what groved needs to run
};

}  // namespace grove::groved
