// notify_message.hpp — one sd_notify(3) datagram's payload, as data.
//
//   NotifyMessage m = parse_notify_message("READY=1\nSTATUS=listening on :80\n");
//   if (m.ready) mark_ready(child);
//   if (m.status) show(*m.status);
//
// The systemd protocol: newline-separated VAR=VALUE assignments. Booleans
// count only as "=1" (READY=0 is not ready); WATCHDOG=trigger asks for the
// watchdog action now. MAINPID, ERRNO and EXTEND_TIMEOUT_USEC must be
// decimal numbers, else ignored. Unknown assignments (FDSTORE=1,
// BARRIER=1 as sent by systemd-notify, X_*) and garbage lines are ignored:
// a misbehaving child can never make parsing fail. The last occurrence of a
// variable wins.
// Contract: pure.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace grove::launch {

struct NotifyMessage {
  bool ready = false;             // READY=1
  bool reloading = false;         // RELOADING=1
  bool stopping = false;          // STOPPING=1
  bool watchdog = false;          // WATCHDOG=1: the heartbeat
  bool watchdog_trigger = false;  // WATCHDOG=trigger
  bool barrier = false;           // BARRIER=1 (its fd is closed by NotifySocket)
  std::optional<std::string> status;        // STATUS=...
  std::optional<pid_t> main_pid;            // MAINPID=...
  std::optional<int> errno_value;           // ERRNO=...
  std::optional<std::uint64_t> extend_timeout_usec;  // EXTEND_TIMEOUT_USEC=...
  friend bool operator==(const NotifyMessage&, const NotifyMessage&) = default;
};

NotifyMessage parse_notify_message(std::string_view payload);

}  // namespace grove::launch
