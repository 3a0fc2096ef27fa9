#include "tree_env.hpp"

#include <charconv>
#include <cstdint>
#include <string_view>

namespace grove::detail {

namespace {
std::string text(const std::function<const char*(const char*)>& get, const char* key) {
  const char* v = get(key);
  return v ? std::string(v) : std::string();
}
template <class N>
bool number(const std::string& s, N& out) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
}
}  // namespace

TreeEnv read_tree_env(const std::function<const char*(const char*)>& get) {
  TreeEnv e;
  e.tree = text(get, "GROVE_TREE");
  e.path = text(get, "GROVE_PATH");
  e.inbox = text(get, "GROVE_INBOX");
  e.directory = text(get, "GROVE_DIRECTORY");
  e.deadletters = text(get, "GROVE_DEADLETTERS");
  e.notify = text(get, "NOTIFY_SOCKET");
  unsigned redeliveries = 0;
  if (number(text(get, "GROVE_MAX_REDELIVERIES"), redeliveries)) e.max_redeliveries = redeliveries;
  std::uint64_t usec = 0;
  if (number(text(get, "WATCHDOG_USEC"), usec)) e.watchdog = std::chrono::microseconds(usec);
  return e;
}

}  // namespace grove::detail
