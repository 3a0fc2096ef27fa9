#include "name_registry.hpp"

namespace grove::detail {

std::optional<NameError> NameRegistry::add(std::string_view name, Pid pid) {
  std::lock_guard lock(mu_);
  if (names_.count(std::string(name))) return NameError::taken;
  if (owners_.count(pid)) return NameError::already_registered;
  names_.emplace(std::string(name), pid);
  owners_.emplace(pid, std::string(name));
  return std::nullopt;
}

void NameRegistry::remove_pid(Pid pid) {
  std::lock_guard lock(mu_);
  auto it = owners_.find(pid);
  if (it == owners_.end()) return;
  names_.erase(it->second);
  owners_.erase(it);
}

bool NameRegistry::remove(std::string_view name) {
  std::lock_guard lock(mu_);
  auto it = names_.find(std::string(name));
  if (it == names_.end()) return false;
  owners_.erase(it->second);
  names_.erase(it);
  return true;
}

std::optional<Pid> NameRegistry::find(std::string_view name) const {
  std::lock_guard lock(mu_);
  auto it = names_.find(std::string(name));
  if (it == names_.end()) return std::nullopt;
  return it->second;
}

}  // namespace grove::detail
