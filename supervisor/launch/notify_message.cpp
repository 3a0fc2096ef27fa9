#include "notify_message.hpp"

#include <charconv>

namespace grove::launch {
namespace {

template <class T>
std::optional<T> number(std::string_view s) {
  T v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

template <class T>
void set_number(std::optional<T>& field, std::string_view value) {
  if (auto v = number<T>(value)) field = v;
}

void apply(NotifyMessage& m, std::string_view key, std::string_view value) {
  if (key == "READY") {
    m.ready = value == "1";
  } else if (key == "RELOADING") {
    m.reloading = value == "1";
  } else if (key == "STOPPING") {
    m.stopping = value == "1";
  } else if (key == "BARRIER") {
    m.barrier = value == "1";
  } else if (key == "WATCHDOG") {
    m.watchdog = value == "1";
    m.watchdog_trigger = value == "trigger";
  } else if (key == "STATUS") {
    m.status = std::string(value);
  } else if (key == "MAINPID") {
    if (auto pid = number<pid_t>(value); pid && *pid > 0) m.main_pid = pid;
  } else if (key == "ERRNO") {
    set_number(m.errno_value, value);
  } else if (key == "EXTEND_TIMEOUT_USEC") {
    set_number(m.extend_timeout_usec, value);
  }
}

}  // namespace

NotifyMessage parse_notify_message(std::string_view payload) {
  NotifyMessage m;
  while (!payload.empty()) {
    std::size_t nl = payload.find('\n');
    std::string_view line = payload.substr(0, nl);
    payload.remove_prefix(nl == std::string_view::npos ? payload.size() : nl + 1);
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    apply(m, line.substr(0, eq), line.substr(eq + 1));
  }
  return m;
}

}  // namespace grove::launch
