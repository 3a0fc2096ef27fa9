// unique_fd.hpp — sole owner of one file descriptor.
//
//   UniqueFd fd{::open(path, O_RDONLY | O_CLOEXEC)};
//   if (!fd) return error(errno);
//   read(fd.get(), ...);          // closed when fd goes out of scope
//   int raw = fd.release();       // hand it over: no longer closed here
//
// Contract: move-only; close errors are ignored (the fd is gone either way on
// Linux). Not thread-safe; groved is single-threaded.
#pragma once

#include <unistd.h>

#include <utility>

namespace grove::launch {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

}  // namespace grove::launch
