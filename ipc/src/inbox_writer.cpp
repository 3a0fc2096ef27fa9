#include "grove/ipc/inbox_writer.hpp"

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

bool lane_indices_valid(std::uint64_t tail, std::uint64_t acked, std::uint64_t lane_bytes) {
  return acked <= tail && tail - acked <= lane_bytes && (tail & kAlignMask) == 0 &&
         (acked & kAlignMask) == 0;
}

// Claims a free lane, else takes over the lane of a dead owner. The CAS
// (acq_rel) pairs with the release that freed the lane (writer destructor,
// receiver reset), so the claimer sees the lane's final tail.
Result<std::uint32_t> claim_lane(std::byte* base, const Geometry& g, std::uint64_t me) {
  const auto start = static_cast<std::uint32_t>(::getpid()) % g.lanes;
  for (std::uint32_t k = 0; k < g.lanes; ++k) {
    LaneControl* lane = lane_at(base, g, (start + k) % g.lanes);
    std::uint64_t expected = kFree;
    if (lane->state.load(std::memory_order_acquire) == kLaneHealthy &&
        lane->owner.compare_exchange_strong(expected, me, std::memory_order_acq_rel))
      return (start + k) % g.lanes;
  }
  for (std::uint32_t k = 0; k < g.lanes; ++k) {
    LaneControl* lane = lane_at(base, g, (start + k) % g.lanes);
    std::uint64_t owner = lane->owner.load(std::memory_order_acquire);
    if (owner == kFree || owner == kResetting || is_alive(unpack_owner(owner)) ||
        lane->state.load(std::memory_order_acquire) != kLaneHealthy)
      continue;
    // A dead sender published only whole records (tail moves once a record
    // is complete), so its lane is consistent as it stands.
    if (lane->owner.compare_exchange_strong(owner, me, std::memory_order_acq_rel)) {
      header_at(base)->lanes_reclaimed.fetch_add(1, std::memory_order_relaxed);
      return (start + k) % g.lanes;
    }
  }
  return Error{IpcError::no_free_lane, 0, "claim an inbox lane"};
}
}  // namespace

Result<InboxWriter> InboxWriter::open(std::string_view name, WriterOptions options) {
  auto seg = Segment::open(name);
  if (!seg) return seg.error();
  return attach(std::move(*seg), options);
}

Result<InboxWriter> InboxWriter::attach(Segment segment, WriterOptions options) {
  auto geo = check_header(*header_at(segment.data()), segment.size());
  if (!geo) return geo.error();
  const std::uint64_t me = pack_owner(ProcessIdentity::self());
  auto lane = claim_lane(segment.data(), *geo, me);
  if (!lane) return lane.error();
  LaneControl* control = lane_at(segment.data(), *geo, *lane);
  if (!lane_indices_valid(control->tail.load(std::memory_order_acquire),
                          control->acked.load(std::memory_order_acquire), geo->lane_bytes)) {
    // Damaged while nobody wrote to it: leave it for the receiver to
    // quarantine and reset rather than build on it.
    control->owner.store(kFree, std::memory_order_release);
    return Error{IpcError::corrupt, 0, "claim an inbox lane"};
  }
  if (options.sender == 0) options.sender = static_cast<std::uint32_t>(::getpid());
  return InboxWriter(std::move(segment), *geo, *lane, options);
}

InboxWriter::InboxWriter(Segment segment, const Geometry& geo, std::uint32_t lane,
                         const WriterOptions& options)
    : segment_(std::move(segment)), geo_(geo), lane_index_(lane), options_(options) {
  header_ = header_at(segment_.data());
  lane_ = lane_at(segment_.data(), geo_, lane);
  ring_ = ring_at(segment_.data(), geo_, lane);
  owner_word_ = lane_->owner.load(std::memory_order_relaxed);
  // We own the lane: tail is ours to write; acked is the receiver's.
  published_ = staged_ = lane_->tail.load(std::memory_order_acquire);
  acked_seen_ = lane_->acked.load(std::memory_order_acquire);
}

InboxWriter::InboxWriter(InboxWriter&& o) noexcept
    : segment_(std::move(o.segment_)),
      geo_(o.geo_),
      header_(std::exchange(o.header_, nullptr)),
      lane_(std::exchange(o.lane_, nullptr)),
      ring_(o.ring_),
      lane_index_(o.lane_index_),
      owner_word_(o.owner_word_),
      options_(o.options_),
      published_(o.published_),
      staged_(o.staged_),
      acked_seen_(o.acked_seen_),
      reserved_at_(o.reserved_at_),
      reserved_len_(o.reserved_len_),
      cpu_hint_(o.cpu_hint_),
      reserving_(o.reserving_),
      notify_fd_(std::exchange(o.notify_fd_, -1)) {}

InboxWriter::~InboxWriter() {
  if (lane_ == nullptr) return;
  publish();
  std::uint64_t expected = owner_word_;
  // Release: the next claimer sees our final tail. Fails harmlessly if the
  // lane was taken from us (we were presumed dead).
  lane_->owner.compare_exchange_strong(expected, kFree, std::memory_order_release,
                                       std::memory_order_relaxed);
  if (notify_fd_ >= 0) ::close(notify_fd_);
}

Status InboxWriter::refresh_acked() {
  if (lane_->state.load(std::memory_order_acquire) != kLaneHealthy)
    return Error{IpcError::lane_revoked, 0, "reserve in inbox lane"};
  // Acquire pairs with the receiver's release store of acked: the records
  // before it are no longer read, so we may overwrite them.
  const std::uint64_t acked = lane_->acked.load(std::memory_order_acquire);
  if (acked < acked_seen_ || !lane_indices_valid(published_, acked, geo_.lane_bytes))
    return Error{IpcError::corrupt, 0, "reserve in inbox lane"};
  acked_seen_ = acked;
  return {};
}

Result<std::span<std::byte>> InboxWriter::try_reserve_slow(std::size_t length) {
  if (length > geo_.max_message) return Error{IpcError::message_too_large, 0, "reserve"};
  const std::uint64_t size = record_size(length);
  const std::uint64_t offset = staged_ & (geo_.lane_bytes - 1);
  const std::uint64_t room_to_end = geo_.lane_bytes - offset;
  const std::uint64_t pad = size > room_to_end ? room_to_end : 0;
  if (staged_ + pad + size - acked_seen_ > geo_.lane_bytes) {
    publish();  // the receiver cannot free what it cannot see
    if (auto ok = refresh_acked(); !ok) return ok.error();
    if (staged_ + pad + size - acked_seen_ > geo_.lane_bytes)
      return Error{IpcError::full, 0, "reserve in inbox lane"};
  }
  if (pad != 0) {
    const auto len = static_cast<std::uint32_t>(pad - sizeof(MessageHeader));
    const MessageHeader h{len, 0, 0, 0, kFlagPadding, 0, seal_of(len, 0, 0, kFlagPadding), 0};
    store_header(ring_ + offset, h);
    staged_ += pad;
  }
  reserving_ = true;
  reserved_at_ = staged_;
  reserved_len_ = length;
  return std::span<std::byte>(ring_ + (staged_ & (geo_.lane_bytes - 1)) + sizeof(MessageHeader),
                              length);
}

Result<std::span<std::byte>> InboxWriter::reserve(std::size_t length, Deadline deadline) {
  auto r = try_reserve(length);
  if (r || r.error().code != IpcError::full) return r;
  auto has_room = [&] {
    r = try_reserve(length);
    return r || r.error().code != IpcError::full;
  };
  auto receiver_here = [this] {
    const std::uint32_t me = detail::my_cpu_hint();
    return me != 0 && header_->receiver_cpu.load(std::memory_order_relaxed) == me;
  };
  if (detail::spin_until(has_room, receiver_here, options_.spin_for, deadline)) return r;
  for (;;) {
    // Announce, fence, re-check, sleep: pairs with the fence in the
    // receiver's publish_acked() (see "Memory ordering" in inbox.hpp).
    const std::uint32_t seen = lane_->space_seq.load(std::memory_order_acquire);
    lane_->sender_waiting.store(1, std::memory_order_relaxed);
    detail::store_load_fence();
    if (has_room()) {
      lane_->sender_waiting.store(0, std::memory_order_relaxed);
      return r;
    }
    header_->sender_sleeps.fetch_add(1, std::memory_order_relaxed);
    if (futex_wait(lane_->space_seq, seen, deadline) == FutexWait::timed_out ||
        Clock::now() >= deadline) {
      lane_->sender_waiting.store(0, std::memory_order_relaxed);
      return try_reserve(length);
    }
  }
}

void InboxWriter::commit(Envelope env, std::size_t length) {
  stage(env, length);
  publish();
}

void InboxWriter::flush() { publish(); }

void InboxWriter::publish() {
  if (staged_ == published_) return;
  // Our CPU hint for the receiver's spin, stored only on a change (our line).
  if (const std::uint32_t cpu = detail::my_cpu_hint(); cpu != cpu_hint_) {
    lane_->sender_cpu.store(cpu, std::memory_order_relaxed);
    cpu_hint_ = cpu;
  }
  // Release: publishes the records' bytes -> acquired by the receiver's
  // load of tail before it reads them.
  lane_->tail.store(staged_, std::memory_order_release);
  published_ = staged_;
  // Dekker pair with the receiver's "announce sleep, fence, re-check tails":
  // either it sees our tail, or we see its sleeping bit.
  detail::store_load_fence();
  if (header_->receiver_sleeping.load(std::memory_order_relaxed) != 0) wake_receiver();
}

void InboxWriter::wake_receiver() {
  // Only the sender that clears the bits wakes: one system call per edge.
  const std::uint32_t sleeping = header_->receiver_sleeping.exchange(0, std::memory_order_acq_rel);
  if ((sleeping & kSleepFutex) != 0) {
    header_->wake_seq.fetch_add(1, std::memory_order_release);
    futex_wake(header_->wake_seq, 1);
  }
  if ((sleeping & kSleepNotify) != 0)
    detail::send_notify(notify_fd_, header_->notify_nonce.load(std::memory_order_acquire));
}

Status InboxWriter::try_send(Envelope env, std::span<const std::byte> payload) {
  auto buf = try_reserve(payload.size());
  if (!buf) return buf.error();
  if (!payload.empty()) std::memcpy(buf->data(), payload.data(), payload.size());
  commit(env, payload.size());
  return {};
}

Status InboxWriter::send(Envelope env, std::span<const std::byte> payload, Deadline deadline) {
  auto buf = reserve(payload.size(), deadline);
  if (!buf) return buf.error();
  if (!payload.empty()) std::memcpy(buf->data(), payload.data(), payload.size());
  commit(env, payload.size());
  return {};
}

bool InboxWriter::receiver_alive() const {
  const std::uint64_t word = header_->receiver.load(std::memory_order_acquire);
  return word != layout::kFree && word != layout::kResetting && is_alive(layout::unpack_owner(word));
}

}  // namespace grove::ipc
