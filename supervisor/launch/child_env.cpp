#include "child_env.hpp"

#include <string_view>
#include <unordered_map>

extern char** environ;

namespace grove::launch {
namespace {

// Ordered map of KEY -> "KEY=VALUE": first position wins, last value wins.
class EnvBuilder {
 public:
  void set(std::string_view key, std::string_view value) {
    std::string entry;
    entry.reserve(key.size() + 1 + value.size());
    entry.append(key).append("=").append(value);
    auto [it, added] = index_.try_emplace(std::string(key), entries_.size());
    if (added) {
      entries_.push_back(std::move(entry));
    } else {
      entries_[it->second] = std::move(entry);
    }
  }
  std::vector<std::string> take() && {
    std::vector<std::string> out;
    out.reserve(entries_.size());
    for (std::string& e : entries_) out.push_back(std::move(e));
    return out;
  }

 private:
  std::vector<std::string> entries_;
  std::unordered_map<std::string, std::size_t> index_;
};

bool belongs_to_our_manager(std::string_view key) {
  return key == "NOTIFY_SOCKET" || key == "WATCHDOG_USEC" || key == "WATCHDOG_PID" ||
         key == "GROVE_INBOX" || key == "GROVE_DIRECTORY" || key == "GROVE_MAX_REDELIVERIES" ||
         key == "GROVE_DEADLETTERS";
}

}  // namespace

std::vector<std::string> build_child_env(
    std::span<const std::string> inherited,
    std::span<const std::pair<std::string, std::string>> env_file,
    std::span<const std::pair<std::string, std::string>> env_table, const GroveVars& vars) {
  EnvBuilder env;
  for (std::string_view kv : inherited) {
    const std::size_t eq = kv.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    if (belongs_to_our_manager(kv.substr(0, eq))) continue;
    env.set(kv.substr(0, eq), kv.substr(eq + 1));
  }
  for (const auto& [k, v] : env_file) env.set(k, v);
  for (const auto& [k, v] : env_table) env.set(k, v);
  env.set("GROVE_TREE", vars.tree);
  env.set("GROVE_PATH", vars.path);
  env.set("GROVE_SOCKET", vars.socket);
  env.set("GROVE_INCARNATION", std::to_string(vars.incarnation));
  if (!vars.notify_socket.empty()) env.set("NOTIFY_SOCKET", vars.notify_socket);
  if (vars.watchdog_usec) env.set("WATCHDOG_USEC", std::to_string(*vars.watchdog_usec));
  if (vars.mailbox) {
    env.set("GROVE_INBOX", vars.mailbox->inbox);
    env.set("GROVE_DIRECTORY", vars.mailbox->directory);
    env.set("GROVE_MAX_REDELIVERIES", std::to_string(vars.mailbox->max_redeliveries));
    env.set("GROVE_DEADLETTERS", vars.mailbox->deadletters);
  }
  return std::move(env).take();
}

std::vector<std::string> current_environment() {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e)
    if (std::string_view(*e).find('=') != std::string_view::npos) out.emplace_back(*e);
  return out;
}

}  // namespace grove::launch
