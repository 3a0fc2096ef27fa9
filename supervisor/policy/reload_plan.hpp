// reload_plan.hpp — what a reload changes, as a pure diff of two configs.
//
// Children are matched by name. A child whose process definition changed
// (command, env, cwd, user, limits, output, or its type) restarts; one whose
// policy changed (restart type, shutdown, readiness, delays, ...) keeps
// running and gets the new policy; a nested supervisor whose own policy or
// children changed passes the diff down (its subtree is planned by its own
// process); unchanged children are not touched, siblings never restart
// because they share a supervisor. Removed children stop; added ones start.
//
//   ReloadPlan p = plan_reload(old_policy, old_children, new_policy, new_children);
//   for (const ReloadChange& c : p.changes) apply(c);
//
// Contract: pure. Changes come removals first, then updates in old order,
// then additions in new file order. A change of order among the remaining
// children takes effect at the next start of groved (OTP's start_child
// appends too); added children start after the running ones.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "policy/child_spec.hpp"

namespace grove {

struct ReloadChange {
  enum class Kind { remove, restart, update_policy, update_subtree, add };
  Kind kind;
  std::string name;
  std::size_t old_index = 0;  // remove, restart, update_*: position in the old list
  std::size_t new_index = 0;  // restart, update_*, add: position in the new list
};

struct ReloadPlan {
  bool supervisor_policy_changed = false;
  bool order_changed = false;  // children kept, in another order: applies at groved's next start
  std::vector<ReloadChange> changes;
  bool empty() const { return !supervisor_policy_changed && changes.empty(); }
};

ReloadPlan plan_reload(const SupervisorPolicy& old_policy, const std::vector<ChildSpec>& old_children,
                       const SupervisorPolicy& new_policy, const std::vector<ChildSpec>& new_children);

// Same definition, ignoring where in the file it is written.
bool same_subtree(const ChildSpec& a, const ChildSpec& b);

}  // namespace grove
