#include "config/duration.hpp"

#include <array>
#include <limits>

namespace grove::config {
namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t ms;
};

// Descending order: parts must appear in this order, each at most once.
constexpr std::array<Unit, 4> kUnits{{{"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}}};
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

DurationResult fail(std::string_view text, std::string_view why) {
  return {Duration{0}, quoted(text) + " is not a duration (" + std::string(why) + ")"};
}

// Reads digits at text[pos...]; false on overflow of int64.
bool read_number(std::string_view text, std::size_t& pos, std::int64_t& out) {
  out = 0;
  for (; pos < text.size() && is_digit(text[pos]); ++pos) {
    const int digit = text[pos] - '0';
    if (out > (kMax - digit) / 10) return false;
    out = out * 10 + digit;
  }
  return true;
}

// The unit starting at text[pos]: the longest suffix that matches ("ms" before "m").
const Unit* read_unit(std::string_view text, std::size_t& pos) {
  std::size_t end = pos;
  while (end < text.size() && !is_digit(text[end])) ++end;
  const std::string_view word = text.substr(pos, end - pos);
  for (const Unit& u : kUnits) {
    if (u.suffix == word) {
      pos = end;
      return &u;
    }
  }
  return nullptr;
}

}  // namespace

DurationResult duration_from_seconds(std::int64_t seconds) {
  if (seconds < 0) return {Duration{0}, std::to_string(seconds) + " is not a duration (negative)"};
  if (seconds > kMax / 1000) return {Duration{0}, std::to_string(seconds) + " seconds is too long"};
  return {Duration{seconds * 1000}, {}};
}

DurationResult parse_duration(std::string_view text) {
  if (text.empty()) return fail(text, "empty");
  if (text.front() == '-') return fail(text, "negative");
  if (!is_digit(text.front())) return fail(text, "it must start with a number");
  std::size_t pos = 0;
  std::int64_t total = 0;
  std::size_t next_unit = 0;  // index into kUnits: enforces descending, no repeats
  while (pos < text.size()) {
    std::int64_t n = 0;
    if (!is_digit(text[pos])) return fail(text, "expected a number");
    if (!read_number(text, pos, n)) return fail(text, "too long");
    if (pos == text.size()) {
      if (next_unit != 0) return fail(text, "missing unit after the last number");
      return duration_from_seconds(n);
    }
    if (text[pos] == '.' || text[pos] == ',')  // "1.5s": say so, not "unknown unit"
      return fail(text, "no fractions; write 1s500ms, or 1500ms");
    const Unit* unit = read_unit(text, pos);
    if (unit == nullptr) return fail(text, "unknown unit; use h, m, s or ms");
    const auto index = static_cast<std::size_t>(unit - kUnits.data());
    if (index < next_unit) return fail(text, "units must go from h to ms, each once");
    next_unit = index + 1;
    if (n > (kMax - total) / unit->ms) return fail(text, "too long");
    total += n * unit->ms;
  }
  return {Duration{total}, {}};
}

std::string format_duration(Duration d) {
  std::int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    // -(min) overflows; durations that large are never parsed, print coarsely.
    ms = ms == std::numeric_limits<std::int64_t>::min() ? kMax : -ms;
  }
  for (const Unit& u : kUnits) {
    if (ms >= u.ms) {
      out += std::to_string(ms / u.ms);
      out += u.suffix;
      ms %= u.ms;
    }
  }
  return out;
}

}  // namespace grove::config
