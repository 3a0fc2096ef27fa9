// The receiving side: delivery, acknowledgement, recovery, wake-ups, attach errors.
#include "grove/ipc/inbox_reader.hpp"

#include <gtest/gtest.h>
#include <poll.h>

#include <array>
#include <atomic>
#include <cstring>
#include <string>
#include <thread>

#include "grove/ipc/inbox.hpp"

namespace grove::ipc {
namespace {

using namespace std::chrono_literals;

std::span<const std::byte> bytes_of(const std::string& s) { return std::as_bytes(std::span(s)); }
std::string text_of(const Message& m) {
  return std::string(reinterpret_cast<const char*>(m.payload.data()), m.payload.size());
}

class InboxReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = Inbox::create_anonymous({.lanes = 4, .lane_bytes = 4096});
    ASSERT_TRUE(made) << describe(made.error());
    inbox.emplace(std::move(*made));
  }
  std::optional<Inbox> inbox;
  std::array<Message, 16> batch;
};

TEST_F(InboxReaderTest, DeliversHeaderFieldsAndPayload) {
  auto w = inbox->writer({.sender = 77});
  auto r = inbox->reader();
  ASSERT_TRUE(w->try_send({.kind = 3, .correlation = 0xABCDEF0123}, bytes_of("hello")));
  auto n = r->receive(batch, Clock::now() + 1s);
  ASSERT_TRUE(n);
  ASSERT_EQ(*n, 1u);
  EXPECT_EQ(batch[0].kind, 3u);
  EXPECT_EQ(batch[0].correlation, 0xABCDEF0123u);
  EXPECT_EQ(batch[0].sender, 77u);
  EXPECT_EQ(batch[0].deliveries, 0u);
  EXPECT_EQ(text_of(batch[0]), "hello");
}

TEST_F(InboxReaderTest, ReceiveTimesOutOnAnEmptyInbox) {
  auto r = inbox->reader();
  const auto start = Clock::now();
  auto n = r->receive(batch, start + 20ms);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, IpcError::timed_out);
  EXPECT_GE(Clock::now() - start, 20ms);
}

// The receiver polls for spin_for, then announces itself and sleeps (it does
// not burn a CPU while idle); a send wakes it.
TEST_F(InboxReaderTest, AnIdleReceiverSleepsAfterItsSpinAndASendWakesIt) {
  auto seg = Segment::open_fd(inbox->fd());
  ASSERT_TRUE(seg);
  const auto& header = *layout::header_at(seg->data());
  std::atomic<std::size_t> received{0};
  std::thread receiver([&] {
    auto r = inbox->reader({.spin_for = 50us});
    std::array<Message, 4> got;
    if (auto n = r->receive(got, Clock::now() + 10s)) received = *n;
  });
  // Counted just before the futex wait, after the announcement.
  const auto deadline = Clock::now() + 5s;  // the receiver thread may start late
  while (inbox->stats().receiver_sleeps == 0 && Clock::now() < deadline)
    std::this_thread::sleep_for(100us);
  EXPECT_GE(inbox->stats().receiver_sleeps, 1u);
  EXPECT_NE(header.receiver_sleeping.load() & layout::kSleepFutex, 0u);
  auto w = inbox->writer();
  EXPECT_TRUE(w->try_send({}, bytes_of("wake")));
  receiver.join();
  EXPECT_EQ(received.load(), 1u);
}

TEST_F(InboxReaderTest, KeepsOrderAcrossRingWrapsWithMixedSizes) {
  auto w = inbox->writer();
  auto r = inbox->reader();
  std::uint32_t next_sent = 0, next_seen = 0;
  while (next_seen < 2000) {
    while (next_sent < 2000) {
      const std::string msg(next_sent % 300, static_cast<char>('a' + next_sent % 26));
      if (!w->try_send({.kind = next_sent}, bytes_of(msg))) break;
      ++next_sent;
    }
    const std::size_t n = r->try_peek(batch);
    ASSERT_GT(n, 0u);
    for (std::size_t i = 0; i < n; ++i, ++next_seen) {
      ASSERT_EQ(batch[i].kind, next_seen);
      ASSERT_EQ(batch[i].payload.size(), next_seen % 300);
    }
    r->release_all();
  }
}

TEST_F(InboxReaderTest, UnreleasedMessagesComeBackToTheNextReceiverWithADeliveryCount) {
  auto w = inbox->writer();
  for (std::uint32_t k = 0; k < 5; ++k) ASSERT_TRUE(w->try_send({.kind = k}, bytes_of("m")));
  {
    auto r = inbox->reader();
    ASSERT_EQ(r->try_peek(std::span(batch).first(3)), 3u);
    r->release(batch[1]);  // acknowledges 0 and 1; 2 was delivered, not acked
  }
  auto again = inbox->reader();
  ASSERT_TRUE(again);
  ASSERT_EQ(again->try_peek(batch), 3u);
  EXPECT_EQ(batch[0].kind, 2u);
  EXPECT_EQ(batch[0].deliveries, 1u);  // the dead receiver had it
  EXPECT_EQ(batch[1].kind, 3u);
  EXPECT_EQ(batch[1].deliveries, 0u);  // never delivered before
  EXPECT_EQ(inbox->stats().redelivered, 1u);
}

TEST_F(InboxReaderTest, WithoutCountOnPeekOnlyBegunMessagesCountADelivery) {
  auto w = inbox->writer();
  for (std::uint32_t k = 0; k < 5; ++k) ASSERT_TRUE(w->try_send({.kind = k}, bytes_of("m")));
  {
    auto r = inbox->reader({.count_on_peek = false});
    ASSERT_EQ(r->try_peek(batch), 5u);  // all five queued inside the worker ...
    r->release(batch[0]);
    r->begin(batch[2]);                  // ... the handler of 2 was running, 1 only queued
  }
  auto again = inbox->reader({.count_on_peek = false});
  ASSERT_EQ(again->try_peek(batch), 4u);
  EXPECT_EQ(batch[0].kind, 1u);
  EXPECT_EQ(batch[0].deliveries, 0u);  // only queued: not blamed
  EXPECT_EQ(batch[1].kind, 2u);
  EXPECT_EQ(batch[1].deliveries, 1u);  // its handler ran when the receiver died
  EXPECT_EQ(inbox->stats().redelivered, 1u);
  // Counted once per death: the mark went with the count.
  again->begin(batch[0]);
}

TEST_F(InboxReaderTest, AMessageMarkedDoneIsNotDeliveredAgainAfterTheReceiverDies) {
  auto w = inbox->writer();
  for (std::uint32_t k = 0; k < 3; ++k) ASSERT_TRUE(w->try_send({.kind = k}, bytes_of("m")));
  {
    auto r = inbox->reader({.count_on_peek = false});
    ASSERT_EQ(r->try_peek(batch), 3u);
    r->begin(batch[0]);      // a slow handler: 0 cannot be released ...
    r->begin(batch[1]);
    r->mark_done(batch[1]);  // ... while 1's handler returned already
  }
  auto again = inbox->reader({.count_on_peek = false});
  ASSERT_EQ(again->try_peek(batch), 2u);
  EXPECT_EQ(batch[0].kind, 0u);
  EXPECT_EQ(batch[0].deliveries, 1u);
  EXPECT_EQ(batch[1].kind, 2u);  // 1 is skipped: handled once is enough
  EXPECT_EQ(batch[1].deliveries, 0u);
  again->release(batch[1]);      // releasing 2 releases the done 1 too
  EXPECT_EQ(inbox->stats().pending, 0u);
}

TEST_F(InboxReaderTest, StatsCountPendingMessagesAndTheWorkersVitals) {
  auto w = inbox->writer();
  for (std::uint32_t k = 0; k < 3; ++k) ASSERT_TRUE(w->try_send({.kind = k}, bytes_of("m")));
  auto r = inbox->reader();
  EXPECT_EQ(inbox->stats().pending, 3u);
  ASSERT_EQ(r->try_peek(batch), 3u);
  r->release(batch[0]);
  WorkerVitals v = r->vitals();
  v.add_handled(1);
  v.add_dead_letter();
  v.set_processes(12);
  v.beat();
  v.beat();
  const InboxStats s = inbox->stats();
  EXPECT_EQ(s.pending, 2u);  // peeked is not released
  EXPECT_EQ(s.handled, 1u);
  EXPECT_EQ(s.dead_letters, 1u);
  EXPECT_EQ(s.processes, 12u);
  EXPECT_EQ(s.heartbeat, 2u);
}

TEST_F(InboxReaderTest, SpinSaysWhetherAMessageCameWithinItsBudgetAndNeverSleeps) {
  auto w = inbox->writer();
  auto r = inbox->reader({.spin_for = std::chrono::microseconds(200)});
  EXPECT_FALSE(r->spin());
  ASSERT_TRUE(w->try_send({.kind = 1}, bytes_of("m")));
  EXPECT_TRUE(r->spin());
  EXPECT_EQ(inbox->stats().receiver_sleeps, 0u);
}

TEST_F(InboxReaderTest, ASecondLiveReceiverIsRefused) {
  auto r = inbox->reader();
  ASSERT_TRUE(r);
  auto second = inbox->reader();
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, IpcError::receiver_busy);
}

TEST_F(InboxReaderTest, ReleaseAcknowledgesOnlyUpToTheGivenMessage) {
  auto w = inbox->writer();
  auto r = inbox->reader();
  const std::string msg(990, 'x');  // records of 1024: 4 fill the 4 KiB ring
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(w->try_send({}, bytes_of(msg)));
  ASSERT_FALSE(w->try_send({}, bytes_of(msg)));
  ASSERT_EQ(r->try_peek(batch), 4u);
  r->release(batch[0]);
  EXPECT_TRUE(w->try_send({}, bytes_of(msg)));
  EXPECT_FALSE(w->try_send({}, bytes_of(msg)));
}

TEST_F(InboxReaderTest, LanesAreServedInTurn) {
  auto a = inbox->writer({.sender = 1});
  auto b = inbox->writer({.sender = 2});
  auto r = inbox->reader();
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(a->try_send({}, bytes_of("a")));
    ASSERT_TRUE(b->try_send({}, bytes_of("b")));
  }
  int from_b_in_first_two_batches = 0;
  for (int round = 0; round < 2; ++round) {
    const std::size_t n = r->try_peek(std::span(batch).first(8));
    for (std::size_t i = 0; i < n; ++i) from_b_in_first_two_batches += batch[i].sender == 2;
    r->release_all();
  }
  EXPECT_EQ(from_b_in_first_two_batches, 8);
}

TEST_F(InboxReaderTest, NotifyFdTurnsReadableWhenASenderCommitsAfterArm) {
  auto r = inbox->reader();
  auto fd = r->notify_fd();
  ASSERT_TRUE(fd) << describe(fd.error());
  ASSERT_TRUE(r->arm());
  pollfd p{*fd, POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 0), 0);
  auto w = inbox->writer();
  ASSERT_TRUE(w->try_send({}, bytes_of("wake")));
  EXPECT_EQ(::poll(&p, 1, 5000), 1);
  EXPECT_EQ(r->try_peek(batch), 1u);
}

TEST_F(InboxReaderTest, ArmRefusesWhenMessagesAreAlreadyWaiting) {
  auto r = inbox->reader();
  ASSERT_TRUE(r->notify_fd());
  auto w = inbox->writer();
  ASSERT_TRUE(w->try_send({}, bytes_of("early")));
  EXPECT_FALSE(r->arm());
}

TEST(InboxAttach, AWrongMagicOrVersionIsAClearError) {
  auto inbox = Inbox::create_anonymous({.lanes = 1, .lane_bytes = 4096});
  ASSERT_TRUE(inbox);
  auto seg = Segment::open_fd(inbox->fd());
  ASSERT_TRUE(seg);
  auto* header = layout::header_at(seg->data());

  header->version = layout::kLayoutVersion + 1;
  auto r = inbox->reader();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, IpcError::version_mismatch);
  EXPECT_EQ(describe(r.error()), "unable to attach inbox: version_mismatch");
  EXPECT_EQ(inbox->writer().error().code, IpcError::version_mismatch);

  header->version = layout::kLayoutVersion;
  header->magic.store(0);
  EXPECT_EQ(inbox->reader().error().code, IpcError::bad_magic);
  EXPECT_EQ(inbox->writer().error().code, IpcError::bad_magic);
}

TEST(InboxAttach, ASegmentTooSmallForItsHeaderIsBadGeometry) {
  auto seg = Segment::create_memfd(4096);
  ASSERT_TRUE(seg);
  auto geo = layout::plan_geometry(1, 4096);
  layout::initialise(seg->data(), *geo);  // claims 192 + 128 + 4096 bytes
  auto r = InboxReader::attach(std::move(*seg));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, IpcError::bad_geometry);
}

}  // namespace
}  // namespace grove::ipc
