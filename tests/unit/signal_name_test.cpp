#include "config/signal_name.hpp"

#include <gtest/gtest.h>

#include <csignal>

namespace grove::config {
namespace {

TEST(SignalName, ParsesNamesWithOrWithoutPrefixInAnyCase) {
  EXPECT_EQ(parse_signal("SIGTERM"), SIGTERM);
  EXPECT_EQ(parse_signal("TERM"), SIGTERM);
  EXPECT_EQ(parse_signal("int"), SIGINT);
  EXPECT_EQ(parse_signal("SigUsr2"), SIGUSR2);
  EXPECT_EQ(parse_signal("HUP"), SIGHUP);
  EXPECT_EQ(parse_signal("QUIT"), SIGQUIT);
}

TEST(SignalName, ParsesNumbersFromOneTo64) {
  EXPECT_EQ(parse_signal("9"), 9);
  EXPECT_EQ(parse_signal("64"), 64);
  EXPECT_EQ(parse_signal("0"), std::nullopt);
  EXPECT_EQ(parse_signal("65"), std::nullopt);
  EXPECT_EQ(signal_from_number(-1), std::nullopt);
  EXPECT_EQ(signal_from_number(15), 15);
}

TEST(SignalName, RejectsUnknownNames) {
  EXPECT_EQ(parse_signal(""), std::nullopt);
  EXPECT_EQ(parse_signal("SIG"), std::nullopt);
  EXPECT_EQ(parse_signal("TERMINATE"), std::nullopt);
  EXPECT_EQ(parse_signal("-15"), std::nullopt);
}

TEST(SignalName, NamesEveryNumber) {
  EXPECT_EQ(signal_name(SIGKILL), "SIGKILL");
  EXPECT_EQ(signal_name(SIGTERM), "SIGTERM");
  EXPECT_EQ(signal_name(40), "SIG40");
  EXPECT_EQ(signal_name(0), "SIG?");
  for (int n = 1; n <= kMaxSignal; ++n) EXPECT_EQ(parse_signal(signal_name(n)).value_or(-1), n) << n;
}

}  // namespace
}  // namespace grove::config
