#include "grove/ipc/inbox.hpp"

namespace grove::ipc {

Result<Inbox> Inbox::create(const SegmentName& name, InboxOptions options) {
  const std::string formatted = format(name);
  if (formatted.empty()) return Error{IpcError::invalid_argument, 0, "name inbox segment"};
  return create(std::string_view(formatted), options);
}

Result<Inbox> Inbox::create(std::string_view name, InboxOptions options) {
  auto geo = layout::plan_geometry(options.lanes, options.lane_bytes);
  if (!geo) return geo.error();
  auto seg = Segment::create(name, geo->segment_bytes);
  if (!seg) return seg.error();
  layout::initialise(seg->data(), *geo);
  return Inbox(std::move(*seg));
}

Result<Inbox> Inbox::create_anonymous(InboxOptions options) {
  auto geo = layout::plan_geometry(options.lanes, options.lane_bytes);
  if (!geo) return geo.error();
  auto seg = Segment::create_memfd(geo->segment_bytes);
  if (!seg) return seg.error();
  layout::initialise(seg->data(), *geo);
  return Inbox(std::move(*seg));
}

Inbox::~Inbox() {
  if (segment_.data() != nullptr && !segment_.name().empty()) (void)Segment::unlink(segment_.name());
}

Result<Segment> Inbox::map_again() const {
  return segment_.name().empty() ? Segment::open_fd(segment_.fd()) : Segment::open(segment_.name());
}

Result<InboxReader> Inbox::reader(ReaderOptions options) const {
  auto seg = map_again();
  if (!seg) return seg.error();
  return InboxReader::attach(std::move(*seg), std::move(options));
}

Result<InboxWriter> Inbox::writer(WriterOptions options) const {
  auto seg = map_again();
  if (!seg) return seg.error();
  return InboxWriter::attach(std::move(*seg), options);
}

InboxStats Inbox::stats() const {
  InboxStats s = stats_of(*layout::header_at(segment_.data()));
  // Re-validated: a scribbled header leaves pending at 0 rather than walking garbage.
  if (auto geo = layout::check_header(*layout::header_at(segment_.data()), segment_.size()))
    s.pending = pending_messages(segment_.data(), *geo);
  return s;
}

}  // namespace grove::ipc
