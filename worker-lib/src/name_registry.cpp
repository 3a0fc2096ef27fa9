#include "name_registry.hpp"

namespace grove::detail {

bool NameRegistry::add(std::string_view name, Pid pid) {
  std::lock_guard lock(mu_);
  return names_.emplace(std::string(name), pid).second;
}

void NameRegistry::remove(std::string_view name, Pid pid) {
  std::lock_guard lock(mu_);
  auto it = names_.find(std::string(name));
  if (it != names_.end() && it->second == pid) names_.erase(it);
}

std::optional<Pid> NameRegistry::find(std::string_view name) const {
  std::lock_guard lock(mu_);
  auto it = names_.find(std::string(name));
  if (it == names_.end()) return std::nullopt;
  return it->second;
}

}  // namespace grove::detail
