// speakers_client — calls the Speakers GenServer that speakers_service
// serves from another worker of the tree: the seed's demo (add jose and
// jesse, remove jose, ask for the team) across two OS processes.
#include <cstdio>

#include "grove/grove.hpp"
#include "grove/tree.hpp"
#include "speakers_messages.hpp"

using namespace std::chrono_literals;

int main() {
  grove::Scheduler sched;
  grove::Tree tree(sched);
  int rc = 1;
  sched.run_until_exit(sched.spawn([&]() -> grove::Process {
    tree.ready();
    (void)grove::tree_cast("speakers", Add{"jose"});
    (void)grove::tree_cast("speakers", Add{"jesse"});
    (void)grove::tree_cast("speakers", Remove{"jose"});
    auto team = co_await grove::tree_call<Speakers>("speakers", Team{}, {.timeout = 2s});
    if (!team) {
      std::printf("call failed: %s\n", describe(team.error()).c_str());
      co_return;
    }
    for (const auto& [name, s] : *team) std::printf("%s: %s\n", name.c_str(), s.talk.c_str());
    std::fflush(stdout);
    rc = 0;
  }));
  return rc;
}
