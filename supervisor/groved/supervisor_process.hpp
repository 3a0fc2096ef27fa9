// supervisor_process.hpp — the life of one supervisor OS process.
//
// groved's root and every nested supervisor run this: become a subreaper,
// turn signals into events (SIGCHLD: reap everything; SIGTERM/SIGINT:
// orderly shutdown; SIGUSR2: reopen logs), run the node's ordered start, and
// loop until the node has stopped its children.
//
//   int code = run_supervisor_process(tree, "", spec.root, spec.children, -1);
//
// Contract: returns the process's exit code: 0 after a shutdown (asked for,
// or OTP 24's auto_shutdown), kSupervisorGaveUpCode (3) when restart
// intensity was exceeded. `ready_fd` >= 0 gets a newline (then is closed)
// when the ordered start completes; -1 logs tree_ready instead.
#pragma once

#include <string>
#include <vector>

#include "groved/supervisor_node.hpp"

namespace grove::groved {

int run_supervisor_process(const TreeContext& tree, const std::string& path,
                           const SupervisorPolicy& policy, std::vector<ChildSpec> children,
                           int ready_fd);

}  // namespace grove::groved
