#include "tcp_probe.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <cerrno>
#include <cstring>

namespace grove::launch {
namespace {

bool is_retryable(int err) {
  return err == ECONNREFUSED || err == ECONNRESET || err == ETIMEDOUT || err == EHOSTUNREACH ||
         err == ENETUNREACH || err == EAGAIN;
}

bool parse_numeric(const std::string& host, std::uint16_t port, TcpAddress& out) {
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out.storage);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    out.length = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
  if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    out.length = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

}  // namespace

Result<TcpAddress, TcpProbeError> resolve_tcp_address(std::string_view host, std::uint16_t port) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  TcpAddress out;
  const std::string name(host);
  out.text = (name.find(':') != std::string::npos ? "[" + name + "]" : name) + ":" +
             std::to_string(port);
  if (parse_numeric(name, port, out)) return out;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (int rc = getaddrinfo(name.c_str(), service.c_str(), &hints, &found); rc != 0)
    return TcpProbeError{TcpProbeError::Code::resolve, rc, out.text};
  std::memcpy(&out.storage, found->ai_addr, found->ai_addrlen);
  out.length = found->ai_addrlen;
  freeaddrinfo(found);
  return out;
}

Result<TcpProbe, TcpProbeError> start_tcp_probe(const TcpAddress& address) {
  TcpProbe probe;
  probe.fd.reset(::socket(address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!probe.fd) return TcpProbeError{TcpProbeError::Code::socket, errno, address.text};
  const auto* sa = reinterpret_cast<const sockaddr*>(&address.storage);
  int rc;
  do rc = ::connect(probe.fd.get(), sa, address.length);
  while (rc != 0 && errno == EINTR);
  if (rc == 0) {
    probe.outcome = ProbeOutcome::connected;
  } else if (errno == EINPROGRESS) {
    probe.outcome = ProbeOutcome::in_progress;
  } else if (is_retryable(errno)) {
    probe.outcome = ProbeOutcome::refused;
  } else {
    return TcpProbeError{TcpProbeError::Code::connect, errno, address.text};
  }
  return probe;
}

Result<ProbeOutcome, TcpProbeError> finish_tcp_probe(int fd) {
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
    return TcpProbeError{TcpProbeError::Code::connect, errno, ""};
  if (err == 0) {
    // SO_ERROR is 0 while still connecting too; only a peer makes it connected.
    sockaddr_storage peer{};
    socklen_t plen = sizeof peer;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &plen) == 0) return ProbeOutcome::connected;
    if (errno == ENOTCONN) return ProbeOutcome::in_progress;
    return TcpProbeError{TcpProbeError::Code::connect, errno, ""};
  }
  if (is_retryable(err)) return ProbeOutcome::refused;
  return TcpProbeError{TcpProbeError::Code::connect, err, ""};
}

std::string TcpProbeError::describe() const {
  switch (code) {
    case Code::resolve: return "unable to resolve " + target + ": " + gai_strerror(err);
    case Code::socket: return "unable to create a socket for " + target + ": " + std::strerror(err);
    case Code::connect: return "unable to connect to " + target + ": " + std::strerror(err);
  }
  return "tcp probe error";
}

}  // namespace grove::launch
