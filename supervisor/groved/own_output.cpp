#include "groved/own_output.hpp"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <utility>

#include "groved/event_log.hpp"

namespace grove::groved {

namespace {

constexpr std::size_t kMaxPending = 1 << 20;

struct Stream {
  bool socket = false;
  std::string pending;        // written by nobody yet, in order
  std::uint64_t dropped = 0;  // lines lost since the last output_dropped event
};

std::string g_tree;
Stream g_streams[3];  // by fd; 0 unused
std::function<void(int)> g_watch;

// A description of our own for fd, non-blocking; the fd stays as it is
// when it cannot be reopened (then a write may still wait, as before).
void make_nonblocking(int fd) {
  struct stat st{};
  if (::fstat(fd, &st) != 0) return;
  if (S_ISSOCK(st.st_mode)) {
    g_streams[fd].socket = true;  // /proc cannot reopen a socket: MSG_DONTWAIT per send
    return;
  }
  if (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode)) return;  // a file: writes do not wait
  const std::string proc = "/proc/self/fd/" + std::to_string(fd);
  const int own = ::open(proc.c_str(), O_WRONLY | O_NONBLOCK | O_NOCTTY);
  if (own < 0) return;
  ::dup2(own, fd);
  ::close(own);
}

// Writes a prefix of `bytes`: how much (0 when the stream is full now; all
// of it when the stream is gone, which nobody can read any more).
std::size_t write_some(int fd, std::string_view bytes) {
  for (;;) {
    const ssize_t n = g_streams[fd].socket ? ::send(fd, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL)
                                           : ::write(fd, bytes.data(), bytes.size());
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    return errno == EAGAIN ? 0 : bytes.size();
  }
}

std::uint64_t lines_in(std::string_view text) {
  const auto n = static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
  return n == 0 && !text.empty() ? 1 : n;
}

// Queues `text` behind what waits already (whole lines only: what does
// not fit in the buffer is dropped and counted).
void queue(int fd, std::string_view text) {
  Stream& s = g_streams[fd];
  const bool was_empty = s.pending.empty();
  std::size_t fits = std::min(text.size(), kMaxPending - std::min(kMaxPending, s.pending.size()));
  if (fits < text.size()) {
    const std::size_t cut = text.rfind('\n', fits == 0 ? 0 : fits - 1);
    fits = cut == std::string_view::npos || fits == 0 ? 0 : cut + 1;
    s.dropped += lines_in(text.substr(fits));
  }
  s.pending.append(text.substr(0, fits));
  if (was_empty && !s.pending.empty() && g_watch) g_watch(fd);
}

// The output_dropped event, on stderr where the gap is.
void report_dropped(int fd) {
  Stream& s = g_streams[fd];
  const auto lines = static_cast<std::int64_t>(std::exchange(s.dropped, 0));
  LogLine("output_dropped").kv("tree", g_tree).kv("stream", fd == 1 ? "stdout" : "stderr").kv("lines", lines);
}

}  // namespace

void setup_own_output(std::string tree) {
  g_tree = std::move(tree);
  make_nonblocking(1);
  make_nonblocking(2);
}

void on_own_output_pending(std::function<void(int)> watch) {
  g_watch = std::move(watch);
  for (int fd : {1, 2})  // what waits from before the loop existed
    if (g_watch && !g_streams[fd].pending.empty()) g_watch(fd);
}

void write_own_output(int fd, std::string_view text) {
  if (fd != 1 && fd != 2) return;
  Stream& s = g_streams[fd];
  if (s.pending.empty()) text.remove_prefix(write_some(fd, text));
  if (!text.empty()) queue(fd, text);
}

bool flush_own_output(int fd) {
  if (fd != 1 && fd != 2) return true;
  Stream& s = g_streams[fd];
  while (!s.pending.empty()) {
    const std::size_t n = write_some(fd, s.pending);
    if (n == 0) return false;
    s.pending.erase(0, n);
  }
  if (s.dropped != 0) report_dropped(fd);
  return s.pending.empty();
}

void drain_own_output(std::chrono::milliseconds budget) {
  g_watch = nullptr;
  const auto until = std::chrono::steady_clock::now() + budget;
  for (int fd : {1, 2}) {
    while (!flush_own_output(fd)) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return;
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return;
    }
  }
}

void reset_own_output_after_fork() {
  for (Stream& s : g_streams) {
    s.pending.clear();
    s.dropped = 0;
  }
  g_watch = nullptr;
}

}  // namespace grove::groved
