// status_json.hpp — `grovectl status --json` as the tree tests read it: the
// parsed tree, one node by path (any depth), and a worker's inbox figures,
// which another process updates (poll them with the harness's eventually()).
//
//   const json store = node_of(status_json(g), "store");
//   ASSERT_TRUE(eventually([&] { return mailbox_of(g, "store")["handled"] >= 100; }));
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

#include "groved_harness.hpp"

namespace grove::test {

// The whole tree, or with `path` that node and its subtree.
inline nlohmann::json status_json(const Groved& g, const std::string& path = {}) {
  const auto r = path.empty() ? g.ctl({"status", "--json"}) : g.ctl({"status", path, "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  return nlohmann::json::parse(r.out, nullptr, false);
}

// The node at `path` (any depth), or null.
inline nlohmann::json node_of(const nlohmann::json& node, const std::string& path) {
  if (!node.is_object() || !node.contains("children")) return nullptr;
  for (const auto& c : node["children"]) {
    if (c["path"] == path) return c;
    if (nlohmann::json deeper = node_of(c, path); !deeper.is_null()) return deeper;
  }
  return nullptr;
}

inline nlohmann::json node_of(const Groved& g, const std::string& path) { return node_of(status_json(g), path); }

// The "mailbox" figures of the worker at `path`, or null.
inline nlohmann::json mailbox_of(const Groved& g, const std::string& path) {
  const nlohmann::json n = node_of(g, path);
  return n.is_object() && n.contains("mailbox") ? n["mailbox"] : nlohmann::json();
}

}  // namespace grove::test
