// dead_letter.hpp — a message set aside instead of handled, as the one JSON
// line groved's `grovectl deadletters` reads back (groved(8), "Dead letters").
//
//   DeadLetter d{.target = "kv", .reason = "redeliveries", .kind = k, ...};
//   std::string line = dead_letter_line(d, std::time(nullptr));
//   // {"time":"2026-11-24T20:31:05Z","target":"kv","reason":"redeliveries",...}\n
//
// dead_letter_line is pure. DeadLetterFile appends whole lines (O_APPEND,
// one write each) so a crash never leaves half a line before a later one;
// past 8 MiB the file becomes PATH.1 (one older file kept) and starts over.
#pragma once

#include <cstdint>
#include <ctime>
#include <span>
#include <string>
#include <string_view>

namespace grove::detail {

struct DeadLetter {
  std::string_view target;   // the tree-wide name it was sent to ("" when unreadable)
  std::string_view reason;   // "redeliveries" | "no recipient" | "undecodable"
  std::uint32_t kind = 0;
  std::uint64_t correlation = 0;
  std::uint32_t sender = 0;
  std::uint32_t deliveries = 0;
  std::span<const std::byte> payload;  // the frame's body
};

std::string dead_letter_line(const DeadLetter& d, std::time_t now);

class DeadLetterFile {
 public:
  explicit DeadLetterFile(const std::string& path);  // "" = none (standalone)
  ~DeadLetterFile();
  DeadLetterFile(const DeadLetterFile&) = delete;
  DeadLetterFile& operator=(const DeadLetterFile&) = delete;
  bool append(const std::string& line);  // false: not written (reported on stderr)
  static constexpr std::uint64_t kMaxBytes = 8 * 1024 * 1024;

 private:
  void rotate_if_full();
  std::string path_;
  int fd_ = -1;
};

}  // namespace grove::detail
