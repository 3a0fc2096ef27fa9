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
  int fd = -1;                // where its lines go
  bool socket = false;
  std::string pending;        // written by nobody yet, in order
  std::uint64_t dropped = 0;  // lines lost since the last output_dropped event
  const char* name = "";
};

std::string g_tree;
Stream g_streams[3];           // [1] stdout, [2] stderr; [0] unused
Stream* g_queue_of[3] = {nullptr, &g_streams[1], &g_streams[2]};  // fds 1 and 2 -> their queue
std::function<void(int)> g_watch;

// A closed fd 0-2 gets /dev/null: a later socket or pipe must not take its
// number and receive groved's output.
void fill_closed_std_fds() {
  for (int fd = 0; fd < 3; ++fd) {
    if (::fcntl(fd, F_GETFD) >= 0 || errno != EBADF) continue;
    const int null_fd = ::open("/dev/null", O_RDWR);
    if (null_fd >= 0 && null_fd != fd) {
      ::dup2(null_fd, fd);
      ::close(null_fd);
    }
  }
}

// A description of our own for fd, non-blocking; the fd stays as it is
// when it cannot be reopened (then a write may still wait, as before).
void make_nonblocking(int fd, const struct stat& st) {
  if (S_ISSOCK(st.st_mode)) {
    g_streams[fd].socket = true;  // /proc cannot reopen a socket: MSG_DONTWAIT per send
    return;
  }
  if (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode)) return;  // a file: writes do not wait
  const std::string proc = "/proc/self/fd/" + std::to_string(fd);
  const int own = ::open(proc.c_str(), O_WRONLY | O_NONBLOCK | O_NOCTTY);
  if (own < 0) return;
  // The same file, not a new one (/dev/ptmx would open a new pseudo-terminal).
  struct stat again{};
  if (::fstat(own, &again) == 0 && again.st_dev == st.st_dev && again.st_ino == st.st_ino &&
      again.st_rdev == st.st_rdev)
    ::dup2(own, fd);
  ::close(own);
}

// The longest prefix of `text` made of whole lines and at most PIPE_BUF
// bytes (a pipe takes it whole or not at all, so lines of several
// supervisor processes never interleave); one longer line as it is.
std::string_view next_chunk(std::string_view text) {
  if (text.size() <= PIPE_BUF) return text;
  const std::size_t cut = text.rfind('\n', PIPE_BUF - 1);
  if (cut != std::string_view::npos) return text.substr(0, cut + 1);
  const std::size_t end = text.find('\n');
  return end == std::string_view::npos ? text : text.substr(0, end + 1);
}

// Writes whole-line chunks of `text` while the stream takes them; returns
// how much was written (all of it when the stream is gone: nobody reads).
std::size_t write_lines(const Stream& s, std::string_view text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const std::string_view chunk = next_chunk(text.substr(done));
    const ssize_t n = s.socket ? ::send(s.fd, chunk.data(), chunk.size(), MSG_DONTWAIT | MSG_NOSIGNAL)
                               : ::write(s.fd, chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno == EAGAIN ? done : text.size();
    done += static_cast<std::size_t>(n);
    if (static_cast<std::size_t>(n) < chunk.size()) return done;  // full now, mid-chunk
  }
  return done;
}

std::uint64_t lines_in(std::string_view text) {
  const auto n = static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
  return n == 0 && !text.empty() ? 1 : n;
}

// Queues `text` behind what waits already (whole lines only: what does
// not fit in the buffer is dropped and counted).
void queue(Stream& s, std::string_view text) {
  const bool was_empty = s.pending.empty();
  std::size_t fits = std::min(text.size(), kMaxPending - std::min(kMaxPending, s.pending.size()));
  if (fits < text.size()) {
    const std::size_t cut = text.rfind('\n', fits == 0 ? 0 : fits - 1);
    fits = cut == std::string_view::npos || fits == 0 ? 0 : cut + 1;
    s.dropped += lines_in(text.substr(fits));
  }
  s.pending.append(text.substr(0, fits));
  if (was_empty && !s.pending.empty() && g_watch) g_watch(s.fd);
}

// The output_dropped event, on stderr where the gap is.
void report_dropped(Stream& s) {
  const auto lines = static_cast<std::int64_t>(std::exchange(s.dropped, 0));
  LogLine("output_dropped").kv("tree", g_tree).kv("stream", s.name).kv("lines", lines);
}

}  // namespace

void setup_own_output(std::string tree) {
  g_tree = std::move(tree);
  fill_closed_std_fds();
  struct stat out{}, err{};
  const bool have_out = ::fstat(1, &out) == 0, have_err = ::fstat(2, &err) == 0;
  g_streams[1] = {1, false, {}, 0, "stdout"};
  g_streams[2] = {2, false, {}, 0, "stderr"};
  if (have_out) make_nonblocking(1, out);
  if (have_out && have_err && out.st_dev == err.st_dev && out.st_ino == err.st_ino) {
    // `groved >log 2>&1`, a journal stream: one file, so one queue, in order.
    ::dup2(1, 2);
    g_streams[1].name = "stdout+stderr";
    g_queue_of[2] = &g_streams[1];
  } else if (have_err) {
    make_nonblocking(2, err);
  }
}

void on_own_output_pending(std::function<void(int)> watch) {
  g_watch = std::move(watch);
  for (int fd : {1, 2})  // what waits from before the loop existed
    if (g_watch && g_queue_of[fd] == &g_streams[fd] && !g_streams[fd].pending.empty()) g_watch(fd);
}

void write_own_output(int fd, std::string_view text) {
  if (fd != 1 && fd != 2) return;
  Stream& s = *g_queue_of[fd];
  if (s.pending.empty()) text.remove_prefix(write_lines(s, text));
  if (!text.empty()) queue(s, text);
}

bool flush_own_output(int fd) {
  if (fd != 1 && fd != 2) return true;
  Stream& s = *g_queue_of[fd];
  s.pending.erase(0, write_lines(s, s.pending));
  if (!s.pending.empty()) return false;
  if (s.dropped != 0) report_dropped(s);
  return true;
}

void drain_own_output(std::chrono::milliseconds budget) {
  g_watch = nullptr;
  const auto until = std::chrono::steady_clock::now() + budget;
  for (;;) {
    pollfd fds[2];
    nfds_t n = 0;
    for (int fd : {1, 2})
      if (g_queue_of[fd] == &g_streams[fd] && !flush_own_output(fd)) fds[n++] = {fd, POLLOUT, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (n == 0 || left.count() <= 0) return;
    if (::poll(fds, n, static_cast<int>(left.count())) <= 0) return;
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
