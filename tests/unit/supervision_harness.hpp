// supervision_harness.hpp — drives a Supervision like a well-behaved world.
//
// Every spawned child becomes ready at once, every stop signal ends the child
// with the given kind; the harness records the actions as one readable trace
// ("spawn 0, stop 2, kill 1, ready, exit gave_up") so tests compare strings.
#pragma once

#include <string>
#include <vector>

#include "policy/supervision.hpp"

namespace grove::test {

class Harness {
 public:
  Harness(SupervisorPolicy policy, std::vector<ChildEntry> children)
      : sup(std::move(policy), std::move(children)) {}

  // Feeds one event and runs the world's answers until it is quiet.
  std::string feed(const Event& e) { return run(sup.handle(e, now)); }
  std::string start() { return run(sup.start(now)); }
  std::string tick() { return feed(Event::tick()); }
  std::string crash(std::size_t i, ExitKind k = ExitKind::abnormal) {
    return feed(Event::exited(i, k));
  }

  Supervision sup;
  TimePoint now{};
  bool auto_ready = true;  // spawned children report readiness at once
  bool auto_exit = true;   // signalled children exit at once

 private:
  std::string run(std::vector<Action> actions) {
    std::string trace;
    for (std::size_t k = 0; k < actions.size(); ++k) {
      const Action a = actions[k];
      if (!trace.empty()) trace += ", ";
      trace += describe(a);
      std::vector<Action> more;
      if (a.kind == Action::Kind::spawn && auto_ready) more = sup.handle(Event::ready(a.child), now);
      if (a.kind == Action::Kind::signal && auto_exit)
        more = sup.handle(Event::exited(a.child, ExitKind::shutdown), now);
      if (a.kind == Action::Kind::kill && auto_exit)
        more = sup.handle(Event::exited(a.child, ExitKind::abnormal), now);
      actions.insert(actions.end(), more.begin(), more.end());
    }
    return trace;
  }

  static std::string describe(const Action& a) {
    const std::string i = std::to_string(a.child);
    switch (a.kind) {
      case Action::Kind::spawn: return "spawn " + i;
      case Action::Kind::signal: return "stop " + i;
      case Action::Kind::kill: return "kill " + i;
      case Action::Kind::ready: return "ready";
      case Action::Kind::exit:
        switch (a.reason) {
          case EndReason::shutdown_requested: return "exit shutdown";
          case EndReason::gave_up: return "exit gave_up";
          case EndReason::auto_shutdown: return "exit auto_shutdown";
        }
    }
    return "?";
  }
};

inline ChildEntry worker(std::string name, RestartType r = RestartType::permanent) {
  ChildEntry e;
  e.name = std::move(name);
  e.policy.restart = r;
  return e;
}

inline std::vector<ChildEntry> workers(int n, RestartType r = RestartType::permanent) {
  std::vector<ChildEntry> v;
  for (int i = 0; i < n; ++i) v.push_back(worker("c" + std::to_string(i), r));
  return v;
}

inline SupervisorPolicy policy(Strategy s, int intensity = 100,
                               Duration period = std::chrono::seconds(5)) {
  SupervisorPolicy p;
  p.strategy = s;
  p.intensity = intensity;
  p.period = period;
  return p;
}

}  // namespace grove::test
