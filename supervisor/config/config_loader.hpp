// config_loader.hpp — grove.toml to a validated TreeSpec, or every error in it.
//
// The one entry point for `groved FILE`, `groved --check FILE` and reload:
// all three call load_config_file, so they accept and reject exactly the
// same files. The result is either a complete TreeSpec (defaults filled in
// from child_spec.hpp and DESIGN.md) or the full list of Diagnostics, in file
// order — never the first error only, never a half-filled tree.
//
//   // groved --check FILE
//   const LoadOptions options = load_options_from_environment();
//   const LoadResult result = load_config_file(path, options);
//   if (!result.ok()) {
//     std::cerr << format_diagnostics(result.errors);    // FILE:L:C: error: ...
//     return 1;                                           // ExitCode::config_error
//   }
//   std::cout << print_tree(*result.tree);                 // tree_printer.hpp
//   return 0;
//
// Contract:
// - Keys are DESIGN.md's grove.toml contract. Top level: name (required),
//   control, log_dir, log_max_bytes (bytes or "50M"), log_backups,
//   [supervisor] (strategy, intensity, period, auto_shutdown), [[children]].
//   A worker child: name, type, command, restart, shutdown, ready,
//   start_timeout, restart_delay, backoff_max, backoff_reset, env, env_file,
//   cwd, user, group, umask, stop_signal, success_exit_codes, autostart,
//   significant, stdout, stderr, limits, watchdog, max_redeliveries. A
//   type = "supervisor" child: name, type, strategy, intensity, period,
//   auto_shutdown, restart, shutdown, restart_delay, backoff_max,
//   backoff_reset, autostart, significant and [[children.children]], nested
//   up to 32 levels. What each value may be, and every check made, is in
//   child_spec_reader.hpp and process_def_reader.hpp.
// - Every unknown key at every level is an error with the closest allowed key.
// - Defaults: control = default_control_path(name), log_dir =
//   default_log_dir(name) (load_options.hpp); everything else as in
//   child_spec.hpp (shutdown via default_shutdown(type)).
// - Relative paths (command[0] containing '/', cwd, env_file, stdout/stderr
//   files, log_dir, control) are kept exactly as written: groved resolves
//   them against its own working directory, like a shell would. A bare
//   command[0] ("redis-server") is searched in PATH at exec time.
// - toml++ exceptions stop here: a syntax error becomes one Diagnostic at
//   its line:col (toml++ cannot recover, so it comes alone). An unreadable
//   file is one Diagnostic without a position.
// - Pure apart from load_config_file reading the file; thread-compatible.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/load_options.hpp"
#include "policy/child_spec.hpp"

namespace grove::config {

// A Limits value meaning "no limit"; equals RLIM_INFINITY on Linux, so it
// can be handed to setrlimit unchanged.
inline constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();

struct LoadResult {
  std::optional<TreeSpec> tree;   // set iff errors is empty
  std::vector<Diagnostic> errors; // all of them, sorted by line and column
  bool ok() const { return tree.has_value(); }
};

LoadResult load_config_file(const std::string& path, const LoadOptions& options);

// `file_name` is used in diagnostics and TreeSpec::file only.
LoadResult load_config_string(std::string_view text, const std::string& file_name,
                              const LoadOptions& options);

}  // namespace grove::config
