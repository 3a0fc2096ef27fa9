// segment.hpp — one shared-memory mapping: a named POSIX segment (through
// Boost.Interprocess's raw layer) or an anonymous memfd passed by fd.
//
//   auto seg = Segment::create(format(name), 1 << 20);   // O_EXCL, mode 0600
//   if (!seg) return seg.error();                         // already_exists, ...
//   auto peer = Segment::open(format(name));              // another process
//   Segment::unlink(format(name));                        // the owner, at the end
//   sweep_stale_segments(getuid(), "shop");               // at the next start
//
// Contract:
// - create() refuses an existing name (never adopts a squatted segment) and
//   sets mode 0600 whatever the umask; open() refuses a segment that is not
//   owned by our effective uid or is accessible to group/others.
// - A Segment owns its mapping (unmapped on destruction) and, for memfd, its
//   fd (close-on-exec; the creator clears it on the copy it hands to a child).
//   The name stays in /dev/shm until unlink(): segments outlive crashed
//   creators by design, and sweep_stale_segments() removes those whose owner
//   (encoded in the name, see segment_name.hpp) is dead.
// - Move-only. Not thread-safe by itself; the bytes it maps are shared.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "grove/ipc/error.hpp"

namespace grove::ipc {

class Segment {
 public:
  static Result<Segment> create(std::string_view name, std::size_t size);
  static Result<Segment> open(std::string_view name);
  static Result<Segment> create_memfd(std::size_t size);
  static Result<Segment> open_fd(int fd);  // maps a dup of fd
  static Status unlink(std::string_view name);

  Segment(Segment&& other) noexcept;
  Segment& operator=(Segment&& other) noexcept;
  Segment(const Segment&) = delete;
  Segment& operator=(const Segment&) = delete;
  ~Segment();

  std::byte* data() const { return base_; }
  std::size_t size() const { return size_; }
  const std::string& name() const { return name_; }  // empty for memfd
  int fd() const { return fd_; }                      // -1 for named segments

 private:
  Segment(std::byte* base, std::size_t size, std::string name, int fd)
      : base_(base), size_(size), name_(std::move(name)), fd_(fd) {}
  void release();

  std::byte* base_ = nullptr;
  std::size_t size_ = 0;
  std::string name_;
  int fd_ = -1;
};

// Unlinks every segment in /dev/shm named for `uid` (and for `tree`, unless
// empty) whose owner process is dead. Returns how many were removed.
Result<std::size_t> sweep_stale_segments(std::uint32_t uid, std::string_view tree);

}  // namespace grove::ipc
