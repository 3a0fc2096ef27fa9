#include "grove/exit_reason.hpp"

namespace grove {

namespace {
const char* word(ExitReason::Kind k) {
  switch (k) {
    case ExitReason::Kind::normal: return "normal";
    case ExitReason::Kind::shutdown: return "shutdown";
    case ExitReason::Kind::kill: return "kill";
    case ExitReason::Kind::killed: return "killed";
    case ExitReason::Kind::noproc: return "noproc";
    case ExitReason::Kind::crash: return "crash";
    case ExitReason::Kind::error: return "error";
  }
  return "?";
}
}  // namespace

std::string describe(const ExitReason& reason) {
  std::string out = word(reason.kind);
  if (!reason.detail.empty()) out += ": " + reason.detail;
  return out;
}

ExitKind exit_kind(const ExitReason& reason) {
  switch (reason.kind) {
    case ExitReason::Kind::normal: return ExitKind::normal;
    case ExitReason::Kind::shutdown: return ExitKind::shutdown;
    default: return ExitKind::abnormal;
  }
}

ExitReason reason_from_exception(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const ExitRequest& r) {
    return r.reason;
  } catch (const std::exception& ex) {
    return ExitReason::crash(ex.what());
  } catch (...) {
    return ExitReason::crash("unknown exception");
  }
}

}  // namespace grove
