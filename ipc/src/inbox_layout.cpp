#include "grove/ipc/inbox_layout.hpp"

#include <new>

namespace grove::ipc::layout {

namespace {
bool power_of_two(std::uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }
}  // namespace

Result<Geometry> plan_geometry(std::uint32_t lanes, std::uint64_t lane_bytes) {
  if (lanes == 0 || lanes > kMaxLanes || !power_of_two(lane_bytes) || lane_bytes < kMinLaneBytes ||
      lane_bytes > kMaxLaneBytes)
    return Error{IpcError::invalid_argument, 0, "plan inbox geometry"};
  Geometry g;
  g.lanes = lanes;
  g.lane_bytes = lane_bytes;
  // Half a ring: a record that does not fit before the ring's end is preceded
  // by padding, and padding + record must fit in an empty ring.
  g.max_message = lane_bytes / 2 - sizeof(MessageHeader);
  g.lanes_offset = sizeof(InboxHeader);
  g.lane_stride = sizeof(LaneControl) + lane_bytes;
  g.segment_bytes = g.lanes_offset + std::uint64_t{lanes} * g.lane_stride;
  return g;
}

Result<Geometry> check_header(const InboxHeader& h, std::uint64_t mapping_bytes) {
  constexpr const char* what = "attach inbox";
  if (mapping_bytes < sizeof(InboxHeader)) return Error{IpcError::bad_geometry, 0, what};
  if (h.magic.load(std::memory_order_acquire) != kMagic) return Error{IpcError::bad_magic, 0, what};
  if (h.version != kLayoutVersion) return Error{IpcError::version_mismatch, 0, what};
  auto g = plan_geometry(h.lanes, h.lane_bytes);
  if (!g || g->max_message != h.max_message || g->lanes_offset != h.lanes_offset ||
      g->lane_stride != h.lane_stride || g->segment_bytes != h.segment_bytes ||
      g->segment_bytes > mapping_bytes)
    return Error{IpcError::bad_geometry, 0, what};
  return g;
}

void initialise(std::byte* base, const Geometry& g) {
  auto* h = new (base) InboxHeader{};
  h->version = kLayoutVersion;
  h->lanes = g.lanes;
  h->lane_bytes = g.lane_bytes;
  h->max_message = g.max_message;
  h->lanes_offset = g.lanes_offset;
  h->lane_stride = g.lane_stride;
  h->segment_bytes = g.segment_bytes;
  for (std::uint32_t i = 0; i < g.lanes; ++i) new (lane_at(base, g, i)) LaneControl{};
  // Pairs with the acquire load in check_header: an attacher that sees the
  // magic sees the whole geometry.
  h->magic.store(kMagic, std::memory_order_release);
}

}  // namespace grove::ipc::layout
