// inbox_view.hpp — a read-only look at an inbox by name: its counters, its
// queue depth and the receiving worker's vitals. For supervisors (status,
// the heartbeat watchdog) that neither send nor receive.
//
//   auto view = ipc::InboxView::open(name);
//   if (view) { auto s = view->stats(); s.pending; s.heartbeat; s.dead_letters; }
//
// Contract: attaching validates the header (magic, version, geometry) like
// a reader or writer does; stats() walks the lanes with the receiver's
// validation, so a scribbled segment yields odd numbers, never a crash.
// Claims nothing: no lane, no receiver slot. Move-only; one thread.
#pragma once

#include <string_view>

#include "grove/ipc/error.hpp"
#include "grove/ipc/inbox_layout.hpp"
#include "grove/ipc/inbox_reader.hpp"
#include "grove/ipc/segment.hpp"

namespace grove::ipc {

class InboxView {
 public:
  static Result<InboxView> open(std::string_view name);
  static Result<InboxView> attach(Segment segment);

  InboxStats stats() const;  // counters, vitals and pending messages
  std::uint64_t heartbeat() const;

 private:
  InboxView(Segment segment, const layout::Geometry& geo) : segment_(std::move(segment)), geo_(geo) {}
  Segment segment_;
  layout::Geometry geo_;
};

}  // namespace grove::ipc
