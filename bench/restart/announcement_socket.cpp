#include "announcement_socket.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace grove::bench {
namespace {

volatile sig_atomic_t g_stop = 0;

void on_stop(int) { g_stop = 1; }

int poll_timeout_ms(std::int64_t deadline_ns) {
  std::int64_t left = deadline_ns - monotonic_ns();
  if (left <= 0) return 0;
  std::int64_t ms = (left + 999'999) / 1'000'000;
  return ms > 1000 ? 1000 : static_cast<int>(ms);
}

}  // namespace

std::int64_t monotonic_ns() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

bool interrupted() { return g_stop != 0; }

void install_stop_handlers() {
  struct sigaction sa{};
  sa.sa_handler = on_stop;  // no SA_RESTART: poll() must return EINTR
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &sa, nullptr);
}

bool sleep_until(std::int64_t deadline_ns) {
  while (!interrupted() && monotonic_ns() < deadline_ns)
    poll(nullptr, 0, poll_timeout_ms(deadline_ns));
  return !interrupted();
}

AnnouncementSocket::~AnnouncementSocket() {
  if (fd_ >= 0) close(fd_);
  if (!path_.empty()) unlink(path_.c_str());
}

std::optional<std::string> AnnouncementSocket::bind(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return "socket path too long: " + path;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd_ < 0) return std::string("unable to create a socket: ") + std::strerror(errno);
  unlink(path.c_str());
  if (::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) < 0)
    return "unable to bind " + path + ": " + std::strerror(errno);
  path_ = path;
  return std::nullopt;
}

std::optional<Received> AnnouncementSocket::receive(std::int64_t deadline_ns) {
  for (;;) {
    Received got{};
    ssize_t n = recv(fd_, &got.sent, sizeof got.sent, 0);
    if (n == static_cast<ssize_t>(sizeof got.sent)) {
      got.received_ns = monotonic_ns();
      got.sent.name[sizeof got.sent.name - 1] = '\0';
      return got;
    }
    if (n >= 0) continue;  // a datagram of the wrong size is not ours
    if (errno != EAGAIN && errno != EINTR) return std::nullopt;
    if (interrupted() || monotonic_ns() >= deadline_ns) return std::nullopt;
    pollfd pfd{fd_, POLLIN, 0};
    poll(&pfd, 1, poll_timeout_ms(deadline_ns));
  }
}

}  // namespace grove::bench
