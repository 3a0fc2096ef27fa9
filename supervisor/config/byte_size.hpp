// byte_size.hpp — sizes in grove.toml: "512M", "1G", "64KiB", or plain bytes.
//
// Used where a key counts bytes: limits.as, limits.core, log_max_bytes.
// Suffixes are binary (K = 1024), as ulimit and systemd read them.
//
//   ByteSizeResult s = parse_byte_size("512M");
//   if (s.ok()) use(s.value);                  // 536870912
//   format_byte_size(536870912);               // "512M"
//
// Contract:
// - Grammar: <digits>[K|M|G|T][B|iB], case-insensitive unit; "512" is bytes.
//   No sign, spaces or fractions. Overflow of uint64 is an error.
// - format_byte_size prints the largest unit that divides the value exactly
//   ("1536K", "3G", "1000"); parse_byte_size reads it back unchanged.
// - Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace grove::config {

struct ByteSizeResult {
  std::uint64_t value = 0;
  std::string error;  // empty on success; else a sentence for a Diagnostic
  bool ok() const { return error.empty(); }
};

ByteSizeResult parse_byte_size(std::string_view text);
std::string format_byte_size(std::uint64_t bytes);

}  // namespace grove::config
