// tree_directory.hpp — the tree-wide names of a supervision tree: which
// worker (by child path) holds a registered name. One small segment per
// tree, created by the root supervisor; workers register and look up.
//
//   // groved, at start (it owns the name, unlinked on destruction):
//   auto dir = TreeDirectory::create(format(SegmentName{uid, "shop", self, "~names"}));
//   // a worker (path api/cache), after its init:
//   auto dir = TreeDirectory::open(getenv("GROVE_DIRECTORY"));
//   dir->register_name("cache", "api/cache");     // taken -> IpcError::already_exists
//   std::optional<std::string> where = dir->lookup("cache");   // "api/cache"
//   dir->drop_path("api/cache");                  // groved: the child was removed
//
// Why a segment: names must outlive the worker that registered them (its
// inbox keeps receiving while it restarts) and be found without a round
// trip to groved. Entries: a state word (free / being written / published),
// the writer's identity, a name and a path (fixed-size, NUL-padded).
//
// Contract:
// - A name maps to one path. Registering it again from the same path is a
//   no-op; from another path it fails with already_exists. Entries are
//   found by open addressing from the name's hash, so concurrent
//   registrations of one name meet at the same entry (its CAS picks one;
//   the other waits for it to be published and compares). Withdrawn
//   entries (drop_path, abandoned writes) are never reused: a reload that
//   removes and adds workers forever would fill the table (full).
// - Nothing read is trusted: strings are bounded and checked, a state other
//   than published is skipped. An entry left "being written" by a process
//   that died is reclaimed when the table is full.
// - Names and paths are 1..kMaxKey bytes without NUL. Thread-safe and
//   process-safe (CAS on each entry's state). drop_path scans the table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "grove/ipc/error.hpp"
#include "grove/ipc/segment.hpp"

namespace grove::ipc {

class TreeDirectory {
 public:
  static constexpr std::size_t kMaxKey = 119;
  static constexpr std::uint32_t kDefaultCapacity = 1024;

  static Result<TreeDirectory> create(std::string_view segment_name,
                                      std::uint32_t capacity = kDefaultCapacity);
  static Result<TreeDirectory> open(std::string_view segment_name);

  TreeDirectory(TreeDirectory&&) noexcept = default;
  TreeDirectory& operator=(TreeDirectory&&) = delete;
  ~TreeDirectory();  // the creator unlinks the name

  Status register_name(std::string_view name, std::string_view path);
  std::optional<std::string> lookup(std::string_view name) const;
  // Withdraws every name held by `path`; returns how many.
  std::size_t drop_path(std::string_view path);

  const std::string& name() const { return segment_.name(); }

  struct Entry;  // 256 bytes, spelled in tree_directory.cpp

 private:
  TreeDirectory(Segment segment, std::uint32_t capacity, bool owner)
      : segment_(std::move(segment)), capacity_(capacity), owner_(owner) {}
  Entry* entry(std::uint32_t i) const;
  std::optional<std::uint32_t> find(std::string_view name) const;

  Segment segment_;
  std::uint32_t capacity_ = 0;
  bool owner_ = false;
};

}  // namespace grove::ipc
