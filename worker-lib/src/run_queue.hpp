// run_queue.hpp — one scheduler thread's queue of runnable processes:
// FIFO for fairness, with steal-half for idle threads.
//
// Contract: with `concurrent` every operation takes the queue's mutex (the
// owner pushes and pops, thieves steal); without it only one thread uses the
// queue and no lock is taken. size_hint() is readable from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <mutex>
#include <vector>

#include "grove/detail/process_core.hpp"

namespace grove::detail {

class RunQueue {
 public:
  explicit RunQueue(bool concurrent) : concurrent_(concurrent), ring_(64) {}

  void push(ProcessCore* p) {
    if (!concurrent_) return push_unlocked(p);
    std::lock_guard lock(mu_);
    push_unlocked(p);
  }
  ProcessCore* pop() {
    if (!concurrent_) return pop_unlocked();
    if (size_hint() == 0) return nullptr;
    std::lock_guard lock(mu_);
    return pop_unlocked();
  }
  // Moves up to half of this queue into `into` (another thread's queue);
  // returns one of the stolen processes to run at once, or nullptr.
  ProcessCore* steal_into(RunQueue& into) {
    if (size_hint() == 0) return nullptr;
    std::unique_lock lock(mu_, std::try_to_lock);
    if (!lock.owns_lock()) return nullptr;
    std::size_t n = (count_ + 1) / 2;
    if (n == 0) return nullptr;
    ProcessCore* first = pop_unlocked();
    std::vector<ProcessCore*> moved;
    while (--n > 0) moved.push_back(pop_unlocked());
    lock.unlock();
    for (ProcessCore* p : moved) into.push(p);
    return first;
  }
  // seq_cst: pairs with the sleeper's announcement (Scheduler::Impl::sleep).
  std::size_t size_hint() const { return size_.load(std::memory_order_seq_cst); }

 private:
  void push_unlocked(ProcessCore* p) {
    if (count_ == ring_.size()) grow();
    ring_[(head_ + count_) & (ring_.size() - 1)] = p;
    ++count_;
    // Concurrent: seq_cst store, then the enqueuer reads `sleepers` (seq_cst):
    // either it sees a sleeper, or the sleeper sees this size (Dekker).
    size_.store(count_, concurrent_ ? std::memory_order_seq_cst : std::memory_order_relaxed);
  }
  ProcessCore* pop_unlocked() {
    if (count_ == 0) return nullptr;
    ProcessCore* p = ring_[head_];
    head_ = (head_ + 1) & (ring_.size() - 1);
    --count_;
    size_.store(count_, std::memory_order_relaxed);
    return p;
  }
  void grow() {
    std::vector<ProcessCore*> bigger(ring_.size() * 2);
    for (std::size_t i = 0; i < count_; ++i) bigger[i] = ring_[(head_ + i) & (ring_.size() - 1)];
    ring_.swap(bigger);
    head_ = 0;
  }

  const bool concurrent_;
  std::mutex mu_;
  std::vector<ProcessCore*> ring_;  // power-of-two capacity
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  std::atomic<std::size_t> size_{0};
};

}  // namespace grove::detail
