// A receiver SIGKILLed mid-batch loses nothing it had not acknowledged: the
// next receiver attaching to the same inbox sees those messages again.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>

#include "child_process.hpp"
#include "grove/ipc/inbox.hpp"

namespace grove::ipc {
namespace {

using testing::ChildProcess;
using namespace std::chrono_literals;

TEST(InboxReceiverCrash, KilledMidBatchItsUnacknowledgedMessagesGoToTheNextReceiver) {
  const SegmentName name{static_cast<std::uint32_t>(::getuid()), "ipc-receiver-crash",
                         ProcessIdentity::self(), "inbox"};
  auto inbox = Inbox::create(name, {.lanes = 2, .lane_bytes = 4096});
  ASSERT_TRUE(inbox) << describe(inbox.error());
  auto writer = inbox->writer();
  ASSERT_TRUE(writer);
  for (std::uint32_t k = 0; k < 10; ++k) ASSERT_TRUE(writer->try_send({.kind = k}, {}));

  ChildProcess receiver = ChildProcess::spawn([&](ChildProcess::Channel& ch) {
    auto r = InboxReader::open(inbox->name());
    if (!r) return 2;
    std::array<Message, 6> batch;
    if (r->try_peek(batch) != 6) return 3;  // kinds 0..5 delivered
    r->release(batch[1]);                   // 0 and 1 acknowledged
    ch.signal_ready();
    for (;;) ::pause();                     // "handling" 2..5 when killed
  });
  ASSERT_TRUE(receiver.wait_ready(Clock::now() + 10s));
  EXPECT_EQ(inbox->reader().error().code, IpcError::receiver_busy);
  receiver.kill(SIGKILL);
  ASSERT_TRUE(receiver.wait_exit(Clock::now() + 10s));

  auto next = inbox->reader();
  ASSERT_TRUE(next) << describe(next.error());
  std::array<Message, 16> batch;
  auto n = next->receive(batch, Clock::now() + 5s);
  ASSERT_TRUE(n);
  ASSERT_EQ(*n, 8u);
  for (std::uint32_t i = 0; i < 8; ++i) {
    EXPECT_EQ(batch[i].kind, i + 2);
    EXPECT_EQ(batch[i].deliveries, i + 2 <= 5 ? 1u : 0u) << "kind " << i + 2;
  }
  EXPECT_EQ(inbox->stats().redelivered, 4u);
}

TEST(InboxReceiverCrash, AReceiverKilledWhileSleepingLeavesTheInboxUsable) {
  auto inbox = Inbox::create_anonymous({.lanes = 1, .lane_bytes = 4096});
  ASSERT_TRUE(inbox);
  ChildProcess receiver = ChildProcess::spawn([&](ChildProcess::Channel& ch) {
    auto r = inbox->reader({.spin_for = 0ns});
    if (!r) return 2;
    ch.signal_ready();
    std::array<Message, 1> m;
    (void)r->receive(m, Clock::now() + 60s);  // asleep on the futex
    return 0;
  });
  ASSERT_TRUE(receiver.wait_ready(Clock::now() + 10s));
  receiver.kill(SIGKILL);
  ASSERT_TRUE(receiver.wait_exit(Clock::now() + 10s));
  // The dead sleeper's flag must not make senders fail or hang.
  auto writer = inbox->writer();
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->try_send({.kind = 5}, {}));
  auto next = inbox->reader();
  ASSERT_TRUE(next);
  std::array<Message, 1> m;
  auto n = next->receive(m, Clock::now() + 5s);
  ASSERT_TRUE(n);
  EXPECT_EQ(m[0].kind, 5u);
}

}  // namespace
}  // namespace grove::ipc
