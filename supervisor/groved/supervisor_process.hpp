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
// intensity was exceeded. fds.ready >= 0 gets a newline (then is closed)
// when the ordered start completes; -1 logs tree_ready instead. The root
// passes its control server; a nested supervisor its parent's channel.
#pragma once

#include <string>
#include <vector>

#include "groved/supervisor_node.hpp"

namespace grove::groved {

class ControlServer;

// The fds a supervisor process talks to its parent with (-1 for the root).
struct SupervisorFds {
  int ready = -1;           // gets "\n" once the ordered start is complete
  int parent_channel = -1;  // control requests from the parent supervisor
};

int run_supervisor_process(const TreeContext& tree, const std::string& path,
                           const SupervisorPolicy& policy, std::vector<ChildSpec> children,
                           SupervisorFds fds, ControlServer* server = nullptr);

}  // namespace grove::groved
