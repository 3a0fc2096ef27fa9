// inbox_writer.hpp — the sending side of an inbox: one lane, one thread.
//
//   auto w = InboxWriter::open(name);                  // claims a free lane
//   w->try_send({.kind = 7}, bytes);                   // full -> IpcError::full, at once
//   w->send({.kind = 7, .correlation = 42}, bytes, Clock::now() + 100ms);
//   auto buf = w->try_reserve(64);                     // zero-copy
//   if (buf) { encode(*buf); w->commit({.kind = 7}, 64); }
//   for (...) { reserve...; w->stage(env, n); }  w->flush();   // batching
//
// Contract:
// - attach claims one lane (CAS on its owner word) and keeps it until the
//   writer is destroyed. When every lane is owned, the lane of a dead owner
//   is taken over (its committed messages stay queued, in order, ahead of
//   ours); if none is dead, attach fails with no_free_lane.
// - One thread uses a writer (it is the producer of an SPSC ring); use one
//   writer per sending thread. Do not use a writer inherited through fork():
//   the lane is owned by the parent's identity.
// - Nothing is ever dropped silently: a message is either committed (the
//   receiver will see it) or the call returns an Error (full, timed out,
//   message_too_large, lane_revoked, corrupt). Staged messages become
//   visible at flush(), commit() or destruction.
// - One reservation at a time; commit()/stage() end it (length may shrink).
//   A reservation that is never committed is simply forgotten.
// - A receiver that sleeps is woken on the edge (it announced itself),
//   through a shared futex and/or its event-loop notify socket.
// - Hot path: no locks, no system calls; one release store per publish and
//   one seq_cst fence (the Dekker pair of the receiver's sleep, see inbox.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "grove/ipc/error.hpp"
#include "grove/ipc/futex.hpp"
#include "grove/ipc/inbox_layout.hpp"
#include "grove/ipc/segment.hpp"

namespace grove::ipc {

struct Envelope {
  std::uint32_t kind = 0;
  std::uint64_t correlation = 0;
};

struct WriterOptions {
  std::uint32_t sender = 0;    // id stamped on every message; 0 = our pid
  std::uint32_t spin = 64;     // when the lane is full: polls, then
  std::uint32_t yields = 8;    // sched_yield()s, then a futex sleep
};

class InboxWriter {
 public:
  static Result<InboxWriter> attach(Segment segment, WriterOptions options = {});
  static Result<InboxWriter> open(std::string_view name, WriterOptions options = {});

  InboxWriter(InboxWriter&& other) noexcept;
  InboxWriter& operator=(InboxWriter&&) = delete;
  InboxWriter(const InboxWriter&) = delete;
  InboxWriter& operator=(const InboxWriter&) = delete;
  ~InboxWriter();  // flushes staged messages, then releases the lane

  // Zero-copy: room for `length` payload bytes, valid until commit/stage.
  Result<std::span<std::byte>> try_reserve(std::size_t length);
  Result<std::span<std::byte>> reserve(std::size_t length, Deadline deadline);
  void commit(Envelope envelope, std::size_t length);  // publish now
  void stage(Envelope envelope, std::size_t length);   // publish at flush()
  void flush();

  // Copying convenience over reserve + commit.
  Status try_send(Envelope envelope, std::span<const std::byte> payload);
  Status send(Envelope envelope, std::span<const std::byte> payload, Deadline deadline);

  std::uint32_t lane() const { return lane_index_; }
  std::uint64_t max_message() const { return geo_.max_message; }

 private:
  InboxWriter(Segment segment, const layout::Geometry& geo, std::uint32_t lane,
              const WriterOptions& options);
  Status refresh_acked();
  void write_header(Envelope envelope, std::size_t length);
  void publish();
  void wake_receiver();

  Segment segment_;
  layout::Geometry geo_;
  layout::InboxHeader* header_ = nullptr;
  layout::LaneControl* lane_ = nullptr;
  std::byte* ring_ = nullptr;
  std::uint32_t lane_index_ = 0;
  std::uint64_t owner_word_ = 0;
  WriterOptions options_;
  std::uint64_t published_ = 0;    // last tail we stored
  std::uint64_t staged_ = 0;       // end of records written (>= published_)
  std::uint64_t acked_seen_ = 0;   // cached LaneControl::acked
  std::uint64_t reserved_at_ = 0;  // position of the open reservation's header
  std::uint64_t reserved_len_ = 0;
  bool reserving_ = false;
  int notify_fd_ = -1;
};

}  // namespace grove::ipc
