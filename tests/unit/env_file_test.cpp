#include "launch/env_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace grove::launch {
namespace {

EnvAssignments parse_ok(std::string_view text) {
  auto r = parse_env_file(text, "web.env");
  EXPECT_TRUE(r) << (r ? "" : r.error().describe());
  return r ? r.value() : EnvAssignments{};
}

std::string describe_error(std::string_view text) {
  auto r = parse_env_file(text, "web.env");
  return r ? "<parsed>" : r.error().describe();
}

TEST(EnvFile, ReadsAssignmentsInOrder) {
  EXPECT_EQ(parse_ok("A=1\nB=two\n"), (EnvAssignments{{"A", "1"}, {"B", "two"}}));
}

TEST(EnvFile, SkipsCommentsAndBlankLines) {
  EXPECT_EQ(parse_ok("# settings\n\n   \n  # indented comment\nA=1"), (EnvAssignments{{"A", "1"}}));
}

TEST(EnvFile, ToleratesExportPrefixAndSpacesAroundKeyAndValue) {
  EXPECT_EQ(parse_ok("export A=1\n  B =  spaced value  \n"),
            (EnvAssignments{{"A", "1"}, {"B", "spaced value"}}));
}

TEST(EnvFile, SingleQuotesAreLiteral) {
  EXPECT_EQ(parse_ok(R"(P='s3cr#t \n $HOME')"), (EnvAssignments{{"P", R"(s3cr#t \n $HOME)"}}));
}

TEST(EnvFile, DoubleQuotesKnowTheUsualEscapes) {
  EXPECT_EQ(parse_ok(R"(G="a\"b\\c\nd\te\$f\q")"), (EnvAssignments{{"G", "a\"b\\c\nd\te$f\\q"}}));
}

TEST(EnvFile, CommentMayFollowAClosingQuote) {
  EXPECT_EQ(parse_ok("A=\"x y\"   # note"), (EnvAssignments{{"A", "x y"}}));
}

TEST(EnvFile, HashInsideAnUnquotedValueIsData) {
  EXPECT_EQ(parse_ok("URL=http://h/p#frag"), (EnvAssignments{{"URL", "http://h/p#frag"}}));
}

TEST(EnvFile, EmptyValueAndCrlfLineEndsAreAccepted) {
  EXPECT_EQ(parse_ok("A=\r\nB=2\r\n"), (EnvAssignments{{"A", ""}, {"B", "2"}}));
}

TEST(EnvFile, MissingEqualsNamesTheLine) {
  EXPECT_EQ(describe_error("A=1\n\nDB_HOST\n"), "web.env:3: error: missing '=' after DB_HOST");
}

TEST(EnvFile, InvalidKeyNamesTheLine) {
  EXPECT_EQ(describe_error("1A=x"), "web.env:1: error: invalid variable name '1A'");
  EXPECT_EQ(describe_error("A-B=x"), "web.env:1: error: invalid variable name 'A-B'");
}

TEST(EnvFile, UnterminatedQuoteNamesTheLine) {
  EXPECT_EQ(describe_error("A=1\nB=\"open\n"),
            "web.env:2: error: unterminated quote in the value of B");
}

TEST(EnvFile, TextAfterTheClosingQuoteIsAnError) {
  EXPECT_EQ(describe_error("A='x' y"),
            "web.env:1: error: unexpected text after the closing quote: y");
}

TEST(EnvFile, ReadsAFileFromDisk) {
  char path[] = "/tmp/grove-envfile-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << "export A=1\n";
  auto r = read_env_file(path);
  unlink(path);
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value(), (EnvAssignments{{"A", "1"}}));
}

TEST(EnvFile, MissingFileIsUnreadable) {
  auto r = read_env_file("/nonexistent/web.env");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().describe(), "unable to read /nonexistent/web.env: No such file or directory");
}

}  // namespace
}  // namespace grove::launch
