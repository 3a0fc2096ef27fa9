// process_identity.hpp — who owns a lane, a receiver slot or a segment name,
// and whether that owner is still alive.
//
//   ProcessIdentity me = ProcessIdentity::self();
//   ...                                  // stored in shared memory
//   if (!is_alive(owner)) reclaim(...);  // dead, zombie, or pid reused
//
// A pid alone is not an identity: pids are recycled. The pair (pid, start
// time in clock ticks since boot, field 22 of /proc/PID/stat) is unique for
// the life of the machine. A zombie counts as dead: it will never write again.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <sys/types.h>

namespace grove::ipc {

struct ProcessIdentity {
  pid_t pid = 0;
  std::uint64_t start_ticks = 0;

  static ProcessIdentity self();  // cached per process (refreshed after fork)
  friend bool operator==(const ProcessIdentity&, const ProcessIdentity&) = default;
};

// What we need from one /proc/PID/stat line. Pure: tested with literal lines.
struct ProcStat {
  char state = '?';
  pid_t ppid = 0;
  std::uint64_t start_ticks = 0;
};
std::optional<ProcStat> parse_proc_stat(std::string_view line);

// Reads /proc/PID/stat; nullopt when the process does not exist.
std::optional<ProcStat> read_proc_stat(pid_t pid);

// True while the process with this identity runs (not a zombie, same start
// time). A start_ticks of 0 or 1 means "unknown": only the pid is compared.
bool is_alive(const ProcessIdentity& who);

}  // namespace grove::ipc
