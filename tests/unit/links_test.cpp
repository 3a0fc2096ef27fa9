// Links, monitors, exit signals and trap_exit.
#include "grove/links.hpp"

#include <optional>

#include "worker_fixture.hpp"

using namespace std::chrono_literals;
using grove::ExitReason;
using grove::Pid;

using Links = WorkerFixture;

namespace {
grove::Process wait_forever() { co_await grove::receive(grove::after(grove::infinity), [](int&) {}); }
grove::Process crash_on_message() {
  co_await grove::receive();
  throw std::runtime_error("linked crash");
}
}  // namespace

TEST_F(Links, LinkedProcessDiesWithTheCrashReason) {
  ExitReason why;
  spawn([&]() -> grove::Process {
    auto [mid, ref] = grove::spawn_monitor([]() -> grove::Process {
      Pid c = grove::spawn_link(crash_on_message);
      grove::send(c, 1);
      co_await grove::receive();
    });
    (void)mid;
    why = (co_await grove::receive()).get<grove::Down>()->reason;
  });
  settle();
  EXPECT_EQ(why, ExitReason::crash("linked crash"));
}

TEST_F(Links, TrapExitTurnsTheSignalIntoAMessage) {
  grove::ExitSignal got;
  Pid child;
  spawn([&]() -> grove::Process {
    grove::trap_exit(true);
    child = grove::spawn_link(crash_on_message);
    grove::send(child, 1);
    co_await grove::receive([&](grove::ExitSignal& e) { got = e; });
  });
  settle();
  EXPECT_EQ(got.from, child);
  EXPECT_EQ(got.reason, ExitReason::crash("linked crash"));
}

TEST_F(Links, NormalExitDoesNotKillLinkedProcesses) {
  Pid parent = spawn([&]() -> grove::Process {
    grove::spawn_link([] {});
    co_await grove::receive();
  });
  settle();
  EXPECT_TRUE(sched.alive(parent));
}

TEST_F(Links, ShutdownSignalEndsANonTrappingProcessWithShutdown) {
  ExitReason why;
  spawn([&]() -> grove::Process {
    auto [p, ref] = grove::spawn_monitor(wait_forever);
    grove::exit(p, ExitReason::shutdown());
    why = (co_await grove::receive()).get<grove::Down>()->reason;
  });
  settle();
  EXPECT_EQ(why, ExitReason::shutdown());
}

TEST_F(Links, KillCannotBeTrappedAndEndsWithKilled) {
  ExitReason why;
  spawn([&]() -> grove::Process {
    auto [p, ref] = grove::spawn_monitor([]() -> grove::Process {
      grove::trap_exit(true);
      for (;;) co_await grove::receive();
    });
    co_await grove::yield();
    grove::exit(p, ExitReason::kill());
    why = (co_await grove::receive()).get<grove::Down>()->reason;
  });
  settle();
  EXPECT_EQ(why, ExitReason::killed());
}

TEST_F(Links, MonitoringADeadPidGivesDownWithNoproc) {
  ExitReason why;
  grove::MonitorRef mref, got_ref;
  Pid gone = spawn([] {});
  settle();
  spawn([&]() -> grove::Process {
    mref = grove::monitor(gone);
    grove::Message m = co_await grove::receive();
    why = m.get<grove::Down>()->reason;
    got_ref = m.get<grove::Down>()->ref;
  });
  settle();
  EXPECT_EQ(why, ExitReason::noproc());
  EXPECT_EQ(got_ref, mref);
}

TEST_F(Links, LinkingToADeadPidSendsNoproc) {
  ExitReason why;
  Pid gone = spawn([] {});
  settle();
  spawn([&]() -> grove::Process {
    grove::trap_exit(true);
    grove::link(gone);
    co_await grove::receive([&](grove::ExitSignal& e) { why = e.reason; });
  });
  settle();
  EXPECT_EQ(why, ExitReason::noproc());
}

TEST_F(Links, DemonitorDropsThePendingDown) {
  bool got_down = false;
  spawn([&]() -> grove::Process {
    auto [p, ref] = grove::spawn_monitor([] {});
    (void)p;
    co_await grove::sleep_for(1ms);  // the Down is queued by now
    grove::demonitor(ref);
    auto m = co_await grove::receive(10ms);
    got_down = m && m->is<grove::Down>();
  });
  settle();
  advance(1ms);
  advance(10ms);
  EXPECT_FALSE(got_down);
}

TEST_F(Links, UnlinkStopsPropagation) {
  Pid parent = spawn([&]() -> grove::Process {
    Pid c = grove::spawn_link(crash_on_message);
    grove::unlink(c);
    grove::send(c, 1);
    co_await grove::receive();
  });
  settle();
  EXPECT_TRUE(sched.alive(parent));
}

// ---- exit(self(), reason): Erlang's exit/2 when Pid is the caller

class ExitSelf : public WorkerFixture {
 protected:
  // Runs `body` as a monitored process; `why` is the reason it ended with.
  template <class F>
  void watch(F body) {
    spawn([this, body]() -> grove::Process {
      grove::spawn_monitor(body);
      grove::Message down = co_await grove::receive();
      why = down.get<grove::Down>()->reason;
    });
    settle();
  }
  std::optional<ExitReason> why;
  bool went_on = false;
};

TEST_F(ExitSelf, NormalEndsAProcessThatDoesNotTrapExits) {
  watch([this]() -> grove::Process {
    grove::exit(grove::self(), ExitReason::normal());
    co_await grove::receive(grove::after(grove::infinity), [](int&) {});
    went_on = true;
  });
  EXPECT_EQ(why, ExitReason::normal());
  EXPECT_FALSE(went_on);
}

TEST_F(ExitSelf, NormalBecomesAnExitSignalMessageWhenTrapping) {
  std::optional<grove::ExitSignal> got;
  Pid me;
  watch([&]() -> grove::Process {
    grove::trap_exit(true);
    me = grove::self();
    grove::exit(me, ExitReason::normal());
    co_await grove::receive(grove::after(0ms), [&](grove::ExitSignal& e) { got = e; });
  });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->from, me);
  EXPECT_EQ(got->reason, ExitReason::normal());
  EXPECT_EQ(why, ExitReason::normal());  // its body ended
}

TEST_F(ExitSelf, AReasonHoldsEvenWhenTheBodyEndsWithoutWaiting) {
  watch([] { grove::exit(grove::self(), ExitReason::shutdown()); });
  EXPECT_EQ(why, ExitReason::shutdown());
}

TEST_F(ExitSelf, KillEndsATrappingProcessWithKilled) {
  watch([this]() -> grove::Process {
    grove::trap_exit(true);
    grove::exit(grove::self(), ExitReason::kill());
    co_await grove::yield();
    went_on = true;
  });
  EXPECT_EQ(why, ExitReason::killed());
  EXPECT_FALSE(went_on);
}

TEST_F(ExitSelf, NormalToAnotherProcessIsIgnored) {
  Pid other = spawn(wait_forever);
  spawn([other] { grove::exit(other, ExitReason::normal()); });
  settle();
  EXPECT_TRUE(sched.alive(other));
}

// ---- called outside a process: one fatal message, never undefined behaviour

using LinksMisuse = WorkerFixture;

TEST_F(LinksMisuse, MonitorOutsideAProcessStopsWithAMessage) {
  Pid p = spawn(wait_forever);
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // re-runs the test alone
  EXPECT_DEATH((void)grove::monitor(p), "grove: fatal: grove::monitor called outside a process");
}

TEST_F(LinksMisuse, LinkOutsideAProcessStopsWithAMessage) {
  Pid p = spawn(wait_forever);
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // re-runs the test alone
  EXPECT_DEATH(grove::link(p), "grove: fatal: grove::link called outside a process");
}

TEST_F(LinksMisuse, TrapExitOutsideAProcessStopsWithAMessage) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // re-runs the test alone
  EXPECT_DEATH((void)grove::trap_exit(true), "grove: fatal: grove::trap_exit called outside a process");
}
