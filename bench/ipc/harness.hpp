// harness.hpp — what every ipc bench runner shares: forked processes pinned
// to CPUs, a start line, a result slot in shared memory, and the JSON line.
//
//   Shared& s = shared_page();              // MAP_SHARED before fork
//   Children kids;
//   kids.spawn(cpu_of(Side::receiver, p), [&] { ...; s.result = secs; });
//   kids.spawn(cpu_of(Side::sender, p), [&] { s.wait_go(); ... });
//   kids.go_when_ready(2); kids.join();
//
// Placement: "same" pins every process on CPU 0; "split" puts the receiver
// (or server) on CPU 1 and the senders (or client) on CPU 0. Every system is
// pinned the same way, since placement changes wake-up costs 8x here.
#pragma once

#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace grove::bench {

using Clock = std::chrono::steady_clock;

enum class Placement { same, split };
enum class Side { sender, receiver };

inline const char* name_of(Placement p) { return p == Placement::same ? "same" : "split"; }
inline int cpu_of(Side side, Placement p) { return p == Placement::split && side == Side::receiver ? 1 : 0; }

struct Shared {
  std::atomic<int> ready{0};
  std::atomic<int> go{0};
  double result = 0;              // seconds measured by the timing side
  std::uint64_t errors = 0;       // messages lost, duplicated or out of order

  void announce() { ready.fetch_add(1); }
  void wait_go() const {
    while (go.load(std::memory_order_acquire) == 0) ::sched_yield();
  }
};

inline Shared& shared_page() {
  void* p = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  return *new (p) Shared{};
}

inline void pin(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  ::sched_setaffinity(0, sizeof set, &set);
}

class Children {
 public:
  explicit Children(Shared& s) : shared_(s) {}
  template <class F>
  void spawn(int cpu, F&& body) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      pin(cpu);
      body();
      ::_exit(0);
    }
    pids_.push_back(pid);
  }
  // Starts everyone once `count` children announced they are set up.
  void go_when_ready(int count) {
    while (shared_.ready.load() < count) ::usleep(1000);
    shared_.go.store(1, std::memory_order_release);
  }
  bool join() {
    bool ok = true;
    for (const pid_t p : pids_) {
      int st = 0;
      ::waitpid(p, &st, 0);
      ok = ok && WIFEXITED(st) && WEXITSTATUS(st) == 0;
    }
    pids_.clear();
    return ok;
  }

 private:
  Shared& shared_;
  std::vector<pid_t> pids_;
};

inline double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// CPU time that other processes (or the hypervisor: steal) took from this
// machine while a run lasted. The machine is shared: a compiler on the
// receiver's CPU halves its time and a time-sliced receiver is a different
// benchmark. Busy and steal time come from /proc/stat (all CPUs), ours from
// getrusage (this process and its reaped children, i.e. the run's processes).
class ForeignCpu {
 public:
  ForeignCpu() : machine_(machine_seconds()), ours_(our_seconds()), t0_(Clock::now()) {}
  double seconds() const { return (machine_seconds() - machine_) - (our_seconds() - ours_); }
  // More than 20 ms, plus 2% of the run's two CPUs: not a clean run.
  bool disturbed() const { return seconds() > 0.02 + 0.04 * seconds_since(t0_); }

 private:
  static double machine_seconds() {
    std::ifstream f("/proc/stat");
    std::string cpu;
    unsigned long long user = 0, nice = 0, sys = 0, idle = 0, iowait = 0, irq = 0, softirq = 0,
                       steal = 0;
    f >> cpu >> user >> nice >> sys >> idle >> iowait >> irq >> softirq >> steal;
    return static_cast<double>(user + nice + sys + irq + softirq + steal) /
           static_cast<double>(::sysconf(_SC_CLK_TCK));
  }
  static double our_seconds() {
    double total = 0;
    for (const int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
      rusage ru{};
      ::getrusage(who, &ru);
      total += static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
               1e-6 * static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
    }
    return total;
  }
  double machine_;
  double ours_;
  Clock::time_point t0_;
};

struct Figure {
  std::string bench;   // ipc.oneway.64, ipc.pingpong.sleep, ...
  std::string system;  // grove, boost_mq, pipe, socketpair, futex, spin, bare_ring
  std::string unit;    // msg/s | s
  double value;       // median of `runs`
  Placement placement;
  int senders;
  double min = 0, max = 0;  // spread of the runs
  int runs = 1;
  int disturbed = 0;        // runs thrown away: other processes took CPU time
};

inline void print_json(const Figure& f) {
  std::printf("{\"bench\":\"%s\",\"system\":\"%s\",\"unit\":\"%s\",\"value\":%.9g,\"cpus\":\"%s\","
              "\"senders\":%d,\"min\":%.9g,\"max\":%.9g,\"runs\":%d,\"disturbed\":%d}\n",
              f.bench.c_str(), f.system.c_str(), f.unit.c_str(), f.value, name_of(f.placement),
              f.senders, f.min, f.max, f.runs, f.disturbed);
  std::fflush(stdout);
}

}  // namespace grove::bench
