#include "config/load_options.hpp"

#include <unistd.h>

#include <cstdlib>

namespace grove::config {
namespace {

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string{} : std::string{value};
}

bool usable_base(const std::string& dir) { return !dir.empty() && dir.front() == '/'; }

// "/run/user/1000/" + "grove/x" without a doubled slash.
std::string under(std::string dir, std::string_view rest) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (dir != "/") dir += '/';
  return dir + std::string(rest);
}

std::string private_tmp(const LoadOptions& options) {
  return "/tmp/grove-" + std::to_string(options.euid);
}

}  // namespace

LoadOptions load_options_from_environment() {
  LoadOptions options;
  options.euid = static_cast<std::uint32_t>(geteuid());
  options.xdg_runtime_dir = env_or_empty("XDG_RUNTIME_DIR");
  options.xdg_state_home = env_or_empty("XDG_STATE_HOME");
  options.home = env_or_empty("HOME");
  return options;
}

std::string default_control_path(std::string_view tree_name, const LoadOptions& options) {
  const std::string file = std::string(tree_name) + ".sock";
  if (usable_base(options.xdg_runtime_dir)) return under(options.xdg_runtime_dir, "grove/" + file);
  return private_tmp(options) + "/" + file;
}

std::string default_log_dir(std::string_view tree_name, const LoadOptions& options) {
  const std::string name(tree_name);
  if (options.euid == 0) return "/var/log/grove/" + name;
  if (usable_base(options.xdg_state_home)) return under(options.xdg_state_home, "grove/" + name);
  if (usable_base(options.home)) return under(options.home, ".local/state/grove/" + name);
  return private_tmp(options) + "/log/" + name;
}

}  // namespace grove::config
