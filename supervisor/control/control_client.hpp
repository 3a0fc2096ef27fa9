// control_client.hpp — the client side of the control socket (blocking).
//
//   auto client = ControlClient::connect("/run/user/1000/grove/shop.sock");
//   if (!client) { print(client.error().message); exit(client.error().no_daemon ? 3 : 1); }
//   Request r; r.verb = Verb::status;
//   auto reply = client.value().call(r);                 // waits for the answer
//   client.value().stream(logs_request, [](const Reply& r) { print(r.lines); return true; });
//
// Contract: one request at a time per client; every wait is bounded by the
// timeout given (none = wait as long as groved takes, e.g. a restart that
// waits for readiness). Errors are values.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "control/control_message.hpp"
#include "control/line_channel.hpp"
#include "launch/result.hpp"

namespace grove::control {

struct ClientError {
  bool no_daemon = false;  // nothing listens at the path: grovectl exits 3
  std::string message;
};

class ControlClient {
 public:
  static launch::Result<ControlClient, ClientError> connect(const std::string& path);

  // Sends `r` and returns its (last) reply.
  launch::Result<Reply, ClientError> call(const Request& r,
                                          std::optional<std::chrono::milliseconds> timeout = {});
  // Sends `r` and hands every reply to `on_reply` until one without `more`,
  // or until on_reply returns false.
  launch::Result<Reply, ClientError> stream(const Request& r,
                                            const std::function<bool(const Reply&)>& on_reply,
                                            std::optional<std::chrono::milliseconds> timeout = {});
  // Waits until groved closes the connection (it does as it exits).
  bool wait_closed(std::optional<std::chrono::milliseconds> timeout = {});
  // While a reply is awaited, `notice(waited)` runs each time `every` passes
  // without one (a long stop, a nested supervisor that does not answer).
  void on_slow_reply(std::chrono::milliseconds every, std::function<void(std::chrono::milliseconds waited)> notice) {
    slow_every_ = every;
    slow_notice_ = std::move(notice);
  }

 private:
  explicit ControlClient(launch::UniqueFd fd) : channel_(std::move(fd)) {}
  bool wait_readable(std::optional<std::chrono::steady_clock::time_point> deadline);
  LineChannel channel_;
  std::uint64_t next_id_ = 1;
  std::chrono::milliseconds slow_every_{0};
  std::function<void(std::chrono::milliseconds)> slow_notice_;
};

}  // namespace grove::control
