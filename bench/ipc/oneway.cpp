// One-way throughput: N sender processes stream M messages each to one
// receiver, which times first-go to last message and checks order.
#include <sys/socket.h>

#include <array>
#include <boost/interprocess/ipc/message_queue.hpp>
#include <cstring>
#include <new>
#include <string>

#include "grove/ipc/inbox.hpp"
#include "runners.hpp"

namespace grove::bench {

namespace {

namespace bip = boost::interprocess;
using ipc::Inbox;

constexpr std::size_t kRingBytes = 256 * 1024;  // per sender, for grove and the bare ring
constexpr auto kFar = std::chrono::seconds(120);

void spin_or_yield(unsigned& idle) {
  if (++idle < 64) {
    __builtin_ia32_pause();
  } else {
    ::sched_yield();  // same-CPU placement: let the other side run
  }
}

// Runs `senders` copies of send(k) and one receive(), timed by the receiver.
template <class Send, class Receive>
double run(const OnewayCase& c, Send&& send, Receive&& receive) {
  Shared& s = shared_page();
  Children kids(s);
  kids.spawn(cpu_of(Side::receiver, c.placement), [&] {
    OrderCheck check;
    s.announce();
    s.wait_go();
    const auto t0 = Clock::now();
    receive(check);
    s.result = seconds_since(t0);
    s.errors = check.errors();
  });
  for (int k = 0; k < c.senders; ++k)
    kids.spawn(cpu_of(Side::sender, c.placement), [&, k] {
      s.announce();
      s.wait_go();
      send(k);
    });
  kids.go_when_ready(c.senders + 1);
  const bool ok = kids.join();
  const double result = ok && s.errors == 0 ? s.result : -1;
  ::munmap(&s, 4096);
  return result;
}

std::uint64_t total(const OnewayCase& c) { return c.per_sender * static_cast<std::uint64_t>(c.senders); }

}  // namespace

SleepCounts last_sleeps;

double oneway_grove(const OnewayCase& c) {
  auto inbox = Inbox::create_anonymous({.lanes = 4, .lane_bytes = kRingBytes});
  if (!inbox) return -1;
  const double seconds = run(
      c,
      [&](int k) {
        auto w = inbox->writer({.sender = static_cast<std::uint32_t>(k)});
        if (!w) ::_exit(2);
        std::array<std::byte, 4096> local{};
        for (std::uint64_t i = 0; i < c.per_sender; ++i) {
          auto room = w->try_reserve(c.size);
          if (!room) room = w->reserve(c.size, Clock::now() + kFar);
          if (!room) ::_exit(3);
          const std::uint64_t tag = tag_of(k, i);
          std::memcpy(local.data(), &tag, sizeof tag);
          std::memcpy(room->data(), local.data(), c.size);
          w->stage({.kind = 1}, c.size);
          if ((i & 31) == 31) w->flush();  // batching: one publish per 32
        }
        w->flush();
      },
      [&](OrderCheck& check) {
        auto r = inbox->reader();
        if (!r) ::_exit(2);
        std::array<ipc::Message, 256> batch;
        for (std::uint64_t got = 0; got < total(c);) {
          auto n = r->receive(batch, Clock::now() + kFar);
          if (!n) ::_exit(3);
          for (std::size_t i = 0; i < *n; ++i) {
            std::uint64_t tag;
            std::memcpy(&tag, batch[i].payload.data(), sizeof tag);
            check.see(tag);
          }
          got += *n;
          r->release_all();
        }
      });
  const ipc::InboxStats stats = inbox->stats();
  last_sleeps = {stats.receiver_sleeps, stats.sender_sleeps};
  return seconds;
}

namespace {
// The physical limit: fixed-size slots, one SPSC ring per sender, indices
// published once per 32 messages (producer) and once per batch (consumer).
struct alignas(64) BareRing {
  std::atomic<std::uint64_t> head{0};
  char pad0[56];
  std::atomic<std::uint64_t> tail{0};
  char pad1[56];
  std::byte* slots() { return reinterpret_cast<std::byte*>(this + 1); }
};
}  // namespace

double oneway_bare_ring(const OnewayCase& c) {
  const std::uint64_t cap = kRingBytes / c.size;
  const std::size_t stride = sizeof(BareRing) + kRingBytes;
  void* mem = ::mmap(nullptr, stride * 4, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  auto ring = [&](int k) { return reinterpret_cast<BareRing*>(static_cast<char*>(mem) + stride * k); };
  for (int k = 0; k < 4; ++k) new (ring(k)) BareRing{};
  const double r = run(
      c,
      [&](int k) {
        BareRing* q = ring(k);
        std::array<std::byte, 4096> local{};
        std::uint64_t t = 0, head_seen = 0;
        for (std::uint64_t i = 0; i < c.per_sender; ++i) {
          for (unsigned idle = 0; t - head_seen == cap;) {
            q->tail.store(t, std::memory_order_release);
            head_seen = q->head.load(std::memory_order_acquire);
            if (t - head_seen == cap) spin_or_yield(idle);
          }
          const std::uint64_t tag = tag_of(k, i);
          std::memcpy(local.data(), &tag, sizeof tag);
          std::memcpy(q->slots() + (t % cap) * c.size, local.data(), c.size);
          if ((++t & 31) == 0) q->tail.store(t, std::memory_order_release);
        }
        q->tail.store(t, std::memory_order_release);
      },
      [&](OrderCheck& check) {
        std::uint64_t head[4] = {}, tail_seen[4] = {};
        unsigned idle = 0;
        for (std::uint64_t got = 0; got < total(c);) {
          bool any = false;
          for (int k = 0; k < c.senders; ++k) {
            BareRing* q = ring(k);
            if (head[k] == tail_seen[k]) tail_seen[k] = q->tail.load(std::memory_order_acquire);
            std::uint64_t n = 0;
            for (; head[k] != tail_seen[k] && n < 256; ++head[k], ++n) {
              std::uint64_t tag;
              std::memcpy(&tag, q->slots() + (head[k] % cap) * c.size, sizeof tag);
              check.see(tag);
            }
            if (n != 0) {
              q->head.store(head[k], std::memory_order_release);
              got += n;
              any = true;
            }
          }
          if (any) {
            idle = 0;
          } else {
            spin_or_yield(idle);
          }
        }
      });
  ::munmap(mem, stride * 4);
  return r;
}

double oneway_boost_mq(const OnewayCase& c) {
  const std::string name = "grove-bench-mq-" + std::to_string(::getpid());
  bip::message_queue::remove(name.c_str());
  const std::size_t depth = kRingBytes / c.size;
  try {
    bip::message_queue create(bip::create_only, name.c_str(), depth, c.size);
  } catch (...) {
    return -1;
  }
  const double r = run(
      c,
      [&](int k) {
        bip::message_queue mq(bip::open_only, name.c_str());
        std::array<std::byte, 4096> local{};
        for (std::uint64_t i = 0; i < c.per_sender; ++i) {
          const std::uint64_t tag = tag_of(k, i);
          std::memcpy(local.data(), &tag, sizeof tag);
          mq.send(local.data(), c.size, 0);
        }
      },
      [&](OrderCheck& check) {
        bip::message_queue mq(bip::open_only, name.c_str());
        std::array<std::byte, 4096> local{};
        for (std::uint64_t got = 0; got < total(c); ++got) {
          std::size_t received = 0;
          unsigned priority = 0;
          mq.receive(local.data(), c.size, received, priority);
          std::uint64_t tag;
          std::memcpy(&tag, local.data(), sizeof tag);
          check.see(tag);
        }
      });
  bip::message_queue::remove(name.c_str());
  return r;
}

namespace {
bool write_all(int fd, const std::byte* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}
}  // namespace

double oneway_pipe(const OnewayCase& c) {
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  const double r = run(
      c,
      [&](int k) {
        std::array<std::byte, 4096> local{};
        for (std::uint64_t i = 0; i < c.per_sender; ++i) {
          const std::uint64_t tag = tag_of(k, i);
          std::memcpy(local.data(), &tag, sizeof tag);
          // One write per message: atomic up to PIPE_BUF (4096), so the
          // messages of several writers never interleave.
          if (!write_all(fds[1], local.data(), c.size)) ::_exit(3);
        }
      },
      [&](OrderCheck& check) {
        // Batched reads: as many whole messages as the pipe holds.
        std::vector<std::byte> buf(64 * 1024 + c.size);
        std::size_t have = 0;
        for (std::uint64_t got = 0; got < total(c);) {
          const ssize_t n = ::read(fds[0], buf.data() + have, 64 * 1024);
          if (n <= 0) ::_exit(3);
          have += static_cast<std::size_t>(n);
          std::size_t at = 0;
          for (; have - at >= c.size; at += c.size, ++got) {
            std::uint64_t tag;
            std::memcpy(&tag, buf.data() + at, sizeof tag);
            check.see(tag);
          }
          std::memmove(buf.data(), buf.data() + at, have - at);
          have -= at;
        }
      });
  ::close(fds[0]);
  ::close(fds[1]);
  return r;
}

double oneway_socketpair(const OnewayCase& c) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds) != 0) return -1;
  const double r = run(
      c,
      [&](int k) {
        std::array<std::byte, 4096> local{};
        for (std::uint64_t i = 0; i < c.per_sender; ++i) {
          const std::uint64_t tag = tag_of(k, i);
          std::memcpy(local.data(), &tag, sizeof tag);
          while (::send(fds[0], local.data(), c.size, 0) < 0)
            if (errno != EINTR && errno != ENOBUFS) ::_exit(3);
        }
      },
      [&](OrderCheck& check) {
        // Batched receive: up to 64 datagrams per recvmmsg.
        constexpr unsigned kBatch = 64;
        std::vector<std::byte> buf(kBatch * c.size);
        std::array<iovec, kBatch> iov{};
        std::array<mmsghdr, kBatch> msgs{};
        for (unsigned i = 0; i < kBatch; ++i) {
          iov[i] = {buf.data() + i * c.size, c.size};
          msgs[i].msg_hdr.msg_iov = &iov[i];
          msgs[i].msg_hdr.msg_iovlen = 1;
        }
        for (std::uint64_t got = 0; got < total(c);) {
          const int n = ::recvmmsg(fds[1], msgs.data(), kBatch, MSG_WAITFORONE, nullptr);
          if (n <= 0) ::_exit(3);
          for (int i = 0; i < n; ++i, ++got) {
            std::uint64_t tag;
            std::memcpy(&tag, buf.data() + static_cast<std::size_t>(i) * c.size, sizeof tag);
            check.see(tag);
          }
        }
      });
  ::close(fds[0]);
  ::close(fds[1]);
  return r;
}

}  // namespace grove::bench
