#include "grove/timer_heap.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace std::chrono_literals;
using grove::Pid;
using grove::SteadyTime;
using grove::TimerHeap;

namespace {

grove::detail::Node* node(int tag) {
  auto* n = grove::detail::make_node<int>(grove::detail::NodeKind::message, tag);
  return n;
}
int tag_of(grove::detail::Node* n) {
  int t = grove::detail::payload_of<int>(n);
  grove::detail::destroy_node(n);
  return t;
}
const SteadyTime t0{std::chrono::hours(1)};

}  // namespace

TEST(TimerHeap, DeliversDueTimersInDeadlineOrder) {
  TimerHeap h;
  h.add(t0 + 30ms, Pid{1, 1}, node(3));
  h.add(t0 + 10ms, Pid{1, 1}, node(1));
  h.add(t0 + 20ms, Pid{1, 1}, node(2));
  std::vector<int> got;
  h.pop_due(t0 + 25ms, [&](Pid, grove::detail::Node* n) { got.push_back(tag_of(n)); });
  EXPECT_EQ(got, (std::vector<int>{1, 2}));
  EXPECT_EQ(h.size(), 1u);
  EXPECT_EQ(h.next_deadline(), t0 + 30ms);
  h.clear([](grove::detail::Node* n) { grove::detail::destroy_node(n); });
}

TEST(TimerHeap, CancelReturnsThePayloadAndTheTimerNeverFires) {
  TimerHeap h;
  auto a = h.add(t0 + 10ms, Pid{1, 1}, node(1));
  h.add(t0 + 20ms, Pid{1, 1}, node(2));
  EXPECT_EQ(tag_of(h.cancel(a)), 1);
  std::vector<int> got;
  h.pop_due(t0 + 1s, [&](Pid, grove::detail::Node* n) { got.push_back(tag_of(n)); });
  EXPECT_EQ(got, (std::vector<int>{2}));
}

TEST(TimerHeap, CancellingAFiredOrReusedIdReturnsNothing) {
  TimerHeap h;
  auto a = h.add(t0, Pid{1, 1}, node(1));
  h.pop_due(t0, [&](Pid, grove::detail::Node* n) { grove::detail::destroy_node(n); });
  auto b = h.add(t0 + 5ms, Pid{1, 1}, node(2));  // reuses a's slot
  EXPECT_EQ(h.cancel(a), nullptr);
  EXPECT_FALSE(a == b);
  EXPECT_EQ(tag_of(h.cancel(b)), 2);
  EXPECT_TRUE(h.empty());
}

TEST(TimerHeap, RandomCancelsKeepTheHeapOrdered) {
  TimerHeap h;
  std::vector<grove::TimerId> ids;
  for (int i = 0; i < 200; ++i) ids.push_back(h.add(t0 + std::chrono::milliseconds((i * 37) % 101), Pid{1, 1}, node(i)));
  for (int i = 0; i < 200; i += 3) grove::detail::destroy_node(h.cancel(ids[static_cast<std::size_t>(i)]));
  SteadyTime last = t0;
  std::size_t n = h.pop_due(t0 + 1s, [&](Pid, grove::detail::Node* nd) {
    const int i = grove::detail::payload_of<int>(nd);
    const SteadyTime when = t0 + std::chrono::milliseconds((i * 37) % 101);
    EXPECT_GE(when, last);
    last = when;
    EXPECT_NE(i % 3, 0);
    grove::detail::destroy_node(nd);
  });
  EXPECT_EQ(n, 133u);
}
