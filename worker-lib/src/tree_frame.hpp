// tree_frame.hpp — the bytes of one message between workers of a tree, as
// they lie in an inbox record's payload (the record's kind is the wire kind
// of the body's type, its correlation the call's reference).
//
//   offset 0  op        1 cast, 2 call, 3 reply
//          1  status    reply: 0 ok, else 1 + CallError::Kind (body: reason)
//          2  target    length T of the recipient's tree-wide name (cast, call)
//          3  reply_to  length P of the caller's worker path (call)
//          4  target[T] reply_to[P] body...
//
//   std::string bytes(frame_size(f), '\0');  write_frame(as_writable_bytes(...), f);
//   std::optional<Frame> f = parse_frame(message.payload);   // nullopt: malformed
//
// Pure: no system calls. parse_frame trusts nothing (another process wrote it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace grove::detail {

enum class FrameOp : std::uint8_t { cast = 1, call = 2, reply = 3 };

struct Frame {
  FrameOp op = FrameOp::cast;
  std::uint8_t status = 0;
  std::string_view target;
  std::string_view reply_to;
  std::span<const std::byte> body;
};

inline constexpr std::size_t kFrameHead = 4;
inline constexpr std::size_t kMaxFrameName = 255;

std::size_t frame_size(const Frame& f);
// `out` holds exactly frame_size(f) bytes; names longer than kMaxFrameName
// must have been refused by the caller.
void write_frame(std::span<std::byte> out, const Frame& f);
std::optional<Frame> parse_frame(std::span<const std::byte> in);

}  // namespace grove::detail
