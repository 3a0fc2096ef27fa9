// speakers_server — the seed's GenServerExample: the same speakers as a
// GenServer (start, init, handle_cast add/remove, handle_call team).
//
//   def handle_cast({:add, name}, state)  ->  void handle_cast(const Add&)
//     {:noreply, Map.put(state, ...)}            { state[name] = ...; }
//   def handle_call(:team, _from, state)  ->  auto handle_call(const Team&)
//     {:reply, state, state}                     { return grove::reply(state); }
#include <cstdio>

#include "grove/grove.hpp"
#include "speaker_repo.hpp"

using namespace std::chrono_literals;

struct Add { std::string name; };
struct Remove { std::string name; };
struct Team {};

struct SpeakersServer {
  Speakers state;                                       // init: {:ok, %{}}
  void handle_cast(const Add& m) { state[m.name] = SpeakerRepo::find(m.name); }
  void handle_cast(const Remove& m) { state.erase(m.name); }
  auto handle_call(const Team&) { return grove::reply(state); }
};

grove::Process demo() {
  auto server = co_await grove::start<SpeakersServer>();  // GenServer.start(__MODULE__, :ok, [])
  grove::cast(*server, Add{"jose"});
  grove::cast(*server, Add{"jesse"});
  grove::cast(*server, Remove{"jose"});
  auto team = co_await grove::call(*server, Team{}, 1s);
  if (!team) {
    std::printf("call failed: %s\n", describe(team.error()).c_str());
    co_return;
  }
  for (const auto& [name, s] : *team) std::printf("%s: %s\n", name.c_str(), s.talk.c_str());
}

int main() {
  grove::Scheduler sched;
  return sched.run_until_exit(sched.spawn(demo)).is_normal() ? 0 : 1;
}
