// tcp_probe.hpp — readiness for ready = "tcp://host:port": a connect succeeds.
//
//   auto addr = resolve_tcp_address("127.0.0.1", 6390);   // once, while preparing
//   auto probe = start_tcp_probe(addr.value());           // nonblocking connect
//   if (probe.value().outcome == ProbeOutcome::in_progress)
//     epoll_add(probe.value().fd.get(), EPOLLOUT);        // then, when writable:
//   auto outcome = finish_tcp_probe(probe.value().fd.get());
//   // connected: ready; refused: close, arm a retry deadline; error: start failure
//
// Contract:
// - resolve_tcp_address does not block for numeric IPv4/IPv6 hosts ("[::1]"
//   brackets tolerated); a name goes through getaddrinfo, which may block:
//   call it while preparing, not in the loop's hot path.
// - start/finish never block. The fd is nonblocking and CLOEXEC; close it
//   after connected (the probe sends nothing: the server sees a connection
//   that closes at once) or refused, and start a new probe to retry.
// - refused covers what "not listening yet" looks like: ECONNREFUSED,
//   ECONNRESET, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH, EAGAIN. Other errnos
//   are errors.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "result.hpp"
#include "unique_fd.hpp"

namespace grove::launch {

struct TcpProbeError {
  enum class Code { resolve, socket, connect };
  Code code;
  int err = 0;            // errno (socket, connect) or EAI_* (resolve)
  std::string target;     // "host:port"
  std::string describe() const;  // "unable to connect to 127.0.0.1:6390: Permission denied"
};

struct TcpAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  std::string text;  // "host:port", for messages
};

enum class ProbeOutcome { in_progress, connected, refused };

struct TcpProbe {
  UniqueFd fd;
  ProbeOutcome outcome = ProbeOutcome::in_progress;
};

Result<TcpAddress, TcpProbeError> resolve_tcp_address(std::string_view host, std::uint16_t port);
Result<TcpProbe, TcpProbeError> start_tcp_probe(const TcpAddress& address);
// After the fd polled writable (or with an error/hangup): the connect's result.
Result<ProbeOutcome, TcpProbeError> finish_tcp_probe(int fd);

}  // namespace grove::launch
