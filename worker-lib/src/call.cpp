#include "grove/call.hpp"

namespace grove {

std::string describe(const CallError& error) {
  switch (error.kind) {
    case CallError::Kind::timeout: return "timeout";
    case CallError::Kind::noproc: return "noproc";
    case CallError::Kind::exited: return "exited: " + describe(error.reason);
    case CallError::Kind::bad_request: return "bad_request";
  }
  return "?";
}

}  // namespace grove
