#include "grove/ipc/segment_name.hpp"

#include <charconv>

namespace grove::ipc {

namespace {
constexpr std::string_view kPrefix = "grove.u";

bool plain(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-';
}

void escape(std::string_view in, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : in) {
    if (plain(c)) {
      out += c;
    } else {
      const auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> unescape(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (plain(in[i])) {
      out += in[i];
      continue;
    }
    if (in[i] != '%' || i + 2 >= in.size()) return std::nullopt;
    const int hi = hex_value(in[i + 1]);
    const int lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0 || plain(static_cast<char>(hi * 16 + lo))) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

template <class T>
bool parse_number(std::string_view s, T& out) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

// Splits off the text up to `sep`; false when `sep` is missing.
bool take(std::string_view& rest, char sep, std::string_view& field) {
  const auto at = rest.find(sep);
  if (at == std::string_view::npos) return false;
  field = rest.substr(0, at);
  rest.remove_prefix(at + 1);
  return true;
}
}  // namespace

std::string format(const SegmentName& n) {
  if (n.tree.empty() || n.inbox.empty() || n.owner.pid <= 0) return {};
  std::string out(kPrefix);
  out += std::to_string(n.uid);
  out += '.';
  escape(n.tree, out);
  out += ".p";
  out += std::to_string(n.owner.pid);
  out += '-';
  out += std::to_string(n.owner.start_ticks);
  out += '.';
  escape(n.inbox, out);
  if (out.size() > kMaxSegmentName) return {};
  return out;
}

std::optional<SegmentName> parse_segment_name(std::string_view text) {
  if (text.size() > kMaxSegmentName || text.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view rest = text.substr(kPrefix.size());
  std::string_view uid, tree, pid, start;
  if (!take(rest, '.', uid) || !take(rest, '.', tree) || !take(rest, '-', pid) ||
      !take(rest, '.', start))
    return std::nullopt;
  if (pid.empty() || pid[0] != 'p') return std::nullopt;
  pid.remove_prefix(1);
  SegmentName n;
  int pid_value = 0;
  if (!parse_number(uid, n.uid) || !parse_number(pid, pid_value) || pid_value <= 0 ||
      !parse_number(start, n.owner.start_ticks))
    return std::nullopt;
  n.owner.pid = pid_value;
  auto t = unescape(tree);
  auto i = unescape(rest);
  if (!t || !i || t->empty() || i->empty()) return std::nullopt;
  n.tree = std::move(*t);
  n.inbox = std::move(*i);
  return n;
}

}  // namespace grove::ipc
