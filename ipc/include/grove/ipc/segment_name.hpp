// segment_name.hpp — the name of an inbox segment in /dev/shm, and back.
//
//   SegmentName n{.uid = getuid(), .tree = "shop", .owner = ProcessIdentity::self(),
//                 .inbox = "api/web"};
//   std::string s = format(n);   // "grove.u1000.shop.p4242-889911.api%2Fweb"
//   std::optional<SegmentName> back = parse_segment_name(s);   // == n
//
// Why this shape: the uid keeps users apart (and a sweep only looks at its
// own), the tree name keeps trees apart, and the owner's identity (pid +
// start time) keeps two runs of the same tree apart and tells a later start
// whether the owner of a leftover segment is dead (then it is stale and
// swept). Tree and inbox names are escaped (%XX for anything outside
// [A-Za-z0-9_-]) so no two SegmentNames format to the same string.
// Pure: no system calls.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "grove/ipc/process_identity.hpp"

namespace grove::ipc {

struct SegmentName {
  std::uint32_t uid = 0;
  std::string tree;        // the supervision tree's name
  ProcessIdentity owner;   // the process that created (owns) the segment
  std::string inbox;       // which inbox of the tree, e.g. a worker path

  friend bool operator==(const SegmentName&, const SegmentName&) = default;
};

// The longest name we produce (shm_open allows NAME_MAX = 255 with the '/').
inline constexpr std::size_t kMaxSegmentName = 240;

// The formatted name, or an empty string when the result would be too long.
std::string format(const SegmentName& name);

// nullopt for anything format() cannot have produced.
std::optional<SegmentName> parse_segment_name(std::string_view text);

}  // namespace grove::ipc
