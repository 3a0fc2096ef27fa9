// child_spec_reader.hpp — [[children]] tables to ChildSpecs, at any depth
// (internal to grove_config; config_loader.cpp is the caller).
//
//   SupervisorPolicy root;
//   read_supervisor_policy(supervisor_reader, root);        // [supervisor]
//   std::vector<ChildSpec> kids =
//       read_children(*top.node("children"), root, options, report, 1);
//
// Keys of a worker: name, type, command, restart, shutdown, ready,
// start_timeout, restart_delay, backoff_max, backoff_reset, env, env_file,
// cwd, user, group, umask, stop_signal, success_exit_codes, autostart,
// significant, stdout, stderr, limits, watchdog, max_redeliveries.
// Keys of a type = "supervisor": name, type, strategy, intensity, period,
// auto_shutdown, restart, shutdown, restart_delay, backoff_max,
// backoff_reset, autostart, significant, children ([[children.children]]).
// A worker-only key on a supervisor, or the reverse, is an error that says
// so; any other key is "unknown" with the closest allowed one.
//
// Contract (what is checked, each problem reported and reading continued):
// - name: required, [A-Za-z0-9_.-]+, not "." or "..", unique among siblings
//   (the duplicate's hint points at the first definition).
// - worker: command required; supervisor: at least one child, no command.
// - intensity >= 0, period > 0, start_timeout > 0, watchdog > 0,
//   backoff_max >= restart_delay when set, success_exit_codes in 0..255,
//   max_redeliveries >= 0, stop_signal a signal name or number.
// - significant = true: not on a permanent child, and only under a parent
//   whose auto_shutdown is not never (both rejected by OTP).
// - Nesting is at most 32 levels deep (an error beyond; it bounds recursion).
// - Defaults as in child_spec.hpp; shutdown = default_shutdown(type).
#pragma once

#include <toml++/toml.h>

#include <vector>

#include "config/load_options.hpp"
#include "config/table_reader.hpp"
#include "policy/child_spec.hpp"

namespace grove::config {

// strategy, intensity, period, auto_shutdown of [supervisor] or a supervisor child.
void read_supervisor_policy(const TableReader& r, SupervisorPolicy& out);

// `children` is the value of a `children` key; depth 1 = [[children]].
std::vector<ChildSpec> read_children(const toml::node& children, const SupervisorPolicy& parent,
                                     const LoadOptions& options, Reporter& report, int depth);

}  // namespace grove::config
