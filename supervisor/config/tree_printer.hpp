// tree_printer.hpp — a TreeSpec as the tree `groved --check FILE` prints.
//
//   LoadResult r = load_config_file("shop.toml", load_options_from_environment());
//   if (r.ok()) std::cout << print_tree(*r.tree);
//
//   shop           supervisor  -          one_for_one, intensity 3 per 5s
//   ├── db         worker      permanent  redis-server --port 6390  (ready tcp://127.0.0.1:6390)
//   └── api        supervisor  permanent  rest_for_one, intensity 5 per 10s
//       ├── cache  worker      permanent  ./build/examples/kvstore
//       └── web    worker      transient  python3 -m http.server 8081
//
// Contract:
// - One line per node, '\n'-terminated, root first, children in file order
//   under UTF-8 box-drawing glyphs; columns: name, type, restart type, then
//   the supervisor's strategy/intensity/period or the worker's command
//   (shell-quoted where needed, so it can be pasted), then "(ready ...)"
//   when readiness is not "started".
// - Columns are padded to the widest name (counted in display columns, not
//   UTF-8 bytes), so the output is stable for a given tree: tests compare it
//   verbatim.
// - Pure function; no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "policy/child_spec.hpp"

namespace grove::config {

std::string print_tree(const TreeSpec& tree);

// An argv as a shell would need it typed: `a 'b c' 'it'\''s'`.
std::string shell_quote_command(const std::vector<std::string>& argv);

}  // namespace grove::config
