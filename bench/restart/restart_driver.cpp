// restart_driver: runs one supervisor over N probes and measures one
// scenario, printing JSON lines on stdout (logs go to stderr).
//
//   restart_driver --system runit --scenario one --socket DIR/probe.sock
//       --probe BUILD/bench/probe --probes 8 -- runsvdir DIR/service
//
// Scenarios:
//   one    kill one probe at a time with SIGKILL; the restart time is from
//          just before kill() to the new incarnation's own CLOCK_MONOTONIC
//          at the top of its main(). Prints restart.one (median) and
//          restart.one.p99. Probes are killed round-robin, each only after
//          it has been up for --uptime-ms (runsv, s6-supervise and supervise
//          all hold back a service that dies within 1 s of its start, so
//          every system gets the same long-lived victims), and --gap-ms
//          after the previous restart so the supervisor is quiet again.
//   storm  kill all N probes at once; the time until the last of the N new
//          incarnations started. Prints restart.storm<N> (median of --runs).
//   idle   N idle probes; CPU of the supervisor processes over --idle-s
//          seconds scaled to a minute, and their memory. Prints
//          idle_cpu.<N> and rss.<N>.
// Exit status: 0 measured, 1 a measurement failed (no JSON printed for
// it), 2 usage. The supervisor and everything under it is gone on return.
#include "announcement_socket.hpp"
#include "process_accounting.hpp"
#include "supervisor_under_test.hpp"

#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace grove::bench {
namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kSec = 1'000'000'000;

struct Options {
  std::string system, scenario, socket, probe;
  int probes = 1, iterations = 300, runs = 10;
  std::int64_t uptime_ms = 1200, gap_ms = 100, idle_s = 30, settle_s = 5;
  std::int64_t start_timeout_s = 120, restart_timeout_s = 10;
  std::vector<std::pair<std::string, std::string>> extras;
  std::vector<std::string> command;
};

struct Incarnation {
  pid_t pid = -1;
  std::int64_t started_ns = 0;
};
using Live = std::map<std::string, Incarnation>;

// One JSON line: {"bench":..,"system":..,"unit":..,"value":.., extras...}.
class JsonLine {
 public:
  JsonLine(const Options& o, const std::string& bench, const std::string& unit, double value) {
    text_ = "{\"bench\":\"" + bench + "\",\"system\":\"" + o.system + "\",\"unit\":\"" + unit +
            "\",\"value\":" + number(value);
    for (const auto& [k, v] : o.extras) add(k, v);
  }
  JsonLine& add(const std::string& key, double v) {
    text_ += ",\"" + key + "\":" + number(v);
    return *this;
  }
  JsonLine& add(const std::string& key, const std::string& v) {
    text_ += ",\"" + key + "\":\"" + v + "\"";
    return *this;
  }
  void print() const {
    std::printf("%s}\n", text_.c_str());
    std::fflush(stdout);
  }

 private:
  static std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
  }
  std::string text_;
};

std::string affinity() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return "?";
  std::string out;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) {
      if (!out.empty()) out += ',';
      out += std::to_string(cpu);
    }
  return out;
}

double seconds(std::int64_t ns) { return static_cast<double>(ns) / kSec; }

// Nearest-rank percentile of an ascending sample.
std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p) {
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

std::int64_t median(std::vector<std::int64_t> v) {
  std::sort(v.begin(), v.end());
  return percentile(v, 0.5);
}

// The announcements, received only while the supervisor is alive: when it
// exits (a bad config, a crash) every wait ends at once instead of at its
// deadline.
class Session {
 public:
  Session(AnnouncementSocket& socket, SupervisorUnderTest& sut) : socket_(socket), sut_(sut) {}
  std::optional<Received> receive(std::int64_t deadline_ns) {
    for (;;) {
      auto slice = std::min(deadline_ns, monotonic_ns() + 100 * kMs);
      if (auto got = socket_.receive(slice)) return got;
      if (interrupted() || monotonic_ns() >= deadline_ns) return std::nullopt;
      if (!sut_.running()) {
        std::fprintf(stderr, "restart_driver: the supervisor is gone\n");
        return std::nullopt;
      }
    }
  }

 private:
  AnnouncementSocket& socket_;
  SupervisorUnderTest& sut_;
};

void note(Live& live, const Received& got) {
  live[got.sent.name] = {got.sent.pid, got.sent.started_ns};
}

bool fail(const Options& o, const std::string& why) {
  std::fprintf(stderr, "restart_driver: %s: %s: %s\n", o.system.c_str(), o.scenario.c_str(),
               why.c_str());
  return false;
}

bool wait_all_up(const Options& o, Session& session, Live& live) {
  auto deadline = monotonic_ns() + o.start_timeout_s * kSec;
  while (live.size() < static_cast<std::size_t>(o.probes)) {
    auto got = session.receive(deadline);
    if (!got)
      return fail(o, "only " + std::to_string(live.size()) + " of " + std::to_string(o.probes) +
                         " probes announced themselves");
    note(live, *got);
  }
  return true;
}

// Receives until `name` announces a pid other than old_pid.
std::optional<Received> wait_new(const Options& o, Session& session, Live& live,
                                 const std::string& name, pid_t old_pid, std::int64_t since) {
  for (;;) {
    auto got = session.receive(since + o.restart_timeout_s * kSec);
    if (!got) return std::nullopt;
    note(live, *got);
    if (name == got->sent.name && got->sent.pid != old_pid) return got;
  }
}

bool restart_one(const Options& o, Session& session, Live& live) {
  std::vector<std::int64_t> started, received;
  std::vector<std::string> names;
  for (const auto& [name, inc] : live) names.push_back(name);
  auto host = host_cpu();
  auto quiet_since = monotonic_ns();
  for (int i = 0; i < o.iterations; ++i) {
    const auto& name = names[static_cast<std::size_t>(i) % names.size()];
    auto old = live[name];
    if (!sleep_until(std::max(old.started_ns + o.uptime_ms * kMs, quiet_since + o.gap_ms * kMs)))
      return fail(o, "interrupted");
    auto t0 = monotonic_ns();
    kill(old.pid, SIGKILL);
    auto got = wait_new(o, session, live, name, old.pid, t0);
    if (!got) return fail(o, "no new incarnation of " + name + " after kill");
    started.push_back(got->sent.started_ns - t0);
    received.push_back(got->received_ns - t0);
    quiet_since = monotonic_ns();
  }
  auto busy = busy_fraction(host, host_cpu());
  std::sort(started.begin(), started.end());
  JsonLine(o, "restart.one", "s", seconds(percentile(started, 0.5)))
      .add("iterations", o.iterations)
      .add("probes", o.probes)
      .add("min", seconds(started.front()))
      .add("max", seconds(started.back()))
      .add("received_median", seconds(median(received)))
      .add("cpus", affinity())
      .add("host_busy", busy)
      .print();
  JsonLine(o, "restart.one.p99", "s", seconds(percentile(started, 0.99)))
      .add("iterations", o.iterations)
      .add("cpus", affinity())
      .add("host_busy", busy)
      .print();
  return true;
}

bool storm_once(const Options& o, Session& session, Live& live, std::int64_t& took) {
  Live old = live;
  std::int64_t newest_start = 0;
  for (const auto& [name, inc] : old) newest_start = std::max(newest_start, inc.started_ns);
  if (!sleep_until(std::max(newest_start + o.uptime_ms * kMs, monotonic_ns() + o.gap_ms * kMs)))
    return fail(o, "interrupted");
  auto t0 = monotonic_ns();
  for (const auto& [name, inc] : old) kill(inc.pid, SIGKILL);
  std::size_t back = 0;
  std::int64_t last = t0;
  while (back < old.size()) {
    auto got = session.receive(t0 + o.restart_timeout_s * kSec);
    if (!got)
      return fail(o, "only " + std::to_string(back) + " of " + std::to_string(old.size()) +
                         " probes came back");
    std::string name = got->sent.name;
    bool fresh = live[name].pid == old[name].pid && got->sent.pid != old[name].pid;
    note(live, *got);
    if (!fresh) continue;
    ++back;
    last = std::max(last, got->sent.started_ns);
  }
  took = last - t0;
  return true;
}

bool restart_storm(const Options& o, Session& session, Live& live) {
  std::vector<std::int64_t> runs;
  auto host = host_cpu();
  for (int r = 0; r < o.runs; ++r) {
    std::int64_t took = 0;
    if (!storm_once(o, session, live, took)) return false;
    runs.push_back(took);
  }
  std::sort(runs.begin(), runs.end());
  JsonLine(o, "restart.storm" + std::to_string(o.probes), "s", seconds(percentile(runs, 0.5)))
      .add("runs", o.runs)
      .add("min", seconds(runs.front()))
      .add("max", seconds(runs.back()))
      .add("cpus", affinity())
      .add("host_busy", busy_fraction(host, host_cpu()))
      .print();
  return true;
}

int drain(Session& session, Live& live) {
  int n = 0;
  while (auto got = session.receive(0)) {
    note(live, *got);
    ++n;
  }
  return n;
}

bool idle(const Options& o, Session& session, Live& live, pid_t root) {
  if (!sleep_until(monotonic_ns() + o.settle_s * kSec)) return fail(o, "interrupted");
  drain(session, live);
  auto pids = supervisor_processes(root, o.probe);
  auto t0 = monotonic_ns();
  auto host = host_cpu();
  auto before = cpu_time(pids);
  if (!sleep_until(t0 + o.idle_s * kSec)) return fail(o, "interrupted");
  auto after = cpu_time(pids);
  auto busy = busy_fraction(host, host_cpu());
  auto window = seconds(monotonic_ns() - t0);
  std::int64_t ns = 0, ticks = 0;
  for (const auto& [pid, end] : after) {
    auto start = before.find(pid);
    if (start == before.end()) continue;
    ns += end.schedstat_ns - start->second.schedstat_ns;
    ticks += end.stat_ticks - start->second.stat_ticks;
  }
  auto per_minute = 60.0 / window;
  auto memory = memory_of(pids);
  auto counted = describe_processes(pids);
  auto restarts = drain(session, live);
  auto n = std::to_string(o.probes);
  JsonLine(o, "idle_cpu." + n, "s", seconds(ns) * per_minute)
      .add("per", "minute")
      .add("window_s", window)
      .add("stat_ticks_s", static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK)) *
                               per_minute)
      .add("processes", static_cast<double>(pids.size()))
      .add("counted", counted)
      .add("restarts_during", restarts)
      .add("cpus", affinity())
      .add("host_busy", busy)
      .print();
  JsonLine(o, "rss." + n, "bytes", static_cast<double>(memory.rss_bytes))
      .add("pss", static_cast<double>(memory.pss_bytes))
      .add("processes", static_cast<double>(pids.size()))
      .add("counted", counted)
      .print();
  return true;
}

int usage() {
  std::fprintf(stderr,
               "usage: restart_driver --system NAME --scenario one|storm|idle --socket PATH\n"
               "         --probe PATH --probes N [--iterations N] [--runs N] [--uptime-ms MS]\n"
               "         [--gap-ms MS] [--idle-s S] [--settle-s S] [--start-timeout-s S]\n"
               "         [--extra KEY=VALUE]... -- SUPERVISOR ARGS...\n");
  return 2;
}

bool parse(int argc, char** argv, Options& o) {
  std::map<std::string, std::string*> texts{{"--system", &o.system},
                                            {"--scenario", &o.scenario},
                                            {"--socket", &o.socket},
                                            {"--probe", &o.probe}};
  std::map<std::string, std::int64_t*> numbers{
      {"--uptime-ms", &o.uptime_ms}, {"--gap-ms", &o.gap_ms},
      {"--idle-s", &o.idle_s},       {"--settle-s", &o.settle_s},
      {"--start-timeout-s", &o.start_timeout_s}};
  std::map<std::string, int*> counts{
      {"--probes", &o.probes}, {"--iterations", &o.iterations}, {"--runs", &o.runs}};
  int i = 1;
  for (; i + 1 < argc && std::string(argv[i]) != "--"; i += 2) {
    std::string key = argv[i], value = argv[i + 1];
    if (texts.count(key)) *texts[key] = value;
    else if (numbers.count(key)) *numbers[key] = std::atoll(value.c_str());
    else if (counts.count(key)) *counts[key] = std::atoi(value.c_str());
    else if (key == "--extra" && value.find('=') != std::string::npos)
      o.extras.emplace_back(value.substr(0, value.find('=')), value.substr(value.find('=') + 1));
    else return false;
  }
  if (i >= argc || std::string(argv[i]) != "--") return false;
  o.command.assign(argv + i + 1, argv + argc);
  return !o.system.empty() && !o.socket.empty() && !o.probe.empty() && o.probes > 0 &&
         o.iterations > 0 && o.runs > 0 && !o.command.empty() &&
         (o.scenario == "one" || o.scenario == "storm" || o.scenario == "idle");
}

int run(const Options& o) {
  install_stop_handlers();
  AnnouncementSocket socket;
  SupervisorUnderTest sut;
  std::optional<std::string> err = socket.bind(o.socket);
  if (!err) err = sut.start(o.command);
  if (err) {
    fail(o, *err);
    return 1;
  }
  Live live;
  Session session{socket, sut};
  bool ok = wait_all_up(o, session, live);
  if (ok && o.scenario == "one") ok = restart_one(o, session, live);
  if (ok && o.scenario == "storm") ok = restart_storm(o, session, live);
  if (ok && o.scenario == "idle") ok = idle(o, session, live, sut.pid());
  sut.stop();
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace grove::bench

int main(int argc, char** argv) {
  grove::bench::Options options;
  if (!grove::bench::parse(argc, argv, options)) return grove::bench::usage();
  return grove::bench::run(options);
}
