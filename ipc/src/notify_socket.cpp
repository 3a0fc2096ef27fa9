#include "notify_socket.hpp"

#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>

namespace grove::ipc::detail {

namespace {
socklen_t address_of(std::uint64_t nonce, sockaddr_un& addr) {
  std::memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  // Abstract namespace (leading NUL): nothing to clean up after a crash.
  const int n = std::snprintf(addr.sun_path + 1, sizeof addr.sun_path - 1, "grove-inbox-%016llx",
                              static_cast<unsigned long long>(nonce));
  return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + static_cast<std::size_t>(n));
}
}  // namespace

Result<BoundNotify> bind_notify_socket() {
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return Error{from_errno(errno), errno, "create notify socket"};
  for (int attempt = 0; attempt < 8; ++attempt) {
    std::uint64_t nonce = 0;
    if (::getrandom(&nonce, sizeof nonce, 0) != static_cast<ssize_t>(sizeof nonce) || nonce == 0)
      continue;
    sockaddr_un addr{};
    const socklen_t len = address_of(nonce, addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0) return BoundNotify{fd, nonce};
    if (errno != EADDRINUSE) break;
  }
  const int err = errno;
  ::close(fd);
  return Error{from_errno(err), err, "bind notify socket"};
}

void send_notify(int& sender_fd, std::uint64_t nonce) {
  if (nonce == 0) return;
  if (sender_fd < 0) sender_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (sender_fd < 0) return;
  sockaddr_un addr{};
  const socklen_t len = address_of(nonce, addr);
  const char byte = 1;
  // EAGAIN (queue full) is fine: the receiver has wake-ups pending already.
  (void)::sendto(sender_fd, &byte, 1, MSG_DONTWAIT | MSG_NOSIGNAL,
                 reinterpret_cast<const sockaddr*>(&addr), len);
}

void drain_notify(int fd) {
  char buf[64];
  for (int i = 0; i < 1024; ++i) {  // bounded: a flood cannot hold the reader here
    if (::recv(fd, buf, sizeof buf, MSG_DONTWAIT) < 0 && errno != EINTR) return;
  }
}

}  // namespace grove::ipc::detail
