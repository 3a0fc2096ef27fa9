// The sending side: lanes, backpressure, zero-copy, batching.
#include "grove/ipc/inbox_writer.hpp"

#include <gtest/gtest.h>
#include <sched.h>

#include <array>
#include <cstring>
#include <vector>

#include "grove/ipc/inbox.hpp"

namespace grove::ipc {
namespace {

using namespace std::chrono_literals;

std::span<const std::byte> bytes_of(const std::string& s) { return std::as_bytes(std::span(s)); }

class InboxWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = Inbox::create_anonymous({.lanes = 2, .lane_bytes = 4096});
    ASSERT_TRUE(made) << describe(made.error());
    inbox.emplace(std::move(*made));
  }
  std::optional<Inbox> inbox;
};

TEST_F(InboxWriterTest, TrySendFailsFastWithFullWhenTheLaneIsFull) {
  auto w = inbox->writer();
  ASSERT_TRUE(w);
  const std::string msg(64, 'x');
  int sent = 0;
  Status s;
  while ((s = w->try_send({}, bytes_of(msg)))) ++sent;
  EXPECT_EQ(s.error().code, IpcError::full);
  EXPECT_EQ(sent, 4096 / 96);  // whole records of 32 + 64 bytes
}

TEST_F(InboxWriterTest, SendWithADeadlineGivesUpWithFull) {
  auto w = inbox->writer();
  const std::string msg(1000, 'x');
  while (w->try_send({}, bytes_of(msg))) {
  }
  const auto start = Clock::now();
  const Status s = w->send({}, bytes_of(msg), start + 30ms);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, IpcError::full);
  EXPECT_GE(Clock::now() - start, 30ms);
}

TEST_F(InboxWriterTest, ASenderWaitingForRoomSleepsAfterItsSpinAndIsCounted) {
  auto w = inbox->writer({.spin_for = 100us});
  const std::string msg(1000, 'x');
  while (w->try_send({}, bytes_of(msg))) {
  }
  EXPECT_EQ(inbox->stats().sender_sleeps, 0u);
  const Status s = w->send({}, bytes_of(msg), Clock::now() + 30ms);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, IpcError::full);
  EXPECT_GE(inbox->stats().sender_sleeps, 1u);
}

TEST_F(InboxWriterTest, AnEndlessSpinStillEndsAtTheDeadline) {
  auto w = inbox->writer({.spin_for = std::chrono::nanoseconds::max()});
  const std::string msg(1000, 'x');
  while (w->try_send({}, bytes_of(msg))) {
  }
  const auto start = Clock::now();
  const Status s = w->send({}, bytes_of(msg), start + 30ms);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, IpcError::full);
  EXPECT_GE(Clock::now() - start, 30ms);
  EXPECT_LT(Clock::now() - start, 10s);
}

// The CPU hints (inbox_layout.hpp) tell each side whether a yield would let
// the other run: a publish records the sender's CPU in its lane, a waiting
// receiver its own in the header.
TEST_F(InboxWriterTest, PublishAndWaitRecordTheCpuEachSideRunsOn) {
  cpu_set_t was;
  ASSERT_EQ(::sched_getaffinity(0, sizeof was, &was), 0);
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(0, &one);
  ASSERT_EQ(::sched_setaffinity(0, sizeof one, &one), 0);  // this thread, on CPU 0
  auto w = inbox->writer();
  auto r = inbox->reader({.spin_for = 1ms});
  ASSERT_TRUE(w->try_send({}, bytes_of("here")));
  std::array<Message, 1> got;
  ASSERT_TRUE(r->receive(got, Clock::now() + 1s));
  EXPECT_FALSE(r->receive(got, Clock::now() + 2ms));  // spins (and records), then times out
  auto seg = Segment::open_fd(inbox->fd());
  ASSERT_TRUE(seg);
  auto geo = layout::check_header(*layout::header_at(seg->data()), seg->size());
  ASSERT_TRUE(geo);
  EXPECT_EQ(layout::lane_at(seg->data(), *geo, w->lane())->sender_cpu.load(), 1u);
  EXPECT_EQ(layout::header_at(seg->data())->receiver_cpu.load(), 1u);
  ::sched_setaffinity(0, sizeof was, &was);
}

TEST_F(InboxWriterTest, ReleasedRoomCanBeReusedBySendingAgain) {
  auto w = inbox->writer();
  auto r = inbox->reader();
  const std::string msg(100, 'x');
  for (int round = 0; round < 50; ++round) {  // 50 * 4 records laps the 4 KiB ring
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(w->try_send({.kind = 1}, bytes_of(msg)));
    std::array<Message, 8> batch;
    ASSERT_EQ(r->try_peek(batch), 4u);
    r->release_all();
  }
}

TEST_F(InboxWriterTest, TooLargeMessagesAreRefused) {
  auto w = inbox->writer();
  EXPECT_EQ(w->max_message(), 2048u - 32u);
  const std::string big(w->max_message() + 1, 'x');
  EXPECT_EQ(w->try_send({}, bytes_of(big)).error().code, IpcError::message_too_large);
  const std::string fits(w->max_message(), 'x');
  EXPECT_TRUE(w->try_send({}, bytes_of(fits)));
}

TEST_F(InboxWriterTest, EachWriterGetsItsOwnLaneUntilNoneIsLeft) {
  auto a = inbox->writer();
  auto b = inbox->writer();
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  EXPECT_NE(a->lane(), b->lane());
  auto c = inbox->writer();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, IpcError::no_free_lane);
}

TEST_F(InboxWriterTest, ADestroyedWritersLaneIsFreeAgainWithItsMessagesQueued) {
  auto r = inbox->reader();
  {
    auto a = inbox->writer({.sender = 1});
    auto b = inbox->writer({.sender = 2});
    ASSERT_TRUE(a->try_send({.kind = 10}, bytes_of("from a")));
  }
  auto c = inbox->writer({.sender = 3});
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->try_send({.kind = 11}, bytes_of("from c")));
  std::array<Message, 4> batch;
  EXPECT_EQ(r->try_peek(batch), 2u);
}

TEST_F(InboxWriterTest, ZeroCopyCommitMayShrinkTheReservation) {
  auto w = inbox->writer({.sender = 9});
  auto r = inbox->reader();
  auto buf = w->try_reserve(100);
  ASSERT_TRUE(buf);
  ASSERT_EQ(buf->size(), 100u);
  std::memcpy(buf->data(), "abc", 3);
  w->commit({.kind = 5, .correlation = 77}, 3);
  std::array<Message, 2> batch;
  ASSERT_EQ(r->try_peek(batch), 1u);
  EXPECT_EQ(batch[0].kind, 5u);
  EXPECT_EQ(batch[0].correlation, 77u);
  EXPECT_EQ(batch[0].sender, 9u);
  ASSERT_EQ(batch[0].payload.size(), 3u);
  EXPECT_EQ(std::memcmp(batch[0].payload.data(), "abc", 3), 0);
}

TEST_F(InboxWriterTest, StagedMessagesAppearOnlyAtFlush) {
  auto w = inbox->writer();
  auto r = inbox->reader();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(w->try_reserve(8));
    w->stage({.kind = static_cast<std::uint32_t>(i)}, 8);
  }
  std::array<Message, 4> batch;
  EXPECT_EQ(r->try_peek(batch), 0u);
  w->flush();
  ASSERT_EQ(r->try_peek(batch), 3u);
  for (std::uint32_t i = 0; i < 3; ++i) EXPECT_EQ(batch[i].kind, i);
}

TEST_F(InboxWriterTest, AnUncommittedReservationIsNeverDelivered) {
  auto w = inbox->writer();
  auto r = inbox->reader();
  ASSERT_TRUE(w->try_reserve(8));
  ASSERT_TRUE(w->try_reserve(8));  // replaces the first one
  w->commit({.kind = 2}, 8);
  std::array<Message, 4> batch;
  ASSERT_EQ(r->try_peek(batch), 1u);
  EXPECT_EQ(batch[0].kind, 2u);
}

TEST_F(InboxWriterTest, AttachByNameToAnInboxOfTheSameUser) {
  const SegmentName name{static_cast<std::uint32_t>(::getuid()), "writer-test",
                         ProcessIdentity::self(), "by-name"};
  auto named = Inbox::create(name);
  ASSERT_TRUE(named) << describe(named.error());
  auto w = InboxWriter::open(named->name());
  ASSERT_TRUE(w) << describe(w.error());
  EXPECT_TRUE(w->try_send({}, bytes_of("hi")));
}

}  // namespace
}  // namespace grove::ipc
