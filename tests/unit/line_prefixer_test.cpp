#include "launch/line_prefixer.hpp"

#include <gtest/gtest.h>

namespace grove::launch {
namespace {

std::string feed_all(LinePrefixer& p, std::initializer_list<std::string_view> chunks) {
  std::string out;
  for (std::string_view c : chunks) p.feed(c, out);
  return out;
}

TEST(LinePrefixer, CompleteLinesComeBackPrefixed) {
  LinePrefixer p("api/web");
  EXPECT_EQ(feed_all(p, {"hello\nworld\n"}), "api/web | hello\napi/web | world\n");
  EXPECT_EQ(p.pending(), 0u);
}

TEST(LinePrefixer, LineSplitAcrossReadsIsJoined) {
  LinePrefixer p("db");
  EXPECT_EQ(feed_all(p, {"hel", "lo wo", "rld\nnext"}), "db | hello world\n");
  EXPECT_EQ(p.pending(), 4u);
}

TEST(LinePrefixer, PartialLastLineIsFlushedAtEof) {
  LinePrefixer p("db");
  std::string out = feed_all(p, {"no newline"});
  EXPECT_EQ(out, "");
  p.finish(out);
  EXPECT_EQ(out, "db | no newline\n");
  p.finish(out);  // nothing more to flush
  EXPECT_EQ(out, "db | no newline\n");
}

TEST(LinePrefixer, EmptyLinesArePreserved) {
  LinePrefixer p("db");
  EXPECT_EQ(feed_all(p, {"\n\n"}), "db | \ndb | \n");
}

TEST(LinePrefixer, OverLongLineIsSplitNotBufferedWithoutBound) {
  LinePrefixer p("x", 8);
  EXPECT_EQ(feed_all(p, {"0123456789abcdefXY"}), "x | 01234567\nx | 89abcdef\n");
  EXPECT_EQ(p.pending(), 2u);
}

TEST(LinePrefixer, OverLongLineFedByteByByteIsSplitToo) {
  LinePrefixer p("x", 4);
  std::string out;
  for (char c : std::string("abcdefghij\n")) p.feed(std::string_view(&c, 1), out);
  EXPECT_EQ(out, "x | abcd\nx | efgh\nx | ij\n");
}

TEST(LinePrefixer, LineOfExactlyMaxLengthIsOneLine) {
  LinePrefixer p("x", 4);
  EXPECT_EQ(feed_all(p, {"abcd\n"}), "x | abcd\n");
  EXPECT_EQ(feed_all(p, {"ab", "cd", "\n"}), "x | abcd\n");
}

TEST(LinePrefixer, DefaultLimitIsFourKibibytes) {
  LinePrefixer p("x");
  const std::string big(5000, 'a');
  std::string out = feed_all(p, {big});
  EXPECT_EQ(out, "x | " + std::string(4096, 'a') + "\n");
  EXPECT_EQ(p.pending(), 5000u - 4096u);
}

TEST(LinePrefixer, BytesPassThroughUnchanged) {
  LinePrefixer p("x");
  const std::string raw("a\r\0b\xff", 5);
  EXPECT_EQ(feed_all(p, {raw + "\n"}), "x | " + raw + "\n");
}

}  // namespace
}  // namespace grove::launch
