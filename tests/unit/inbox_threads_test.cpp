// Senders and receiver on threads of one process: the variant TSan checks
// (label tsan). Every message arrives exactly once, in order per sender;
// sleeping receivers and full lanes never lose a wake-up.
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <thread>
#include <vector>

#include "grove/ipc/inbox.hpp"

namespace grove::ipc {
namespace {

using namespace std::chrono_literals;

struct Numbered {
  std::uint32_t sender;
  std::uint32_t seq;
};

TEST(InboxThreads, EveryMessageArrivesOnceAndInOrderPerSender) {
  constexpr std::uint32_t kSenders = 4, kMessages = 20000;
  auto inbox = Inbox::create_anonymous({.lanes = kSenders, .lane_bytes = 4096});
  ASSERT_TRUE(inbox);
  auto reader = inbox->reader();
  ASSERT_TRUE(reader);
  std::vector<std::thread> senders;
  std::atomic<int> failures{0};
  for (std::uint32_t s = 0; s < kSenders; ++s) {
    senders.emplace_back([&, s] {
      auto w = inbox->writer({.sender = s});
      if (!w) return failures.fetch_add(1), void();
      for (std::uint32_t i = 0; i < kMessages; ++i) {
        // Sizes vary so records wrap the small rings at every offset.
        std::array<std::byte, 8 + 120> buf{};
        const Numbered n{s, i};
        std::memcpy(buf.data(), &n, sizeof n);
        const auto len = sizeof n + (i * 7) % 120;
        if (!w->send({.kind = s}, std::span(buf).first(len), Clock::now() + 10s)) failures++;
      }
    });
  }
  std::array<std::uint32_t, kSenders> next{};
  std::array<Message, 64> batch;
  std::uint32_t total = 0;
  while (total < kSenders * kMessages) {
    auto n = reader->receive(batch, Clock::now() + 10s);
    ASSERT_TRUE(n) << describe(n.error());
    for (std::size_t i = 0; i < *n; ++i, ++total) {
      Numbered got;
      ASSERT_GE(batch[i].payload.size(), sizeof got);
      std::memcpy(&got, batch[i].payload.data(), sizeof got);
      ASSERT_LT(got.sender, kSenders);
      ASSERT_EQ(got.seq, next[got.sender]) << "sender " << got.sender;
      ASSERT_EQ(batch[i].payload.size(), sizeof got + (got.seq * 7) % 120);
      ++next[got.sender];
    }
    reader->release_all();
  }
  for (auto& t : senders) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(reader->try_peek(batch), 0u);
}

// Two threads bounce one message through two inboxes, both always sleeping
// (spin_for 0) before the other replies: a lost wake-up stalls until a deadline.
TEST(InboxThreads, SleepingPingPongNeverLosesAWakeUp) {
  constexpr int kRounds = 3000;
  auto ping = Inbox::create_anonymous({.lanes = 1, .lane_bytes = 4096});
  auto pong = Inbox::create_anonymous({.lanes = 1, .lane_bytes = 4096});
  ASSERT_TRUE(ping && pong);
  std::atomic<bool> echo_ok{true};
  std::thread echo([&] {
    auto in = ping->reader({.spin_for = 0ns});
    auto out = pong->writer();
    std::array<Message, 1> m;
    for (int i = 0; i < kRounds; ++i) {
      auto n = in->receive(m, Clock::now() + 10s);
      if (!n || !out->try_send({.kind = m[0].kind}, {})) return echo_ok.store(false);
      in->release_all();
    }
  });
  auto out = ping->writer();
  auto in = pong->reader({.spin_for = 0ns});
  std::array<Message, 1> m;
  for (int i = 0; i < kRounds; ++i) {
    ASSERT_TRUE(out->try_send({.kind = static_cast<std::uint32_t>(i)}, {}));
    auto n = in->receive(m, Clock::now() + 10s);
    ASSERT_TRUE(n) << "round " << i << ": " << describe(n.error());
    ASSERT_EQ(m[0].kind, static_cast<std::uint32_t>(i));
    in->release_all();
  }
  echo.join();
  EXPECT_TRUE(echo_ok.load());
}

// The sender fills its lane and sleeps; only the receiver's release wakes it.
TEST(InboxThreads, ABlockedSenderIsWokenByRelease) {
  auto inbox = Inbox::create_anonymous({.lanes = 1, .lane_bytes = 4096});
  ASSERT_TRUE(inbox);
  auto reader = inbox->reader({.spin_for = 0ns});
  constexpr int kMessages = 2000;
  std::atomic<int> failures{0};
  std::thread sender([&] {
    auto w = inbox->writer({.spin_for = 0ns});
    std::array<std::byte, 1500> big{};
    for (int i = 0; i < kMessages; ++i)
      if (!w->send({.kind = static_cast<std::uint32_t>(i)}, big, Clock::now() + 10s)) failures++;
  });
  std::array<Message, 1> m;
  for (int i = 0; i < kMessages; ++i) {
    auto n = reader->receive(m, Clock::now() + 10s);
    ASSERT_TRUE(n);
    ASSERT_EQ(m[0].kind, static_cast<std::uint32_t>(i));
    reader->release_all();
  }
  sender.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace grove::ipc
