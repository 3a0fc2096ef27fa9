#include "launch/notify_message.hpp"

#include <gtest/gtest.h>

namespace grove::launch {
namespace {

TEST(NotifyMessage, ReadyIsRecognised) {
  EXPECT_TRUE(parse_notify_message("READY=1").ready);
  EXPECT_TRUE(parse_notify_message("READY=1\n").ready);
}

TEST(NotifyMessage, OnlyOneCountsAsTrue) {
  EXPECT_FALSE(parse_notify_message("READY=0").ready);
  EXPECT_FALSE(parse_notify_message("READY=yes").ready);
}

TEST(NotifyMessage, SeveralAssignmentsInOneDatagram) {
  const NotifyMessage m =
      parse_notify_message("READY=1\nSTATUS=listening on :80\nMAINPID=4242\nERRNO=2\n");
  EXPECT_TRUE(m.ready);
  EXPECT_EQ(m.status, "listening on :80");
  EXPECT_EQ(m.main_pid, 4242);
  EXPECT_EQ(m.errno_value, 2);
}

TEST(NotifyMessage, StoppingReloadingAndWatchdog) {
  const NotifyMessage m = parse_notify_message("STOPPING=1\nRELOADING=1\nWATCHDOG=1");
  EXPECT_TRUE(m.stopping);
  EXPECT_TRUE(m.reloading);
  EXPECT_TRUE(m.watchdog);
  EXPECT_FALSE(m.watchdog_trigger);
  EXPECT_TRUE(parse_notify_message("WATCHDOG=trigger").watchdog_trigger);
}

TEST(NotifyMessage, StatusMayContainEqualsAndBeEmpty) {
  EXPECT_EQ(parse_notify_message("STATUS=a=b").status, "a=b");
  EXPECT_EQ(parse_notify_message("STATUS=").status, "");
}

TEST(NotifyMessage, UnknownAssignmentsAreIgnored) {
  NotifyMessage expected;
  expected.ready = true;
  EXPECT_EQ(parse_notify_message("FDSTORE=1\nX_CUSTOM=7\nREADY=1"), expected);
}

TEST(NotifyMessage, BarrierIsRecognised) {
  EXPECT_TRUE(parse_notify_message("BARRIER=1").barrier);
}

TEST(NotifyMessage, GarbageIsTolerated) {
  EXPECT_EQ(parse_notify_message(std::string("\n\n==\nnoequals\n=1\n\0\xff", 20)), NotifyMessage{});
  EXPECT_EQ(parse_notify_message(""), NotifyMessage{});
}

TEST(NotifyMessage, BadNumbersAreIgnored) {
  const NotifyMessage m = parse_notify_message("MAINPID=12x\nERRNO=\nEXTEND_TIMEOUT_USEC=-1");
  EXPECT_FALSE(m.main_pid);
  EXPECT_FALSE(m.errno_value);
  EXPECT_FALSE(m.extend_timeout_usec);
  EXPECT_FALSE(parse_notify_message("MAINPID=0").main_pid);
  EXPECT_FALSE(parse_notify_message("MAINPID=-5").main_pid);
}

TEST(NotifyMessage, LastOccurrenceWins) {
  EXPECT_EQ(parse_notify_message("STATUS=a\nSTATUS=b").status, "b");
  EXPECT_FALSE(parse_notify_message("READY=1\nREADY=0").ready);
}

}  // namespace
}  // namespace grove::launch
