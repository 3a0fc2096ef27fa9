// The dead-letter line groved reads back: its fields, and escaping of
// whatever bytes the message held.
#include "dead_letter.hpp"

#include <gtest/gtest.h>

#include <string>

namespace grove::detail {
namespace {

TEST(DeadLetter, ALineHoldsEveryFieldPayloadAsHexAndPrintableText) {
  const std::string body = "put \"a\"";
  const std::string line = dead_letter_line(
      {"kv", "redeliveries", 7, 9, 42, 4, std::as_bytes(std::span(body))}, 0);
  EXPECT_EQ(line,
            "{\"time\":\"1970-01-01T00:00:00Z\",\"target\":\"kv\",\"reason\":\"redeliveries\",\"kind\":7,"
            "\"correlation\":9,\"sender\":42,\"deliveries\":4,\"bytes\":7,"
            "\"payload_hex\":\"70757420226122\",\"text\":\"put \\\"a\\\"\"}\n");
}

TEST(DeadLetter, BinaryPayloadsHaveHexOnlyAndTargetsAreEscaped) {
  const unsigned char raw[] = {0x00, 0xff, 0x10};
  const std::string line = dead_letter_line(
      {"we\"ird\n", "undecodable", 1, 0, 0, 0, std::as_bytes(std::span(raw))}, 0);
  EXPECT_NE(line.find("\"payload_hex\":\"00ff10\""), std::string::npos) << line;
  EXPECT_EQ(line.find("\"text\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"target\":\"we\\\"ird\\u000a\""), std::string::npos) << line;
}

}  // namespace
}  // namespace grove::detail
