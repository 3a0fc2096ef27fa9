#include "grove/ipc/process_identity.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>

namespace grove::ipc {

std::optional<ProcStat> parse_proc_stat(std::string_view line) {
  // "PID (COMM) STATE PPID ..." where COMM may hold spaces and parentheses:
  // the last ')' ends it. start time is field 22, i.e. the 20th after ')'.
  const auto close = line.rfind(')');
  if (close == std::string_view::npos || close + 2 >= line.size()) return std::nullopt;
  std::string_view rest = line.substr(close + 2);
  ProcStat out;
  out.state = rest[0];
  for (int field = 3; field < 22; ++field) {
    const auto sp = rest.find(' ');
    if (sp == std::string_view::npos) return std::nullopt;
    rest.remove_prefix(sp + 1);
    if (field == 3) {  // now at field 4, the parent's pid
      const auto [p, e] = std::from_chars(rest.data(), rest.data() + rest.size(), out.ppid);
      if (e != std::errc{} || p == rest.data()) return std::nullopt;
    }
  }
  const auto end = rest.find(' ');
  const std::string_view num = rest.substr(0, end);
  const auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), out.start_ticks);
  if (ec != std::errc{} || ptr != num.data() + num.size()) return std::nullopt;
  return out;
}

std::optional<ProcStat> read_proc_stat(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char buf[1024];
  ssize_t n;
  do {
    n = ::read(fd, buf, sizeof buf - 1);
  } while (n < 0 && errno == EINTR);
  ::close(fd);
  if (n <= 0) return std::nullopt;
  return parse_proc_stat(std::string_view(buf, static_cast<std::size_t>(n)));
}

ProcessIdentity ProcessIdentity::self() {
  static thread_local ProcessIdentity cached;
  const pid_t pid = ::getpid();
  if (cached.pid != pid) {
    const auto st = read_proc_stat(pid);
    cached = ProcessIdentity{pid, st ? st->start_ticks : 0};
  }
  return cached;
}

bool is_alive(const ProcessIdentity& who) {
  if (who.pid <= 0) return false;
  const auto st = read_proc_stat(who.pid);
  if (!st) return false;
  if (st->state == 'Z' || st->state == 'X' || st->state == 'x') return false;
  // <= 1: unknown (pack_owner stores an unknown 0 as 1); compare pids only.
  return who.start_ticks <= 1 || st->start_ticks == who.start_ticks;
}

}  // namespace grove::ipc
