// worker_vitals.hpp — what a worker tells its supervisor through its inbox's
// header: a heartbeat, its number of lightweight processes, and how many
// messages it handled or set aside as dead letters.
//
//   ipc::WorkerVitals vitals = reader->vitals();
//   vitals.beat();                    // from the scheduler, every watchdog/4
//   vitals.set_processes(sched.live());
//   vitals.add_handled(1);            // a handler returned
//   vitals.add_dead_letter();         // a message was set aside
//   // groved: InboxView::open(name)->stats().heartbeat ...
//
// Contract: thread-safe (relaxed atomics on the header's own words); valid
// while the InboxReader (or Inbox) whose mapping it points into lives. The
// supervisor trusts these words for display and the watchdog only: garbage
// in them can make a worker look alive or busy, never crash anyone.
#pragma once

#include <cstdint>

#include "grove/ipc/inbox_layout.hpp"

namespace grove::ipc {

class WorkerVitals {
 public:
  WorkerVitals() = default;
  explicit WorkerVitals(layout::InboxHeader* header) : header_(header) {}

  void beat() { header_->heartbeat.fetch_add(1, std::memory_order_relaxed); }
  void set_processes(std::uint64_t n) { header_->processes.store(n, std::memory_order_relaxed); }
  void add_handled(std::uint64_t n) { header_->handled.fetch_add(n, std::memory_order_relaxed); }
  void add_dead_letter() { header_->dead_letters.fetch_add(1, std::memory_order_relaxed); }
  explicit operator bool() const { return header_ != nullptr; }

 private:
  layout::InboxHeader* header_ = nullptr;
};

}  // namespace grove::ipc
