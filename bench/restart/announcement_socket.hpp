// announcement_socket.hpp: the driver's end of the probes' announcements.
//
//   AnnouncementSocket socket;
//   if (auto err = socket.bind("/tmp/x/probe.sock")) die(*err);
//   if (auto got = socket.receive(deadline_ns)) use(got->sent, got->received_ns);
//
// Contract: one AF_UNIX SOCK_DGRAM socket, bound at a path the probes know
// (argument or $PROBE_SOCKET); the path is unlinked on destruction. receive()
// waits until an announcement arrives, the CLOCK_MONOTONIC deadline passes,
// or a stop signal arrives (interrupted() then turns true). Single-threaded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

extern "C" {
#include "announcement.h"
}

namespace grove::bench {

// CLOCK_MONOTONIC in nanoseconds: the clock the probe stamps with.
std::int64_t monotonic_ns();

// Set by SIGINT/SIGTERM/SIGHUP (installed by install_stop_handlers) so that
// every wait of the driver returns early and the supervisor is torn down.
bool interrupted();
void install_stop_handlers();

// Sleeps until the deadline or a stop signal; false when interrupted.
bool sleep_until(std::int64_t deadline_ns);

struct Received {
  ::announcement sent;  // as the probe sent it
  std::int64_t received_ns;
};

class AnnouncementSocket {
 public:
  AnnouncementSocket() = default;
  AnnouncementSocket(const AnnouncementSocket&) = delete;
  AnnouncementSocket& operator=(const AnnouncementSocket&) = delete;
  ~AnnouncementSocket();

  // Returns an error message, or nothing on success.
  std::optional<std::string> bind(const std::string& path);
  // Nothing on deadline or interruption.
  std::optional<Received> receive(std::int64_t deadline_ns);

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace grove::bench
