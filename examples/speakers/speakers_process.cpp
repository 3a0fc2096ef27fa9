// speakers_process — the seed's SpeakersProcess: a bare process with a
// receive loop (spawn + send + receive), in grove.
//
//   defmodule SpeakersProcess do                    grove::Process loop(Speakers state) {
//     def loop(state) do                              for (;;)
//       receive do                                      co_await grove::receive(
//         {:add, name} -> ...                             [&](Add& m) { ... },
//         {:remove, name} -> ...                          [&](Remove& m) { ... },
//         {:team, pid} -> send(pid, {:ok, state})         [&](TeamOf& m) { grove::send(m.pid, Ok{state}); });
#include <cstdio>

#include "grove/grove.hpp"
#include "speaker_repo.hpp"

struct Add { std::string name; };
struct Remove { std::string name; };
struct TeamOf { grove::Pid pid; };
struct Ok { Speakers team; };

grove::Process loop(Speakers state) {
  for (;;) {
    co_await grove::receive(
        [&](Add& m) { state[m.name] = SpeakerRepo::find(m.name); },
        [&](Remove& m) { state.erase(m.name); },
        [&](TeamOf& m) { grove::send(m.pid, Ok{state}); });
  }
}

grove::Pid start() { return grove::spawn(loop, Speakers{}); }

grove::Process demo() {
  grove::Pid speakers = start();
  grove::send(speakers, Add{"jose"});
  grove::send(speakers, Add{"kyle"});
  grove::send(speakers, Remove{"jose"});
  grove::send(speakers, TeamOf{grove::self()});
  co_await grove::receive([](Ok& ok) {
    for (const auto& [name, s] : ok.team) std::printf("%s: %s\n", name.c_str(), s.talk.c_str());
  });
}

int main() {
  grove::Scheduler sched;
  return sched.run_until_exit(sched.spawn(demo)).is_normal() ? 0 : 1;
}
