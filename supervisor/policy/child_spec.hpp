// child_spec.hpp — what a grove.toml says, as plain data.
//
// A TreeSpec is the parsed, validated config: the root supervisor's policy and
// its children, each a ChildSpec (a worker, or a nested supervisor with
// children of its own). Nothing here touches the system; the config parser
// produces these, the policy engine and groved consume them.
//
//   TreeSpec tree = ...;                       // from config::load()
//   for (const ChildSpec& c : tree.root.children)
//     if (c.type == ChildType::supervisor) walk(c.children);
//
// Contract:
// - Fields are split the way reload diffs them: `process` is the process
//   definition (a change restarts the child), `policy` is how the supervisor
//   treats it (a change applies in place), `supervisor` only matters for
//   type == supervisor.
// - All defaults live in this header (OTP's where OTP has one); the one
//   dependent default (shutdown: 5s for workers, infinity for supervisors) is
//   default_shutdown(type).
// - Names of enum values are OTP's words; enum_names.hpp has the one table
//   per enum used by TOML, JSON, logs and tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace grove {

using Duration = std::chrono::milliseconds;

enum class Strategy : std::uint8_t { one_for_one, one_for_all, rest_for_one };
enum class RestartType : std::uint8_t { permanent, transient, temporary };
enum class ChildType : std::uint8_t { worker, supervisor };
enum class AutoShutdown : std::uint8_t { never, any_significant, all_significant };

// shutdown = "brutal_kill" | a duration | "infinity"
struct Shutdown {
  enum class Kind : std::uint8_t { brutal_kill, timeout, infinity };
  Kind kind = Kind::timeout;
  Duration timeout{5000};
  friend bool operator==(const Shutdown&, const Shutdown&) = default;
};

// ready = "started" | "notify" | "fd:N" | "tcp://host:port"
struct Readiness {
  enum class Kind : std::uint8_t { started, notify, fd, tcp };
  Kind kind = Kind::started;
  int fd = -1;             // Kind::fd: the child writes a newline to this fd
  std::string host;        // Kind::tcp
  std::uint16_t port = 0;  // Kind::tcp
  friend bool operator==(const Readiness&, const Readiness&) = default;
};

// stdout / stderr = "inherit" | "log" | "null" | a file path
struct Output {
  enum class Kind : std::uint8_t { inherit, log, null, file };
  Kind kind = Kind::inherit;
  std::string path;  // Kind::file
  friend bool operator==(const Output&, const Output&) = default;
};

// [children.limits]: setrlimit values, soft = hard. Unset = inherited.
struct Limits {
  std::optional<std::uint64_t> as;      // RLIMIT_AS, bytes
  std::optional<std::uint64_t> nofile;  // RLIMIT_NOFILE
  std::optional<std::uint64_t> nproc;   // RLIMIT_NPROC
  std::optional<std::uint64_t> core;    // RLIMIT_CORE, bytes
  friend bool operator==(const Limits&, const Limits&) = default;
};

// Where a value came from in the config, for diagnostics at runtime too.
struct SourcePos {
  int line = 0;
  int column = 0;
  friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

// The process definition: any change here restarts the child on reload.
struct ProcessDef {
  std::vector<std::string> command;                         // argv; [0] searched in PATH
  std::vector<std::pair<std::string, std::string>> env;     // env table, in file order
  std::string env_file;                                     // KEY=VALUE lines; "" = none
  std::string cwd;                                          // "" = groved's cwd
  std::string user;                                         // "" = groved's (root only)
  std::string group;
  std::optional<std::uint32_t> umask;
  Limits limits;
  Output stdout_to;
  Output stderr_to;
  // A shared-memory inbox created by root groved (GROVE_INBOX & co. in the
  // env): changing it changes the environment, so it restarts the child.
  bool mailbox = false;
  friend bool operator==(const ProcessDef&, const ProcessDef&) = default;
};

// How the supervisor treats the child: changes apply without a restart.
struct ChildPolicy {
  RestartType restart = RestartType::permanent;
  Shutdown shutdown;                      // default_shutdown(type) unless set
  int stop_signal = 15;                   // SIGTERM
  std::vector<int> success_exit_codes;    // besides 0
  Readiness ready;                        // notify when mailbox = true and unset
  Duration start_timeout{30000};          // 0 = wait for readiness forever
  Duration restart_delay{0};              // first delay before a restart
  Duration backoff_max{0};                // 0 = no growth beyond restart_delay
  Duration backoff_reset{30000};          // run this long and the delay resets
  bool significant = false;               // OTP 24: may end its supervisor
  bool autostart = true;
  std::optional<Duration> watchdog;       // heartbeat / WATCHDOG=1 deadline
  int max_redeliveries = 3;               // worker-lib inbox redeliveries
  friend bool operator==(const ChildPolicy&, const ChildPolicy&) = default;
};

// A supervisor's own policy (the root's comes from [supervisor]).
struct SupervisorPolicy {
  Strategy strategy = Strategy::one_for_one;
  int intensity = 1;                      // OTP's default: 1 restart ...
  Duration period{5000};                  // ... in 5 s
  AutoShutdown auto_shutdown = AutoShutdown::never;
  friend bool operator==(const SupervisorPolicy&, const SupervisorPolicy&) = default;
};

struct ChildSpec {
  std::string name;
  ChildType type = ChildType::worker;
  ProcessDef process;                     // workers only
  ChildPolicy policy;
  SupervisorPolicy supervisor;            // supervisors only
  std::vector<ChildSpec> children;        // supervisors only
  SourcePos where;                        // the [[children]] header
  friend bool operator==(const ChildSpec&, const ChildSpec&) = default;
};

struct TreeSpec {
  std::string file;                       // the config's path, for messages
  std::string name;                       // tree name
  std::string control;                    // control socket path (resolved)
  std::string log_dir;                    // for stdout/stderr = "log"
  std::uint64_t log_max_bytes = 50ull * 1024 * 1024;
  int log_backups = 10;
  SupervisorPolicy root;                  // [supervisor]
  std::vector<ChildSpec> children;
  friend bool operator==(const TreeSpec&, const TreeSpec&) = default;
};

inline Shutdown default_shutdown(ChildType type) {
  if (type == ChildType::supervisor) return {Shutdown::Kind::infinity, Duration{0}};
  return {Shutdown::Kind::timeout, Duration{5000}};
}

}  // namespace grove
