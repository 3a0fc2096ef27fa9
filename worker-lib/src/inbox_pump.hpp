// inbox_pump.hpp — reads a worker's inbox: it turns each record into an
// envelope for the local server it names (or a reply for a call of ours,
// or a dead letter), and releases records to the inbox only once the
// handler that took them has returned, in order per lane.
//
//   auto pump = std::make_unique<InboxPump>(tree);
//   sched.set_idle_source(pump.get());   // the scheduler's threads serve it
//   pump->open_gate();          // ready(): requests are dispatched from now on, parked ones first
//   pump->done(token, outcome); // any thread: an envelope was destroyed after its handler ran
//
// Who runs it: the scheduler's own threads (an IdleSource, idle_source.hpp),
// one at a time: when idle (sleeping in ppoll() on the inbox's notify socket
// and the acknowledgements' eventfd), every 32 turns when busy, and while a
// process waits for room in another inbox. So a request reaches its server,
// and a reply its caller, on the thread that runs them: no hop between
// threads. serve() never waits for room (a refused call's error reply that
// does not fit is dropped: its caller ends at its own timeout). Before the gate opens (ready()), requests are parked in arrival order
// (kept unreleased; replies flow), so a worker's init can serve its names
// in any order and no request overtakes an earlier one. A request whose
// server ended before taking it is offered again (the name's server may be
// restarted by an in-worker supervisor) for a second, then dead-lettered.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "dead_letter.hpp"
#include "grove/idle_source.hpp"
#include "grove/ipc/inbox_reader.hpp"
#include "tree_frame.hpp"
#include "tree_impl.hpp"

namespace grove::detail {

class InboxPump final : public IdleSource {
 public:
  explicit InboxPump(Tree::Impl& tree);
  ~InboxPump() override;  // unreleased records stay for the next incarnation
  InboxPump(const InboxPump&) = delete;
  InboxPump& operator=(const InboxPump&) = delete;

  bool serve() override;  // one serving thread at a time (the scheduler's)
  bool arm(SleepPlan& plan) override;
  // Last acknowledgements, once no scheduler thread serves the pump any more.
  void settle() { apply_acks(); }

  void done(std::uint64_t token, EnvelopeEnd outcome);  // any thread
  void begin(std::uint64_t token);               // any thread
  void open_gate();                              // any thread

 private:
  struct Outstanding {
    std::uint64_t end;
    bool done;
    ipc::Message view;  // valid until released
  };
  struct Retry {  // a request whose server ended before taking it
    ipc::Message view;
    std::chrono::steady_clock::time_point give_up;
  };

  void open_gate_here();
  void recover_lanes();
  bool apply_acks();
  bool retry_due();
  void handle(const ipc::Message& m);
  void dispatch(const ipc::Message& m);
  void dispatch_request(const ipc::Message& m, const Frame& f);
  bool try_deliver(const ipc::Message& m, const Frame& f);
  void deliver_reply(const ipc::Message& m, const Frame& f);
  void dead_letter(const ipc::Message& m, std::string_view reason);
  void refuse_call(const ipc::Message& m, CallError error);
  void finish(std::uint32_t lane, std::uint64_t end);
  Outstanding* find(std::uint32_t lane, std::uint64_t start);  // binary search

  Tree::Impl& tree_;
  ipc::InboxReader& reader_;
  ipc::WorkerVitals vitals_;
  DeadLetterFile dead_letters_;
  std::vector<std::deque<Outstanding>> lanes_;
  std::vector<ipc::Message> parked_;
  std::vector<Retry> retries_;
  bool gate_open_ = false;
  std::chrono::steady_clock::time_point last_message_{};  // the last record read
  std::uint64_t handled_unposted_ = 0;  // settled, counted by the next finish()
  std::uint64_t dead_unposted_ = 0;  // this thread's view: changed only where parked_ is replayed

  std::mutex acks_mu_;
  std::vector<std::pair<std::uint64_t, EnvelopeEnd>> acks_;
  std::atomic<bool> sleeping_{false};  // armed: done() writes event_fd_
  std::atomic<bool> ready_asked_{false};
  int event_fd_ = -1;
  int notify_fd_ = -1;  // the inbox's wake-ups (-1: none, polled every 10 ms)
};

}  // namespace grove::detail
