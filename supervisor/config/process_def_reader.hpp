// process_def_reader.hpp — a worker's process definition from its [[children]]
// table (internal to grove_config).
//
// The ProcessDef keys are the ones whose change restarts the child on reload:
// command, env, env_file, cwd, user, group, umask, limits, stdout, stderr.
//
//   TableReader r(child_table, "[[children]]", report);
//   ProcessDef def = read_process_def(r, options);   // problems go to report
//
// Contract:
// - Reads only the keys above; the caller checks which keys may appear.
// - A key with a bad value is reported and left at its default, so reading
//   goes on and finds the next error.
// - `command` must be a non-empty array of strings with a non-empty
//   command[0]; its absence is the caller's to report (it knows the name).
// - limits values: an integer, "infinity"/"unlimited" (stored as
//   kUnlimited, which equals RLIM_INFINITY on Linux), or for `as`/`core` a
//   size ("512M"). umask: an octal string ("022", "0o022") or an integer
//   written in octal (0o022); a decimal integer other than 0 is refused,
//   because `umask = 22` would silently mean 0o026.
// - Relative paths are kept as written (groved resolves them against its
//   own working directory); stdout/stderr paths must contain a '/', so a
//   typo of "log" or "null" cannot become a file name.
#pragma once

#include "config/config_loader.hpp"
#include "config/load_options.hpp"
#include "config/table_reader.hpp"
#include "policy/child_spec.hpp"

namespace grove::config {

ProcessDef read_process_def(const TableReader& r, const LoadOptions& options);

}  // namespace grove::config
