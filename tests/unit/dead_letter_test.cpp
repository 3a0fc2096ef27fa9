// The dead-letter line groved reads back: its fields, and escaping of
// whatever bytes the message held.
#include "dead_letter.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

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

TEST(DeadLetterFile, PastItsCapTheFileMovesToDotOneAndStartsOver) {
  namespace fs = std::filesystem;
  const fs::path path = fs::temp_directory_path() / ("grove-dl-" + std::to_string(::getpid()) + ".ndjson");
  fs::remove(path);
  fs::remove(path.string() + ".1");
  {
    DeadLetterFile file(path.string());
    const std::string line(1023, 'x');
    for (std::uint64_t written = 0; written < DeadLetterFile::kMaxBytes; written += 1024)
      ASSERT_TRUE(file.append(line + "\n"));
    ASSERT_TRUE(file.append("newest\n"));
  }
  EXPECT_GE(fs::file_size(path.string() + ".1"), DeadLetterFile::kMaxBytes);
  std::ifstream in(path);
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first, "newest");
  fs::remove(path);
  fs::remove(path.string() + ".1");
}

}  // namespace
}  // namespace grove::detail
