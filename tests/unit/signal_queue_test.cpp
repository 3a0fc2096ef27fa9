// SignalQueue: FIFO per producer, nothing lost with concurrent producers.
#include "grove/detail/signal_queue.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

using grove::detail::make_node;
using grove::detail::Node;
using grove::detail::NodeKind;
using grove::detail::payload_of;
using grove::detail::SignalQueue;

namespace {
Node* item(int v) { return make_node<int>(NodeKind::message, v); }
int take(Node* n) {
  const int v = payload_of<int>(n);
  grove::detail::destroy_node(n);
  return v;
}
}  // namespace

TEST(SignalQueue, PopsInPushOrderAndIsDrainedAfterwards) {
  SignalQueue q;
  EXPECT_TRUE(q.drained());
  for (int i = 0; i < 5; ++i) q.push(item(i), false);
  EXPECT_TRUE(q.has_any());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(take(q.pop(false)), i);
  EXPECT_EQ(q.pop(false), nullptr);
  EXPECT_TRUE(q.drained());
  EXPECT_FALSE(q.pushed_since_drained());
}

TEST(SignalQueue, RefillsAfterDrainingToEmpty) {
  SignalQueue q;
  for (int round = 0; round < 3; ++round) {
    q.push(item(round), false);
    EXPECT_EQ(take(q.pop(false)), round);
    EXPECT_TRUE(q.drained());
  }
}

TEST(SignalQueue, ConcurrentProducersLoseNothingAndKeepTheirOwnOrder) {
  SignalQueue q;
  constexpr int kPerProducer = 20'000;
  constexpr int kProducers = 3;
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p)
    producers.emplace_back([&q, p] {
      for (int i = 0; i < kPerProducer; ++i) q.push(item(p * kPerProducer + i), true);
    });
  std::vector<int> last(kProducers, -1);
  int got = 0;
  while (got < kProducers * kPerProducer) {
    Node* n = q.pop(true);
    if (!n) {
      std::this_thread::yield();
      continue;
    }
    const int v = take(n);
    const int p = v / kPerProducer;
    EXPECT_GT(v, last[static_cast<std::size_t>(p)]);
    last[static_cast<std::size_t>(p)] = v;
    ++got;
  }
  for (auto& t : producers) t.join();
  EXPECT_EQ(q.pop(true), nullptr);
  EXPECT_TRUE(q.drained());
}
