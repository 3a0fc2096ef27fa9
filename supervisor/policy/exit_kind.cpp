#include "policy/exit_kind.hpp"

#include <sys/wait.h>

#include <algorithm>

namespace grove {

ExitKind classify_wait_status(int wait_status, const ChildPolicy& policy, ChildType type) {
  if (!WIFEXITED(wait_status)) return ExitKind::abnormal;
  const int code = WEXITSTATUS(wait_status);
  if (code == 0) return ExitKind::normal;
  if (type == ChildType::supervisor && code == kSupervisorGaveUpCode) return ExitKind::shutdown;
  const auto& ok = policy.success_exit_codes;
  return std::find(ok.begin(), ok.end(), code) != ok.end() ? ExitKind::normal
                                                            : ExitKind::abnormal;
}

}  // namespace grove
