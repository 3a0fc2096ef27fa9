// notify_socket.hpp (private) — the event-loop hook: an abstract-namespace
// UNIX datagram socket named by a random nonce kept in the inbox header.
// The receiver binds and polls it; a sender that finds kSleepNotify set sends
// one byte. Only a hint: a lost or spurious datagram costs a wake-up, never a
// message, because the reader re-checks the lanes after every wake.
#pragma once

#include <cstdint>

#include "grove/ipc/error.hpp"

namespace grove::ipc::detail {

struct BoundNotify {
  int fd;
  std::uint64_t nonce;
};

// A fresh nonce and a non-blocking, close-on-exec socket bound to it.
Result<BoundNotify> bind_notify_socket();

// Sends one datagram to the socket named by nonce; opens *sender_fd lazily.
void send_notify(int& sender_fd, std::uint64_t nonce);

// Reads and drops every pending datagram.
void drain_notify(int fd);

}  // namespace grove::ipc::detail
