// error.hpp — the closed set of ipc errors and the result type they travel in.
//
//   Result<Segment> seg = Segment::open(name);
//   if (!seg) {
//     std::fprintf(stderr, "%s\n", describe(seg.error()).c_str());
//     // e.g. "unable to open segment: permission_denied (Permission denied)"
//   }
//
// Contract: nothing in grove_ipc throws. Boost.Interprocess exceptions are
// caught where Boost is called (segment.cpp) and become an Error carrying the
// errno and the operation that failed. An Error is plain data: cheap to copy,
// no allocation (the context is a string literal).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace grove::ipc {

enum class IpcError : std::uint8_t {
  invalid_argument,   // a bad name, size or option from the caller
  already_exists,     // create: the segment name is taken
  not_found,          // open: no such segment
  permission_denied,  // not ours (owner uid or mode other than 0600)
  bad_magic,          // not a grove inbox, or not initialised yet
  version_mismatch,   // an inbox of another layout version
  bad_geometry,       // header sizes/offsets do not fit the mapping
  receiver_busy,      // a live receiver is attached already
  no_free_lane,       // every lane has a live sender
  full,               // the lane has no room now (try_*), or until the deadline
  timed_out,          // nothing arrived before the deadline
  message_too_large,  // longer than the inbox's max_message
  lane_revoked,       // the receiver quarantined this sender's lane
  corrupt,            // shared indices or headers failed validation
  system,             // any other failed system call (see sys_errno)
};

// The one spelling of each IpcError (logs, tests, describe()).
std::string_view name_of(IpcError e);

// Maps an errno from a failed call to the closest IpcError.
IpcError from_errno(int err);

struct Error {
  IpcError code;
  int sys_errno = 0;             // 0 when no system call failed
  const char* context = "";      // what we were doing: "open segment"
};

// "unable to <context>: <name> (<strerror>)"
std::string describe(const Error& e);

// Value or Error. Result<void> carries only success or an Error.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(error) {}                 // NOLINT
  explicit operator bool() const { return v_.index() == 0; }
  bool ok() const { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& value() const& { return std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }
  T&& operator*() && { return std::get<0>(std::move(v_)); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(error), ok_(false) {}  // NOLINT
  explicit operator bool() const { return ok_; }
  bool ok() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_{IpcError::system};
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace grove::ipc
