// exit_kind.hpp — how OTP reads a child's end: normal, shutdown or abnormal.
//
// The restart decision depends only on the restart type and this kind:
// permanent always restarts, transient only after an abnormal exit,
// temporary never (OTP's do_restart/3).
//
//   ExitKind k = classify_wait_status(wstatus, child.policy, child.type);
//   if (restarts_after(child.policy.restart, k)) ...
//
// Contract: pure. A worker's exit is normal when its code is 0 or one of
// success_exit_codes; a nested supervisor that exits with
// kSupervisorGaveUpCode ended with OTP's reason `shutdown` (it gave up and
// stopped its children); death by any signal is abnormal (a stop the
// supervisor itself asked for is expected and never reaches this decision).
#pragma once

#include <cstdint>

#include "policy/child_spec.hpp"

namespace grove {

enum class ExitKind : std::uint8_t { normal, shutdown, abnormal };

// The exit code of a supervisor process (groved or a nested one) that gave
// up after too many restarts: groved's documented exit status 3.
inline constexpr int kSupervisorGaveUpCode = 3;

constexpr bool restarts_after(RestartType restart, ExitKind kind) {
  switch (restart) {
    case RestartType::permanent: return true;
    case RestartType::transient: return kind == ExitKind::abnormal;
    case RestartType::temporary: return false;
  }
  return false;
}

ExitKind classify_wait_status(int wait_status, const ChildPolicy& policy, ChildType type);

}  // namespace grove
