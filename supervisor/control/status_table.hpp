// status_table.hpp — `grovectl status` for people: one aligned row per node.
//
//   std::cout << render_status_table(tree, /*colour=*/isatty(1));
//
//   PATH        TYPE        STATE    PID    UPTIME  RESTARTS  LAST EXIT
//   db          worker      running  4242   3h12m   0         -
//   api         supervisor  running  4243   3h12m   1         exit 3
//   api/web     worker      failed   -      -       4         SIGKILL
//
// When some worker has a mailbox, four more columns follow: DEPTH (queued
// messages), HANDLED/S, DEAD (dead letters) and PROCS (lightweight
// processes); "-" for nodes without a mailbox.
//
// Contract: pure; colour (ANSI) only when asked, for the STATE column.
#pragma once

#include <string>

#include "control/control_message.hpp"

namespace grove::control {

std::string render_status_table(const StatusNode& tree, bool colour);
// "45s", "3m12s", "3h12m", "2d4h"
std::string format_uptime(double seconds);

}  // namespace grove::control
