#include "config/byte_size.hpp"

#include <array>
#include <limits>

namespace grove::config {
namespace {

struct Scale {
  char letter;
  std::uint64_t factor;
};

constexpr std::array<Scale, 4> kScales{{{'T', 1ull << 40}, {'G', 1ull << 30}, {'M', 1ull << 20}, {'K', 1ull << 10}}};

char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

ByteSizeResult fail(std::string_view text, std::string_view why) {
  return {0, "\"" + std::string(text) + "\" is not a size (" + std::string(why) + ")"};
}

// "", "B", "iB" may follow the scale letter ("M", "MB", "MiB").
bool is_byte_suffix(std::string_view rest) {
  return rest.empty() || rest == "B" || rest == "b" || rest == "iB" || rest == "ib";
}

}  // namespace

ByteSizeResult parse_byte_size(std::string_view text) {
  if (text.empty()) return fail(text, "empty");
  if (text.front() == '-') return fail(text, "negative");
  std::size_t pos = 0;
  std::uint64_t n = 0;
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
    const auto digit = static_cast<std::uint64_t>(text[pos] - '0');
    if (n > (kMax - digit) / 10) return fail(text, "too large");
    n = n * 10 + digit;
  }
  if (pos == 0) return fail(text, "it must start with a number");
  if (pos == text.size()) return {n, {}};
  std::uint64_t factor = 0;
  for (const Scale& s : kScales)
    if (upper(text[pos]) == s.letter) factor = s.factor;
  if (text.substr(pos) == "B" || text.substr(pos) == "b") factor = 1;
  else if (factor == 0 || !is_byte_suffix(text.substr(pos + 1)))
    return fail(text, "unknown unit; use K, M, G or T");
  if (n > kMax / factor) return fail(text, "too large");
  return {n * factor, {}};
}

std::string format_byte_size(std::uint64_t bytes) {
  for (const Scale& s : kScales)
    if (bytes != 0 && bytes % s.factor == 0) return std::to_string(bytes / s.factor) + s.letter;
  return std::to_string(bytes);
}

}  // namespace grove::config
