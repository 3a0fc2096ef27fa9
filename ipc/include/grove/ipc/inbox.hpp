// inbox.hpp — crash-safe shared-memory mailboxes: one receiver, many senders.
//
//   // The owner (groved: the worker's supervisor) creates the segment:
//   auto inbox = Inbox::create(SegmentName{getuid(), "shop", ProcessIdentity::self(), "api/web"});
//   // The receiver (the worker) and any sender attach by name (or by fd):
//   auto rx = InboxReader::open(inbox->name());
//   auto tx = InboxWriter::open(inbox->name());
//   tx->send({.kind = 1, .correlation = 7}, as_bytes(std::span(text)), Clock::now() + 1s);
//   std::array<Message, 32> batch;
//   auto n = rx->receive(batch, Clock::now() + 1s);  ...  rx->release_all();
//
// ---------------------------------------------------------------- design
// Shape. The segment (layout in inbox_layout.hpp) holds one header and N
// lanes. A lane is an SPSC byte ring owned by one sender at a time: a sender
// claims a free lane with a CAS on the lane's owner word (its pid and start
// time in one 64-bit word), so the hot path is a plain SPSC ring: the sender
// writes records past tail and publishes them with one release store of
// tail (per message, or per batch with stage()/flush()); the receiver reads
// records up to tail and publishes acked (per release(), or per batch).
// Records are variable-size: a 32-byte MessageHeader (length, kind,
// correlation, sender, flags, deliveries, seal) + payload, padded to 32;
// a record never wraps (a padding record fills the ring's end instead), so
// senders reserve contiguous room and write in place (zero-copy) and the
// receiver hands out spans into the ring (zero-copy).
//
// Backpressure. A lane is bounded by its ring. try_reserve()/try_send() fail
// at once with IpcError::full; reserve()/send() poll for up to spin_for then
// sleep on the lane's space_seq futex until the receiver frees room or the
// deadline.
// Nothing is dropped: each call commits or returns an error.
//
// Sleep and wake. The receiver polls all lanes for a time (spin_for, 20 us by
// default: about what a cross-CPU futex wake-up costs; yielding between polls
// only while a sender last ran on its CPU, per the CPU hints in the layout),
// then announces itself (receiver_sleeping |= kSleepFutex), fences,
// re-checks every tail and sleeps on wake_seq. A sender, after publishing
// tail, fences and reads receiver_sleeping: while the receiver polls it is 0
// and no system call is made; the sender that exchanges it to 0 bumps
// wake_seq and wakes (one wake-up per sleep). Sleeps are counted in the
// header (receiver_sleeps, sender_sleeps; InboxStats).
// An event loop uses notify_fd() + arm() instead: same protocol, the wake is
// a datagram on an abstract UNIX socket named by a nonce in the header.
//
// Memory ordering.
//   tail:   sender store(release) in publish()  -> receiver load(acquire) in
//           refresh_tail()/any_ready(): the record bytes are visible.
//   acked:  receiver store(release) in publish_acked() -> sender
//           load(acquire) in refresh_acked(): the receiver is done reading.
//   owner:  claim/reclaim CAS(acq_rel), release on free -> the new owner sees
//           the lane's final tail (and a reset lane's zeroes).
//   sleep:  both sides "store, seq_cst fence, load the other's word" (Dekker);
//           a release store followed by a seq_cst load alone lost wake-ups here.
//   magic:  creator store(release) last -> attacher load(acquire) first.
//
// Crash safety.
//   Sender dies mid-write: tail moves only after a record is complete, so the
//     lane holds whole records up to tail; the partial record is never seen.
//     The receiver never waits on a sender. A later sender that finds every
//     lane owned takes over a lane whose owner is dead (pid gone, zombie, or
//     pid reused: start time differs); its committed messages are delivered
//     first, in order.
//   Receiver dies mid-batch: acked moves only on release, so a new receiver
//     restarts each lane at acked and sees every unreleased message again,
//     with MessageHeader::deliveries bumped for those the dead one had read
//     (LaneControl::read), the hook for max_redeliveries/dead letters later.
//   Garbage in shared memory: every process validates the header once at
//     attach and keeps that geometry. The receiver validates each tail
//     (monotonic, within one ring of acked, aligned) and each header (seal,
//     flags, length <= max_message, inside the ring, before tail); records
//     are read by value once. A failing lane is quarantined (skipped,
//     counted, reported); recover() wipes it once its owner is gone. Loops
//     are bounded by the ring (records are >= 32 bytes) or by deadlines.
//     A scribbler can still forge well-formed messages or delay wake-ups
//     (up to the caller's deadline): integrity is checked, not authenticity.
//
// Ownership. The Inbox object (the creator) owns the name and unlinks it on
// destruction; sweep_stale_segments() removes names whose owner is dead.
// Each InboxReader/InboxWriter maps the segment itself and may outlive the
// Inbox object (the mapping stays valid after unlink).
// ----------------------------------------------------------------------
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "grove/ipc/error.hpp"
#include "grove/ipc/inbox_layout.hpp"
#include "grove/ipc/inbox_reader.hpp"
#include "grove/ipc/inbox_view.hpp"
#include "grove/ipc/inbox_writer.hpp"
#include "grove/ipc/segment.hpp"
#include "grove/ipc/segment_name.hpp"

namespace grove::ipc {

struct InboxOptions {
  std::uint32_t lanes = 16;               // concurrent senders; at most layout::kMaxLanes
  std::uint64_t lane_bytes = 64 * 1024;   // ring per sender, power of two >= 4096
};

class Inbox {
 public:
  // A named segment (mode 0600, refuses an existing name).
  static Result<Inbox> create(const SegmentName& name, InboxOptions options = {});
  static Result<Inbox> create(std::string_view name, InboxOptions options = {});
  // An anonymous memfd segment; hand fd() to the processes that attach.
  static Result<Inbox> create_anonymous(InboxOptions options = {});

  Inbox(Inbox&&) noexcept = default;
  Inbox& operator=(Inbox&&) = delete;
  ~Inbox();  // unlinks the name (the mapping of attached processes lives on)

  const std::string& name() const { return segment_.name(); }
  int fd() const { return segment_.fd(); }

  // Attach through a mapping of our own (by name, or by fd for memfd).
  Result<InboxReader> reader(ReaderOptions options = {}) const;
  Result<InboxWriter> writer(WriterOptions options = {}) const;

  InboxStats stats() const;  // counters, vitals and pending messages

 private:
  explicit Inbox(Segment segment) : segment_(std::move(segment)) {}
  Result<Segment> map_again() const;

  Segment segment_;
};

}  // namespace grove::ipc
