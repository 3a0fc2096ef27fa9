// duration.hpp — grove.toml's durations: "250ms", "5s", "2m", "1h", "1m30s".
//
// toml++ has no duration type, so every duration key (period, shutdown,
// start_timeout, restart_delay, backoff_max, backoff_reset, watchdog) goes
// through parse_duration (a string) or duration_from_seconds (a bare TOML
// integer, which means seconds). format_duration is the inverse, for --check,
// status and log lines.
//
//   DurationResult d = parse_duration("1m30s");
//   if (d.ok()) use(d.value);                 // Duration{90000}
//   else report(d.error);                     // "... is not a duration ..."
//   format_duration(Duration{90000});         // "1m30s"
//   duration_from_seconds(5).value;           // Duration{5000}
//
// Contract:
// - Grammar: one or more <digits><unit> parts, units h, m, s, ms, each at
//   most once and in that (descending) order; or bare digits = seconds.
//   No sign, no spaces, no fractions: "-5s", "1.5s", "5 s" are errors.
// - The total must fit in Duration (int64 milliseconds); overflow is an
//   error, never a wrap.
// - format_duration(parse_duration(x).value) parses back to the same value;
//   zero prints "0s"; negative durations print with a leading '-' (they are
//   never produced by the parser, but a printer must not lie).
// - Pure functions, no allocation beyond the returned strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "policy/child_spec.hpp"

namespace grove::config {

struct DurationResult {
  Duration value{0};
  std::string error;  // empty on success; else a sentence for a Diagnostic
  bool ok() const { return error.empty(); }
};

DurationResult parse_duration(std::string_view text);
DurationResult duration_from_seconds(std::int64_t seconds);
std::string format_duration(Duration d);

}  // namespace grove::config
