// event_log.hpp — one structured line per supervision event, on stderr.
//
// Lines are logfmt, so they read well and grep well:
//   groved: event=child_terminated tree=shop supervisor=api offender=api/web
//           pid=4242 reason=signal:SIGKILL
//
//   LogLine("child_started").kv("path", "api/web").kv("pid", 4242);  // written
//                                                                     // when the
//                                                                     // line ends
// Contract: each line is written with one write(2), so lines of nested
// supervisors sharing groved's stderr never interleave. Values with spaces,
// quotes or '=' are quoted. Never call between fork and exec.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "config/signal_name.hpp"

namespace grove::groved {

class LogLine {
 public:
  explicit LogLine(std::string_view event);
  ~LogLine();
  LogLine(const LogLine&) = delete;
  LogLine& operator=(const LogLine&) = delete;

  LogLine& kv(std::string_view key, std::string_view value);
  LogLine& kv(std::string_view key, const char* value) { return kv(key, std::string_view(value)); }
  LogLine& kv(std::string_view key, const std::string& value) { return kv(key, std::string_view(value)); }
  LogLine& kv(std::string_view key, std::int64_t value);
  LogLine& kv(std::string_view key, int value) { return kv(key, static_cast<std::int64_t>(value)); }

 private:
  std::string line_;
};

// "exit:1", "signal:SIGKILL" — how a wait status reads in logs and status.
std::string describe_wait_status(int wait_status);
// "SIGTERM" for 15: config's one signal table.
using config::signal_name;

}  // namespace grove::groved
