// receive: timeouts on the injected clock, selective receive, yielding.
#include "grove/receive.hpp"

#include <string>
#include <vector>

#include "worker_fixture.hpp"

using namespace std::chrono_literals;
using grove::Pid;

namespace {
struct Add {
  std::string name;
};
struct Remove {
  std::string name;
};
}  // namespace

using Receive = WorkerFixture;

TEST_F(Receive, TimeoutEndsTheWaitWhenNoMessageCame) {
  int outcome = 0;
  spawn([&]() -> grove::Process {
    auto m = co_await grove::receive(100ms);
    outcome = m ? 1 : 2;
  });
  settle();
  advance(99ms);
  EXPECT_EQ(outcome, 0);
  advance(1ms);
  EXPECT_EQ(outcome, 2);
}

TEST_F(Receive, AMessageBeforeTheTimeoutWinsAndTheTimerIsDisarmed) {
  int outcome = 0;
  int later = 0;
  Pid p = spawn([&]() -> grove::Process {
    auto m = co_await grove::receive(100ms);
    outcome = m ? *m->get<int>() : -1;
    auto again = co_await grove::receive(1s);  // the old timer must not end this one
    later = again ? 1 : 2;
  });
  settle();
  sched.send(p, 5);
  settle();
  EXPECT_EQ(outcome, 5);
  advance(500ms);
  EXPECT_EQ(later, 0);
  advance(500ms);
  EXPECT_EQ(later, 2);
}

TEST_F(Receive, ZeroTimeoutPolls) {
  bool empty = false;
  spawn([&]() -> grove::Process { empty = !(co_await grove::receive(0ms)); });
  settle();
  EXPECT_TRUE(empty);
}

TEST_F(Receive, SelectiveReceiveTakesTheFirstMatchingTypeAndKeepsTheRest) {
  std::vector<std::string> log;
  Pid p = spawn([&]() -> grove::Process {
    co_await grove::receive([&](Remove& r) { log.push_back("remove " + r.name); });
    for (int i = 0; i < 2; ++i)
      co_await grove::receive([&](Add& a) { log.push_back("add " + a.name); },
                              [&](Remove& r) { log.push_back("remove " + r.name); });
  });
  sched.send(p, Add{"ana"});
  sched.send(p, 42);  // never matched
  sched.send(p, Remove{"bob"});
  sched.send(p, Add{"cy"});
  settle();
  EXPECT_EQ(log, (std::vector<std::string>{"remove bob", "add ana", "add cy"}));
}

TEST_F(Receive, SelectiveReceiveWithAfterReportsTheTimeout) {
  int outcome = 0;
  Pid p = spawn([&]() -> grove::Process {
    bool got = co_await grove::receive(grove::after(10ms), [&](Add&) {});
    outcome = got ? 1 : 2;
  });
  sched.send(p, Remove{"x"});
  settle();
  advance(10ms);
  EXPECT_EQ(outcome, 2);
}

TEST_F(Receive, CatchAllHandlerTakesAnyMessage) {
  bool any = false;
  Pid p = spawn([&]() -> grove::Process {
    co_await grove::receive([&](grove::Message& m) { any = m.is<double>(); });
  });
  sched.send(p, 1.5);
  settle();
  EXPECT_TRUE(any);
}

TEST_F(Receive, SleepForWaitsOnTheClock) {
  bool woke = false;
  spawn([&]() -> grove::Process {
    co_await grove::sleep_for(1s);
    woke = true;
  });
  settle();
  advance(999ms);
  EXPECT_FALSE(woke);
  advance(1ms);
  EXPECT_TRUE(woke);
}
