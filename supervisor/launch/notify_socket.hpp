// notify_socket.hpp — groved's end of the systemd notify protocol
// (ready = "notify"): a unix datagram socket children find in NOTIFY_SOCKET.
//
//   auto sock = NotifySocket::bind("@grove-shop-notify");   // or a path
//   vars.notify_socket = sock.value().address();           // child_env.hpp
//   epoll_add(sock.value().fd(), EPOLLIN);
//   // readable:
//   while (auto d = sock.value().receive(); d && d.value()) {
//     NotifyMessage m = parse_notify_message(d.value()->payload);
//     if (sent_by_session(d.value()->sender_pid, child_pid) && m.ready) ...
//   }
//
// Contract:
// - Address: "@name" is an abstract socket (no file; NOTIFY_SOCKET takes
//   the same spelling); anything else is a path: a stale socket file there
//   is removed before bind, the new one is made 0666 (children may run as
//   other users; the sender's pid decides what a message is worth) and is
//   unlinked again when the NotifySocket is destroyed.
// - The fd is nonblocking and CLOEXEC with SO_PASSCRED, so the kernel
//   stamps every datagram with the sender's pid, uid and gid.
// - receive() never blocks: nullopt means the queue is empty. Fds passed
//   with a message (systemd-notify's BARRIER=1, FDSTORE=1) are closed at
//   once: closing the barrier fd is what lets systemd-notify return.
// - Payloads over 4096 bytes (systemd's own limit) come back truncated with
//   `truncated` set; drop them as systemd does.
// - Which child a message belongs to is the caller's call: systemd-notify
//   run as root stamps its parent's pid (the child's shell), as non-root its
//   own; sent_by_session() accepts any process of the child's session.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <utility>

#include "result.hpp"
#include "unique_fd.hpp"

namespace grove::launch {

struct NotifyError {
  enum class Code { socket, bind, receive, address_too_long };
  Code code;
  int err = 0;
  std::string address;
  std::string describe() const;  // "unable to bind notify socket @x: Address already in use"
};

struct NotifyDatagram {
  pid_t sender_pid = 0;  // 0 if the kernel attached no credentials
  uid_t sender_uid = 0;
  gid_t sender_gid = 0;
  std::string payload;
  bool truncated = false;
};

class NotifySocket {
 public:
  static constexpr std::size_t max_payload = 4096;

  static Result<NotifySocket, NotifyError> bind(std::string address);

  NotifySocket(NotifySocket&& other) noexcept;
  NotifySocket& operator=(NotifySocket&& other) noexcept;
  ~NotifySocket();

  int fd() const { return fd_.get(); }
  const std::string& address() const { return address_; }  // for NOTIFY_SOCKET

  // One datagram, or nullopt when none is queued (EAGAIN).
  Result<std::optional<NotifyDatagram>, NotifyError> receive();

 private:
  NotifySocket(UniqueFd fd, std::string address) : fd_(std::move(fd)), address_(std::move(address)) {}
  void unlink_path();

  UniqueFd fd_;
  std::string address_;
};

// True when `sender` is `session_leader` or still lives in its session
// (every child is a session leader, see spawn.hpp). A sender that already
// exited cannot be placed: false.
bool sent_by_session(pid_t sender, pid_t session_leader);

}  // namespace grove::launch
