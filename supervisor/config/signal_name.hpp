// signal_name.hpp — the one table between signal numbers and their names.
//
// grove.toml's stop_signal accepts "SIGTERM", "TERM", "term" or a number;
// status, JSON (`"signal":"SIGKILL"`) and crash reports print the SIG name.
//
//   std::optional<int> s = parse_signal("TERM");   // SIGTERM (15)
//   parse_signal("SIGUSR1");                       // SIGUSR1
//   parse_signal("42");                            // 42 (a real-time signal)
//   parse_signal("SIG42");                         // 42
//   signal_name(SIGKILL);                          // "SIGKILL"
//   signal_name(40);                               // "SIG40"
//
// Contract:
// - Names are Linux's standard signals, with or without the SIG prefix,
//   ASCII case-insensitive. Numbers ("9", "SIG40") are 1..64 (SIGRTMAX on Linux/glibc is
//   64). Anything else is nullopt.
// - signal_name never fails: unnamed numbers print as "SIG<n>".
// - Pure functions over a constant table; async-signal-safe lookups
//   (no allocation in signal_name).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace grove::config {

inline constexpr int kMaxSignal = 64;

std::optional<int> parse_signal(std::string_view text);
std::optional<int> signal_from_number(long long number);

// "SIGTERM"; "SIG40" for numbers without a name (static storage, no allocation).
std::string_view signal_name(int signo);

// The named signals without the "SIG" prefix, for "did you mean" hints.
std::span<const std::string_view> signal_words();

}  // namespace grove::config
