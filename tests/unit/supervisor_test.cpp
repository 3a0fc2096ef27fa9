// The in-worker Supervisor, driven by the shared policy engine: strategies,
// restart types, intensity/period, ordered start and stop.
#include "grove/supervisor.hpp"

#include <string>
#include <vector>

#include "worker_fixture.hpp"

using namespace std::chrono_literals;
using grove::ExitReason;
using grove::RestartType;
using grove::Strategy;

namespace {

struct Crash {};
struct Finish {};

// A child that logs "start NAME"/"stop NAME" and can be told to crash or end.
struct Member {
  std::string name;
  std::vector<std::string>* log;
  Member(std::string n, std::vector<std::string>* l) : name(std::move(n)), log(l) {}
  void init() {
    grove::trap_exit(true);  // so that terminate runs on shutdown
    grove::register_name(name, grove::self());
    log->push_back("start " + name);
  }
  void handle_cast(const Crash&) { throw std::runtime_error(name + " crashed"); }
  grove::CastResult handle_cast(const Finish&) { return grove::stop(); }
  void terminate(const ExitReason& r) {
    if (r == ExitReason::shutdown()) log->push_back("stop " + name);
  }
};

grove::Child member(const std::string& name, std::vector<std::string>* log) {
  return grove::worker<Member>(name, name, log);
}

grove::SupervisorSpec spec_of(Strategy s, int intensity, std::vector<std::string>* log,
                              RestartType b_restart = RestartType::permanent) {
  return {{.strategy = s, .intensity = intensity, .period = 5000ms},
          {member("a", log), member("b", log).restart(b_restart), member("c", log)}};
}

}  // namespace

class Supervising : public WorkerFixture {
 protected:
  // Starts the supervisor under a root process that then waits for `stop`.
  void start(grove::SupervisorSpec spec) {
    root = spawn([this, spec = std::move(spec)]() mutable -> grove::Process {
      grove::trap_exit(true);
      auto sup = co_await grove::Supervisor::start_link(std::move(spec));
      if (sup) sup_pid = sup->pid();
      co_await grove::receive([&](grove::ExitSignal& e) { sup_end = e.reason; });
    });
    settle();
  }
  void crash(const char* name) {
    spawn([name] { grove::cast<Member>(name, Crash{}); });
    settle();
  }
  std::vector<std::string> take_log() { return std::exchange(log, {}); }

  std::vector<std::string> log;
  grove::Pid root, sup_pid;
  std::optional<ExitReason> sup_end;
};

TEST_F(Supervising, StartsChildrenInOrder) {
  start(spec_of(Strategy::one_for_one, 3, &log));
  EXPECT_EQ(take_log(), (std::vector<std::string>{"start a", "start b", "start c"}));
}

TEST_F(Supervising, OneForOneRestartsOnlyTheCrashedChild) {
  start(spec_of(Strategy::one_for_one, 3, &log));
  take_log();
  crash("b");
  EXPECT_EQ(take_log(), (std::vector<std::string>{"start b"}));
}

TEST_F(Supervising, OneForAllStopsTheOthersInReverseThenRestartsAllInOrder) {
  start(spec_of(Strategy::one_for_all, 3, &log));
  take_log();
  crash("b");
  EXPECT_EQ(take_log(), (std::vector<std::string>{"stop c", "stop a", "start a", "start b", "start c"}));
}

TEST_F(Supervising, RestForOneRestartsTheChildAndThoseStartedAfterIt) {
  start(spec_of(Strategy::rest_for_one, 3, &log));
  take_log();
  crash("b");
  EXPECT_EQ(take_log(), (std::vector<std::string>{"stop c", "start b", "start c"}));
}

TEST_F(Supervising, TransientChildIsNotRestartedAfterANormalExit) {
  start(spec_of(Strategy::one_for_one, 3, &log, RestartType::transient));
  take_log();
  spawn([] { grove::cast<Member>("b", Finish{}); });
  settle();
  EXPECT_TRUE(take_log().empty());
  EXPECT_EQ(sched.whereis("b"), std::nullopt);
}

TEST_F(Supervising, TransientChildIsRestartedAfterACrash) {
  start(spec_of(Strategy::one_for_one, 3, &log, RestartType::transient));
  take_log();
  crash("b");
  EXPECT_EQ(take_log(), (std::vector<std::string>{"start b"}));
}

TEST_F(Supervising, TemporaryChildIsNeverRestarted) {
  start(spec_of(Strategy::one_for_one, 3, &log, RestartType::temporary));
  take_log();
  crash("b");
  EXPECT_TRUE(take_log().empty());
}

TEST_F(Supervising, TooManyRestartsWithinThePeriodMakeItGiveUp) {
  start(spec_of(Strategy::one_for_one, 2, &log));
  take_log();
  crash("a");
  crash("a");
  EXPECT_FALSE(sup_end);
  crash("a");  // third restart within 5 s > intensity 2
  EXPECT_EQ(sup_end, ExitReason::shutdown());
  EXPECT_EQ(take_log(), (std::vector<std::string>{"start a", "start a", "stop c", "stop b"}));
  EXPECT_FALSE(sched.alive(sup_pid));
}

TEST_F(Supervising, RestartsOutsideThePeriodAreForgotten) {
  start(spec_of(Strategy::one_for_one, 1, &log));
  crash("a");
  advance(5001ms);
  crash("a");
  EXPECT_FALSE(sup_end);
}

TEST_F(Supervising, ParentExitStopsChildrenInReverseOrder) {
  start(spec_of(Strategy::one_for_one, 3, &log));
  take_log();
  spawn([this]() -> grove::Process {
    grove::exit(root, ExitReason::kill());
    co_return;
  });
  settle();
  EXPECT_EQ(take_log(), (std::vector<std::string>{"stop c", "stop b", "stop a"}));
  EXPECT_EQ(sched.live(), 0u);
}

TEST_F(Supervising, RestartDelayWaitsOnTheClockAndStillCounts) {
  auto spec = spec_of(Strategy::one_for_one, 3, &log);
  spec.children[1].policy.restart_delay = 100ms;
  start(std::move(spec));
  take_log();
  crash("b");
  EXPECT_TRUE(take_log().empty());
  advance(100ms);
  EXPECT_EQ(take_log(), (std::vector<std::string>{"start b"}));
}

TEST_F(Supervising, OperatorRestartAndWhichChildren) {
  std::vector<grove::ChildInfo> rows;
  bool restarted = false;
  start(spec_of(Strategy::one_for_one, 3, &log));
  take_log();
  spawn([&]() -> grove::Process {
    grove::Supervisor s = grove::Supervisor::at(sup_pid);
    restarted = *(co_await s.restart_child("c"));
    rows = *(co_await s.which_children());
  });
  settle();
  EXPECT_TRUE(restarted);
  EXPECT_EQ(take_log(), (std::vector<std::string>{"stop c", "start c"}));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].name, "c");
  EXPECT_EQ(rows[2].state, grove::ChildState::running);
  EXPECT_TRUE(rows[2].pid);
}

TEST_F(Supervising, NestedSupervisorRestartsItsOwnChildren) {
  std::vector<std::string>* l = &log;
  grove::SupervisorSpec inner{{.strategy = Strategy::one_for_one, .intensity = 3, .period = 5000ms},
                              {member("x", l)}};
  grove::SupervisorSpec outer{{.strategy = Strategy::one_for_one, .intensity = 3, .period = 5000ms},
                              {member("a", l), grove::supervisor_child("inner", std::move(inner))}};
  start(std::move(outer));
  EXPECT_EQ(take_log(), (std::vector<std::string>{"start a", "start x"}));
  crash("x");
  EXPECT_EQ(take_log(), (std::vector<std::string>{"start x"}));
}
