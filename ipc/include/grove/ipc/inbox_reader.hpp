// inbox_reader.hpp — the receiving side of an inbox: the one receiver.
//
//   auto r = InboxReader::open(name);             // recovers what a dead receiver left
//   std::array<Message, 64> batch;
//   auto n = r->receive(batch, Clock::now() + 1s); // spin up to 20 us, then futex sleep
//   for (const Message& m : std::span(batch).first(*n)) handle(m.kind, m.payload);
//   r->release_all();                              // acknowledge: senders may reuse the room
//
//   // Event loop instead of blocking:
//   int fd = *r->notify_fd();                      // poll(fd, POLLIN) in your loop
//   if (r->try_peek(batch) == 0 && r->arm()) { /* nothing now: poll fd, then retry */ }
//
// Contract:
// - At most one live receiver per inbox: attach fails with receiver_busy
//   while another receiver process lives; a dead one is taken over. The new
//   receiver restarts every lane from its acked position, so each message
//   that was delivered but not released is delivered again (unless marked
//   done), with Message::deliveries counting how often that happened.
// - A Message is a zero-copy view into shared memory, valid until it (or a
//   later message of its lane) is released. The payload bytes are shared
//   with the sender's process: a misbehaving sender can change them under
//   you; validate what you decode.
// - release(m) acknowledges m and every earlier message of m's lane;
//   release_all() acknowledges everything delivered so far. Acknowledged
//   room is what senders reuse; an unreleased message is never lost.
// - Nothing read from shared memory is trusted: tails and headers are
//   validated against the geometry cached at attach; a lane that fails is
//   quarantined (skipped, counted in InboxStats::corrupt_events, reported to
//   ReaderOptions::on_corruption) and reset by recover() once its owner is
//   gone. Every loop is bounded by the ring size or the deadline.
// - One thread uses a reader (begin() and vitals() excepted: any thread may
//   call them). Not async-signal-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "grove/ipc/error.hpp"
#include "grove/ipc/futex.hpp"
#include "grove/ipc/inbox_layout.hpp"
#include "grove/ipc/segment.hpp"
#include "grove/ipc/worker_vitals.hpp"

namespace grove::ipc {

struct Message {
  std::uint32_t kind = 0;
  std::uint64_t correlation = 0;
  std::uint32_t sender = 0;
  std::uint16_t deliveries = 0;         // earlier deliveries to receivers that died
  std::span<const std::byte> payload;
  std::uint32_t lane = 0;               // where it came from (release bookkeeping)
  std::uint64_t end = 0;                // lane position just past this record
  std::uint64_t start = 0;              // lane position of this record (marks)
};

struct CorruptionReport {
  std::uint32_t lane;
  std::uint64_t position;   // lane position where validation failed
  const char* what;         // "tail out of range", "bad seal", ...
};

struct InboxStats {
  std::uint64_t corrupt_events = 0;
  std::uint64_t lanes_reclaimed = 0;
  std::uint64_t lanes_reset = 0;
  std::uint64_t redelivered = 0;
  std::uint64_t receiver_sleeps = 0;  // futex sleeps of the receiver (= wake-ups senders paid)
  std::uint64_t sender_sleeps = 0;    // futex sleeps of senders on a full lane
  // The receiving worker's vitals (WorkerVitals) and the queue behind it.
  std::uint64_t handled = 0;          // messages whose handler returned
  std::uint64_t dead_letters = 0;     // messages set aside, never handled
  std::uint64_t heartbeat = 0;        // bumped by the worker's scheduler
  std::uint64_t processes = 0;        // the worker's live lightweight processes
  std::uint64_t pending = 0;          // committed, not yet released (only from a walk
                                      // of the lanes: Inbox/InboxView::stats())
};

// The counters of a segment's header (relaxed reads: a snapshot, not a cut).
InboxStats stats_of(const layout::InboxHeader& header);
// Messages committed and not yet released, counted by walking every lane
// from acked to tail (validated like the receiver does; a lane that fails
// counts what it had up to the damage). For status displays.
std::uint64_t pending_messages(const std::byte* base, const layout::Geometry& geo);

struct ReaderOptions {
  // wait() polls every lane for `spin_for` before it sleeps on the futex.
  // Between polls it yields the CPU when a sender last ran on our CPU (it
  // then fills the ring instead of waking us per batch) and pauses
  // otherwise (a yield would hand our CPU to an unrelated process for a
  // whole time slice). While we poll, senders make no system call; an idle
  // receiver is asleep after spin_for. 0 = sleep at once. 20 us: a futex
  // wake-up across CPUs costs ~15 us here, so the spin pays for itself.
  std::chrono::nanoseconds spin_for = std::chrono::microseconds(20);
  // Which messages a successor counts as delivered (MessageHeader::
  // deliveries) if we die before releasing them: every message handed out
  // (true), or only those passed to begin() (false: a worker that queues
  // messages before handling them blames only the ones whose handler
  // started).
  bool count_on_peek = true;
  // Called on the cold path, from inside try_peek/receive: must not call the reader.
  std::function<void(const CorruptionReport&)> on_corruption = {};
};

class InboxReader {
 public:
  static Result<InboxReader> attach(Segment segment, ReaderOptions options = {});
  static Result<InboxReader> open(std::string_view name, ReaderOptions options = {});

  InboxReader(InboxReader&& other) noexcept;
  InboxReader& operator=(InboxReader&&) = delete;
  InboxReader(const InboxReader&) = delete;
  InboxReader& operator=(const InboxReader&) = delete;
  ~InboxReader();  // detaches; unreleased messages stay for the next receiver

  // Fills `out` with unread messages (lanes in turn); 0 when none. Never blocks.
  std::size_t try_peek(std::span<Message> out);
  // try_peek, waiting until at least one message or the deadline (timed_out);
  // kNoDeadline waits as long as it takes, and its sleeps arm no timer.
  Result<std::size_t> receive(std::span<Message> out, Deadline deadline);
  // Waits until some lane has unread data: polls for spin_for, then sleeps
  // (see ReaderOptions). False at the deadline.
  bool wait(Deadline deadline, std::chrono::nanoseconds spin_for);
  bool wait(Deadline deadline) { return wait(deadline, options_.spin_for); }
  // Only the spin of wait(): polls for up to spin_for, never sleeps. For an
  // event loop, before arm(): what arrives meanwhile costs nobody a wake-up.
  bool spin();

  // The handler of `message` starts now: if we die before releasing it, it
  // is delivered again with deliveries + 1 (with count_on_peek = false, only
  // begun messages count). Once its handler returned, mark_done(): if we die
  // before releasing it (an earlier message of its lane still runs), it is
  // not delivered again. Any thread may call these two (while the reader
  // lives), for a message handed out and not yet released.
  void begin(const Message& message);
  void mark_done(const Message& message);
  void release(const Message& message);
  void release_all();

  // Event-loop hook: a datagram socket that turns readable after arm() when
  // a sender commits. arm() returns false if messages are ready now.
  Result<int> notify_fd();
  bool arm();

  // Resets quarantined lanes whose sender is gone; returns how many. Also
  // run from wait() before it sleeps.
  std::size_t recover();
  bool quarantined(std::uint32_t lane) const { return lane < cursors_.size() && cursors_[lane].quarantined; }

  InboxStats stats() const;
  // The receiving worker's reports to its supervisor (thread-safe).
  WorkerVitals vitals() const { return WorkerVitals(header_); }
  const Segment& segment() const { return segment_; }  // every payload lies inside it
  std::uint64_t max_message() const { return geo_.max_message; }
  std::uint32_t lanes() const { return geo_.lanes; }

 private:
  struct Cursor {
    std::uint64_t read = 0;       // next record to deliver
    std::uint64_t acked = 0;      // our last published acked
    std::uint64_t tail_seen = 0;  // validated tail
    bool quarantined = false;
    bool dirty = false;           // read != acked, release_all() must publish
  };

  InboxReader(Segment segment, const layout::Geometry& geo, std::uint64_t owner,
              ReaderOptions options);
  void restore_lanes();
  std::size_t drain_lane(std::uint32_t i, std::span<Message> out);
  bool refresh_tail(std::uint32_t i);
  bool any_ready();
  bool a_sender_shares_my_cpu();
  void quarantine(std::uint32_t i, std::uint64_t position, const char* what);
  void publish_acked(std::uint32_t i);
  void mark(const Message& m, std::uint32_t bit);
  void wake_sender(std::uint32_t i);
  bool reset_lane(std::uint32_t i);

  Segment segment_;
  layout::Geometry geo_;
  layout::InboxHeader* header_ = nullptr;
  std::uint64_t owner_word_ = 0;
  ReaderOptions options_;
  std::vector<Cursor> cursors_;
  std::uint32_t next_lane_ = 0;
  std::uint32_t quarantined_ = 0;
  int notify_fd_ = -1;
};

}  // namespace grove::ipc
