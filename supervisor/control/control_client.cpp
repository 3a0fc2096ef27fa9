#include "control/control_client.hpp"

#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <fcntl.h>

#include <cerrno>

namespace grove::control {

namespace {

using Clock = std::chrono::steady_clock;

ClientError failure(std::string message, bool no_daemon = false) {
  return ClientError{no_daemon, std::move(message)};
}

// Waits for `events` on fd until the deadline; false when it passed.
bool wait_for(int fd, short events, std::optional<Clock::time_point> deadline) {
  int ms = -1;
  if (deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now());
    if (left.count() <= 0) return false;
    ms = static_cast<int>(left.count());
  }
  pollfd p{fd, events, 0};
  int n;
  while ((n = ::poll(&p, 1, ms)) < 0 && errno == EINTR) {
  }
  return n > 0;
}

}  // namespace

launch::Result<ControlClient, ClientError> ControlClient::connect(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return failure("socket path too long: " + path);
  path.copy(addr.sun_path, path.size());
  launch::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return failure(std::string("unable to create socket: ") + strerror(errno));
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
    const int err = errno;
    const bool none = err == ENOENT || err == ECONNREFUSED;
    if (err == EACCES || err == EPERM)  // a groved is there: it is not ours to talk to
      return failure("not allowed to reach the groved at " + path + ": " + strerror(err) +
                     " (its control socket is its owner's only)");
    return failure("no groved at " + path + ": " + strerror(err), none);
  }
  const int flags = ::fcntl(fd.get(), F_GETFL);
  ::fcntl(fd.get(), F_SETFL, flags | O_NONBLOCK);
  return ControlClient(std::move(fd));
}

launch::Result<Reply, ClientError> ControlClient::call(const Request& r,
                                                       std::optional<std::chrono::milliseconds> timeout) {
  return stream(r, [](const Reply&) { return true; }, timeout);
}

launch::Result<Reply, ClientError> ControlClient::stream(
    const Request& request, const std::function<bool(const Reply&)>& on_reply,
    std::optional<std::chrono::milliseconds> timeout) {
  Request r = request;
  r.id = next_id_++;
  std::optional<Clock::time_point> deadline;
  if (timeout) deadline = Clock::now() + *timeout;
  channel_.send(encode(r));
  // A refused client may find the connection closed while sending: what
  // groved said before closing it is still there to read.
  while (channel_.wants_write()) {
    if (!channel_.flush()) break;
    if (channel_.wants_write() && !wait_for(channel_.fd(), POLLOUT, deadline))
      return failure("timed out sending to groved");
  }
  for (;;) {
    if (!wait_readable(deadline)) return failure("timed out waiting for groved");
    std::vector<std::string> lines;
    const auto got = channel_.read_lines(lines);
    for (const std::string& line : lines) {
      std::string error;
      auto reply = decode_reply(line, error);
      if (!reply) return failure(error);
      if (reply->id != r.id && reply->id != 0) continue;
      if (reply->id == 0 || !reply->more) return *reply;  // id 0: a refusal
      if (!on_reply(*reply)) return *reply;
    }
    if (got != LineChannel::Read::ok) return failure("groved closed the connection");
  }
}

// Waits for the reply, in slices of slow_every_ when there is a notice.
bool ControlClient::wait_readable(std::optional<Clock::time_point> deadline) {
  if (!slow_notice_ || slow_every_.count() <= 0) return wait_for(channel_.fd(), POLLIN, deadline);
  const auto start = Clock::now();
  for (;;) {
    auto slice = Clock::now() + slow_every_;
    if (deadline && *deadline < slice) slice = *deadline;
    if (wait_for(channel_.fd(), POLLIN, slice)) return true;
    if (deadline && Clock::now() >= *deadline) return false;
    slow_notice_(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start));
  }
}

bool ControlClient::wait_closed(std::optional<std::chrono::milliseconds> timeout) {
  std::optional<Clock::time_point> deadline;
  if (timeout) deadline = Clock::now() + *timeout;
  for (;;) {
    if (!wait_for(channel_.fd(), POLLIN, deadline)) return false;
    std::vector<std::string> ignored;
    if (channel_.read_lines(ignored) != LineChannel::Read::ok) return true;
  }
}

}  // namespace grove::control
