// adder — the consumer program: a GenServer served by name (grove::tree,
// standalone since no groved started it) and called twice; prints the sum.
#include <cstdint>
#include <cstdio>

#include "grove/grove.hpp"
#include "grove/tree.hpp"

struct Adder {
  std::int64_t total = 0;
  std::int64_t handle_call(const std::int64_t& n) { return total += n; }
};

int main() {
  grove::Scheduler sched;
  grove::Tree tree(sched);
  std::int64_t sum = -1;
  sched.run_until_exit(sched.spawn([&]() -> grove::Process {
    auto adder = co_await grove::start_link<Adder>();
    if (!adder) co_return;
    (void)grove::register_name("adder", adder->pid);
    if (!grove::serve<Adder, std::int64_t>("adder")) co_return;
    tree.ready();
    auto first = co_await grove::tree_call<std::int64_t>("adder", std::int64_t{40});
    auto second = co_await grove::tree_call<std::int64_t>("adder", std::int64_t{2});
    if (first && second) sum = *second;
  }));
  std::printf("adder: %lld\n", static_cast<long long>(sum));
  return sum == 42 ? 0 : 1;
}
