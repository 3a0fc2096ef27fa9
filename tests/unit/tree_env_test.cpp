// What a worker reads from the environment groved gives it.
#include "tree_env.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace grove::detail {
namespace {

TreeEnv read(const std::map<std::string, std::string>& env) {
  return read_tree_env([&](const char* k) -> const char* {
    auto it = env.find(k);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

TEST(TreeEnv, ReadsEveryVariableGrovedSets) {
  const TreeEnv e = read({{"GROVE_TREE", "shop"}, {"GROVE_PATH", "api/kv"}, {"GROVE_INBOX", "grove.u1.shop.p1-2.api%2Fkv"},
                          {"GROVE_DIRECTORY", "grove.u1.shop.p1-2.%7Enames"}, {"GROVE_DEADLETTERS", "/run/x.ndjson"},
                          {"NOTIFY_SOCKET", "@n"}, {"GROVE_MAX_REDELIVERIES", "5"}, {"WATCHDOG_USEC", "2000000"}});
  EXPECT_EQ(e.tree, "shop");
  EXPECT_EQ(e.path, "api/kv");
  EXPECT_EQ(e.inbox, "grove.u1.shop.p1-2.api%2Fkv");
  EXPECT_EQ(e.directory, "grove.u1.shop.p1-2.%7Enames");
  EXPECT_EQ(e.deadletters, "/run/x.ndjson");
  EXPECT_EQ(e.notify, "@n");
  EXPECT_EQ(e.max_redeliveries, 5u);
  EXPECT_EQ(e.watchdog, std::chrono::seconds(2));
}

TEST(TreeEnv, NothingSetIsStandaloneWithDefaults) {
  const TreeEnv e = read({});
  EXPECT_TRUE(e.inbox.empty());
  EXPECT_EQ(e.max_redeliveries, 3u);
  EXPECT_EQ(e.watchdog.count(), 0);
}

TEST(TreeEnv, MalformedNumbersKeepTheDefaults) {
  const TreeEnv e = read({{"GROVE_MAX_REDELIVERIES", "lots"}, {"WATCHDOG_USEC", "-1"}});
  EXPECT_EQ(e.max_redeliveries, 3u);
  EXPECT_EQ(e.watchdog.count(), 0);
}

}  // namespace
}  // namespace grove::detail
