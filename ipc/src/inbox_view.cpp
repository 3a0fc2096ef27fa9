#include "grove/ipc/inbox_view.hpp"

#include <utility>

namespace grove::ipc {

Result<InboxView> InboxView::open(std::string_view name) {
  auto seg = Segment::open(name);
  if (!seg) return seg.error();
  return attach(std::move(*seg));
}

Result<InboxView> InboxView::attach(Segment segment) {
  auto geo = layout::check_header(*layout::header_at(segment.data()), segment.size());
  if (!geo) return geo.error();
  return InboxView(std::move(segment), *geo);
}

InboxStats InboxView::stats() const {
  InboxStats s = stats_of(*layout::header_at(segment_.data()));
  s.pending = pending_messages(segment_.data(), geo_);
  return s;
}

std::uint64_t InboxView::heartbeat() const {
  return layout::header_at(segment_.data())->heartbeat.load(std::memory_order_relaxed);
}

}  // namespace grove::ipc
