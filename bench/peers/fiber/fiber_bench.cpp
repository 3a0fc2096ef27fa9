// fiber_bench — the Boost.Fiber peer of the in-worker benchmarks: the same
// ring, ping-pong and spawn, with fibers and buffered channels on one
// thread (Boost.Fiber's default round-robin scheduler). spawn takes a
// count: each fiber's stack is its own mapping, and the kernel's
// vm.max_map_count (65530 here) caps how many can exist at once, so the
// runner measures 50,000 and reports per-fiber figures.
//
//   fiber_bench ring|pingpong|spawn
#include <boost/fiber/all.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using Channel = boost::fibers::buffered_channel<long>;

void emit(const char* bench, const char* unit, double value, const char* extra = "") {
  std::printf("{\"bench\":\"%s\",\"system\":\"boost_fiber\",\"unit\":\"%s\",\"value\":%.6g%s}\n", bench, unit,
              value, extra);
  std::fflush(stdout);
}
double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }
long rss_bytes() {
  std::ifstream f("/proc/self/statm");
  long pages = 0, resident = 0;
  f >> pages >> resident;
  return resident * 4096;
}

void ring(int n, long hops) {
  std::vector<std::unique_ptr<Channel>> ch;
  for (int i = 0; i < n; ++i) ch.push_back(std::make_unique<Channel>(2));
  std::vector<boost::fibers::fiber> fibers;
  for (int i = 1; i < n; ++i)
    fibers.emplace_back([&, i] {
      long v;
      while (ch[static_cast<std::size_t>(i)]->pop(v) == boost::fibers::channel_op_status::success)
        ch[static_cast<std::size_t>((i + 1) % n)]->push(v);
    });
  const auto t0 = Clock::now();
  ch[1]->push(0);
  long v;
  for (long done = n; done < hops; done += n) {
    ch[0]->pop(v);
    ch[1]->push(v);
  }
  ch[0]->pop(v);
  emit("ring.1000", "msg/s", static_cast<double>(hops) / seconds_since(t0), ",\"processes\":1000");
  for (auto& c : ch) c->close();
  for (auto& f : fibers) f.join();
}

void pingpong(long rounds) {
  Channel ping(2), pong(2);
  boost::fibers::fiber other([&] {
    long v;
    while (ping.pop(v) == boost::fibers::channel_op_status::success) pong.push(v);
  });
  const auto t0 = Clock::now();
  long v = 0;
  for (long i = 0; i < rounds; ++i) {
    ping.push(i);
    pong.pop(v);
  }
  emit("pingpong.local", "round trips/s", static_cast<double>(rounds) / seconds_since(t0));
  ping.close();
  other.join();
}

void spawn(long n) {
  // Each fiber waits on its own channel, like a process in receive.
  std::vector<std::unique_ptr<Channel>> ch;
  ch.reserve(static_cast<std::size_t>(n));
  std::vector<boost::fibers::fiber> fibers;
  fibers.reserve(static_cast<std::size_t>(n));
  const long rss0 = rss_bytes();
  const auto t0 = Clock::now();
  for (long i = 0; i < n; ++i) {
    ch.push_back(std::make_unique<Channel>(2));
    Channel* c = ch.back().get();
    fibers.emplace_back([c] {
      long v;
      c->pop(v);
    });
  }
  const double dt = seconds_since(t0);
  boost::this_fiber::yield();
  const long rss1 = rss_bytes();
  const std::string extra = ",\"per\":\"process\",\"count\":" + std::to_string(n);
  emit("spawn.1m", "s", dt / static_cast<double>(n), extra.c_str());
  emit("proc.bytes", "bytes", static_cast<double>(rss1 - rss0) / static_cast<double>(n), extra.c_str());
  for (auto& c : ch) c->push(0);
  for (auto& f : fibers) f.join();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string what = argc > 1 ? argv[1] : "";
  if (what == "ring") ring(1000, 10'000'000L);
  else if (what == "pingpong") pingpong(5'000'000L);
  else if (what == "spawn") spawn(argc > 2 ? std::stol(argv[2]) : 1'000'000L);
  else {
    std::fprintf(stderr, "usage: fiber_bench ring|pingpong|spawn [count]\n");
    return 2;
  }
  return 0;
}
