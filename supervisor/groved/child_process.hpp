// child_process.hpp — groved's runtime record of one child (not its spec).
//
// The policy engine keeps the OTP state (Supervision's ChildRecord); this
// keeps what only the OS side knows: the pid of the current incarnation, the
// fds groved watches for it, and how its last incarnation ended.
//
// Contract: owned by its SupervisorNode; fds are CLOEXEC and unwatched
// before they close. pid == -1 when no process of this child is alive.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "control/line_channel.hpp"
#include "grove/ipc/inbox_view.hpp"
#include "control/control_message.hpp"
#include "groved/output_ring.hpp"
#include "launch/line_prefixer.hpp"
#include "launch/rotating_log.hpp"
#include "launch/unique_fd.hpp"
#include "policy/child_spec.hpp"
#include "policy/restart_intensity.hpp"

namespace grove::groved {

// Answers one request; may be called several times (reply.more). Returns
// false once nobody listens any more (the client hung up).
using Respond = std::function<bool(const control::Reply&)>;

// A `grovectl logs -f` client of one child.
struct Follower {
  std::uint64_t id;
  Respond respond;
};

// One of a child's output streams as groved reads it.
struct OutputStream {
  launch::UniqueFd read_end;                     // the pipe, -1 when none
  int echo_fd = -1;                              // inherit: groved's 1 or 2
  std::unique_ptr<launch::LinePrefixer> prefixer;  // inherit: "path | " lines
};

struct ChildProcess {
  ChildSpec spec;
  std::string path;                         // "api/web"
  pid_t pid = -1;
  std::string program;                      // resolved path of the last exec
  std::chrono::system_clock::time_point started_wall{};
  std::optional<int> last_wait_status;
  // Why this incarnation's start is failing, when groved knows better than
  // the exit status ("unable to exec ...", "start_timeout 500ms ran out").
  std::string start_failure;
  // Why the last incarnation that ended before it was ready failed (its
  // start_failure, else its exit status); "" once one was ready.
  std::string last_start_failure;

  launch::UniqueFd exec_status;             // until exec succeeded or failed
  launch::UniqueFd ready_pipe;              // fd:N readiness, nested supervisors
  launch::UniqueFd probe;                   // tcp readiness: a connect in flight
  std::optional<TimePoint> probe_retry_at;  // tcp readiness: next attempt
  std::optional<TimePoint> watchdog_at;     // WATCHDOG=1 must come before this
  // mailbox = true with a watchdog: its inbox's heartbeat word, read every
  // watchdog/2; a change moves watchdog_at on like WATCHDOG=1 does.
  std::optional<ipc::InboxView> inbox_view;
  std::uint64_t heartbeat_seen = 0;
  std::optional<TimePoint> heartbeat_check_at;
  OutputStream out;
  OutputStream err;
  std::unique_ptr<launch::RotatingLog> log;  // stdout/stderr = "log"
  OutputRing ring;                           // recent lines, for grovectl logs
  std::vector<Follower> followers;           // grovectl logs -f
  std::unique_ptr<control::LineChannel> channel;  // nested supervisor: its control
  bool retired = false;                      // removed by a reload: stopping, hidden
  int restarts_logged = 0;                   // the engine's restarts at the last spawn
};

}  // namespace grove::groved
