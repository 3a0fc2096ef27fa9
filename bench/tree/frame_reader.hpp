// frame_reader.hpp — a buffered reader of length-prefixed frames (u32 length
// in host order, then that many bytes) from a stream socket: what a typical
// server over a UNIX socket does, reads of up to 64 KiB and frames parsed
// out of the buffer, so a burst of casts costs one read() per buffer, not
// one per frame.
//
//   FrameReader in(fd);
//   for (;;) {
//     FrameRead r = in.next();
//     if (r.status != ReadStatus::frame) break;   // eof, failed (errno), oversized
//     handle(r.body);                             // valid until the next next()
//   }
//
// Not thread-safe; one reader per descriptor. Reads retry EINTR.
#pragma once

#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace grove::bench {

enum class ReadStatus { frame, eof, failed, oversized };

struct FrameRead {
  ReadStatus status = ReadStatus::failed;
  std::span<const std::byte> body;  // the frame's bytes after its length
  int error = 0;                    // errno when failed
};

class FrameReader {
 public:
  static constexpr std::size_t kBufferSize = 64 * 1024;

  explicit FrameReader(int fd) : fd_(fd), buffer_(kBufferSize) {}

  FrameRead next() {
    for (;;) {
      const std::size_t have = end_ - begin_;
      if (have >= sizeof(std::uint32_t)) {
        std::uint32_t length = 0;
        std::memcpy(&length, buffer_.data() + begin_, sizeof length);
        if (length > kBufferSize - sizeof length) return {ReadStatus::oversized, {}, 0};
        if (have >= sizeof length + length) {
          const std::byte* body = buffer_.data() + begin_ + sizeof length;
          begin_ += sizeof length + length;
          return {ReadStatus::frame, {body, length}, 0};
        }
      }
      if (const FrameRead r = fill(); r.status != ReadStatus::frame) return r;
    }
  }

 private:
  // Moves the partial frame to the front, then reads as much as fits.
  FrameRead fill() {
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    for (;;) {
      const ssize_t n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
      if (n > 0) {
        end_ += static_cast<std::size_t>(n);
        return {ReadStatus::frame, {}, 0};
      }
      if (n == 0) return {ReadStatus::eof, {}, 0};
      if (errno != EINTR) return {ReadStatus::failed, {}, errno};
    }
  }

  int fd_;
  std::vector<std::byte> buffer_;
  std::size_t begin_ = 0;  // first unparsed byte
  std::size_t end_ = 0;    // one past the last byte read
};

}  // namespace grove::bench
