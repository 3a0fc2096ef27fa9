// timer_heap.hpp — every pending timer of a scheduler in one binary heap
// with O(log n) cancellation (receive/call timeouts, send_after).
//
// A timer is a deferred delivery: at `when`, its node goes to `target`.
// Cancelling returns the node to the caller (nothing is delivered), which
// is what a call does when its reply beats its timeout, so a busy server
// with a 5 s call timeout keeps the heap as small as its in-flight calls.
//
//   TimerHeap h;
//   TimerId id = h.add(now + 100ms, pid, node);
//   if (detail::Node* n = h.cancel(id)) destroy_node(n);
//   h.pop_due(now, [](Pid to, detail::Node* n) { deliver(to, n); });
//
// Contract: pure data, no clock, not thread-safe (the scheduler locks it
// when it runs several threads). Ids are never reused (slot + generation):
// cancelling a timer that already fired or was cancelled returns nullptr.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "grove/detail/node.hpp"
#include "grove/pid.hpp"

namespace grove {

using SteadyTime = std::chrono::steady_clock::time_point;

struct TimerId {
  std::uint64_t value = 0;  // 0 = no timer
  explicit operator bool() const { return value != 0; }
  friend bool operator==(const TimerId&, const TimerId&) = default;
};

class TimerHeap {
 public:
  TimerId add(SteadyTime when, Pid target, detail::Node* payload);
  detail::Node* cancel(TimerId id);

  template <class Deliver>
  std::size_t pop_due(SteadyTime now, Deliver&& deliver) {
    std::size_t n = 0;
    while (!heap_.empty() && slots_[heap_.front()].when <= now) {
      const std::uint32_t s = heap_.front();
      const Pid to = slots_[s].target;
      detail::Node* node = take(s);
      deliver(to, node);
      ++n;
    }
    return n;
  }

  std::optional<SteadyTime> next_deadline() const;
  std::size_t size() const { return heap_.size(); }
  bool empty() const { return heap_.empty(); }
  // Hands every pending node to `drop` (scheduler teardown).
  template <class Drop>
  void clear(Drop&& drop) {
    while (!heap_.empty()) drop(take(heap_.front()));
  }

 private:
  struct Slot {
    SteadyTime when{};
    Pid target;
    detail::Node* payload = nullptr;
    std::uint32_t pos = 0;         // index in heap_, while armed
    std::uint32_t generation = 1;  // bumped on release
  };

  detail::Node* take(std::uint32_t slot);
  void sift_up(std::uint32_t pos);
  void sift_down(std::uint32_t pos);
  void place(std::uint32_t pos, std::uint32_t slot);
  bool before(std::uint32_t a, std::uint32_t b) const { return slots_[a].when < slots_[b].when; }

  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
  std::vector<std::uint32_t> heap_;  // slot indices, min-heap on when
};

}  // namespace grove
