// adopted_orphans.hpp — what a supervisor process adopted as a subreaper
// but never started: a daemon that forked into a session of its own (so
// its child's process group, which groved stops, no longer holds it) and
// whose parent then exited. Nothing of the tree may outlive it, so each
// supervisor process stops these at its end.
//
//   stop_adopted_orphans(tree, std::chrono::seconds(2));   // after the last child
//
// Each gets SIGTERM (its process group when it leads one, as a daemon's
// own session does), then SIGKILL after `grace`; each is reaped; an
// orphan_stopped event names it. Children this process started are not
// touched (by then they are down and reaped); `tree.guardian` is spared.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <vector>

#include "groved/supervisor_node.hpp"

namespace grove::groved {

// The processes whose parent is `self` now (read from /proc), but `except`.
std::vector<pid_t> children_of(pid_t self, pid_t except);

void stop_adopted_orphans(const TreeContext& tree, std::chrono::milliseconds grace);

}  // namespace grove::groved
