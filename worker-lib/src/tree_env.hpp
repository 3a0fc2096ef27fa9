// tree_env.hpp — what groved tells a worker through its environment
// (groved(8), "Environment"), read once at attach.
//
//   TreeEnv env = read_tree_env([](const char* k) { return std::getenv(k); });
//   if (env.inbox.empty()) standalone();
//
// Pure apart from the getter it is given. Unset or malformed numbers fall
// back to the defaults (max_redeliveries 3, no watchdog).
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace grove::detail {

struct TreeEnv {
  std::string tree;         // GROVE_TREE
  std::string path;         // GROVE_PATH
  std::string inbox;        // GROVE_INBOX: our inbox segment ("" = standalone)
  std::string directory;    // GROVE_DIRECTORY: the tree's names
  std::string deadletters;  // GROVE_DEADLETTERS: file to append dead letters to
  std::string notify;       // NOTIFY_SOCKET
  unsigned max_redeliveries = 3;           // GROVE_MAX_REDELIVERIES
  std::chrono::microseconds watchdog{0};   // WATCHDOG_USEC (0 = none)
};

TreeEnv read_tree_env(const std::function<const char*(const char*)>& get);

}  // namespace grove::detail
