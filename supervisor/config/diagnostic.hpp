// diagnostic.hpp — one config error, located and explained, and "did you mean".
//
// Every problem grove finds in a grove.toml becomes a Diagnostic carrying the
// file, the 1-based line and column of the offending key or value, a message
// and an optional hint. They print the way compilers print, so editors and
// terminals can jump to them:
//
//   Diagnostic d{"grove.toml", 12, 1, "unknown key 'restart_policy' in [[children]]",
//                "did you mean 'restart'? allowed: name, type, command, ..."};
//   std::cerr << format_diagnostic(d);
//   // grove.toml:12:1: error: unknown key 'restart_policy' in [[children]]
//   //   hint: did you mean 'restart'? allowed: name, type, command, ...
//
//   closest_match("restrat", {"restart", "shutdown"});   // "restart"
//
// Contract:
// - line/column 0 means "no position" (a file that cannot be read): the
//   location prints as just FILE.
// - format_diagnostic always ends with '\n'; format_diagnostics joins many.
// - edit_distance is Levenshtein with adjacent transpositions counting one
//   edit (optimal string alignment), ASCII case-insensitive.
// - closest_match suggests a plausible typo, never the word itself: the
//   nearest candidate within min(2, budget) edits, where budget =
//   max(1, size/3); else the first candidate (3+ chars) that contains the
//   word or is contained in it ("restart_policy" -> "restart"); else the
//   nearest within budget; else nullopt. Ties go to the earlier candidate.
// - Pure functions; no I/O.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace grove::config {

struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
  std::string hint;  // "" = none
  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

// "FILE:LINE:COL: error: MESSAGE\n" + "  hint: HINT\n" when there is one.
std::string format_diagnostic(const Diagnostic& d);
std::string format_diagnostics(std::span<const Diagnostic> all);

// GoogleTest and logs print a Diagnostic the same way as groved --check.
std::ostream& operator<<(std::ostream& out, const Diagnostic& d);

std::size_t edit_distance(std::string_view a, std::string_view b);

std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates);
std::optional<std::string_view> closest_match(std::string_view word,
                                              std::initializer_list<std::string_view> candidates);

// "a, b, c": for "allowed: ..." hints.
std::string join_words(std::span<const std::string_view> words);

}  // namespace grove::config
