#include "config/byte_size.hpp"

#include <gtest/gtest.h>

namespace grove::config {
namespace {

TEST(ByteSize, PlainDigitsAreBytes) {
  EXPECT_EQ(parse_byte_size("4096").value, 4096u);
  EXPECT_EQ(parse_byte_size("0").value, 0u);
}

TEST(ByteSize, SuffixesAreBinaryAndCaseInsensitive) {
  EXPECT_EQ(parse_byte_size("512M").value, 512ull << 20);
  EXPECT_EQ(parse_byte_size("1G").value, 1ull << 30);
  EXPECT_EQ(parse_byte_size("64k").value, 64ull << 10);
  EXPECT_EQ(parse_byte_size("2T").value, 2ull << 40);
  EXPECT_EQ(parse_byte_size("50MB").value, 50ull << 20);
  EXPECT_EQ(parse_byte_size("50MiB").value, 50ull << 20);
  EXPECT_EQ(parse_byte_size("100B").value, 100u);
}

TEST(ByteSize, RejectsGarbageNegativesAndOverflow) {
  for (std::string_view bad : {"", "M", "-1M", "1.5G", "5X", "5MBs", "1 G", "99999999999999999999",
                               "17179869184G"}) {
    EXPECT_FALSE(parse_byte_size(bad).ok()) << bad;
  }
  EXPECT_EQ(parse_byte_size("5X").error, "\"5X\" is not a size (unknown unit; use K, M, G or T)");
}

TEST(ByteSize, FormatsTheLargestExactUnit) {
  EXPECT_EQ(format_byte_size(512ull << 20), "512M");
  EXPECT_EQ(format_byte_size(1536ull << 10), "1536K");
  EXPECT_EQ(format_byte_size(1000), "1000");
  EXPECT_EQ(format_byte_size(0), "0");
  EXPECT_EQ(parse_byte_size(format_byte_size(3ull << 30)).value, 3ull << 30);
}

}  // namespace
}  // namespace grove::config
