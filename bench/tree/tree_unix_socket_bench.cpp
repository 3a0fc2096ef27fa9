// tree_unix_socket_bench — the unix_socket peer of tree.call / tree.cast:
// a key-value server and its client in two processes (fork) talking over a
// UNIX stream socket (socketpair), the way a typical user would write it.
// One figure per run (bench/tree/run runs each in a fresh process):
//
//   tree_unix_socket_bench call|cast
//
//   tree.call  round trips/s  write a put request (64-byte value, one
//                             write()), read the reply frame
//   tree.cast  msg/s          put requests without replies, one write()
//                             each, then a get of the last key as the
//                             barrier (counted in the time)
//
// The server reads with a buffered reader (reads of up to 64 KiB, frames
// parsed out of the buffer) and writes each reply with one write(). Frames:
// kv_frame.hpp. Keys are I & 1023, the value's first 8 bytes are the
// sequence number I: the barrier's reply proves that the last cast, and so
// every cast before it, was handled. Each figure: 0.5 s of the same work to
// warm up, then chunks until 2 s have passed, as the BEAM peer
// (bench/peers/erlang/tree_dist.erl) does. Nothing is pinned.
//
// Prints one JSON line on stdout; errors on stderr, exit status 1.
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <unordered_map>

#include "frame_reader.hpp"
#include "kv_frame.hpp"

namespace {

using grove::bench::FrameReader;
using grove::bench::KvFrame;
using grove::bench::KvOp;
using grove::bench::KvStatus;
using grove::bench::KvValue;
using grove::bench::ReadStatus;
using Clock = std::chrono::steady_clock;

constexpr double kWarmupSeconds = 0.5;
constexpr double kTimedSeconds = 2.0;
constexpr std::uint32_t kKeyMask = 1023;

bool fail(const char* what, int error) {
  std::fprintf(stderr, "tree_unix_socket_bench: fatal: unable to %s: %s\n", what,
               error != 0 ? std::strerror(error) : "protocol error");
  return false;
}

// One write() per frame, as a user would; the loop only covers short writes.
bool write_frame(int fd, const KvFrame& f) {
  std::size_t done = 0;
  while (done < f.size) {
    const ssize_t n = ::write(fd, f.bytes.data() + done, f.size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("write a frame", errno);
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// ---- the server (child process): a map from key to value
int serve(int fd) {
  std::unordered_map<std::uint32_t, KvValue> map;
  FrameReader in(fd);
  for (;;) {
    const grove::bench::FrameRead r = in.next();
    if (r.status == ReadStatus::eof) return 0;
    if (r.status != ReadStatus::frame) return fail("read a request", r.error) ? 0 : 1;
    if (r.body.size() < grove::bench::kGetBody) return fail("parse a request", 0) ? 0 : 1;
    const auto op = static_cast<KvOp>(r.body[0]);
    const std::uint32_t key = grove::bench::load_u32(r.body.data() + grove::bench::kKeyOffset);
    if (op == KvOp::put_call || op == KvOp::put_cast) {
      if (r.body.size() != grove::bench::kPutBody) return fail("parse a put", 0) ? 0 : 1;
      KvValue& v = map[key];
      std::memcpy(v.data(), r.body.data() + grove::bench::kValueOffset, v.size());
      if (op == KvOp::put_call && !write_frame(fd, grove::bench::reply(KvStatus::ok, nullptr))) return 1;
    } else if (op == KvOp::get_call) {
      const auto it = map.find(key);
      const KvFrame f = it == map.end() ? grove::bench::reply(KvStatus::not_found, nullptr)
                                        : grove::bench::reply(KvStatus::ok, &it->second);
      if (!write_frame(fd, f)) return 1;
    } else {
      return fail("parse a request's op", 0) ? 0 : 1;
    }
  }
}

// ---- the client (parent process)
struct Client {
  int fd;
  FrameReader in;
};

bool read_reply(Client& c, std::size_t expected_size, grove::bench::FrameRead& r) {
  r = c.in.next();
  if (r.status != ReadStatus::frame) return fail("read a reply", r.error);
  if (r.body.size() != expected_size || static_cast<KvStatus>(r.body[0]) != KvStatus::ok)
    return fail("parse a reply", 0);
  return true;
}

bool put_calls(Client& c, std::uint64_t first, std::uint64_t end) {
  grove::bench::FrameRead r;
  for (std::uint64_t i = first; i < end; ++i) {
    const auto key = static_cast<std::uint32_t>(i) & kKeyMask;
    if (!write_frame(c.fd, grove::bench::put_request(KvOp::put_call, key, grove::bench::value_for(i)))) return false;
    if (!read_reply(c, 1, r)) return false;
  }
  return true;
}

bool put_casts(Client& c, std::uint64_t first, std::uint64_t end) {
  for (std::uint64_t i = first; i < end; ++i) {
    const auto key = static_cast<std::uint32_t>(i) & kKeyMask;
    if (!write_frame(c.fd, grove::bench::put_request(KvOp::put_cast, key, grove::bench::value_for(i)))) return false;
  }
  return true;
}

// The reply carries the last cast's sequence number: the server handled it,
// and every cast before it (the stream keeps order).
bool barrier(Client& c, std::uint64_t last) {
  if (!write_frame(c.fd, grove::bench::get_request(static_cast<std::uint32_t>(last) & kKeyMask))) return false;
  grove::bench::FrameRead r;
  if (!read_reply(c, 1 + grove::bench::kValueSize, r)) return false;
  if (grove::bench::sequence_of(r.body.data() + 1) != last) return fail("see the last cast handled", 0);
  return true;
}

struct Span {
  std::uint64_t count = 0;
  std::uint64_t next = 0;  // the next sequence number
  bool ok = true;
};

// Runs work(i, i + chunk) from sequence number first until seconds passed.
template <typename Work>
Span for_seconds(Work work, std::uint64_t chunk, double seconds, std::uint64_t first) {
  const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  for (std::uint64_t i = first;; i += chunk) {
    if (!work(i, i + chunk)) return {0, 0, false};
    if (Clock::now() >= deadline) return {i + chunk - first, i + chunk, true};
  }
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string allowed_cpus() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("Cpus_allowed_list:", 0) == 0) {
      const auto at = line.find_first_not_of(" \t", sizeof "Cpus_allowed_list:" - 1);
      return at == std::string::npos ? "" : line.substr(at);
    }
  }
  return "";
}

void emit(const char* bench, const char* unit, double value, std::uint64_t iterations) {
  std::printf(
      "{\"bench\":\"%s\",\"system\":\"unix_socket\",\"unit\":\"%s\",\"value\":%.6g,\"iterations\":%llu,"
      "\"payload\":64,\"cpus\":\"%s\",\"transport\":\"AF_UNIX SOCK_STREAM socketpair\"}\n",
      bench, unit, value, static_cast<unsigned long long>(iterations), allowed_cpus().c_str());
  std::fflush(stdout);
}

bool run_call(Client& c) {
  auto work = [&c](std::uint64_t i, std::uint64_t end) { return put_calls(c, i, end); };
  const Span warm = for_seconds(work, 1000, kWarmupSeconds, 0);
  if (!warm.ok) return false;
  const auto t0 = Clock::now();
  const Span timed = for_seconds(work, 1000, kTimedSeconds, warm.next);
  if (!timed.ok) return false;
  emit("tree.call", "round trips/s", static_cast<double>(timed.count) / seconds_since(t0), timed.count);
  return true;
}

bool run_cast(Client& c) {
  auto work = [&c](std::uint64_t i, std::uint64_t end) { return put_casts(c, i, end); };
  const Span warm = for_seconds(work, 10000, kWarmupSeconds, 0);
  if (!warm.ok || !barrier(c, warm.next - 1)) return false;
  const auto t0 = Clock::now();
  const Span timed = for_seconds(work, 10000, kTimedSeconds, warm.next);
  if (!timed.ok || !barrier(c, timed.next - 1)) return false;
  emit("tree.cast", "msg/s", static_cast<double>(timed.count) / seconds_since(t0), timed.count);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string figure = argc == 2 ? argv[1] : "";
  if (figure != "call" && figure != "cast") {
    std::fprintf(stderr, "usage: tree_unix_socket_bench call|cast\n");
    return 2;
  }
  // A dead server must show up as a write error, not kill the client.
  std::signal(SIGPIPE, SIG_IGN);
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return fail("create a socketpair", errno), 1;
  const pid_t server = ::fork();
  if (server < 0) return fail("fork the server", errno), 1;
  if (server == 0) {
    ::close(fds[0]);
    // The client's end closing (normal end, or its death) is the server's EOF.
    std::_Exit(serve(fds[1]));
  }
  ::close(fds[1]);
  Client client{fds[0], FrameReader(fds[0])};
  const bool ok = figure == "call" ? run_call(client) : run_cast(client);
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(server, &status, 0) < 0 && errno == EINTR) {
  }
  const bool server_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!server_ok) std::fprintf(stderr, "tree_unix_socket_bench: fatal: the server failed (status %d)\n", status);
  return ok && server_ok ? 0 : 1;
}
