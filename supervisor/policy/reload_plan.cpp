#include "policy/reload_plan.hpp"

namespace grove {

namespace {

std::ptrdiff_t find_named(const std::vector<ChildSpec>& list, const std::string& name) {
  for (std::size_t i = 0; i < list.size(); ++i)
    if (list[i].name == name) return static_cast<std::ptrdiff_t>(i);
  return -1;
}

bool same_children(const std::vector<ChildSpec>& a, const std::vector<ChildSpec>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same_subtree(a[i], b[i])) return false;
  return true;
}

// How one child that exists in both configs changed, if at all.
std::optional<ReloadChange::Kind> compare(const ChildSpec& a, const ChildSpec& b) {
  if (a.type != b.type || a.process != b.process) return ReloadChange::Kind::restart;
  if (a.type == ChildType::supervisor &&
      (a.supervisor != b.supervisor || !same_children(a.children, b.children)))
    return ReloadChange::Kind::update_subtree;
  if (a.policy != b.policy) return ReloadChange::Kind::update_policy;
  return std::nullopt;
}

}  // namespace

bool same_subtree(const ChildSpec& a, const ChildSpec& b) {
  return a.name == b.name && a.type == b.type && a.process == b.process && a.policy == b.policy &&
         a.supervisor == b.supervisor && same_children(a.children, b.children);
}

ReloadPlan plan_reload(const SupervisorPolicy& old_policy, const std::vector<ChildSpec>& old_children,
                       const SupervisorPolicy& new_policy, const std::vector<ChildSpec>& new_children) {
  ReloadPlan plan;
  plan.supervisor_policy_changed = old_policy != new_policy;
  for (std::size_t i = 0; i < old_children.size(); ++i)
    if (find_named(new_children, old_children[i].name) < 0)
      plan.changes.push_back({ReloadChange::Kind::remove, old_children[i].name, i, 0});
  for (std::size_t i = 0; i < old_children.size(); ++i) {
    const std::ptrdiff_t j = find_named(new_children, old_children[i].name);
    if (j < 0) continue;
    const auto n = static_cast<std::size_t>(j);
    if (auto kind = compare(old_children[i], new_children[n]))
      plan.changes.push_back({*kind, old_children[i].name, i, n});
  }
  for (std::size_t j = 0; j < new_children.size(); ++j)
    if (find_named(old_children, new_children[j].name) < 0)
      plan.changes.push_back({ReloadChange::Kind::add, new_children[j].name, 0, j});
  // The children in both lists, in new order, must come in old order too.
  std::ptrdiff_t last = -1;
  for (const ChildSpec& c : new_children) {
    const std::ptrdiff_t at = find_named(old_children, c.name);
    if (at < 0) continue;
    if (at < last) plan.order_changed = true;
    last = at;
  }
  return plan;
}

}  // namespace grove
