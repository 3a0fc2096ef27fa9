// speakers_service — the seed's Speakers GenServer served to its tree as
// "speakers" (examples/speakers/speakers.toml); speakers_client calls it
// from another worker. Started by hand it runs standalone and waits.
#include <cstdio>

#include "grove/grove.hpp"
#include "grove/tree.hpp"
#include "speakers_messages.hpp"

struct SpeakersServer {
  Speakers state;
  void handle_cast(const Add& m) { state[m.name] = SpeakerRepo::find(m.name); }
  void handle_cast(const Remove& m) { state.erase(m.name); }
  auto handle_call(const Team&) { return grove::reply(state); }
};

int main() {
  grove::Scheduler sched;
  grove::Tree tree(sched);
  const grove::Pid root = sched.spawn([&]() -> grove::Process {
    auto server = co_await grove::start_link<SpeakersServer>();
    if (!server) co_return;
    (void)grove::register_name("speakers", server->pid);
    if (auto r = grove::serve<SpeakersServer, Add, Remove, Team>("speakers"); !r) {
      std::fprintf(stderr, "speakers_service: %s\n", std::string(describe(r.error())).c_str());
      co_return;
    }
    tree.ready();  // init done: groved starts the client now
    for (;;) (void)co_await grove::receive();
  });
  return sched.run_until_exit(root).is_normal() ? 0 : 1;
}
