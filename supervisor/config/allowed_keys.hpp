// allowed_keys.hpp — every key grove.toml accepts, per table, as data.
//
// The config readers check each table against its list (an unknown key is
// an error naming the closest allowed one); grove.toml(5) documents exactly
// these lists, and tests/unit/man_pages_test.cpp compares the two.
//
//   const AllowedKeys& keys = allowed_keys();
//   reader.check_keys(keys.worker);                 // a [[children]] worker
//   for (std::string_view k : keys.limits) ...;     // "as", "nofile", ...
//
// Contract: the spans view static storage (valid for the program's life);
// order is the order the readers list them in hints.
#pragma once

#include <span>
#include <string_view>

namespace grove::config {

struct AllowedKeys {
  std::span<const std::string_view> top;               // the file's top level
  std::span<const std::string_view> supervisor_table;  // [supervisor]: the root's policy
  std::span<const std::string_view> worker;            // [[children]], a worker
  std::span<const std::string_view> supervisor_child;  // [[children]] with type = "supervisor"
  std::span<const std::string_view> limits;            // [children.limits]
};

const AllowedKeys& allowed_keys();

}  // namespace grove::config
