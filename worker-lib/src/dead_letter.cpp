#include "dead_letter.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdint>
#include <cstring>

namespace grove::detail {

namespace {

void json_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u >= 0x7F) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", u);
      out += esc;
    } else {
      out += c;
    }
  }
  out += '"';
}

bool printable(std::span<const std::byte> p) {
  for (const std::byte b : p) {
    const auto u = std::to_integer<unsigned>(b);
    if (u < 0x20 || u >= 0x7F) return false;
  }
  return true;
}

}  // namespace

std::string dead_letter_line(const DeadLetter& d, std::time_t now) {
  char when[32];
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::string out = "{\"time\":\"";
  out += when;
  out += "\",\"target\":";
  json_string(out, d.target);
  out += ",\"reason\":";
  json_string(out, d.reason);
  out += ",\"kind\":" + std::to_string(d.kind) + ",\"correlation\":" + std::to_string(d.correlation) +
         ",\"sender\":" + std::to_string(d.sender) + ",\"deliveries\":" + std::to_string(d.deliveries) +
         ",\"bytes\":" + std::to_string(d.payload.size()) + ",\"payload_hex\":\"";
  static constexpr char kHex[] = "0123456789abcdef";
  for (const std::byte b : d.payload) {
    out += kHex[std::to_integer<unsigned>(b) >> 4];
    out += kHex[std::to_integer<unsigned>(b) & 15];
  }
  out += '"';
  if (printable(d.payload)) {
    out += ",\"text\":";
    json_string(out, std::string_view(reinterpret_cast<const char*>(d.payload.data()), d.payload.size()));
  }
  out += "}\n";
  return out;
}

DeadLetterFile::DeadLetterFile(const std::string& path) : path_(path) {
  if (path.empty()) return;
  fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) std::fprintf(stderr, "grove: cannot open dead-letter file %s: %s\n", path.c_str(), std::strerror(errno));
}

DeadLetterFile::~DeadLetterFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool DeadLetterFile::append(const std::string& line) {
  if (fd_ < 0) return false;
  const ssize_t n = ::write(fd_, line.data(), line.size());
  if (n == static_cast<ssize_t>(line.size())) {
    rotate_if_full();
    return true;
  }
  std::fprintf(stderr, "grove: dead letter not written: %s", line.c_str());
  return false;
}

// Past kMaxBytes the file becomes PATH.1 (replacing an older one) and a
// new one starts: a worker that dead-letters forever cannot fill the disk,
// and `grovectl deadletters` shows the newest.
void DeadLetterFile::rotate_if_full() {
  struct stat st{};
  if (::fstat(fd_, &st) != 0 || static_cast<std::uint64_t>(st.st_size) < kMaxBytes) return;
  if (::rename(path_.c_str(), (path_ + ".1").c_str()) != 0) return;
  ::close(fd_);
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
}

}  // namespace grove::detail
