#include "tree_frame.hpp"

#include <cstring>

namespace grove::detail {

std::size_t frame_size(const Frame& f) { return kFrameHead + f.target.size() + f.reply_to.size() + f.body.size(); }

void write_frame(std::span<std::byte> out, const Frame& f) {
  out[0] = static_cast<std::byte>(f.op);
  out[1] = static_cast<std::byte>(f.status);
  out[2] = static_cast<std::byte>(f.target.size());
  out[3] = static_cast<std::byte>(f.reply_to.size());
  std::byte* at = out.data() + kFrameHead;
  // (memcpy from an empty view's null data is undefined: copy only bytes.)
  if (!f.target.empty()) std::memcpy(at, f.target.data(), f.target.size());
  at += f.target.size();
  if (!f.reply_to.empty()) std::memcpy(at, f.reply_to.data(), f.reply_to.size());
  at += f.reply_to.size();
  if (!f.body.empty()) std::memcpy(at, f.body.data(), f.body.size());
}

std::optional<Frame> parse_frame(std::span<const std::byte> in) {
  if (in.size() < kFrameHead) return std::nullopt;
  const auto op = std::to_integer<std::uint8_t>(in[0]);
  if (op < 1 || op > 3) return std::nullopt;
  const std::size_t t = std::to_integer<std::size_t>(in[2]);
  const std::size_t p = std::to_integer<std::size_t>(in[3]);
  if (kFrameHead + t + p > in.size()) return std::nullopt;
  Frame f;
  f.op = static_cast<FrameOp>(op);
  f.status = std::to_integer<std::uint8_t>(in[1]);
  const char* names = reinterpret_cast<const char*>(in.data() + kFrameHead);
  f.target = std::string_view(names, t);
  f.reply_to = std::string_view(names + t, p);
  f.body = in.subspan(kFrameHead + t + p);
  const bool needs_target = f.op != FrameOp::reply;
  if (needs_target && f.target.empty()) return std::nullopt;
  if (f.op == FrameOp::call && f.reply_to.empty()) return std::nullopt;
  if (f.op != FrameOp::reply && f.status != 0) return std::nullopt;
  return f;
}

}  // namespace grove::detail
