// Task: async/await with timeout; TaskSupervisor: unlinked tasks.
#include "grove/task.hpp"

#include "grove/task_supervisor.hpp"
#include "worker_fixture.hpp"

using namespace std::chrono_literals;
using grove::CallError;
using grove::ExitReason;

using Task = WorkerFixture;

TEST_F(Task, AwaitReturnsTheFunctionsValue) {
  int got = 0;
  spawn([&]() -> grove::Process {
    auto t = grove::async([] { return 6 * 7; });
    got = *(co_await t.await());
  });
  settle();
  EXPECT_EQ(got, 42);
}

TEST_F(Task, AwaitTimesOutWhileTheTaskWaits) {
  std::optional<CallError> err;
  spawn([&]() -> grove::Process {
    auto t = grove::async([]() -> grove::Async<int> {
      co_await grove::sleep_for(1s);
      co_return 1;
    });
    auto r = co_await t.await(100ms);
    if (!r) err = r.error();
    grove::exit(t.pid(), ExitReason::kill());
  });
  settle();
  advance(100ms);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->kind, CallError::Kind::timeout);
}

TEST_F(Task, AResultAwaitedLateIsStillThere) {
  int got = 0;
  spawn([&]() -> grove::Process {
    auto t = grove::async([] { return 5; });
    co_await grove::sleep_for(10ms);
    got = *(co_await t.await(0ms));
  });
  settle();
  advance(10ms);
  EXPECT_EQ(got, 5);
}

TEST_F(Task, ACrashingLinkedTaskTakesTheCallerDownUnlessTrapping) {
  std::optional<CallError> err;
  ExitReason caller_end;
  spawn([&]() -> grove::Process {
    grove::spawn_monitor([]() -> grove::Process {
      auto t = grove::async([]() -> int { throw std::runtime_error("task failed"); });
      co_await t.await();
    });
    caller_end = (co_await grove::receive()).get<grove::Down>()->reason;
    grove::trap_exit(true);
    auto t = grove::async([]() -> int { throw std::runtime_error("task failed"); });
    auto r = co_await t.await();
    if (!r) err = r.error();
  });
  settle();
  EXPECT_EQ(caller_end, ExitReason::crash("task failed"));
  ASSERT_TRUE(err);
  EXPECT_EQ(err->reason, ExitReason::crash("task failed"));
}

TEST_F(Task, SupervisedTaskCrashIsAnErrorValueForTheCaller) {
  std::optional<CallError> err;
  int ok_value = 0;
  spawn([&]() -> grove::Process {
    auto sup = co_await grove::TaskSupervisor::start_link();
    auto bad = co_await sup->async_nolink([]() -> int { throw std::runtime_error("nolink"); });
    auto r = co_await bad->await();
    if (!r) err = r.error();
    auto good = co_await sup->async_nolink([] { return 3; });
    ok_value = *(co_await good->await());
  });
  settle();
  ASSERT_TRUE(err);
  EXPECT_EQ(err->reason, ExitReason::crash("nolink"));
  EXPECT_EQ(ok_value, 3);
}

TEST_F(Task, TaskSupervisorEndingKillsItsTasks) {
  grove::Pid child;
  spawn([&]() -> grove::Process {
    grove::spawn_monitor([&]() -> grove::Process {
      auto sup = co_await grove::TaskSupervisor::start_link();
      auto started = co_await sup->start_child([]() -> grove::Async<void> { co_await grove::sleep_for(1h); });
      child = *started;
      grove::exit(ExitReason::shutdown());
    });
    co_await grove::receive([](grove::Down&) {});
  });
  settle();
  EXPECT_TRUE(child);
  EXPECT_FALSE(sched.alive(child));
  EXPECT_EQ(sched.live(), 0u);
}
