#include "launch/tcp_probe.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

namespace grove::launch {
namespace {

// A loopback TCP socket on an ephemeral port; listening or only bound (so
// the port stays ours and connecting to it is refused).
struct Server {
  UniqueFd fd;
  std::uint16_t port = 0;
};

Server make_server(int family, bool listening) {
  Server s;
  s.fd.reset(socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_storage ss{};
  socklen_t len;
  if (family == AF_INET) {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof *a;
  } else {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    a->sin6_family = AF_INET6;
    a->sin6_addr = in6addr_loopback;
    len = sizeof *a;
  }
  if (!s.fd || bind(s.fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) return Server{};
  if (listening && listen(s.fd.get(), 4) != 0) return Server{};
  getsockname(s.fd.get(), reinterpret_cast<sockaddr*>(&ss), &len);
  s.port = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in*>(&ss)->sin_port
                                   : reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  return s;
}

// Runs a probe to its outcome, polling with a deadline.
ProbeOutcome probe_once(const std::string& host, std::uint16_t port) {
  auto addr = resolve_tcp_address(host, port);
  EXPECT_TRUE(addr) << (addr ? "" : addr.error().describe());
  if (!addr) return ProbeOutcome::in_progress;
  auto probe = start_tcp_probe(addr.value());
  EXPECT_TRUE(probe);
  if (!probe || probe.value().outcome != ProbeOutcome::in_progress)
    return probe ? probe.value().outcome : ProbeOutcome::in_progress;
  pollfd p{probe.value().fd.get(), POLLOUT, 0};
  EXPECT_EQ(poll(&p, 1, 10000), 1);
  auto outcome = finish_tcp_probe(probe.value().fd.get());
  EXPECT_TRUE(outcome) << (outcome ? "" : outcome.error().describe());
  return outcome ? outcome.value() : ProbeOutcome::in_progress;
}

TEST(TcpProbe, ListeningPortIsConnected) {
  Server s = make_server(AF_INET, true);
  ASSERT_NE(s.port, 0);
  EXPECT_EQ(probe_once("127.0.0.1", s.port), ProbeOutcome::connected);
}

TEST(TcpProbe, PortWithoutListenerIsRefusedForRetry) {
  Server s = make_server(AF_INET, false);
  ASSERT_NE(s.port, 0);
  EXPECT_EQ(probe_once("127.0.0.1", s.port), ProbeOutcome::refused);
}

TEST(TcpProbe, Ipv6LoopbackWithBrackets) {
  Server s = make_server(AF_INET6, true);
  if (s.port == 0) GTEST_SKIP() << "no IPv6 loopback here";
  EXPECT_EQ(probe_once("[::1]", s.port), ProbeOutcome::connected);
}

TEST(TcpProbe, NameIsResolvedBeforehand) {
  Server s = make_server(AF_INET, true);
  ASSERT_NE(s.port, 0);
  auto addr = resolve_tcp_address("localhost", s.port);
  ASSERT_TRUE(addr) << addr.error().describe();
  EXPECT_EQ(addr.value().text, "localhost:" + std::to_string(s.port));
}

TEST(TcpProbe, AddressTextNamesHostAndPort) {
  auto v4 = resolve_tcp_address("127.0.0.1", 6390);
  auto v6 = resolve_tcp_address("::1", 80);
  ASSERT_TRUE(v4 && v6);
  EXPECT_EQ(v4.value().text, "127.0.0.1:6390");
  EXPECT_EQ(v6.value().text, "[::1]:80");
  EXPECT_EQ(v6.value().storage.ss_family, AF_INET6);
}

TEST(TcpProbe, ProbeFdIsNonblockingAndCloexec) {
  Server s = make_server(AF_INET, true);
  auto addr = resolve_tcp_address("127.0.0.1", s.port);
  ASSERT_TRUE(addr);
  auto probe = start_tcp_probe(addr.value());
  ASSERT_TRUE(probe);
  EXPECT_TRUE(fcntl(probe.value().fd.get(), F_GETFL) & O_NONBLOCK);
  EXPECT_TRUE(fcntl(probe.value().fd.get(), F_GETFD) & FD_CLOEXEC);
}

}  // namespace
}  // namespace grove::launch
