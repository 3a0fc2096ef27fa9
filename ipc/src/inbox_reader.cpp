#include "grove/ipc/inbox_reader.hpp"

#include <unistd.h>

#include <cstring>
#include <utility>

#include "barriers.hpp"
#include "notify_socket.hpp"
#include "spin_wait.hpp"

namespace grove::ipc {

using namespace layout;

namespace {
constexpr std::uint64_t kAlignMask = kRecordAlign - 1;

// One record, read once by value and validated; `error` names the first
// check that failed.
struct Record {
  MessageHeader header{};
  std::uint64_t size = 0;
  const char* error = nullptr;
};

[[gnu::always_inline]] inline MessageHeader load_header(const std::byte* at) {
  // Relaxed atomic word loads, not memcpy: each field is read exactly once,
  // so a sender rewriting the header under us cannot make a checked value
  // differ from a used one. Four named loads keep the words in registers.
  const auto* src = reinterpret_cast<const std::uint64_t*>(at);
  return decode(HeaderWords{{__atomic_load_n(src, __ATOMIC_RELAXED),
                             __atomic_load_n(src + 1, __ATOMIC_RELAXED),
                             __atomic_load_n(src + 2, __ATOMIC_RELAXED),
                             __atomic_load_n(src + 3, __ATOMIC_RELAXED)}});
}

[[gnu::always_inline]] inline Record read_record(const std::byte* ring, const Geometry& g, std::uint64_t pos,
                   std::uint64_t limit) {
  Record r;
  const std::uint64_t offset = pos & (g.lane_bytes - 1);
  r.header = load_header(ring + offset);
  const MessageHeader& h = r.header;
  if (h.seal != seal_of(h.length, h.kind, h.sender, h.flags)) {
    r.error = "bad seal";
  } else if ((h.marks & ~kMarkBits) != 0) {
    r.error = "bad marks";
  } else if (h.flags == kFlagPadding) {
    r.size = g.lane_bytes - offset;
    if (record_size(h.length) != r.size) r.error = "bad padding";
  } else if (h.flags != 0) {
    r.error = "bad flags";
  } else if (h.length > g.max_message) {
    r.error = "length too large";
  } else {
    r.size = record_size(h.length);
    if (r.size > g.lane_bytes - offset) r.error = "record crosses the ring end";
  }
  if (r.error == nullptr && r.size > limit - pos) r.error = "record beyond tail";
  return r;
}

// The receiver-owned marks word of the record whose header is at `at`.
std::uint32_t* marks_at(std::byte* at) {
  return reinterpret_cast<std::uint32_t*>(at + offsetof(MessageHeader, marks));
}

bool indices_valid(std::uint64_t tail, std::uint64_t acked, std::uint64_t lane_bytes) {
  return acked <= tail && tail - acked <= lane_bytes && (tail & kAlignMask) == 0 &&
         (acked & kAlignMask) == 0;
}
}  // namespace

Result<InboxReader> InboxReader::open(std::string_view name, ReaderOptions options) {
  auto seg = Segment::open(name);
  if (!seg) return seg.error();
  return attach(std::move(*seg), std::move(options));
}

Result<InboxReader> InboxReader::attach(Segment segment, ReaderOptions options) {
  auto geo = check_header(*header_at(segment.data()), segment.size());
  if (!geo) return geo.error();
  InboxHeader* h = header_at(segment.data());
  const std::uint64_t me = pack_owner(ProcessIdentity::self());
  for (int attempt = 0; attempt < 8; ++attempt) {
    std::uint64_t owner = h->receiver.load(std::memory_order_acquire);
    if (owner != kFree && is_alive(unpack_owner(owner))) break;
    // acq_rel: we see everything the previous receiver published.
    if (h->receiver.compare_exchange_strong(owner, me, std::memory_order_acq_rel)) {
      InboxReader reader(std::move(segment), *geo, me, std::move(options));
      reader.restore_lanes();
      return reader;
    }
  }
  return Error{IpcError::receiver_busy, 0, "attach inbox receiver"};
}

InboxReader::InboxReader(Segment segment, const Geometry& geo, std::uint64_t owner,
                         ReaderOptions options)
    : segment_(std::move(segment)),
      geo_(geo),
      header_(header_at(segment_.data())),
      owner_word_(owner),
      options_(std::move(options)),
      cursors_(geo.lanes) {}

InboxReader::InboxReader(InboxReader&& o) noexcept
    : segment_(std::move(o.segment_)),
      geo_(o.geo_),
      header_(std::exchange(o.header_, nullptr)),
      owner_word_(o.owner_word_),
      options_(std::move(o.options_)),
      cursors_(std::move(o.cursors_)),
      next_lane_(o.next_lane_),
      quarantined_(o.quarantined_),
      notify_fd_(std::exchange(o.notify_fd_, -1)) {}

InboxReader::~InboxReader() {
  if (header_ == nullptr) return;
  if (notify_fd_ >= 0) {
    header_->notify_nonce.store(0, std::memory_order_relaxed);
    ::close(notify_fd_);
  }
  header_->receiver_sleeping.store(0, std::memory_order_relaxed);
  std::uint64_t expected = owner_word_;
  // Release: the next receiver sees our last acked positions.
  header_->receiver.compare_exchange_strong(expected, kFree, std::memory_order_release,
                                            std::memory_order_relaxed);
}

// A new receiver restarts each lane at acked. A record counts one more
// delivery when a dead receiver had handed it out without acknowledging it:
// those in [acked, read) (count_on_peek), and those marked started (begin()).
// The started mark is cleared: the next death counts only a new start.
void InboxReader::restore_lanes() {
  header_->receiver_sleeping.store(0, std::memory_order_relaxed);
  std::uint64_t redelivered = 0;
  for (std::uint32_t i = 0; i < geo_.lanes; ++i) {
    LaneControl* lane = lane_at(segment_.data(), geo_, i);
    Cursor& c = cursors_[i];
    const std::uint64_t tail = lane->tail.load(std::memory_order_acquire);
    const std::uint64_t acked = lane->acked.load(std::memory_order_relaxed);
    const std::uint64_t was_read = lane->read.load(std::memory_order_relaxed);
    c.read = c.acked = c.tail_seen = indices_valid(tail, acked, geo_.lane_bytes) ? acked : 0;
    if (lane->state.load(std::memory_order_relaxed) != kLaneHealthy) {
      c.quarantined = true;
      ++quarantined_;
      continue;
    }
    if (c.acked != acked) {
      quarantine(i, acked, "indices out of range at attach");
      continue;
    }
    std::byte* ring = ring_at(segment_.data(), geo_, i);
    const std::uint64_t read_limit = was_read > acked && was_read <= tail ? was_read : acked;
    for (std::uint64_t pos = acked; pos < tail;) {  // bounded: pos grows by >= 32, tail - acked <= ring
      const Record r = read_record(ring, geo_, pos, tail);
      if (r.error != nullptr) break;  // the drain will find and report it
      std::byte* at = ring + (pos & (geo_.lane_bytes - 1));
      const bool started = (r.header.marks & kMarkStarted) != 0;
      if (r.header.flags == 0 && (pos < read_limit || started) && (r.header.marks & kMarkDone) == 0 &&
          r.header.deliveries != 0xFFFF) {
        auto* d = reinterpret_cast<std::uint16_t*>(at + offsetof(MessageHeader, deliveries));
        __atomic_store_n(d, static_cast<std::uint16_t>(r.header.deliveries + 1), __ATOMIC_RELAXED);
        ++redelivered;
      }
      if (started) __atomic_fetch_and(marks_at(at), ~kMarkStarted, __ATOMIC_RELAXED);
      pos += r.size;
    }
    lane->read.store(acked, std::memory_order_relaxed);
  }
  if (redelivered != 0) header_->redelivered.fetch_add(redelivered, std::memory_order_relaxed);
}

bool InboxReader::refresh_tail(std::uint32_t i) {
  Cursor& c = cursors_[i];
  // Acquire pairs with the sender's release store in publish(): the records
  // before tail are complete.
  const std::uint64_t t = lane_at(segment_.data(), geo_, i)->tail.load(std::memory_order_acquire);
  if (t == c.tail_seen) return false;
  if (t < c.tail_seen || t - c.acked > geo_.lane_bytes || (t & kAlignMask) != 0) {
    quarantine(i, t, "tail out of range");
    return false;
  }
  c.tail_seen = t;
  return true;
}

std::size_t InboxReader::drain_lane(std::uint32_t i, std::span<Message> out) {
  Cursor& c = cursors_[i];
  if (c.read == c.tail_seen && !refresh_tail(i)) return 0;
  const std::byte* ring = ring_at(segment_.data(), geo_, i);
  const std::uint64_t start = c.read;
  std::size_t n = 0;
  while (n < out.size() && c.read < c.tail_seen) {  // bounded by tail_seen - acked
    const Record r = read_record(ring, geo_, c.read, c.tail_seen);
    if (r.error != nullptr) {
      quarantine(i, c.read, r.error);
      break;
    }
    const std::uint64_t offset = c.read & (geo_.lane_bytes - 1);
    const std::uint64_t at = c.read;
    c.read += r.size;
    // Done: its handler returned before a receiver died with it unreleased.
    if (r.header.flags == kFlagPadding || (r.header.marks & kMarkDone) != 0) continue;
    const MessageHeader& h = r.header;
    out[n++] = Message{h.kind, h.correlation, h.sender, h.deliveries,
                       std::span<const std::byte>(ring + offset + sizeof(MessageHeader), h.length),
                       i, c.read, at};
  }
  if (c.read != start) {
    c.dirty = true;
    // For a successor's redelivery count only: no ordering needed.
    if (options_.count_on_peek) lane_at(segment_.data(), geo_, i)->read.store(c.read, std::memory_order_relaxed);
  }
  return n;
}

void InboxReader::begin(const Message& m) { mark(m, kMarkStarted); }
void InboxReader::mark_done(const Message& m) { mark(m, kMarkDone); }

// Any thread: one atomic or on the record's marks word. The record is ours
// until released (its sender does not touch it), so the mark stays put.
void InboxReader::mark(const Message& m, std::uint32_t bit) {
  if (m.lane >= geo_.lanes || (m.start & kAlignMask) != 0) return;
  std::byte* at = ring_at(segment_.data(), geo_, m.lane) + (m.start & (geo_.lane_bytes - 1));
  __atomic_fetch_or(marks_at(at), bit, __ATOMIC_RELAXED);
}

std::size_t InboxReader::try_peek(std::span<Message> out) {
  std::size_t n = 0;
  for (std::uint32_t k = 0; k < geo_.lanes && n < out.size(); ++k) {
    std::uint32_t i = next_lane_ + k;
    if (i >= geo_.lanes) i -= geo_.lanes;
    if (!cursors_[i].quarantined) n += drain_lane(i, out.subspan(n));
  }
  // Start at the next lane next time: no sender starves the others.
  if (++next_lane_ == geo_.lanes) next_lane_ = 0;
  return n;
}

bool InboxReader::any_ready() {
  for (std::uint32_t i = 0; i < geo_.lanes; ++i) {
    const Cursor& c = cursors_[i];
    if (c.quarantined) continue;
    if (c.read != c.tail_seen ||
        lane_at(segment_.data(), geo_, i)->tail.load(std::memory_order_acquire) != c.tail_seen)
      return true;
  }
  return false;
}

// Also publishes our CPU hint, for a sender waiting on a full lane; only on a
// change, since senders read that line on every publish.
bool InboxReader::a_sender_shares_my_cpu() {
  const std::uint32_t me = detail::my_cpu_hint();
  if (header_->receiver_cpu.load(std::memory_order_relaxed) != me)
    header_->receiver_cpu.store(me, std::memory_order_relaxed);
  if (me == 0) return false;
  for (std::uint32_t i = 0; i < geo_.lanes; ++i) {
    const LaneControl* lane = lane_at(segment_.data(), geo_, i);
    if (!cursors_[i].quarantined && lane->sender_cpu.load(std::memory_order_relaxed) == me &&
        lane->owner.load(std::memory_order_relaxed) != kFree)
      return true;
  }
  return false;
}

bool InboxReader::wait(Deadline deadline, std::chrono::nanoseconds spin_for) {
  auto data_ready = [this] { return any_ready(); };
  auto sender_here = [this] { return a_sender_shares_my_cpu(); };
  if (detail::spin_until(data_ready, sender_here, spin_for, deadline)) return true;
  for (;;) {
    if (quarantined_ != 0) recover();
    // Announce, fence, re-check, sleep. The fence pairs with the one in the
    // sender's publish(): either a sender sees kSleepFutex and bumps
    // wake_seq (so futex_wait returns), or we see its tail here.
    const std::uint32_t seen = header_->wake_seq.load(std::memory_order_acquire);
    header_->receiver_sleeping.fetch_or(kSleepFutex, std::memory_order_seq_cst);
    detail::store_load_fence();
    const bool ready = any_ready();
    if (!ready) header_->receiver_sleeps.fetch_add(1, std::memory_order_relaxed);
    const FutexWait r = ready ? FutexWait::changed : futex_wait(header_->wake_seq, seen, deadline);
    header_->receiver_sleeping.fetch_and(~kSleepFutex, std::memory_order_relaxed);
    if (ready || any_ready()) return true;
    if (r == FutexWait::timed_out || Clock::now() >= deadline) return false;
  }
}

bool InboxReader::spin() {
  const auto spin_for = options_.spin_for;
  return detail::spin_until([this] { return any_ready(); }, [this] { return a_sender_shares_my_cpu(); },
                            spin_for, Clock::now() + spin_for);
}

Result<std::size_t> InboxReader::receive(std::span<Message> out, Deadline deadline) {
  if (out.empty()) return Error{IpcError::invalid_argument, 0, "receive"};
  for (;;) {  // each turn either returns or waits (bounded by the deadline)
    if (const std::size_t n = try_peek(out); n != 0) return n;
    if (!wait(deadline)) {
      if (const std::size_t n = try_peek(out); n != 0) return n;
      return Error{IpcError::timed_out, 0, "receive"};
    }
  }
}

void InboxReader::release(const Message& m) {
  if (m.lane >= geo_.lanes) return;
  Cursor& c = cursors_[m.lane];
  if (m.end <= c.acked || m.end > c.read) return;
  c.acked = m.end;
  c.dirty = c.acked != c.read;
  publish_acked(m.lane);
  detail::store_load_fence();
  wake_sender(m.lane);
}

void InboxReader::release_all() {
  bool any = false;
  for (std::uint32_t i = 0; i < geo_.lanes; ++i) {
    Cursor& c = cursors_[i];
    if (!c.dirty) continue;
    c.acked = c.read;
    publish_acked(i);
    any = true;
  }
  if (!any) return;
  // One fence for all lanes: pairs with the sender's announce in reserve().
  detail::store_load_fence();
  for (std::uint32_t i = 0; i < geo_.lanes; ++i) {
    if (cursors_[i].dirty) {
      cursors_[i].dirty = false;
      wake_sender(i);
    }
  }
}

void InboxReader::publish_acked(std::uint32_t i) {
  // Release: we are done with the records before acked -> acquired by the
  // sender's refresh_acked() before it overwrites them.
  lane_at(segment_.data(), geo_, i)->acked.store(cursors_[i].acked, std::memory_order_release);
}

void InboxReader::wake_sender(std::uint32_t i) {
  LaneControl* lane = lane_at(segment_.data(), geo_, i);
  if (lane->sender_waiting.load(std::memory_order_relaxed) == 0) return;
  if (lane->sender_waiting.exchange(0, std::memory_order_acq_rel) == 0) return;
  lane->space_seq.fetch_add(1, std::memory_order_release);
  futex_wake(lane->space_seq, 1);
}

void InboxReader::quarantine(std::uint32_t i, std::uint64_t position, const char* what) {
  Cursor& c = cursors_[i];
  if (c.quarantined) return;
  c.quarantined = true;
  ++quarantined_;
  lane_at(segment_.data(), geo_, i)->state.store(kLaneQuarantined, std::memory_order_release);
  header_->corrupt_events.fetch_add(1, std::memory_order_relaxed);
  if (options_.on_corruption) options_.on_corruption(CorruptionReport{i, position, what});
}

bool InboxReader::reset_lane(std::uint32_t i) {
  LaneControl* lane = lane_at(segment_.data(), geo_, i);
  std::uint64_t owner = lane->owner.load(std::memory_order_acquire);
  // kResetting left by a receiver that died mid-reset is ours to finish.
  if (owner != kFree && owner != kResetting && is_alive(unpack_owner(owner))) return false;
  if (!lane->owner.compare_exchange_strong(owner, kResetting, std::memory_order_acq_rel))
    return false;
  lane->tail.store(0, std::memory_order_relaxed);
  lane->acked.store(0, std::memory_order_relaxed);
  lane->read.store(0, std::memory_order_relaxed);
  lane->sender_waiting.store(0, std::memory_order_relaxed);
  lane->sender_cpu.store(0, std::memory_order_relaxed);
  lane->state.store(kLaneHealthy, std::memory_order_relaxed);
  // Release: the next claimer's CAS (acquire) sees the zeroed lane.
  lane->owner.store(kFree, std::memory_order_release);
  cursors_[i] = Cursor{};
  --quarantined_;
  header_->lanes_reset.fetch_add(1, std::memory_order_relaxed);
  return true;
}

std::size_t InboxReader::recover() {
  std::size_t n = 0;
  for (std::uint32_t i = 0; i < geo_.lanes && quarantined_ != 0; ++i)
    if (cursors_[i].quarantined && reset_lane(i)) ++n;
  return n;
}

Result<int> InboxReader::notify_fd() {
  if (notify_fd_ < 0) {
    auto bound = detail::bind_notify_socket();
    if (!bound) return bound.error();
    notify_fd_ = bound->fd;
    header_->notify_nonce.store(bound->nonce, std::memory_order_release);
  }
  return notify_fd_;
}

bool InboxReader::arm() {
  if (notify_fd_ >= 0) detail::drain_notify(notify_fd_);
  // Same announce/fence/re-check as wait(), with the notify bit.
  header_->receiver_sleeping.fetch_or(kSleepNotify, std::memory_order_seq_cst);
  detail::store_load_fence();
  if (!any_ready()) return true;
  header_->receiver_sleeping.fetch_and(~kSleepNotify, std::memory_order_relaxed);
  return false;
}

InboxStats stats_of(const InboxHeader& h) {
  return InboxStats{h.corrupt_events.load(std::memory_order_relaxed),
                    h.lanes_reclaimed.load(std::memory_order_relaxed),
                    h.lanes_reset.load(std::memory_order_relaxed),
                    h.redelivered.load(std::memory_order_relaxed),
                    h.receiver_sleeps.load(std::memory_order_relaxed),
                    h.sender_sleeps.load(std::memory_order_relaxed),
                    h.handled.load(std::memory_order_relaxed),
                    h.dead_letters.load(std::memory_order_relaxed),
                    h.heartbeat.load(std::memory_order_relaxed),
                    h.processes.load(std::memory_order_relaxed),
                    0};
}

std::uint64_t pending_messages(const std::byte* base, const Geometry& geo) {
  std::uint64_t pending = 0;
  for (std::uint32_t i = 0; i < geo.lanes; ++i) {
    const auto* lane = lane_at(const_cast<std::byte*>(base), geo, i);
    const std::uint64_t tail = lane->tail.load(std::memory_order_acquire);
    std::uint64_t at = lane->acked.load(std::memory_order_acquire);
    if (!indices_valid(tail, at, geo.lane_bytes)) continue;
    const std::byte* ring = ring_at(const_cast<std::byte*>(base), geo, i);
    while (at < tail) {  // bounded: records are >= 32 bytes, tail - at <= lane_bytes
      const Record r = read_record(ring, geo, at, tail);
      if (r.error != nullptr) break;
      at += r.size;
      if (r.header.flags != kFlagPadding) ++pending;
    }
  }
  return pending;
}

InboxStats InboxReader::stats() const { return stats_of(*header_); }

}  // namespace grove::ipc
