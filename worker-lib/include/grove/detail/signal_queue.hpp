// signal_queue.hpp — a process's incoming queue: intrusive, many senders,
// one receiver (Vyukov's MPSC queue with an embedded stub).
//
//   SignalQueue q;
//   q.push(node, /*concurrent=*/true);     // any scheduler thread
//   while (Node* n = q.pop()) handle(n);   // the owning process only
//
// Contract: push may run on several threads at once when `concurrent`
// (else only on the one scheduler thread); pop, has_any and drain belong to
// the process's current runner. Between a sender's exchange of head_ and
// its link store the queue looks empty to pop: the sender then notices the
// receiver idle and schedules it (see ProcessCore::wake), so nothing is lost.
//
// Memory ordering: push publishes the node with the release store of
// prev->next → read by pop's acquire load of next.
#pragma once

#include <atomic>

#include "grove/detail/node.hpp"

namespace grove::detail {

class SignalQueue {
 public:
  SignalQueue() : head_(&stub_), tail_(&stub_) {}
  SignalQueue(const SignalQueue&) = delete;
  SignalQueue& operator=(const SignalQueue&) = delete;

  void push(Node* n, bool concurrent) { push_link(n, concurrent); }

  // `concurrent`: senders may push right now (several scheduler threads).
  Node* pop(bool concurrent = true) {
    Link* tail = tail_;
    Link* next = tail->next.load(std::memory_order_acquire);
    if (tail == &stub_) {
      if (!next) return nullptr;
      tail_ = next;
      tail = next;
      next = next->next.load(std::memory_order_acquire);
    }
    if (next) {
      tail_ = next;
      return static_cast<Node*>(tail);
    }
    if (tail != head_.load(std::memory_order_acquire)) return nullptr;  // a push in flight
    push_link(&stub_, concurrent);
    next = tail->next.load(std::memory_order_acquire);
    if (!next) return nullptr;
    tail_ = next;
    return static_cast<Node*>(tail);
  }

  // Everything pushed so far was popped (no push in flight either).
  bool drained() const {
    return tail_ == &stub_ && head_.load(std::memory_order_acquire) == &stub_;
  }
  // Any thread: something was pushed since the queue was last drained.
  bool pushed_since_drained() const { return head_.load(std::memory_order_acquire) != &stub_; }

  bool has_any() const {
    return tail_ != &stub_ || stub_.next.load(std::memory_order_acquire) != nullptr;
  }

  // Back to empty after every node was popped (slot reuse).
  void reset() {
    stub_.next.store(nullptr, std::memory_order_relaxed);
    head_.store(&stub_, std::memory_order_relaxed);
    tail_ = &stub_;
  }

 private:
  void push_link(Link* n, bool concurrent) {
    n->next.store(nullptr, std::memory_order_relaxed);
    Link* prev;
    if (concurrent) {
      // acq_rel: orders our node's init before it becomes reachable from head_.
      prev = head_.exchange(n, std::memory_order_acq_rel);
    } else {
      prev = head_.load(std::memory_order_relaxed);
      head_.store(n, std::memory_order_relaxed);
    }
    prev->next.store(n, std::memory_order_release);  // publishes n → pop's acquire
  }

  std::atomic<Link*> head_;  // last pushed (producers)
  Link* tail_;               // next to pop (consumer)
  Link stub_;
};

}  // namespace grove::detail
