#include "config/duration.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace grove::config {
namespace {

Duration parsed(std::string_view text) {
  const DurationResult r = parse_duration(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.error;
  return r.value;
}

TEST(Duration, ParsesEachUnit) {
  EXPECT_EQ(parsed("250ms"), Duration{250});
  EXPECT_EQ(parsed("5s"), Duration{5000});
  EXPECT_EQ(parsed("2m"), Duration{120000});
  EXPECT_EQ(parsed("1h"), Duration{3600000});
}

TEST(Duration, ParsesCompoundsInDescendingOrder) {
  EXPECT_EQ(parsed("1m30s"), Duration{90000});
  EXPECT_EQ(parsed("1h2m3s4ms"), Duration{3723004});
  EXPECT_EQ(parsed("1s500ms"), Duration{1500});
}

TEST(Duration, BareDigitsAreSeconds) {
  EXPECT_EQ(parsed("30"), Duration{30000});
  EXPECT_EQ(parsed("0"), Duration{0});
}

TEST(Duration, IntegerSecondsConvert) {
  EXPECT_EQ(duration_from_seconds(5).value, Duration{5000});
  EXPECT_TRUE(duration_from_seconds(0).ok());
}

TEST(Duration, RejectsGarbageWithAMessage) {
  for (std::string_view bad : {"", "abc", "5x", "s5", "5 s", "1.5s", "5sec", "5s5", "ms", "1m1h", "1s1s", "+5s"}) {
    const DurationResult r = parse_duration(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error.find("is not a duration"), std::string::npos) << r.error;
  }
}

TEST(Duration, AFractionIsCalledAFraction) {
  EXPECT_EQ(parse_duration("1.5s").error, "\"1.5s\" is not a duration (no fractions; write 1s500ms, or 1500ms)");
}

TEST(Duration, RejectsNegatives) {
  EXPECT_EQ(parse_duration("-5s").error, "\"-5s\" is not a duration (negative)");
  EXPECT_FALSE(duration_from_seconds(-1).ok());
}

TEST(Duration, RejectsOverflowInsteadOfWrapping) {
  EXPECT_FALSE(parse_duration("99999999999999999999ms").ok());
  EXPECT_FALSE(parse_duration("9223372036854775807s").ok());
  EXPECT_FALSE(parse_duration("2562047788016h").ok());  // INT64_MAX ms is 2562047788015 h + change
  EXPECT_TRUE(parse_duration("2562047788015h").ok());
  EXPECT_FALSE(parse_duration("2562047788015h3600s").ok());
  EXPECT_FALSE(duration_from_seconds(std::numeric_limits<std::int64_t>::max()).ok());
}

TEST(Duration, FormatsTheLargestUnitsFirst) {
  EXPECT_EQ(format_duration(Duration{5000}), "5s");
  EXPECT_EQ(format_duration(Duration{250}), "250ms");
  EXPECT_EQ(format_duration(Duration{90000}), "1m30s");
  EXPECT_EQ(format_duration(Duration{3600000}), "1h");
  EXPECT_EQ(format_duration(Duration{3601500}), "1h1s500ms");
  EXPECT_EQ(format_duration(Duration{0}), "0s");
  EXPECT_EQ(format_duration(Duration{-1500}), "-1s500ms");
}

TEST(Duration, FormattedValuesParseBackUnchanged) {
  for (std::int64_t ms : {1LL, 999LL, 1000LL, 61001LL, 86400000LL, 123456789LL}) {
    EXPECT_EQ(parsed(format_duration(Duration{ms})), Duration{ms}) << ms;
  }
}

}  // namespace
}  // namespace grove::config
