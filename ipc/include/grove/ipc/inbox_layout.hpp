// inbox_layout.hpp — the binary layout of an inbox segment (InboxData), the
// one place where it is spelled. Layout version 2 (2: sleep counters and the
// CPU hints receiver_cpu / sender_cpu; 3: the worker's vitals heartbeat,
// processes, handled and dead_letters, read by its supervisor; 4:
// MessageHeader::marks, the receiver's per-record started/done bits).
//
//   offset 0            InboxHeader      192 bytes: geometry, receiver, wake, counters
//   lanes_offset (192)  lane 0           LaneControl (128 bytes) + ring (lane_bytes)
//   + lane_stride       lane 1           ...
//   ...                 lane lanes-1     total = lanes_offset + lanes * lane_stride
//
//   const auto geo = plan_geometry(8, 64 * 1024);          // Result<Geometry>
//   initialise(segment.data(), *geo);                       // creator, once
//   auto seen = check_header(*header_at(base), seg.size()); // every attach
//
// A ring holds records: a MessageHeader (32 bytes) followed by the payload,
// padded to kRecordAlign (32) so a record never straddles the ring's end
// (a padding record fills the rest of the ring instead) and the padding
// record always fits. Positions (tail, read, acked) are byte counts since the
// lane was last reset: monotonic 64-bit, never wrapped; offset = pos & (lane_bytes-1).
//
// Owner words (LaneControl::owner, InboxHeader::receiver) hold a process
// identity in one atomic word: pid in the low 22 bits (PID_MAX_LIMIT is 2^22),
// start time in clock ticks since boot in the high 42 bits (1,300 years at
// 100 Hz). 0 = free. pid 0 with a non-zero start = kResetting (the receiver is
// resetting the lane). One CAS claims, reclaims or releases; no ABA, because
// an identity never comes back.
//
// Contract: every field is fixed-width and at a fixed offset (static_asserts
// below; tests/unit/inbox_layout_test.cpp spells them again in literal
// numbers). Bump kLayoutVersion on any change of width, order or meaning.
// Processes keep the geometry they validated at attach and never re-read it:
// a scribbled header cannot move a later access outside the mapping.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "grove/ipc/error.hpp"
#include "grove/ipc/process_identity.hpp"

namespace grove::ipc::layout {

inline constexpr std::uint64_t kMagic = 0x3158'4F42'4E49'5647ULL;  // "GVINBOX1" in memory
inline constexpr std::uint32_t kLayoutVersion = 4;
inline constexpr std::size_t kCacheLine = 64;
inline constexpr std::uint64_t kRecordAlign = 32;
inline constexpr std::uint32_t kMaxLanes = 256;
inline constexpr std::uint64_t kMinLaneBytes = 4096;
inline constexpr std::uint64_t kMaxLaneBytes = std::uint64_t{1} << 30;

// Bits of InboxHeader::receiver_sleeping: who must be woken on new data.
inline constexpr std::uint32_t kSleepFutex = 1;   // a receiver sleeps on wake_seq
inline constexpr std::uint32_t kSleepNotify = 2;  // an event loop polls the notify socket

// LaneControl::state, written by the receiver only.
inline constexpr std::uint32_t kLaneHealthy = 0;
inline constexpr std::uint32_t kLaneQuarantined = 1;  // corrupt; reset once its owner is gone

// MessageHeader::flags
inline constexpr std::uint16_t kFlagPadding = 1;  // skip to the end of the ring

// ---- owner words -------------------------------------------------------
inline constexpr unsigned kPidBits = 22;
inline constexpr std::uint64_t kPidMask = (std::uint64_t{1} << kPidBits) - 1;
inline constexpr std::uint64_t kStartMask = (std::uint64_t{1} << (64 - kPidBits)) - 1;
inline constexpr std::uint64_t kFree = 0;
inline constexpr std::uint64_t kResetting = std::uint64_t{1} << kPidBits;

constexpr std::uint64_t pack_owner(const ProcessIdentity& who) {
  // Start ticks are masked to 42 bits; a 0 start (unknown) becomes 1 so that a
  // real owner word is never mistaken for kFree.
  const std::uint64_t start = (who.start_ticks & kStartMask) | (who.start_ticks == 0 ? 1 : 0);
  return (start << kPidBits) | (static_cast<std::uint64_t>(who.pid) & kPidMask);
}
constexpr ProcessIdentity unpack_owner(std::uint64_t word) {
  return ProcessIdentity{static_cast<pid_t>(word & kPidMask), word >> kPidBits};
}

// ---- CPU hints -----------------------------------------------------------
// receiver_cpu and sender_cpu hold the CPU a side last ran on, plus one (0 =
// unknown). A side waiting for the other yields its CPU only when the other
// side last ran on the same CPU (a pause cannot help it then); otherwise it
// pauses, since a yield would hand the CPU to an unrelated process for a
// whole time slice. Garbage in them changes only how a side spins.
constexpr std::uint32_t cpu_hint(int cpu) {
  return cpu < 0 ? 0 : static_cast<std::uint32_t>(cpu) + 1;
}

// ---- message header ----------------------------------------------------
// Written by the sender before it publishes tail; read once (by value) by
// the receiver, which validates it before trusting any field.
struct MessageHeader {
  std::uint32_t length;       // 0  payload bytes
  std::uint32_t kind;         // 4  user-defined message kind
  std::uint64_t correlation;  // 8  user-defined: matches a reply to its call
  std::uint32_t sender;       // 16 sender id (WriterOptions::sender, default pid)
  std::uint16_t flags;        // 20 kFlagPadding or 0
  std::uint16_t deliveries;   // 22 earlier deliveries to receivers that died before
                              //    acking it (bumped on receiver recovery); not sealed
  std::uint32_t seal;         // 24 seal_of(length, kind, sender, flags): catches garbage
  std::uint32_t marks;        // 28 the receiver's kMark* bits (0 when written); not sealed
};

// MessageHeader::marks, set by the receiver on records it handed out (a
// worker's handlers run out of order across its servers, so a position
// cannot say which records ran): a successor counts a delivery only for a
// started record, and skips a done one instead of delivering it again.
inline constexpr std::uint32_t kMarkStarted = 1;
inline constexpr std::uint32_t kMarkDone = 2;
inline constexpr std::uint32_t kMarkBits = kMarkStarted | kMarkDone;

// Independent multiplies (not a chain): the receiver checks it per message.
constexpr std::uint32_t seal_of(std::uint32_t length, std::uint32_t kind, std::uint32_t sender,
                                std::uint16_t flags) {
  const std::uint32_t h = (length * 0x9E37'79B1u) ^ (kind * 0x85EB'CA77u) ^
                          (sender * 0xC2B2'AE3Du) ^ (flags * 0x27D4'EB2Fu) ^ 0x5EA1'ED01u;
  return h ^ (h >> 15);
}

// A MessageHeader as the four little-endian 64-bit words it occupies. Both
// sides move headers as whole words built in registers: copying a struct
// through the stack costs a store-forwarding stall per message here.
struct HeaderWords {
  std::uint64_t w[4];
};
constexpr HeaderWords encode(const MessageHeader& h) {
  return HeaderWords{{std::uint64_t{h.length} | std::uint64_t{h.kind} << 32, h.correlation,
                      std::uint64_t{h.sender} | std::uint64_t{h.flags} << 32 |
                          std::uint64_t{h.deliveries} << 48,
                      std::uint64_t{h.seal} | std::uint64_t{h.marks} << 32}};
}
constexpr MessageHeader decode(const HeaderWords& x) {
  return MessageHeader{static_cast<std::uint32_t>(x.w[0]), static_cast<std::uint32_t>(x.w[0] >> 32),
                       x.w[1], static_cast<std::uint32_t>(x.w[2]),
                       static_cast<std::uint16_t>(x.w[2] >> 32),
                       static_cast<std::uint16_t>(x.w[2] >> 48), static_cast<std::uint32_t>(x.w[3]),
                       static_cast<std::uint32_t>(x.w[3] >> 32)};
}
static_assert(std::endian::native == std::endian::little, "the layout is little-endian");

// Bytes a record with `payload` bytes occupies in a ring.
constexpr std::uint64_t record_size(std::uint64_t payload) {
  return (sizeof(MessageHeader) + payload + kRecordAlign - 1) & ~(kRecordAlign - 1);
}

// ---- segment header ----------------------------------------------------
struct alignas(kCacheLine) InboxHeader {
  // line 0: geometry, written once by the creator; magic last (release).
  std::atomic<std::uint64_t> magic;      // 0
  std::uint32_t version;                 // 8
  std::uint32_t lanes;                   // 12
  std::uint64_t lane_bytes;              // 16 ring bytes per lane, power of two
  std::uint64_t max_message;             // 24 largest payload: lane_bytes/2 - 32
  std::uint64_t lanes_offset;            // 32
  std::uint64_t lane_stride;             // 40 sizeof(LaneControl) + lane_bytes
  std::uint64_t segment_bytes;           // 48
  std::uint64_t reserved0;               // 56
  // line 1: the receiver: ownership and sleep/wake.
  std::atomic<std::uint64_t> receiver;   // 64 owner word of the attached receiver
  std::atomic<std::uint32_t> wake_seq;   // 72 futex word: bumped to wake the receiver
  std::atomic<std::uint32_t> receiver_sleeping;  // 76 kSleepFutex | kSleepNotify
  std::atomic<std::uint64_t> notify_nonce;       // 80 names the notify socket; 0 = none
  std::atomic<std::uint32_t> receiver_cpu;       // 88 CPU + 1 the receiver last waited on;
                                                 //    0 = unknown. A hint (see cpu_hint)
  std::uint32_t reserved1a;                      // 92
  // The receiving worker's vitals, written by it, read by its supervisor
  // (and never trusted for anything but display and the watchdog).
  std::atomic<std::uint64_t> heartbeat;          // 96 bumped by the worker's scheduler
  std::atomic<std::uint64_t> processes;          // 104 its live lightweight processes
  std::uint64_t reserved1[2];                    // 112
  // line 2: counters; loss and damage are counted here, never silent.
  std::atomic<std::uint64_t> corrupt_events;   // 128 lanes quarantined for bad data
  std::atomic<std::uint64_t> lanes_reclaimed;  // 136 lanes taken over from dead senders
  std::atomic<std::uint64_t> lanes_reset;      // 144 quarantined lanes wiped and reopened
  std::atomic<std::uint64_t> redelivered;      // 152 messages handed out again after a
                                               //     receiver died without acking them
  std::atomic<std::uint64_t> receiver_sleeps;  // 160 futex sleeps of the receiver (each
                                               //     costs a sender a wake-up system call)
  std::atomic<std::uint64_t> sender_sleeps;    // 168 futex sleeps of senders on a full lane
  std::atomic<std::uint64_t> handled;          // 176 messages whose handler returned
  std::atomic<std::uint64_t> dead_letters;     // 184 messages set aside after too many
                                               //     redeliveries (or with no recipient)
};

// ---- lanes -------------------------------------------------------------
struct alignas(kCacheLine) LaneControl {
  // line 0: written by the lane's sender (and by claim/reclaim/reset).
  std::atomic<std::uint64_t> owner;    // 0  owner word of the sender; kFree; kResetting
  std::atomic<std::uint64_t> tail;     // 8  end of the last committed record
  std::atomic<std::uint32_t> sender_cpu;  // 16 CPU + 1 the sender last published from;
                                          //    0 = unknown. A hint (see cpu_hint)
  std::uint32_t reserved0a;            // 20
  std::uint64_t reserved0[5];          // 24
  // line 1: written by the receiver.
  std::atomic<std::uint64_t> acked;    // 64 records before it are done: room for the sender
  std::atomic<std::uint64_t> read;     // 72 records before it were delivered (>= acked)
  std::atomic<std::uint32_t> space_seq;       // 80 futex word: a sender waits for room
  std::atomic<std::uint32_t> sender_waiting;  // 84 set by the sender before sleeping
  std::atomic<std::uint32_t> state;           // 88 kLaneHealthy | kLaneQuarantined
  std::uint32_t reserved1;                    // 92
  std::uint64_t reserved2[4];                 // 96 (per-lane delivery counts, later)
};

// ---- the layout, checked ----------------------------------------------
static_assert(std::is_standard_layout_v<MessageHeader> && std::is_trivially_copyable_v<MessageHeader>);
static_assert(sizeof(MessageHeader) == 32 && alignof(MessageHeader) == 8);
static_assert(sizeof(MessageHeader) == kRecordAlign);
static_assert(offsetof(MessageHeader, length) == 0 && offsetof(MessageHeader, kind) == 4 &&
              offsetof(MessageHeader, correlation) == 8 && offsetof(MessageHeader, sender) == 16 &&
              offsetof(MessageHeader, flags) == 20 && offsetof(MessageHeader, deliveries) == 22 &&
              offsetof(MessageHeader, seal) == 24 && offsetof(MessageHeader, marks) == 28);

static_assert(std::is_standard_layout_v<InboxHeader>);
static_assert(sizeof(InboxHeader) == 192 && alignof(InboxHeader) == 64);
static_assert(offsetof(InboxHeader, magic) == 0 && offsetof(InboxHeader, version) == 8 &&
              offsetof(InboxHeader, lanes) == 12 && offsetof(InboxHeader, lane_bytes) == 16 &&
              offsetof(InboxHeader, max_message) == 24 && offsetof(InboxHeader, lanes_offset) == 32 &&
              offsetof(InboxHeader, lane_stride) == 40 && offsetof(InboxHeader, segment_bytes) == 48);
static_assert(offsetof(InboxHeader, receiver) == 64 && offsetof(InboxHeader, wake_seq) == 72 &&
              offsetof(InboxHeader, receiver_sleeping) == 76 &&
              offsetof(InboxHeader, notify_nonce) == 80 && offsetof(InboxHeader, receiver_cpu) == 88 &&
              offsetof(InboxHeader, heartbeat) == 96 && offsetof(InboxHeader, processes) == 104);
static_assert(offsetof(InboxHeader, corrupt_events) == 128 &&
              offsetof(InboxHeader, lanes_reclaimed) == 136 &&
              offsetof(InboxHeader, lanes_reset) == 144 &&
              offsetof(InboxHeader, redelivered) == 152 &&
              offsetof(InboxHeader, receiver_sleeps) == 160 &&
              offsetof(InboxHeader, sender_sleeps) == 168 &&
              offsetof(InboxHeader, handled) == 176 && offsetof(InboxHeader, dead_letters) == 184);

static_assert(std::is_standard_layout_v<LaneControl>);
static_assert(sizeof(LaneControl) == 128 && alignof(LaneControl) == 64);
static_assert(offsetof(LaneControl, owner) == 0 && offsetof(LaneControl, tail) == 8 &&
              offsetof(LaneControl, sender_cpu) == 16 &&
              offsetof(LaneControl, acked) == 64 && offsetof(LaneControl, read) == 72 &&
              offsetof(LaneControl, space_seq) == 80 && offsetof(LaneControl, sender_waiting) == 84 &&
              offsetof(LaneControl, state) == 88);

// Shared atomics must be plain words the other process (and the kernel's
// futex) see the same way: lock-free, and exactly the size of the integer.
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
static_assert(std::atomic<std::uint32_t>::is_always_lock_free);
static_assert(sizeof(std::atomic<std::uint64_t>) == 8 && sizeof(std::atomic<std::uint32_t>) == 4);

// ---- geometry ----------------------------------------------------------
struct Geometry {
  std::uint32_t lanes = 0;
  std::uint64_t lane_bytes = 0;
  std::uint64_t max_message = 0;
  std::uint64_t lanes_offset = 0;
  std::uint64_t lane_stride = 0;
  std::uint64_t segment_bytes = 0;
  friend bool operator==(const Geometry&, const Geometry&) = default;
};

// The geometry for `lanes` rings of `lane_bytes` each (a power of two in
// [kMinLaneBytes, kMaxLaneBytes]; lanes in [1, kMaxLanes]). Pure.
Result<Geometry> plan_geometry(std::uint32_t lanes, std::uint64_t lane_bytes);

// Validates a header against the mapping it lives in: magic, version, and a
// geometry that plan_geometry() reproduces and that fits in mapping_bytes.
Result<Geometry> check_header(const InboxHeader& header, std::uint64_t mapping_bytes);

// Constructs the header and every lane in `base` (segment_bytes, zeroed by
// ftruncate), publishing the magic last.
void initialise(std::byte* base, const Geometry& geo);

inline InboxHeader* header_at(std::byte* base) { return reinterpret_cast<InboxHeader*>(base); }
inline LaneControl* lane_at(std::byte* base, const Geometry& g, std::uint32_t i) {
  return reinterpret_cast<LaneControl*>(base + g.lanes_offset + std::uint64_t{i} * g.lane_stride);
}
inline std::byte* ring_at(std::byte* base, const Geometry& g, std::uint32_t i) {
  return base + g.lanes_offset + std::uint64_t{i} * g.lane_stride + sizeof(LaneControl);
}

}  // namespace grove::ipc::layout
