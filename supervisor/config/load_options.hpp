// load_options.hpp — what the environment decides about a config, as data.
//
// A few grove.toml defaults depend on who runs groved and where: the control
// socket path, the log directory, whether `user`/`group` are allowed. The
// loader takes them as a LoadOptions value so it stays pure and testable;
// groved builds one from its real environment once, at start.
//
//   LoadOptions opts = load_options_from_environment();   // geteuid, getenv
//   default_control_path("shop", opts);  // "/run/user/1000/grove/shop.sock"
//   default_log_dir("shop", opts);       // "/home/ann/.local/state/grove/shop"
//
//   LoadOptions test{.euid = 1000, .xdg_runtime_dir = "", .home = "/h"};
//   default_control_path("shop", test);  // "/tmp/grove-1000/shop.sock"
//
// Contract:
// - default_control_path: $XDG_RUNTIME_DIR/grove/<name>.sock, else
//   /tmp/grove-<uid>/<name>.sock.
// - default_log_dir: /var/log/grove/<name> for uid 0; else
//   $XDG_STATE_HOME/grove/<name>, else $HOME/.local/state/grove/<name>,
//   else /tmp/grove-<uid>/log/<name>.
// - As the XDG spec says, an XDG_* value that is not an absolute path is
//   ignored (treated as unset). Directories are not created here.
// - load_options_from_environment reads geteuid() and getenv() only; it is
//   not thread-safe against concurrent setenv (call it from main).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace grove::config {

struct LoadOptions {
  std::uint32_t euid = 0;
  std::string xdg_runtime_dir;  // "" = unset
  std::string xdg_state_home;   // "" = unset
  std::string home;             // "" = unset
};

LoadOptions load_options_from_environment();

std::string default_control_path(std::string_view tree_name, const LoadOptions& options);
std::string default_log_dir(std::string_view tree_name, const LoadOptions& options);

}  // namespace grove::config
