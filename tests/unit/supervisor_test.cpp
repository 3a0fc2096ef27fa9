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
    EXPECT_TRUE(grove::register_name(name, grove::self()));
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

// A child whose stop takes 100 ms (its terminate waits on the clock) and
// whose start fails once `fail_starts` is set.
struct Slow {
  std::string name;
  std::vector<std::string>* log;
  const bool* fail_starts;
  Slow(std::string n, std::vector<std::string>* l, const bool* f) : name(std::move(n)), log(l), fail_starts(f) {}
  grove::InitResult init() {
    if (*fail_starts) return grove::stop(ExitReason::error("no database"));
    grove::trap_exit(true);
    EXPECT_TRUE(grove::register_name(name, grove::self()));
    log->push_back("start " + name);
    return grove::ok();
  }
  grove::Async<void> terminate(const ExitReason&) {
    co_await grove::sleep_for(100ms);
    log->push_back("stop " + name);
  }
};

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
    restarted = (co_await s.restart_child("c")).ok();
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

// ---- operator requests are synchronous (OTP's terminate_child / restart_child)

class Operating : public Supervising {
 protected:
  // a: a Member; slow: a Slow child with `shutdown`; temp: a temporary Slow.
  void start_slow(grove::Shutdown shutdown = grove::default_shutdown(grove::ChildType::worker)) {
    std::vector<std::string>* l = &log;
    grove::SupervisorSpec spec{{.strategy = Strategy::one_for_one, .intensity = 3, .period = 5000ms},
                               {member("a", l), grove::worker<Slow>("slow", "slow", l, &fail_starts).shutdown(shutdown),
                                grove::worker<Slow>("temp", "temp", l, &fail_starts).restart(RestartType::temporary)}};
    start(std::move(spec));
    take_log();
    old = *sched.whereis("slow");
  }
  // Runs `op` on the supervisor from a process; `answered` once it returns.
  template <class Op>
  void operate(Op op) {
    spawn([this, op]() -> grove::Process {
      co_await op(grove::Supervisor::at(sup_pid));
      answered = true;
    });
    settle();
  }

  bool fail_starts = false;
  bool answered = false;
  grove::Pid old;
};

TEST_F(Operating, TerminateChildAnswersOnlyOnceTheChildHasExited) {
  start_slow();
  std::optional<grove::Result<void, grove::ChildError>> r;
  bool alive_after = true;
  operate([&](grove::Supervisor s) -> grove::Async<void> {
    r.emplace(co_await s.terminate_child("slow"));
    alive_after = grove::alive(old);
  });
  EXPECT_FALSE(answered);  // its terminate is still running
  advance(100ms);
  ASSERT_TRUE(answered);
  EXPECT_TRUE(r->ok());
  EXPECT_FALSE(alive_after);
  EXPECT_EQ(take_log(), (std::vector<std::string>{"stop slow"}));
}

TEST_F(Operating, TerminateChildAnswersWhenTheShutdownTimeKilledTheChild) {
  start_slow(grove::Shutdown{grove::Shutdown::Kind::timeout, 50ms});
  operate([&](grove::Supervisor s) -> grove::Async<void> { EXPECT_TRUE(co_await s.terminate_child("slow")); });
  advance(49ms);
  EXPECT_FALSE(answered);
  advance(1ms);
  EXPECT_TRUE(answered);
  EXPECT_FALSE(sched.alive(old));
  EXPECT_TRUE(take_log().empty());  // killed before its terminate ended
}

TEST_F(Operating, RestartChildAnswersWithTheNewPidOnceItsInitReturned) {
  start_slow();
  std::optional<grove::Result<grove::Pid, grove::ChildError>> r;
  operate([&](grove::Supervisor s) -> grove::Async<void> { r.emplace(co_await s.restart_child("slow")); });
  EXPECT_FALSE(answered);  // the old incarnation is still stopping
  advance(100ms);
  ASSERT_TRUE(answered);
  ASSERT_TRUE(r->ok());
  EXPECT_NE(**r, old);
  EXPECT_EQ(sched.whereis("slow"), **r);  // registered by its init, before the answer
  EXPECT_EQ(take_log(), (std::vector<std::string>{"stop slow", "start slow"}));
}

TEST_F(Operating, RestartChildGivesTheStartsErrorWhenItFailed) {
  start_slow();
  fail_starts = true;
  std::optional<grove::Result<grove::Pid, grove::ChildError>> r;
  operate([&](grove::Supervisor s) -> grove::Async<void> { r.emplace(co_await s.restart_child("temp")); });
  advance(100ms);
  ASSERT_TRUE(answered);
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().kind, grove::ChildError::Kind::start_failed);
  EXPECT_EQ(r->error().cause, (grove::CallError{grove::CallError::Kind::exited, ExitReason::error("no database")}));
  EXPECT_EQ(describe(r->error()), "start_failed: exited: error: no database");
}

TEST_F(Operating, StartChildAfterTerminateChildAnswersWithTheNewPid) {
  start_slow();
  grove::Pid started;
  operate([&](grove::Supervisor s) -> grove::Async<void> {
    EXPECT_TRUE(co_await s.terminate_child("slow"));
    started = *(co_await s.start_child("slow"));
  });
  advance(100ms);
  ASSERT_TRUE(answered);
  EXPECT_TRUE(sched.alive(started));
  EXPECT_EQ(sched.whereis("slow"), started);
}

TEST_F(Operating, TerminateChildOvertakingARestartEndsItWithStopped) {
  start_slow();
  std::optional<grove::Result<grove::Pid, grove::ChildError>> restarted;
  spawn([&]() -> grove::Process {
    restarted.emplace(co_await grove::Supervisor::at(sup_pid).restart_child("slow"));
  });
  operate([&](grove::Supervisor s) -> grove::Async<void> { EXPECT_TRUE(co_await s.terminate_child("slow")); });
  advance(100ms);
  EXPECT_TRUE(answered);
  ASSERT_TRUE(restarted);
  EXPECT_EQ(restarted->error().kind, grove::ChildError::Kind::stopped);
  EXPECT_EQ(sched.whereis("slow"), std::nullopt);
}

TEST_F(Operating, AnUnknownChildIsNotFound) {
  start_slow();
  operate([&](grove::Supervisor s) -> grove::Async<void> {
    auto r = co_await s.terminate_child("nobody");
    EXPECT_EQ(r.error().kind, grove::ChildError::Kind::not_found);
  });
  EXPECT_TRUE(answered);
}

TEST_F(Operating, OtherCallsAreServedWhileATerminateChildWaits) {
  start_slow();
  operate([&](grove::Supervisor s) -> grove::Async<void> { EXPECT_TRUE(co_await s.terminate_child("slow")); });
  std::vector<grove::ChildInfo> rows;
  spawn([&]() -> grove::Process { rows = *(co_await grove::Supervisor::at(sup_pid).which_children()); });
  settle();
  EXPECT_FALSE(answered);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].state, grove::ChildState::stopping);
}

TEST_F(Operating, AWaitingRequestIsAnsweredShuttingDownWhenTheSupervisorEnds) {
  start_slow();
  std::optional<grove::Result<void, grove::ChildError>> r;
  operate([&](grove::Supervisor s) -> grove::Async<void> { r.emplace(co_await s.terminate_child("slow")); });
  spawn([this] { grove::exit(root, ExitReason::kill()); });
  settle();
  ASSERT_TRUE(answered);
  EXPECT_EQ(r->error().kind, grove::ChildError::Kind::shutting_down);
  advance(100ms);  // the supervisor still stops its children in order:
  advance(100ms);  // slow, then temp (100 ms each), then a
  EXPECT_EQ(sched.live(), 0u);
}

// ---- child specs

TEST(SupervisorChild, KeepsShutdownInfinityThroughWith) {
  grove::ChildPolicy p;
  p.restart = RestartType::transient;
  grove::Child c = grove::supervisor_child("inner", {}).with(p);
  EXPECT_EQ(c.policy.shutdown.kind, grove::Shutdown::Kind::infinity);
  EXPECT_EQ(c.policy.restart, RestartType::transient);
}

TEST(SupervisorChild, TakesAShutdownThatWithSetsExplicitly) {
  grove::ChildPolicy p;
  p.shutdown = {grove::Shutdown::Kind::brutal_kill, 0ms};
  grove::Child c = grove::supervisor_child("inner", {}).with(p);
  EXPECT_EQ(c.policy.shutdown.kind, grove::Shutdown::Kind::brutal_kill);
}

TEST(SupervisorChild, KeepsAShutdownSetBeforeWith) {
  grove::Child c = grove::worker<Member>("a", std::string("a"), nullptr).shutdown({grove::Shutdown::Kind::timeout, 1000ms}).with({});
  EXPECT_EQ(c.policy.shutdown, (grove::Shutdown{grove::Shutdown::Kind::timeout, 1000ms}));
}
