// Lightweight processes: spawn, pids, send/receive, exit reasons, names.
#include "grove/process.hpp"

#include <optional>
#include <string>
#include <vector>

#include "worker_fixture.hpp"

using namespace std::chrono_literals;
using grove::ExitReason;
using grove::Pid;

namespace {
struct Ping {
  Pid from;
};
struct Pong {};
}  // namespace

using Process = WorkerFixture;

TEST_F(Process, PlainFunctionRunsAndTheProcessEnds) {
  bool ran = false;
  Pid p = spawn([&] { ran = true; });
  EXPECT_TRUE(sched.alive(p));
  settle();
  EXPECT_TRUE(ran);
  EXPECT_FALSE(sched.alive(p));
  EXPECT_EQ(sched.live(), 0u);
}

TEST_F(Process, MessagesArriveInOrderAndSelfNamesTheReceiver) {
  std::vector<int> got;
  Pid me;
  Pid p = spawn([&]() -> grove::Process {
    me = grove::self();
    for (int i = 0; i < 3; ++i) got.push_back(*(co_await grove::receive()).get<int>());
  });
  sched.send(p, 1);
  sched.send(p, 2);
  sched.send(p, 3);
  settle();
  EXPECT_EQ(got, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(me, p);
}

TEST_F(Process, PingPongBetweenTwoProcesses) {
  int pongs = 0;
  Pid echo = spawn([]() -> grove::Process {
    for (;;) {
      grove::Message m = co_await grove::receive();
      if (auto* ping = m.get<Ping>()) grove::send(ping->from, Pong{});
    }
  });
  spawn([&, echo]() -> grove::Process {
    for (int i = 0; i < 100; ++i) {
      grove::send(echo, Ping{grove::self()});
      grove::Message m = co_await grove::receive();
      if (m.is<Pong>()) ++pongs;
    }
  });
  settle();
  EXPECT_EQ(pongs, 100);
}

TEST_F(Process, APidOfAnEndedProcessNeverReachesTheSlotsNextOccupant) {
  Pid first = spawn([] {});
  settle();
  int got = 0;
  Pid second = spawn([&]() -> grove::Process { got = *(co_await grove::receive()).get<int>(); });
  EXPECT_EQ(second.index, first.index);  // the slot is reused ...
  EXPECT_NE(second, first);              // ... under a new serial
  EXPECT_FALSE(sched.send(first, 1));
  sched.send(second, 2);
  settle();
  EXPECT_EQ(got, 2);
}

TEST_F(Process, AnEscapingExceptionEndsOnlyThatProcessWithItsMessage) {
  ExitReason why;
  bool other_ran = false;
  spawn([&]() -> grove::Process {
    grove::spawn_monitor([] { throw std::runtime_error("boom"); });
    grove::Message m = co_await grove::receive();
    why = m.get<grove::Down>()->reason;
  });
  spawn([&] { other_ran = true; });
  settle();
  EXPECT_EQ(why, ExitReason::crash("boom"));
  EXPECT_TRUE(other_ran);
}

TEST_F(Process, ExitWithAReasonFromDeepInsideTheProcess) {
  ExitReason why;
  spawn([&]() -> grove::Process {
    grove::spawn_monitor([] { grove::exit(ExitReason::error("disk full")); });
    why = (co_await grove::receive()).get<grove::Down>()->reason;
  });
  settle();
  EXPECT_EQ(describe(why), "error: disk full");
}

TEST_F(Process, RegisteredNamesResolveUntilTheProcessEnds) {
  std::optional<Pid> during, after;
  Pid named = spawn([]() -> grove::Process {
    EXPECT_TRUE(grove::register_name("speakers", grove::self()));
    co_await grove::receive();
  });
  settle();
  EXPECT_EQ(sched.whereis("speakers"), named);
  spawn([&]() -> grove::Process {
    during = grove::whereis("speakers");
    EXPECT_FALSE(grove::register_name("speakers", grove::self()));  // taken
    grove::send("speakers", 1);
    co_return;
  });
  settle();
  EXPECT_EQ(during, named);
  EXPECT_FALSE(sched.alive(named));
  EXPECT_EQ(sched.whereis("speakers"), std::nullopt);
}

// ---- registered names: Erlang's register/2 names any live local process

using Names = WorkerFixture;

namespace {
grove::Process wait_for_one() { co_await grove::receive(); }
}  // namespace

TEST_F(Names, RegisterNamesAnotherLiveProcess) {
  Pid other = spawn(wait_for_one);
  bool registered = false, sent = false;
  spawn([&]() -> grove::Process {
    registered = grove::register_name("other", other).ok();
    sent = grove::send("other", 1);
    co_return;
  });
  settle();
  EXPECT_TRUE(registered);
  EXPECT_TRUE(sent);
  EXPECT_FALSE(sched.alive(other));  // it received the message and ended
  EXPECT_EQ(sched.whereis("other"), std::nullopt);
}

TEST_F(Names, TheNameOfAnotherProcessIsDroppedWhenItEnds) {
  Pid other = spawn(wait_for_one);
  spawn([&]() -> grove::Process {
    EXPECT_TRUE(grove::register_name("other", other));
    co_return;
  });
  settle();
  EXPECT_EQ(sched.whereis("other"), other);
  sched.send(other, 1);
  settle();
  EXPECT_EQ(sched.whereis("other"), std::nullopt);
}

TEST_F(Names, AProcessEndingBeforeItLearnsItsNameStillDropsIt) {
  spawn([&]() -> grove::Process {
    Pid quick = grove::spawn([] {});  // queued; ends in its first turn
    EXPECT_TRUE(grove::register_name("quick", quick));
    co_return;
  });
  settle();
  EXPECT_EQ(sched.whereis("quick"), std::nullopt);
}

TEST_F(Names, RegisterRefusesLikeErlangsBadarg) {
  Pid other = spawn(wait_for_one);
  Pid dead = spawn([] {});
  settle();
  std::vector<std::optional<grove::NameError>> errors;
  spawn([&]() -> grove::Process {
    auto error_of = [](grove::Result<void, grove::NameError> r) {
      return r ? std::nullopt : std::optional(r.error());
    };
    errors.push_back(error_of(grove::register_name("me", grove::self())));
    errors.push_back(error_of(grove::register_name("me", other)));        // taken
    errors.push_back(error_of(grove::register_name("again", grove::self())));  // has one
    errors.push_back(error_of(grove::register_name("ghost", dead)));      // not alive
    errors.push_back(error_of(grove::register_name("", other)));
    co_return;
  });
  settle();
  using E = grove::NameError;
  EXPECT_EQ(errors, (std::vector<std::optional<E>>{std::nullopt, E::taken, E::already_registered, E::noproc,
                                                   E::bad_name}));
  EXPECT_EQ(describe(E::already_registered), "already_registered");
}

TEST_F(Names, UnregisterDropsAnyProcesssName) {
  Pid other = spawn(wait_for_one);
  bool dropped = false, again = true;
  spawn([&]() -> grove::Process {
    EXPECT_TRUE(grove::register_name("other", other));
    dropped = grove::unregister_name("other");
    again = grove::unregister_name("other");
    EXPECT_TRUE(grove::register_name("renamed", other));  // it has no name now
    co_return;
  });
  settle();
  EXPECT_TRUE(dropped);
  EXPECT_FALSE(again);
  EXPECT_EQ(sched.whereis("other"), std::nullopt);
  EXPECT_EQ(sched.whereis("renamed"), other);
}

// ---- called outside a process: one fatal message, never undefined behaviour

using ProcessMisuse = WorkerFixture;

TEST_F(ProcessMisuse, AliveOffTheSchedulersThreadsStopsWithAMessage) {
  Pid p = spawn(wait_for_one);
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // re-runs the test alone
  EXPECT_DEATH((void)grove::alive(p), "grove: fatal: grove::alive called outside a process");
}

TEST_F(ProcessMisuse, WhereisOffTheSchedulersThreadsStopsWithAMessage) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // re-runs the test alone
  EXPECT_DEATH((void)grove::whereis("x"), "grove: fatal: grove::whereis called outside a process");
}

TEST_F(ProcessMisuse, SpawnOutsideAProcessStopsWithAMessage) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // re-runs the test alone
  EXPECT_DEATH((void)grove::spawn([] {}), "grove: fatal: grove::spawn called outside a process");
}

TEST_F(ProcessMisuse, RegisterNameOutsideAProcessStopsWithAMessage) {
  Pid p = spawn(wait_for_one);
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // re-runs the test alone
  EXPECT_DEATH((void)grove::register_name("x", p), "grove: fatal: grove::register_name called outside a process");
}

TEST_F(ProcessMisuse, SendOutsideAProcessStopsWithAMessage) {
  Pid p = spawn(wait_for_one);
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // re-runs the test alone
  EXPECT_DEATH((void)grove::send(p, 1), "grove: fatal: a send .* called outside a process");
}

TEST_F(ProcessMisuse, SelfOutsideAProcessIsTheEmptyPid) { EXPECT_EQ(grove::self(), Pid{}); }

TEST_F(Process, SendAfterDeliversOnTheSchedulersClock) {
  bool got = false;
  spawn([&]() -> grove::Process {
    grove::send_after(grove::self(), 7, 100ms);
    got = (co_await grove::receive()).is<int>();
  });
  settle();
  advance(99ms);
  EXPECT_FALSE(got);
  advance(1ms);
  EXPECT_TRUE(got);
}

TEST_F(Process, CancelledSendAfterNeverArrives) {
  std::optional<grove::Message> got;
  spawn([&]() -> grove::Process {
    auto t = grove::send_after(grove::self(), 7, 10ms);
    grove::cancel_timer(t);
    got = co_await grove::receive(50ms);
  });
  settle();
  advance(50ms);
  EXPECT_FALSE(got.has_value());
}

// Scope: a million processes, each waiting in receive, then all messaged.
TEST_F(Process, OneMillionProcessesSpawnWaitAndEnd) {
  constexpr int kCount = 1'000'000;
  static int ended;
  ended = 0;
  std::vector<Pid> pids;
  pids.reserve(kCount);
  for (int i = 0; i < kCount; ++i)
    pids.push_back(spawn(+[]() -> grove::Process {
      co_await grove::receive();
      ++ended;
    }));
  settle();
  EXPECT_EQ(sched.live(), static_cast<std::size_t>(kCount));
  for (Pid p : pids) sched.send(p, 0);
  settle();
  EXPECT_EQ(ended, kCount);
  EXPECT_EQ(sched.live(), 0u);
}
