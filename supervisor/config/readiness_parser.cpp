#include "config/readiness_parser.hpp"

#include <array>

namespace grove::config {
namespace {

constexpr std::string_view kForms = R"("started", "notify", "fd:N" (N >= 3) or "tcp://host:port")";

ReadinessResult fail(std::string message, std::string hint = {}) {
  return {Readiness{}, std::move(message), std::move(hint)};
}

// Digits only, value in [lo, hi]; -1 otherwise.
long parse_bounded(std::string_view digits, long lo, long hi) {
  if (digits.empty() || digits.size() > 6) return -1;
  long n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return (n < lo || n > hi) ? -1 : n;
}

ReadinessResult parse_fd(std::string_view text) {
  const std::string_view digits = text.substr(3);
  static constexpr std::array<std::string_view, 3> kStdio{"stdin", "stdout", "stderr"};
  const long n = parse_bounded(digits, 0, 65535);
  if (n < 0) return fail("\"" + std::string(text) + "\" is not a file descriptor", "write e.g. \"fd:3\"");
  if (n < 3) {
    return fail("fd " + std::to_string(n) + " is the child's " +
                    std::string(kStdio[static_cast<std::size_t>(n)]) + ": readiness needs its own fd",
                "use fd:3 or above (s6's notification-fd)");
  }
  Readiness r;
  r.kind = Readiness::Kind::fd;
  r.fd = static_cast<int>(n);
  return {r, {}, {}};
}

ReadinessResult parse_tcp(std::string_view text) {
  const std::string_view rest = text.substr(6);  // after "tcp://"
  const std::string url(text);
  std::string_view host;
  std::string_view after_host;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return fail("\"" + url + "\": unclosed '[' in the host");
    host = rest.substr(1, close - 1);
    after_host = rest.substr(close + 1);
  } else {
    const auto colon = rest.rfind(':');
    host = rest.substr(0, colon == std::string_view::npos ? rest.size() : colon);
    after_host = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon);
    if (host.find_first_of(":/") != std::string_view::npos)
      return fail("\"" + url + "\" is not tcp://host:port", "IPv6 hosts go in brackets: tcp://[::1]:80");
  }
  if (host.empty()) return fail("\"" + url + "\" has no host", "write e.g. tcp://127.0.0.1:8080");
  if (after_host.empty() || after_host.front() != ':')
    return fail("\"" + url + "\" has no port", "write e.g. tcp://" + std::string(host) + ":8080");
  const long port = parse_bounded(after_host.substr(1), 1, 65535);
  if (port < 0) {
    return fail("\"" + url + "\": port \"" + std::string(after_host.substr(1)) +
                    "\" is not a number from 1 to 65535");
  }
  Readiness r;
  r.kind = Readiness::Kind::tcp;
  r.host = std::string(host);
  r.port = static_cast<std::uint16_t>(port);
  return {r, {}, {}};
}

}  // namespace

ReadinessResult parse_readiness(std::string_view text) {
  Readiness r;
  if (text == "started") return {r, {}, {}};
  if (text == "notify") {
    r.kind = Readiness::Kind::notify;
    return {r, {}, {}};
  }
  if (text.starts_with("fd:")) return parse_fd(text);
  if (text.starts_with("tcp://")) return parse_tcp(text);
  if (text.find("://") != std::string_view::npos)
    return fail("\"" + std::string(text) + "\": only tcp:// readiness is supported",
                "ready = " + std::string(kForms));
  return fail("\"" + std::string(text) + "\" is not a readiness", "ready = " + std::string(kForms));
}

std::string describe_readiness(const Readiness& r) {
  switch (r.kind) {
    case Readiness::Kind::started: return "started";
    case Readiness::Kind::notify: return "notify";
    case Readiness::Kind::fd: return "fd:" + std::to_string(r.fd);
    case Readiness::Kind::tcp: {
      const bool v6 = r.host.find(':') != std::string::npos;
      return "tcp://" + (v6 ? "[" + r.host + "]" : r.host) + ":" + std::to_string(r.port);
    }
  }
  return "?";
}

}  // namespace grove::config
