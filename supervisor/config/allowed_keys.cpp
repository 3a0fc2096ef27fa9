#include "config/allowed_keys.hpp"

#include <array>

namespace grove::config {
namespace {

constexpr std::array<std::string_view, 7> kTopKeys{"name",        "control",    "log_dir", "log_max_bytes",
                                                   "log_backups", "supervisor", "children"};

constexpr std::array<std::string_view, 4> kSupervisorTableKeys{"strategy", "intensity", "period",
                                                               "auto_shutdown"};

constexpr std::array<std::string_view, 26> kWorkerKeys{
    "name",          "type",        "command",       "restart",     "shutdown",
    "ready",         "start_timeout", "restart_delay", "backoff_max", "backoff_reset",
    "env",           "env_file",    "cwd",           "user",        "group",
    "umask",         "stop_signal", "success_exit_codes", "autostart", "significant",
    "stdout",        "stderr",      "limits",        "watchdog",    "max_redeliveries", "mailbox"};

constexpr std::array<std::string_view, 14> kSupervisorChildKeys{
    "name",    "type",     "strategy",      "intensity",   "period",        "auto_shutdown", "restart",
    "shutdown", "restart_delay", "backoff_max", "backoff_reset", "autostart", "significant", "children"};

constexpr std::array<std::string_view, 4> kLimitKeys{"as", "nofile", "nproc", "core"};

constexpr AllowedKeys kAllowed{kTopKeys, kSupervisorTableKeys, kWorkerKeys, kSupervisorChildKeys, kLimitKeys};

}  // namespace

const AllowedKeys& allowed_keys() { return kAllowed; }

}  // namespace grove::config
