#include "notify_socket.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <algorithm>
#include <cstring>
#include <utility>

namespace grove::launch {
namespace {

bool is_abstract(const std::string& address) { return address.starts_with('@'); }

// Fills `sun` for `address`; returns the address length, or 0 if too long.
socklen_t make_address(const std::string& address, sockaddr_un& sun) {
  sun = {};
  sun.sun_family = AF_UNIX;
  if (address.size() >= sizeof sun.sun_path) return 0;
  std::memcpy(sun.sun_path, address.data(), address.size());
  if (is_abstract(address)) {
    sun.sun_path[0] = '\0';  // abstract: no terminating NUL, the length says where it ends
    return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address.size());
  }
  return static_cast<socklen_t>(sizeof sun);
}

void close_passed_fds(msghdr& msg) {
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    const std::size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (std::size_t i = 0; i < n; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      ::close(fd);
    }
  }
}

void read_credentials(msghdr& msg, NotifyDatagram& d) {
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_CREDENTIALS) continue;
    if (c->cmsg_len < CMSG_LEN(sizeof(ucred))) continue;
    ucred cred;
    std::memcpy(&cred, CMSG_DATA(c), sizeof cred);
    d.sender_pid = cred.pid;
    d.sender_uid = cred.uid;
    d.sender_gid = cred.gid;
  }
}

}  // namespace

Result<NotifySocket, NotifyError> NotifySocket::bind(std::string address) {
  sockaddr_un sun;
  const socklen_t len = make_address(address, sun);
  if (len == 0 || address.empty() || address == "@")
    return NotifyError{NotifyError::Code::address_too_long, ENAMETOOLONG, address};
  UniqueFd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return NotifyError{NotifyError::Code::socket, errno, address};
  const int on = 1;
  if (setsockopt(fd.get(), SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0)
    return NotifyError{NotifyError::Code::socket, errno, address};
  if (!is_abstract(address)) ::unlink(address.c_str());  // a stale socket from a dead groved
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sun), len) != 0)
    return NotifyError{NotifyError::Code::bind, errno, address};
  if (!is_abstract(address) && ::chmod(address.c_str(), 0666) != 0) {
    const int err = errno;
    ::unlink(address.c_str());
    return NotifyError{NotifyError::Code::bind, err, address};
  }
  return NotifySocket(std::move(fd), std::move(address));
}

NotifySocket::NotifySocket(NotifySocket&& other) noexcept
    : fd_(std::move(other.fd_)), address_(std::exchange(other.address_, {})) {}

NotifySocket& NotifySocket::operator=(NotifySocket&& other) noexcept {
  if (this != &other) {
    unlink_path();
    fd_ = std::move(other.fd_);
    address_ = std::exchange(other.address_, {});
  }
  return *this;
}

NotifySocket::~NotifySocket() { unlink_path(); }

void NotifySocket::unlink_path() {
  if (fd_ && !address_.empty() && !is_abstract(address_)) ::unlink(address_.c_str());
}

Result<std::optional<NotifyDatagram>, NotifyError> NotifySocket::receive() {
  char payload[max_payload];
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred)) + CMSG_SPACE(sizeof(int) * 253)];
  iovec iov{payload, sizeof payload};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do n = ::recvmsg(fd_.get(), &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC | MSG_TRUNC);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return std::optional<NotifyDatagram>{};
    return NotifyError{NotifyError::Code::receive, errno, address_};
  }
  close_passed_fds(msg);
  NotifyDatagram d;
  read_credentials(msg, d);
  d.truncated = (msg.msg_flags & MSG_TRUNC) != 0;
  d.payload.assign(payload, std::min(static_cast<std::size_t>(n), sizeof payload));
  return std::optional<NotifyDatagram>{std::move(d)};
}

bool sent_by_session(pid_t sender, pid_t session_leader) {
  if (sender <= 0 || session_leader <= 0) return false;
  return sender == session_leader || getsid(sender) == session_leader;
}

std::string NotifyError::describe() const {
  const char* verb = "create notify socket";
  switch (code) {
    case Code::socket: verb = "create notify socket"; break;
    case Code::bind: verb = "bind notify socket"; break;
    case Code::receive: verb = "receive on notify socket"; break;
    case Code::address_too_long: verb = "use notify socket address"; break;
  }
  return std::string("unable to ") + verb + " " + address + ": " + std::strerror(err);
}

}  // namespace grove::launch
