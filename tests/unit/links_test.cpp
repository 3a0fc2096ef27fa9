// Links, monitors, exit signals and trap_exit.
#include "grove/links.hpp"

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
