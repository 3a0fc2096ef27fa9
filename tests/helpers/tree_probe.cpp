// tree_probe — a worker-lib program for the tree tests, in roles:
//
//   tree_probe serve NAME [--slow-init-ms N]
//                                    serve NAME: a string call echoes it back, a
//                                    string cast prints "handled: TEXT"; Crash
//                                    aborts the worker, Hang never returns. Prints
//                                    "serving" once served, then reports ready
//                                    (a slow init: N ms before serving, N after)
//   tree_probe supervised NAME       the same server under an in-worker supervisor
//                                    (it registers NAME in its init); the cast
//                                    "throw" makes its handler throw
//   tree_probe call NAME TEXT [--nowait] [--timeout-ms N]
//                                    prints "reply: TEXT" or "error: WHY"; exit 0/1
//   tree_probe cast NAME TEXT...     one cast per TEXT; "crash"/"hang" send Crash/Hang
//   tree_probe flood NAME N SIZE     N casts of SIZE bytes, stopping at the first error
//   tree_probe self NAME TEXT        serve NAME and call it from this program
//
// Every role reports ready (after serving, or at once) like a real worker.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "grove/grove.hpp"
#include "grove/tree.hpp"

using namespace std::chrono_literals;

struct Crash {};
struct Hang {};
template <>
struct grove::Wire<Crash> : grove::TrivialWire<Crash> {
  static constexpr std::string_view name = "probe.crash";
};
template <>
struct grove::Wire<Hang> : grove::TrivialWire<Hang> {
  static constexpr std::string_view name = "probe.hang";
};

struct Probe {
  std::string handle_call(const std::string& text) { return text; }
  void handle_cast(const std::string& text) {
    if (text == "throw") throw std::runtime_error("thrown on purpose");
    std::printf("handled: %s\n", text.c_str());
    std::fflush(stdout);
  }
  void handle_cast(const Crash&) { std::abort(); }
  void handle_cast(const Hang&) {
    for (volatile bool forever = true; forever;) {
    }
  }
};

// Probe, registering its name itself: an in-worker supervisor restarts it.
struct NamedProbe : Probe {
  explicit NamedProbe(std::string n) : name(std::move(n)) {}
  grove::InitResult init() {
    if (!grove::register_name(name, grove::self())) return grove::stop(grove::ExitReason::error("name taken"));
    return grove::ok();
  }
  std::string name;
};

namespace {

grove::Process supervised(grove::Tree* tree, std::string name) {
  grove::trap_exit(true);
  grove::SupervisorSpec spec;
  spec.policy = {.strategy = grove::Strategy::one_for_one, .intensity = 5, .period = 10s};
  spec.children.push_back(grove::worker<NamedProbe>("probe", name));
  auto sup = co_await grove::Supervisor::start_link(std::move(spec));
  if (!sup) co_return;
  (void)grove::serve<NamedProbe, std::string, Crash, Hang>(name);
  std::printf("serving\n");
  std::fflush(stdout);
  tree->ready();
  for (;;) (void)co_await grove::receive();
}

grove::Process serve(grove::Tree* tree, std::string name, int slow_init_ms) {
  if (slow_init_ms > 0) co_await grove::sleep_for(std::chrono::milliseconds(slow_init_ms));
  auto server = co_await grove::start_link<Probe>();
  if (!server) co_return;
  (void)grove::register_name(name, server->pid);
  if (auto r = grove::serve<Probe, std::string, Crash, Hang>(name); !r) {
    std::fprintf(stderr, "tree_probe: serve %s: %s\n", name.c_str(), std::string(describe(r.error())).c_str());
    co_return;
  }
  std::printf("serving\n");
  std::fflush(stdout);
  if (slow_init_ms > 0) co_await grove::sleep_for(std::chrono::milliseconds(slow_init_ms));
  tree->ready();
  for (;;) (void)co_await grove::receive();
}

grove::Process call(grove::Tree* tree, std::string name, std::string text, grove::TreeCallOptions options, int* rc) {
  tree->ready();
  auto r = co_await grove::tree_call<std::string>(name, text, options);
  if (r) std::printf("reply: %s\n", r->c_str());
  else std::printf("error: %s\n", describe(r.error()).c_str());
  *rc = r ? 0 : 1;
}

grove::Process cast(grove::Tree* tree, std::string name, std::vector<std::string> texts, int* rc) {
  tree->ready();
  *rc = 0;
  for (const std::string& t : texts) {
    grove::Result<void, grove::TreeError> r = t == "crash" ? grove::tree_cast(name, Crash{})
                                              : t == "hang" ? grove::tree_cast(name, Hang{})
                                                            : grove::tree_cast(name, t);
    if (!r) {
      std::printf("error: %s\n", std::string(describe(r.error())).c_str());
      *rc = 1;
    }
  }
  std::printf("sent %zu\n", texts.size());
  co_return;
}

grove::Process flood(grove::Tree* tree, std::string name, int count, std::size_t size, int* rc) {
  tree->ready();
  *rc = 0;
  const std::string text(size, 'x');
  for (int i = 0; i < count; ++i) {
    if (auto r = grove::tree_cast(name, text); !r) {
      std::printf("error after %d: %s\n", i, std::string(describe(r.error())).c_str());
      std::fflush(stdout);
      *rc = 1;
      co_return;
    }
  }
  std::printf("sent %d\n", count);
}

grove::Process self_call(grove::Tree* tree, std::string name, std::string text, int* rc) {
  auto server = co_await grove::start_link<Probe>();
  (void)grove::register_name(name, server->pid);
  (void)grove::serve<Probe, std::string, Crash, Hang>(name);
  tree->ready();
  auto r = co_await grove::tree_call<std::string>(name, text, {.timeout = 5s});
  if (r) std::printf("reply: %s (%s)\n", r->c_str(), tree->attached() ? "attached" : "standalone");
  else std::printf("error: %s\n", describe(r.error()).c_str());
  *rc = r ? 0 : 1;
  grove::exit(grove::ExitReason::normal());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  const std::string role = argv[1], name = argv[2];
  grove::Scheduler sched;
  grove::Tree tree(sched);
  int rc = 1;
  if (role == "serve") {
    const int slow_init = argc > 4 && std::strcmp(argv[3], "--slow-init-ms") == 0 ? std::atoi(argv[4]) : 0;
    sched.run_until_exit(sched.spawn(serve, &tree, name, slow_init));
  } else if (role == "call" && argc >= 4) {
    grove::TreeCallOptions options;
    for (int i = 4; i < argc; ++i) {
      if (std::strcmp(argv[i], "--nowait") == 0) options.wait_if_down = false;
      if (std::strcmp(argv[i], "--timeout-ms") == 0 && i + 1 < argc)
        options.timeout = std::chrono::milliseconds(std::atoi(argv[++i]));
    }
    sched.run_until_exit(sched.spawn(call, &tree, name, std::string(argv[3]), options, &rc));
  } else if (role == "supervised") {
    sched.run_until_exit(sched.spawn(supervised, &tree, name));
  } else if (role == "self" && argc >= 4) {
    sched.run_until_exit(sched.spawn(self_call, &tree, name, std::string(argv[3]), &rc));
  } else if (role == "flood" && argc >= 5) {
    sched.run_until_exit(sched.spawn(flood, &tree, name, std::atoi(argv[3]),
                                     static_cast<std::size_t>(std::atoi(argv[4])), &rc));
  } else if (role == "cast") {
    sched.run_until_exit(sched.spawn(cast, &tree, name, std::vector<std::string>(argv + 3, argv + argc), &rc));
  } else {
    return 2;
  }
  std::fflush(stdout);
  return rc;
}
