// worker_bench — grove's figures for the in-worker benchmarks, one per run
// (a fresh process each, so RSS deltas are this figure's alone):
//
//   grove_worker_bench ring|pingpong|spawn|call|cast
//
// Prints JSON lines: ring.1000 (msg/s), pingpong.local (round trips/s),
// spawn.1m (s per process) and proc.bytes (RSS per idle process, counting
// control block, frame, mailbox and run-queue space), genserver.call (round
// trips/s), genserver.cast (msg/s). One scheduler thread, like `erl +S 1`.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "grove/grove.hpp"

namespace {

using Clock = std::chrono::steady_clock;

void emit(const char* bench, const char* unit, double value, const char* extra = "") {
  std::printf("{\"bench\":\"%s\",\"system\":\"grove\",\"unit\":\"%s\",\"value\":%.6g%s}\n", bench, unit, value,
              extra);
  std::fflush(stdout);
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

long rss_bytes() {
  std::ifstream f("/proc/self/statm");
  long pages = 0, resident = 0;
  f >> pages >> resident;
  return resident * 4096;
}

// ---- ring: 1000 processes, one token, 10M hops
grove::Process hop(grove::Pid next) {
  for (;;) {
    grove::Message m = co_await grove::receive();
    grove::send(next, std::move(m));
  }
}

grove::Process ring(int n, long hops) {
  grove::Pid next = grove::self();
  for (int i = 1; i < n; ++i) next = grove::spawn(hop, next);
  const auto t0 = Clock::now();
  grove::send(next, 0);
  for (long done = n; done < hops; done += n) grove::send(next, co_await grove::receive());
  co_await grove::receive();
  emit("ring.1000", "msg/s", static_cast<double>(hops) / seconds_since(t0), ",\"processes\":1000");
}

// ---- ping-pong between two processes
struct Ball {
  grove::Pid from;
};
grove::Process ponger() {
  for (;;) {
    grove::Message m = co_await grove::receive();
    grove::send(m.get<Ball>()->from, std::move(m));
  }
}
grove::Process pinger(long rounds) {
  grove::Pid other = grove::spawn(ponger);
  const grove::Pid me = grove::self();
  const auto t0 = Clock::now();
  grove::send(other, Ball{me});
  for (long i = 1; i < rounds; ++i) {
    grove::Message m = co_await grove::receive();
    m.get<Ball>()->from = me;
    grove::send(other, std::move(m));
  }
  co_await grove::receive();
  emit("pingpong.local", "round trips/s", static_cast<double>(rounds) / seconds_since(t0));
}

// ---- spawn: a million processes that wait in receive
grove::Process idle() { co_await grove::receive(); }
grove::Process spawner(long n) {
  const long rss0 = rss_bytes();
  const auto t0 = Clock::now();
  for (long i = 0; i < n; ++i) grove::spawn(idle);
  const double dt = seconds_since(t0);
  co_await grove::yield();  // every process has run up to its receive: idle
  co_await grove::yield();
  const long rss1 = rss_bytes();
  emit("spawn.1m", "s", dt / static_cast<double>(n), ",\"per\":\"process\"");
  emit("proc.bytes", "bytes", static_cast<double>(rss1 - rss0) / static_cast<double>(n), ",\"per\":\"process\"");
}

// ---- GenServer call round trip and cast throughput
struct Incr {};
struct Get {};
struct CounterServer {
  long n = 0;
  void handle_cast(const Incr&) { ++n; }
  long handle_call(const Get&) { return n; }
};
grove::Process caller(long calls, bool cast) {
  auto server = co_await grove::start_link<CounterServer>();
  const auto t0 = Clock::now();
  if (cast) {
    for (long i = 0; i < calls; ++i) grove::cast(*server, Incr{});
    auto r = co_await grove::call(*server, Get{}, grove::infinity);  // all casts handled
    emit("genserver.cast", "msg/s", static_cast<double>(*r) / seconds_since(t0));
  } else {
    for (long i = 0; i < calls; ++i) (void)co_await grove::call(*server, Get{});
    emit("genserver.call", "round trips/s", static_cast<double>(calls) / seconds_since(t0));
  }
  grove::exit(grove::ExitReason::shutdown());
}

}  // namespace

int main(int argc, char** argv) {
  const std::string what = argc > 1 ? argv[1] : "";
  grove::Scheduler sched;
  grove::Pid root;
  if (what == "ring") root = sched.spawn(ring, 1000, 10'000'000L);
  else if (what == "pingpong") root = sched.spawn(pinger, 5'000'000L);
  else if (what == "spawn") root = sched.spawn(spawner, 1'000'000L);
  else if (what == "call") root = sched.spawn(caller, 3'000'000L, false);
  else if (what == "cast") root = sched.spawn(caller, 10'000'000L, true);
  else {
    std::fprintf(stderr, "usage: grove_worker_bench ring|pingpong|spawn|call|cast\n");
    return 2;
  }
  sched.run_until_exit(root);
  return 0;
}
