// grove_tree_bench — tree.call / tree.cast for grove: the same kv exchange
// as the peers (kv_frame.hpp: put calls of a u32 key and a 64-byte value;
// casts then a get call as the barrier), between two worker-lib programs of
// a real groved tree, through the inboxes groved creates.
//
//   grove_tree_bench call|cast      writes a grove.toml in a temp dir, runs
//                                   ../bin/groved on it, prints the client's
//                                   JSON line, shuts the tree down
//   grove_tree_bench serve          the server worker (started by groved)
//   grove_tree_bench client-call|client-cast   the client worker
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <unordered_map>

#include "grove/grove.hpp"
#include "grove/tree.hpp"
#include "kv_frame.hpp"

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
using grove::bench::KvValue;

struct PutReq {
  std::uint32_t key;
  KvValue value;
};
struct GetReq {
  std::uint32_t key;
};
template <>
struct grove::Wire<PutReq> : grove::TrivialWire<PutReq> {
  static constexpr std::string_view name = "bench.put";
};
template <>
struct grove::Wire<GetReq> : grove::TrivialWire<GetReq> {
  static constexpr std::string_view name = "bench.get";
};
template <>
struct grove::Wire<KvValue> : grove::TrivialWire<KvValue> {
  static constexpr std::string_view name = "bench.value";
};

namespace {

constexpr double kWarmupSeconds = 0.5;
constexpr double kTimedSeconds = 2.0;

KvValue value_for(std::uint64_t seq) {
  KvValue v{};
  std::memcpy(v.data(), &seq, sizeof seq);
  return v;
}
std::uint64_t seq_of(const KvValue& v) {
  std::uint64_t seq;
  std::memcpy(&seq, v.data(), sizeof seq);
  return seq;
}

struct KvServer {
  std::unordered_map<std::uint32_t, KvValue> store;
  bool handle_call(const PutReq& p) {
    store[p.key] = p.value;
    return true;
  }
  void handle_cast(const PutReq& p) { store[p.key] = p.value; }
  KvValue handle_call(const GetReq& g) { return store[g.key]; }
};

std::string allowed_cpus() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("Cpus_allowed_list:", 0) == 0) return line.substr(line.find_first_not_of(" \t", 18));
  return "";
}

void emit(const char* bench, const char* unit, double value, std::uint64_t iterations) {
  std::printf("{\"bench\":\"%s\",\"system\":\"grove\",\"unit\":\"%s\",\"value\":%.6g,\"iterations\":%llu,"
              "\"payload\":64,\"cpus\":\"%s\",\"transport\":\"groved inboxes (shared memory)\"}\n",
              bench, unit, value, static_cast<unsigned long long>(iterations), allowed_cpus().c_str());
  std::fflush(stdout);
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

grove::Process serve(grove::Tree* tree) {
  auto server = co_await grove::start_link<KvServer>();
  (void)grove::register_name("kv", server->pid);
  (void)grove::serve<KvServer, PutReq, GetReq>("kv");
  tree->ready();
  for (;;) (void)co_await grove::receive();
}

grove::Async<std::uint64_t> calls_for(double seconds, std::uint64_t first, bool* ok) {
  const auto t0 = Clock::now();
  std::uint64_t i = first;
  while (seconds_since(t0) < seconds) {
    for (std::uint64_t end = i + 1000; i < end; ++i) {
      auto r = co_await grove::tree_call<bool>("kv", PutReq{static_cast<std::uint32_t>(i & 1023), value_for(i)});
      if (!r) {
        std::fprintf(stderr, "grove_tree_bench: call: %s\n", describe(r.error()).c_str());
        *ok = false;
        co_return i;
      }
    }
  }
  co_return i;
}

grove::Async<bool> barrier(std::uint64_t last) {
  auto r = co_await grove::tree_call<KvValue>("kv", GetReq{static_cast<std::uint32_t>(last & 1023)}, {.timeout = 30s});
  co_return r && seq_of(*r) == last;
}

std::uint64_t casts_for(double seconds, std::uint64_t first, bool* ok) {
  const auto t0 = Clock::now();
  std::uint64_t i = first;
  while (seconds_since(t0) < seconds) {
    for (std::uint64_t end = i + 10000; i < end; ++i) {
      if (!grove::tree_cast("kv", PutReq{static_cast<std::uint32_t>(i & 1023), value_for(i)}, {.timeout = 10s})) {
        *ok = false;
        return i;
      }
    }
  }
  return i;
}

grove::Process client(grove::Tree* tree, bool cast, int* rc) {
  tree->ready();
  bool ok = true;
  if (!cast) {
    const std::uint64_t warm = co_await calls_for(kWarmupSeconds, 0, &ok);
    const auto t0 = Clock::now();
    const std::uint64_t end = co_await calls_for(kTimedSeconds, warm, &ok);
    if (ok) emit("tree.call", "round trips/s", static_cast<double>(end - warm) / seconds_since(t0), end - warm);
  } else {
    const std::uint64_t warm = casts_for(kWarmupSeconds, 0, &ok);
    ok = ok && co_await barrier(warm - 1);
    const auto t0 = Clock::now();
    const std::uint64_t end = casts_for(kTimedSeconds, warm, &ok);
    ok = ok && co_await barrier(end - 1);
    if (ok) emit("tree.cast", "msg/s", static_cast<double>(end - warm) / seconds_since(t0), end - warm);
  }
  *rc = ok ? 0 : 1;
}

// call|cast: a two-worker tree under a real groved, the client's line out.
int orchestrate(const std::string& figure) {
  const fs::path self = fs::read_symlink("/proc/self/exe");
  const fs::path groved = self.parent_path().parent_path() / "bin" / "groved";
  char tmpl[] = "/tmp/grove-tree-bench-XXXXXX";
  const fs::path dir = mkdtemp(tmpl);
  const fs::path out = dir / "client.jsonl";
  std::ofstream(dir / "grove.toml") << "name = \"treebench-" << getpid() << "\"\ncontrol = \"" << (dir / "ctl.sock").string()
                                    << "\"\n[[children]]\nname = \"server\"\ncommand = [\"" << self.string()
                                    << "\", \"serve\"]\nmailbox = true\n[[children]]\nname = \"client\"\ncommand = [\""
                                    << self.string() << "\", \"client-" << figure
                                    << "\"]\nmailbox = true\nrestart = \"temporary\"\nstdout = \"" << out.string() << "\"\n";
  const pid_t pid = fork();
  if (pid == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 2);  // groved's event log: not part of the figure
    ::execl(groved.c_str(), groved.c_str(), (dir / "grove.toml").c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::string line;
  for (const auto deadline = Clock::now() + 60s; line.empty() && Clock::now() < deadline;) {
    std::this_thread::sleep_for(50ms);  // the client's output file, written once at its end
    std::ifstream in(out);
    std::getline(in, line);
  }
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  fs::remove_all(dir);
  if (line.empty()) {
    std::fprintf(stderr, "grove_tree_bench: no figure from the client (groved %s)\n", groved.c_str());
    return 1;
  }
  std::printf("%s\n", line.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string role = argc > 1 ? argv[1] : "";
  if (role == "call" || role == "cast") return orchestrate(role);
  grove::Scheduler sched;
  grove::Tree tree(sched);
  int rc = 1;
  if (role == "serve") sched.run_until_exit(sched.spawn(serve, &tree));
  else if (role == "client-call" || role == "client-cast") sched.run_until_exit(sched.spawn(client, &tree, role == "client-cast", &rc));
  else std::fprintf(stderr, "usage: grove_tree_bench call|cast\n");
  return rc;
}
