#include "config/readiness_parser.hpp"

#include <gtest/gtest.h>

namespace grove::config {
namespace {

TEST(ReadinessParser, StartedAndNotifyAreWords) {
  EXPECT_EQ(parse_readiness("started").value.kind, Readiness::Kind::started);
  EXPECT_EQ(parse_readiness("notify").value.kind, Readiness::Kind::notify);
}

TEST(ReadinessParser, FdThreeOrAboveIsANotificationFd) {
  const ReadinessResult r = parse_readiness("fd:3");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value.kind, Readiness::Kind::fd);
  EXPECT_EQ(r.value.fd, 3);
  EXPECT_EQ(parse_readiness("fd:65535").value.fd, 65535);
}

TEST(ReadinessParser, FdBelowThreeIsStdioAndRejected) {
  const ReadinessResult r = parse_readiness("fd:1");
  EXPECT_EQ(r.error, "fd 1 is the child's stdout: readiness needs its own fd");
  EXPECT_EQ(r.hint, "use fd:3 or above (s6's notification-fd)");
  EXPECT_FALSE(parse_readiness("fd:0").ok());
  EXPECT_FALSE(parse_readiness("fd:2").ok());
}

TEST(ReadinessParser, FdMustBeANumberInRange) {
  for (std::string_view bad : {"fd:", "fd:x", "fd:-3", "fd:65536", "fd:99999999999"})
    EXPECT_FALSE(parse_readiness(bad).ok()) << bad;
}

TEST(ReadinessParser, TcpNeedsHostAndPort) {
  const ReadinessResult r = parse_readiness("tcp://127.0.0.1:6390");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value.kind, Readiness::Kind::tcp);
  EXPECT_EQ(r.value.host, "127.0.0.1");
  EXPECT_EQ(r.value.port, 6390);
  EXPECT_EQ(parse_readiness("tcp://localhost:1").value.host, "localhost");
}

TEST(ReadinessParser, TcpAcceptsBracketedIpv6) {
  const ReadinessResult r = parse_readiness("tcp://[::1]:8080");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value.host, "::1");
  EXPECT_EQ(r.value.port, 8080);
}

TEST(ReadinessParser, RejectsBadTcpUrls) {
  EXPECT_EQ(parse_readiness("tcp://localhost").error, "\"tcp://localhost\" has no port");
  EXPECT_EQ(parse_readiness("tcp://:80").error, "\"tcp://:80\" has no host");
  EXPECT_EQ(parse_readiness("tcp://h:0").error, "\"tcp://h:0\": port \"0\" is not a number from 1 to 65535");
  for (std::string_view bad : {"tcp://h:65536", "tcp://h:80/path", "tcp://h:x", "tcp://::1:80",
                               "tcp://[::1", "tcp://[::1]", "tcp://"})
    EXPECT_FALSE(parse_readiness(bad).ok()) << bad;
}

TEST(ReadinessParser, OtherSchemesAndWordsAreRejected) {
  EXPECT_EQ(parse_readiness("http://h:80").error, "\"http://h:80\": only tcp:// readiness is supported");
  EXPECT_FALSE(parse_readiness("ready").ok());
  EXPECT_FALSE(parse_readiness("").ok());
}

TEST(ReadinessParser, DescribeIsTheInverse) {
  for (std::string_view text : {"started", "notify", "fd:3", "tcp://127.0.0.1:6390", "tcp://[::1]:80"})
    EXPECT_EQ(describe_readiness(parse_readiness(text).value), text);
}

}  // namespace
}  // namespace grove::config
