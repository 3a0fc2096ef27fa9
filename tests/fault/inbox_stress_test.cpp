// N sender processes x M messages into one inbox: every message is received
// exactly once, in order per sender, through full lanes (backpressure) and
// a receiver that sleeps whenever it catches up.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <vector>

#include "child_process.hpp"
#include "grove/ipc/inbox.hpp"

namespace grove::ipc {
namespace {

using testing::ChildProcess;
using namespace std::chrono_literals;

struct Numbered {
  std::uint32_t sender;
  std::uint32_t seq;
};

std::size_t length_of(std::uint32_t seq) { return sizeof(Numbered) + (seq * 13) % 200; }

int send_numbered(const std::string& name, std::uint32_t sender, std::uint32_t count) {
  auto w = InboxWriter::open(name, {.sender = sender});
  if (!w) return 2;
  std::array<std::byte, sizeof(Numbered) + 200> buf{};
  for (std::uint32_t i = 0; i < count; ++i) {
    const Numbered n{sender, i};
    std::memcpy(buf.data(), &n, sizeof n);
    std::memset(buf.data() + sizeof n, static_cast<int>(i & 0xFF), length_of(i) - sizeof n);
    // Every tenth message is staged and flushed with the next one (batching).
    auto room = w->reserve(length_of(i), Clock::now() + 20s);
    if (!room) return 3;
    std::memcpy(room->data(), buf.data(), length_of(i));
    if (i % 10 == 9) {
      w->stage({.kind = sender}, length_of(i));
    } else {
      w->commit({.kind = sender}, length_of(i));
    }
  }
  w->flush();
  return 0;
}

TEST(InboxStress, EveryMessageFromEverySenderProcessArrivesOnceInOrder) {
  constexpr std::uint32_t kSenders = 4, kMessages = 50000;
  const SegmentName name{static_cast<std::uint32_t>(::getuid()), "ipc-stress",
                         ProcessIdentity::self(), "inbox"};
  auto inbox = Inbox::create(name, {.lanes = 4, .lane_bytes = 16384});
  ASSERT_TRUE(inbox) << describe(inbox.error());
  auto reader = inbox->reader({.spin_for = 1us});
  ASSERT_TRUE(reader);

  std::vector<ChildProcess> senders;
  for (std::uint32_t s = 0; s < kSenders; ++s) {
    senders.push_back(ChildProcess::spawn(
        [&, s](ChildProcess::Channel&) { return send_numbered(inbox->name(), s, kMessages); }));
    ASSERT_TRUE(senders.back().started());
  }

  std::array<std::uint32_t, kSenders> next{};
  std::array<Message, 128> batch;
  for (std::uint32_t total = 0; total < kSenders * kMessages;) {
    auto n = reader->receive(batch, Clock::now() + 20s);
    ASSERT_TRUE(n) << describe(n.error()) << " after " << total;
    for (std::size_t i = 0; i < *n; ++i, ++total) {
      Numbered got;
      ASSERT_GE(batch[i].payload.size(), sizeof got);
      std::memcpy(&got, batch[i].payload.data(), sizeof got);
      ASSERT_LT(got.sender, kSenders);
      ASSERT_EQ(got.seq, next[got.sender]++) << "sender " << got.sender;
      ASSERT_EQ(batch[i].payload.size(), length_of(got.seq));
      if (length_of(got.seq) > sizeof got) {
        ASSERT_EQ(batch[i].payload.back(), static_cast<std::byte>(got.seq & 0xFF));
      }
    }
    reader->release_all();
  }
  for (auto& s : senders) EXPECT_TRUE(s.exited_cleanly(Clock::now() + 20s));
  EXPECT_EQ(reader->try_peek(batch), 0u);
  EXPECT_EQ(inbox->stats().corrupt_events, 0u);
}

}  // namespace
}  // namespace grove::ipc
