// child_env.hpp — the whole environment a child starts with.
//
//   GroveVars vars{.tree = "shop", .path = "api/web", .socket = ctl_path,
//                  .incarnation = 4, .notify_socket = notify.address()};
//   auto file = read_env_file(spec.env_file);               // env_file.hpp
//   std::vector<std::string> env =
//       build_child_env(current_environment(), file.value(), spec.env, vars);
//   request.env = std::move(env);                           // spawn.hpp
//
// Layers, each overriding the one before (a key keeps the position of its
// first appearance, so the result is deterministic):
//   1. groved's own environment, minus the variables that belong to
//      groved's own manager: NOTIFY_SOCKET, WATCHDOG_USEC, WATCHDOG_PID (a
//      child must never talk to the manager that runs groved), and the
//      mailbox variables of a tree groved itself may run in (GROVE_INBOX,
//      GROVE_DIRECTORY, GROVE_MAX_REDELIVERIES, GROVE_DEADLETTERS: only a
//      mailbox child of this tree may attach to an inbox);
//   2. the env_file's assignments;
//   3. the `env` table;
//   4. GROVE_TREE, GROVE_PATH, GROVE_SOCKET, GROVE_INCARNATION, then
//      NOTIFY_SOCKET and WATCHDOG_USEC when given, then, for a mailbox
//      child (`mailbox` set), GROVE_INBOX, GROVE_DIRECTORY,
//      GROVE_MAX_REDELIVERIES and GROVE_DEADLETTERS.
// Contract: build_child_env is pure; current_environment copies `environ`.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace grove::launch {

struct GroveVars {
  std::string tree;                   // GROVE_TREE: the tree's name
  std::string path;                   // GROVE_PATH: e.g. "api/web"
  std::string socket;                 // GROVE_SOCKET: groved's control socket
  std::uint64_t incarnation = 0;      // GROVE_INCARNATION: 1 for the first start
  std::string notify_socket;          // NOTIFY_SOCKET, "" = not set ('@' = abstract)
  std::optional<std::uint64_t> watchdog_usec;  // WATCHDOG_USEC
  struct Mailbox {
    std::string inbox;                // GROVE_INBOX: its inbox segment's name
    std::string directory;            // GROVE_DIRECTORY: the tree's names segment
    int max_redeliveries = 3;         // GROVE_MAX_REDELIVERIES
    std::string deadletters;          // GROVE_DEADLETTERS: the file it appends to
  };
  std::optional<Mailbox> mailbox;     // mailbox = true children only
};

std::vector<std::string> build_child_env(
    std::span<const std::string> inherited,                          // "KEY=VALUE"
    std::span<const std::pair<std::string, std::string>> env_file,   // layer 2
    std::span<const std::pair<std::string, std::string>> env_table,  // layer 3
    const GroveVars& vars);

// groved's environment as "KEY=VALUE" strings (entries without '=' dropped).
std::vector<std::string> current_environment();

}  // namespace grove::launch
