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
    for (int i = 0; i < kWarmup; ++i) errors += !exchange(static_cast<std::uint64_t>(i));
    const auto t0 = Clock::now();
    for (int i = kWarmup; i < kWarmup + c.rounds; ++i) errors += !exchange(static_cast<std::uint64_t>(i));
    s.result = seconds_since(t0) / c.rounds;
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
  // Sleeping: receivers go to the futex at once (spin_for 0). Spinning:
  // they poll (split CPUs: with a pause) and never sleep within a round trip.
  const std::chrono::nanoseconds spin = c.spin ? std::chrono::hours(1) : std::chrono::hours(0);
  std::optional<InboxWriter> out;
  std::optional<InboxReader> in;
  auto attach = [&](const Inbox& mine, const Inbox& theirs) {
    if (!out) out.emplace(std::move(*theirs.writer()));
    if (!in) in.emplace(std::move(*mine.reader({.spin_for = spin})));
  };
  return run(
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
}

namespace {
struct alignas(64) Words {
  std::atomic<std::uint32_t> ping{0};
  char pad[60];
  std::atomic<std::uint32_t> pong{0};
};

// Waits until `word` holds `want`: spins, or sleeps on the futex.
void await(std::atomic<std::uint32_t>& word, std::uint32_t want, bool spin) {
  for (std::uint32_t seen; (seen = word.load(std::memory_order_acquire)) != want;) {
    if (spin) {
      __builtin_ia32_pause();
    } else {
      ipc::futex_wait(word, seen, std::nullopt);
    }
  }
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
        await(w->pong, v, spin);
        return true;
      },
      [&](int rounds) {
        for (int i = 0; i < rounds; ++i) {
          const auto v = static_cast<std::uint32_t>(i + 1);
          await(w->ping, v, spin);
          w->pong.store(v, std::memory_order_release);
          if (!spin) ipc::futex_wake(w->pong, 1);
        }
      });
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
