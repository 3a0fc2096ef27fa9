// supervised — "let it crash": a GenServer under an in-worker supervisor
// crashes, is restarted with a fresh state, and when it crashes too often
// (more than intensity 2 within 5 s) the supervisor gives up.
#include <cstdio>
#include <string>

#include "grove/grove.hpp"

using namespace std::chrono_literals;

struct Bump {};
struct Get {};
struct Crash {};

struct Counter {
  int n = 0;
  grove::InitResult init() {
    if (auto named = grove::register_name("counter", grove::self()); !named)
      return grove::stop(grove::ExitReason::error(std::string(describe(named.error()))));
    std::printf("counter started as %s\n", describe(grove::self()).c_str());
    return grove::ok();
  }
  void handle_cast(const Bump&) { ++n; }
  void handle_cast(const Crash&) { throw std::runtime_error("bad input"); }
  int handle_call(const Get&) { return n; }
};

// Waits for the monitored counter's Down, then asks the supervisor for its
// successor: the crash's exit signal reached the supervisor before this
// call did, so the restart is done when it answers.
grove::Async<grove::Pid> restarted(grove::Supervisor sup) {
  co_await grove::receive([](grove::Down&) {});
  auto rows = co_await sup.which_children();
  co_return rows && !rows->empty() ? rows->front().pid : grove::Pid{};
}

grove::Process demo() {
  grove::trap_exit(true);
  grove::SupervisorSpec spec;
  spec.policy = {.strategy = grove::Strategy::one_for_one, .intensity = 2, .period = 5s};
  spec.children.push_back(grove::worker<Counter>("counter"));
  auto sup = co_await grove::Supervisor::start_link(std::move(spec));
  if (!sup) co_return;
  grove::cast<Counter>("counter", Bump{});
  std::printf("count = %d\n", *(co_await grove::call<Counter>("counter", Get{})));

  for (int crash = 1; crash <= 3; ++crash) {
    grove::Pid before = *grove::whereis("counter");
    std::printf("crash %d: casting Crash to %s\n", crash, describe(before).c_str());
    grove::monitor(before);
    grove::cast<Counter>("counter", Crash{});
    if (crash == 3) break;
    grove::Pid after = co_await restarted(*sup);
    std::printf("restarted as %s, count = %d (fresh state)\n", describe(after).c_str(),
                *(co_await grove::call<Counter>("counter", Get{})));
  }
  co_await grove::receive([](grove::ExitSignal& e) {
    std::printf("supervisor gave up: %s\n", describe(e.reason).c_str());
  });
}

int main() {
  grove::Scheduler sched;
  return sched.run_until_exit(sched.spawn(demo)).is_normal() ? 0 : 1;
}
