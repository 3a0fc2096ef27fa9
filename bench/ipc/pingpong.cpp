// Ping-pong round trips of 64-byte messages: the client (senders' CPU) sends,
// the server (receiver's CPU) answers; the client times `rounds` round trips
// after a warm-up and checks each answer.
#include <sys/socket.h>

#include <array>
#include <boost/interprocess/ipc/message_queue.hpp>
#include <cstring>
#include <new>
#include <string>

#include "grove/ipc/futex.hpp"
#include "grove/ipc/inbox.hpp"
#include "runners.hpp"

namespace grove::bench {

namespace {

namespace bip = boost::interprocess;
constexpr std::size_t kSize = 64;
constexpr int kWarmup = 1000;

// The client's work between sleeping round trips: a busy loop, so that only
// the server's CPU goes idle (as for a service called now and then).
void work_for(std::chrono::microseconds d) {
  const auto end = Clock::now() + d;
  while (Clock::now() < end) __builtin_ia32_pause();
}

// Seconds per round trip of rounds [first, last). Back to back, one clock
// reading around them all (two per round would weigh on a 0.2 us spinning
// round trip); sleeping, each round trip is timed alone, the gap is not.
template <class Exchange>
double timed_rounds(const PingpongCase& c, Exchange& exchange, int first, int last,
                    std::uint64_t& errors) {
  if (c.mode != PingpongMode::sleep) {
    const auto t0 = Clock::now();
    for (int i = first; i < last; ++i) errors += !exchange(static_cast<std::uint64_t>(i));
    return seconds_since(t0) / (last - first);
  }
  Clock::duration total{};
  for (int i = first; i < last; ++i) {
    work_for(kSleepGap);
    const auto t0 = Clock::now();
    errors += !exchange(static_cast<std::uint64_t>(i));
    total += Clock::now() - t0;
  }
  return std::chrono::duration<double>(total).count() / (last - first);
}

// Client: exchange(i) for each round; server: serve(rounds). Returns s/round trip.
template <class Client, class Server>
double run(const PingpongCase& c, Client&& exchange, Server&& serve) {
  Shared& s = shared_page();
  Children kids(s);
  kids.spawn(cpu_of(Side::receiver, c.placement), [&] {
    s.announce();
    s.wait_go();
    serve(kWarmup + c.rounds);
  });
  kids.spawn(cpu_of(Side::sender, c.placement), [&] {
    s.announce();
    s.wait_go();
    std::uint64_t errors = 0;
    timed_rounds(c, exchange, 0, kWarmup, errors);
    s.result = timed_rounds(c, exchange, kWarmup, kWarmup + c.rounds, errors);
    s.errors = errors;
  });
  kids.go_when_ready(2);
  const bool ok = kids.join();
  const double result = ok && s.errors == 0 ? s.result : -1;
  ::munmap(&s, 4096);
  return result;
}

std::array<std::byte, kSize> message_of(std::uint64_t i) {
  std::array<std::byte, kSize> m{};
  std::memcpy(m.data(), &i, sizeof i);
  return m;
}
std::uint64_t number_of(const std::byte* p) {
  std::uint64_t i;
  std::memcpy(&i, p, sizeof i);
  return i;
}

}  // namespace

double pingpong_grove(const PingpongCase& c) {
  using namespace grove::ipc;
  auto to_server = Inbox::create_anonymous({.lanes = 1, .lane_bytes = 16384});
  auto to_client = Inbox::create_anonymous({.lanes = 1, .lane_bytes = 16384});
  if (!to_server || !to_client) return -1;
  // Sleeping: receivers go to the futex at once (spin_for 0). Back to back:
  // the reader's default spin. Spinning: they poll and never sleep.
  const std::chrono::nanoseconds spin = c.mode == PingpongMode::sleep  ? std::chrono::hours(0)
                                        : c.mode == PingpongMode::spin ? std::chrono::hours(1)
                                                                       : ReaderOptions{}.spin_for;
  std::optional<InboxWriter> out;
  std::optional<InboxReader> in;
  auto attach = [&](const Inbox& mine, const Inbox& theirs) {
    if (!out) out.emplace(std::move(*theirs.writer()));
    if (!in) in.emplace(std::move(*mine.reader({.spin_for = spin})));
  };
  const double seconds = run(
      c,
      [&](std::uint64_t i) {
        attach(*to_client, *to_server);
        const auto m = message_of(i);
        if (!out->try_send({.kind = 1}, m)) return false;
        std::array<Message, 1> got;
        auto n = in->receive(got, kNoDeadline);  // untimed, like every peer's wait
        const bool ok = n && number_of(got[0].payload.data()) == i;
        in->release_all();
        return ok;
      },
      [&](int rounds) {
        attach(*to_server, *to_client);
        std::array<Message, 1> got;
        for (int i = 0; i < rounds; ++i) {
          auto n = in->receive(got, kNoDeadline);  // untimed, like every peer's wait
          if (!n) ::_exit(3);
          auto room = out->try_reserve(kSize);  // zero-copy echo
          if (!room) ::_exit(3);
          std::memcpy(room->data(), got[0].payload.data(), kSize);
          in->release_all();
          out->commit({.kind = 2}, kSize);
        }
      });
  last_sleeps = {to_server->stats().receiver_sleeps, to_client->stats().receiver_sleeps};
  return seconds;
}

namespace {
struct alignas(64) Words {
  std::atomic<std::uint32_t> ping{0};
  char pad[60];
  std::atomic<std::uint32_t> pong{0};
  char pad2[60];
  std::uint64_t server_sleeps = 0;  // futex waits that slept until woken
  std::uint64_t client_sleeps = 0;
};

// Waits until `word` holds `want`: spins, or sleeps on the futex. Returns
// how many times it slept until woken (a wait that found the word changed
// did not sleep).
std::uint64_t await(std::atomic<std::uint32_t>& word, std::uint32_t want, bool spin) {
  std::uint64_t slept = 0;
  for (std::uint32_t seen; (seen = word.load(std::memory_order_acquire)) != want;) {
    if (spin) {
      __builtin_ia32_pause();
    } else {
      slept += ipc::futex_wait(word, seen, std::nullopt) == ipc::FutexWait::woken;
    }
  }
  return slept;
}

double words_pingpong(const PingpongCase& c, bool spin) {
  void* mem = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  auto* w = new (mem) Words{};
  const double r = run(
      c,
      [&](std::uint64_t i) {
        const auto v = static_cast<std::uint32_t>(i + 1);
        w->ping.store(v, std::memory_order_release);
        if (!spin) ipc::futex_wake(w->ping, 1);
        w->client_sleeps += await(w->pong, v, spin);
        return true;
      },
      [&](int rounds) {
        for (int i = 0; i < rounds; ++i) {
          const auto v = static_cast<std::uint32_t>(i + 1);
          w->server_sleeps += await(w->ping, v, spin);
          w->pong.store(v, std::memory_order_release);
          if (!spin) ipc::futex_wake(w->pong, 1);
        }
      });
  last_sleeps = {w->server_sleeps, w->client_sleeps};
  ::munmap(mem, 4096);
  return r;
}
}  // namespace

double pingpong_futex(const PingpongCase& c) { return words_pingpong(c, false); }
double pingpong_spin(const PingpongCase& c) { return words_pingpong(c, true); }

double pingpong_boost_mq(const PingpongCase& c) {
  const std::string a = "grove-bench-ping-" + std::to_string(::getpid());
  const std::string b = "grove-bench-pong-" + std::to_string(::getpid());
  bip::message_queue::remove(a.c_str());
  bip::message_queue::remove(b.c_str());
  try {
    bip::message_queue qa(bip::create_only, a.c_str(), 16, kSize);
    bip::message_queue qb(bip::create_only, b.c_str(), 16, kSize);
  } catch (...) {
    return -1;
  }
  std::optional<bip::message_queue> out, in;
  auto open = [&](const std::string& mine, const std::string& theirs) {
    if (!out) out.emplace(bip::open_only, theirs.c_str());
    if (!in) in.emplace(bip::open_only, mine.c_str());
  };
  const double r = run(
      c,
      [&](std::uint64_t i) {
        open(b, a);
        auto m = message_of(i);
        out->send(m.data(), kSize, 0);
        std::size_t got = 0;
        unsigned prio = 0;
        in->receive(m.data(), kSize, got, prio);
        return number_of(m.data()) == i;
      },
      [&](int rounds) {
        open(a, b);
        std::array<std::byte, kSize> m{};
        for (int i = 0; i < rounds; ++i) {
          std::size_t got = 0;
          unsigned prio = 0;
          in->receive(m.data(), kSize, got, prio);
          out->send(m.data(), kSize, 0);
        }
      });
  bip::message_queue::remove(a.c_str());
  bip::message_queue::remove(b.c_str());
  return r;
}

namespace {
// Both fd-based peers: client writes on out_c/reads in_c, server the reverse.
double fd_pingpong(const PingpongCase& c, int out_c, int in_c, int out_s, int in_s) {
  return run(
      c,
      [&](std::uint64_t i) {
        auto m = message_of(i);
        if (::write(out_c, m.data(), kSize) != static_cast<ssize_t>(kSize)) return false;
        if (::read(in_c, m.data(), kSize) != static_cast<ssize_t>(kSize)) return false;
        return number_of(m.data()) == i;
      },
      [&](int rounds) {
        std::array<std::byte, kSize> m{};
        for (int i = 0; i < rounds; ++i) {
          if (::read(in_s, m.data(), kSize) != static_cast<ssize_t>(kSize)) ::_exit(3);
          if (::write(out_s, m.data(), kSize) != static_cast<ssize_t>(kSize)) ::_exit(3);
        }
      });
}
}  // namespace

double pingpong_pipe(const PingpongCase& c) {
  int ping[2], pong[2];
  if (::pipe(ping) != 0 || ::pipe(pong) != 0) return -1;
  const double r = fd_pingpong(c, ping[1], pong[0], pong[1], ping[0]);
  for (int fd : {ping[0], ping[1], pong[0], pong[1]}) ::close(fd);
  return r;
}

double pingpong_socketpair(const PingpongCase& c) {
  int s[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET, 0, s) != 0) return -1;
  const double r = fd_pingpong(c, s[0], s[0], s[1], s[1]);
  ::close(s[0]);
  ::close(s[1]);
  return r;
}

}  // namespace grove::bench
