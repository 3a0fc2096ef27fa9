// process_core.hpp — what one lightweight process holds while it lives.
//
// The control block is deliberately small (80 bytes): an idle process is
// this block plus its suspended coroutine frame. Everything rare (links,
// monitors, whether it has a registered name, trap_exit, a pending exit reason) lives in
// ProcessExtra, allocated the first time it is needed.
//
// Ownership: a process's fields are touched only by the thread running its
// turn ("the owner"), except `signals.push`, `word` and `scheduled`, which
// senders use (atomics). At most one thread owns a process at a time: the
// `scheduled` flag is set by whoever puts it on a run queue and cleared
// only by its owner when it goes idle.
#pragma once

#include <atomic>
#include <coroutine>
#include <cstdint>
#include <vector>

#include "grove/detail/node.hpp"
#include "grove/detail/signal_queue.hpp"
#include "grove/exit_reason.hpp"
#include "grove/pid.hpp"

namespace grove::detail {

struct ProcessCore;

// What a suspended process waits for. Lives in the awaiter (in the
// coroutine frame), so waiting allocates nothing.
struct Waiter {
  std::coroutine_handle<> handle;
  // nullptr: runnable as soon as scheduled (a yield).
  bool (*ready)(Waiter&, ProcessCore&) = nullptr;
  std::uint64_t ref = 0;          // replies/timeouts carrying this ref are ours
  Node* reply = nullptr;          // the reply, once it arrived
  bool timed_out = false;
  const void* context = nullptr;  // awaiter-specific (selective receive)
};

struct MonitorEntry {
  std::uint64_t ref;
  Pid peer;
};

struct ProcessExtra {
  std::vector<Pid> links;
  std::vector<MonitorEntry> watchers;  // monitors others hold on us
  std::vector<MonitorEntry> watching;  // monitors we hold on others
  bool named = false;                  // may hold a registered name: drop it at exit
  ExitReason reason;                   // set when exit_pending
  bool exit_pending = false;           // exit with `reason` at the next turn boundary
  bool trap_exit = false;
};

// word layout: serial (32) | dead (1) | pins (31)
inline constexpr std::uint64_t kSerialMask = 0xffffffffull;
inline constexpr std::uint64_t kDead = 1ull << 32;
inline constexpr std::uint64_t kPin = 1ull << 33;

struct ProcessCore {
  SignalQueue signals;           // every incoming message and signal
  Node* inbox_head = nullptr;    // messages taken in, not yet received
  Node* inbox_tail = nullptr;
  std::coroutine_handle<> body;  // the outermost coroutine frame
  Waiter* waiter = nullptr;      // set while suspended
  ProcessExtra* extra = nullptr;
  std::atomic<std::uint64_t> word{1 | kDead};  // dead until spawned
  std::atomic<bool> scheduled{false};
  bool alive = false;  // owner's view: spawned and not yet dead
  std::uint32_t index = 0;

  Pid pid() const {
    return Pid{index, static_cast<std::uint32_t>(word.load(std::memory_order_relaxed) & kSerialMask)};
  }
  ProcessExtra& ext() {
    if (!extra) extra = new ProcessExtra;
    return *extra;
  }
  bool traps_exits() const { return extra && extra->trap_exit; }
  void append_inbox(Node* n) {
    n->next.store(nullptr, std::memory_order_relaxed);
    if (inbox_tail) inbox_tail->next.store(n, std::memory_order_relaxed);
    else inbox_head = n;
    inbox_tail = n;
  }
  Node* pop_inbox() {
    Node* n = inbox_head;
    inbox_head = static_cast<Node*>(n->next.load(std::memory_order_relaxed));
    if (!inbox_head) inbox_tail = nullptr;
    return n;
  }
  // Unlinks `n` whose predecessor is `prev` (nullptr: n is the head).
  void unlink_inbox(Node* prev, Node* n) {
    Node* next = static_cast<Node*>(n->next.load(std::memory_order_relaxed));
    if (prev) prev->next.store(next, std::memory_order_relaxed);
    else inbox_head = next;
    if (inbox_tail == n) inbox_tail = prev;
  }
};

}  // namespace grove::detail
