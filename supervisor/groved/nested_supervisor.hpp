// nested_supervisor.hpp — a supervisor child as an OS process of its own.
//
// groved forks (without exec) a process that runs the same supervisor code
// for the subtree: its own event loop, policy engine and children. It leads
// its own session, dies with its parent (PDEATHSIG), is a subreaper, and
// writes a newline to its ready pipe once its ordered start is complete —
// which is how its parent knows it is ready (OTP: a supervisor's start
// returns after its children started).
//
//   auto nested = spawn_nested_supervisor(tree, "api", spec);
//   if (nested) watch(nested.value().ready.get());   // "\n" = ready
//
// Contract: call from a single-threaded process. The child keeps only fds
// 0-2, its ready pipe, its end of the control channel and the tree
// guardian's pipe; it never returns from
// this function (it _exits with the supervisor's exit code: 0, or
// kSupervisorGaveUpCode when it gave up — OTP's reason `shutdown`).
#pragma once

#include <sys/types.h>

#include <string>

#include "groved/supervisor_node.hpp"
#include "launch/result.hpp"
#include "launch/unique_fd.hpp"

namespace grove::groved {

struct NestedSupervisor {
  pid_t pid = -1;
  launch::UniqueFd ready;    // read end: a newline once the subtree is up
  launch::UniqueFd channel;  // control requests down, replies up (NDJSON)
};

launch::Result<NestedSupervisor, std::string> spawn_nested_supervisor(const TreeContext& tree,
                                                                      const std::string& path,
                                                                      const ChildSpec& spec);

}  // namespace grove::groved
