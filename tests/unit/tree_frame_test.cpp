// The bytes of a message between workers: round trips, and refusal of
// anything another process could have scribbled.
#include "tree_frame.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace grove::detail {
namespace {

std::vector<std::byte> bytes(const Frame& f) {
  std::vector<std::byte> out(frame_size(f));
  write_frame(out, f);
  return out;
}
std::span<const std::byte> as_span(const std::string& s) { return std::as_bytes(std::span(s)); }

TEST(TreeFrame, ACallRoundTripsWithTargetReplyPathAndBody) {
  const std::string body = "payload";
  const auto wire = bytes({FrameOp::call, 0, "kv", "api/client", as_span(body)});
  auto f = parse_frame(wire);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->op, FrameOp::call);
  EXPECT_EQ(f->target, "kv");
  EXPECT_EQ(f->reply_to, "api/client");
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(f->body.data()), f->body.size()), body);
}

TEST(TreeFrame, AReplyCarriesItsStatusAndNoNames) {
  const auto wire = bytes({FrameOp::reply, 3, {}, {}, {}});
  auto f = parse_frame(wire);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->status, 3);
  EXPECT_TRUE(f->target.empty() && f->body.empty());
}

TEST(TreeFrame, RefusesShortUnknownOverlongAndIncompleteFrames) {
  EXPECT_FALSE(parse_frame({}));
  const std::string body = "b";
  auto wire = bytes({FrameOp::cast, 0, "kv", {}, as_span(body)});
  auto bad = wire;
  bad[0] = std::byte{9};
  EXPECT_FALSE(parse_frame(bad)) << "unknown op";
  bad = wire;
  bad[2] = std::byte{200};
  EXPECT_FALSE(parse_frame(bad)) << "target longer than the frame";
  bad = wire;
  bad[2] = std::byte{0};
  EXPECT_FALSE(parse_frame(bad)) << "a cast without a target";
  bad = wire;
  bad[1] = std::byte{1};
  EXPECT_FALSE(parse_frame(bad)) << "a status on a request";
  EXPECT_FALSE(parse_frame(bytes({FrameOp::call, 0, "kv", {}, {}}))) << "a call without a reply path";
}

TEST(TreeFrame, NeverReadsPastTheBytesItIsGiven) {
  const std::string body(40, 'x');
  const auto wire = bytes({FrameOp::call, 0, "name", "path", as_span(body)});
  for (std::size_t cut = 0; cut < wire.size(); ++cut) {
    auto f = parse_frame(std::span(wire).first(cut));
    if (f) {
      EXPECT_LE(f->body.data() + f->body.size(), wire.data() + cut);
    }
  }
}

}  // namespace
}  // namespace grove::detail
