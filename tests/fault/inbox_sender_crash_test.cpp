// A sender SIGKILLed in the middle of a write neither blocks the receiver
// nor corrupts the stream, and its lane is reclaimed by the next sender.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstring>

#include "child_process.hpp"
#include "grove/ipc/inbox.hpp"

namespace grove::ipc {
namespace {

using testing::ChildProcess;
using namespace std::chrono_literals;

class InboxSenderCrash : public ::testing::Test {
 protected:
  void SetUp() override {
    const SegmentName name{static_cast<std::uint32_t>(::getuid()), "ipc-sender-crash",
                           ProcessIdentity::self(),
                           ::testing::UnitTest::GetInstance()->current_test_info()->name()};
    // One lane: the next sender can only get in by reclaiming the dead one's.
    auto made = Inbox::create(name, {.lanes = 1, .lane_bytes = 4096});
    ASSERT_TRUE(made) << describe(made.error());
    inbox.emplace(std::move(*made));
  }
  std::optional<Inbox> inbox;
  std::array<Message, 64> batch;
};

TEST_F(InboxSenderCrash, KilledMidWriteLeavesOnlyWholeMessagesAndFreesItsLane) {
  auto reader = inbox->reader();
  ASSERT_TRUE(reader);
  ChildProcess sender = ChildProcess::spawn([&](ChildProcess::Channel& ch) {
    auto w = InboxWriter::open(inbox->name(), {.sender = 1});
    if (!w) return 2;
    for (std::uint32_t k = 0; k < 3; ++k) {
      const char text[] = "whole";
      if (!w->try_send({.kind = k}, std::as_bytes(std::span(text)))) return 3;
    }
    // Staged but never flushed, then a reservation half written.
    (void)w->try_reserve(40);
    w->stage({.kind = 100}, 40);
    auto room = w->try_reserve(500);
    if (!room) return 4;
    std::memset(room->data(), 0xEE, 250);
    ch.signal_ready();
    for (;;) ::pause();
  });
  ASSERT_TRUE(sender.wait_ready(Clock::now() + 10s));
  EXPECT_EQ(inbox->writer().error().code, IpcError::no_free_lane);  // still alive: not taken
  sender.kill(SIGKILL);
  ASSERT_TRUE(sender.wait_exit(Clock::now() + 10s));

  // The receiver gets the three whole messages and is not blocked after them.
  auto n = reader->receive(batch, Clock::now() + 5s);
  ASSERT_TRUE(n);
  ASSERT_EQ(*n, 3u);
  for (std::uint32_t k = 0; k < 3; ++k) EXPECT_EQ(batch[k].kind, k);
  reader->release_all();
  EXPECT_EQ(reader->receive(batch, Clock::now() + 20ms).error().code, IpcError::timed_out);

  // The lane is reclaimed: a new sender gets in and its messages follow.
  auto next = inbox->writer({.sender = 2});
  ASSERT_TRUE(next) << describe(next.error());
  EXPECT_EQ(inbox->stats().lanes_reclaimed, 1u);
  ASSERT_TRUE(next->try_send({.kind = 7}, {}));
  n = reader->receive(batch, Clock::now() + 5s);
  ASSERT_TRUE(n);
  ASSERT_EQ(*n, 1u);
  EXPECT_EQ(batch[0].kind, 7u);
  EXPECT_EQ(batch[0].sender, 2u);
  EXPECT_EQ(inbox->stats().corrupt_events, 0u);
}

// Killed at an arbitrary moment of a fast stream (often inside a write):
// what arrives is a gapless prefix of what was sent, every byte intact.
TEST_F(InboxSenderCrash, KilledAtRandomMomentsLeavesAGaplessPrefix) {
  auto reader = inbox->reader({.spin_for = 0ns});
  ASSERT_TRUE(reader);
  std::uint32_t expected = 0;
  for (int round = 0; round < 5; ++round) {
    const std::uint32_t first = expected;
    ChildProcess sender = ChildProcess::spawn([&](ChildProcess::Channel& ch) {
      auto w = InboxWriter::open(inbox->name());
      if (!w) return 2;
      ch.signal_ready();
      std::array<std::byte, 300> buf;
      for (std::uint32_t seq = first;; ++seq) {
        std::memset(buf.data(), static_cast<int>(seq & 0xFF), buf.size());
        if (!w->send({.kind = seq}, std::span(buf).first(seq % 300), Clock::now() + 10s)) return 3;
      }
    });
    ASSERT_TRUE(sender.wait_ready(Clock::now() + 10s));
    bool killed = false;
    const auto kill_after = expected + 500 + static_cast<std::uint32_t>(round) * 397;
    for (;;) {
      auto n = reader->receive(batch, Clock::now() + (killed ? 50ms : 10s));
      if (!n) {
        ASSERT_TRUE(killed) << describe(n.error());
        break;  // the dead sender's lane is drained
      }
      for (std::size_t i = 0; i < *n; ++i, ++expected) {
        ASSERT_EQ(batch[i].kind, expected);
        ASSERT_EQ(batch[i].payload.size(), expected % 300);
        for (std::byte b : batch[i].payload) ASSERT_EQ(b, static_cast<std::byte>(expected & 0xFF));
      }
      reader->release_all();
      if (!killed && expected >= kill_after) {
        sender.kill(SIGKILL);
        ASSERT_TRUE(sender.wait_exit(Clock::now() + 10s));
        killed = true;
      }
    }
  }
  EXPECT_EQ(inbox->stats().corrupt_events, 0u);
  EXPECT_GE(inbox->stats().lanes_reclaimed, 4u);
}

}  // namespace
}  // namespace grove::ipc
