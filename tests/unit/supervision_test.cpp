// One transition (or one short story) per test, on the pure engine.
#include "policy/supervision.hpp"

#include <gtest/gtest.h>

#include "supervision_harness.hpp"

using namespace grove;
using namespace grove::test;
using namespace std::chrono_literals;

TEST(SupervisionStart, ChildrenStartInOrderEachAfterThePreviousIsReady) {
  Harness h(policy(Strategy::one_for_one), workers(3));
  h.auto_ready = false;
  EXPECT_EQ(h.start(), "spawn 0");
  EXPECT_EQ(h.feed(Event::ready(0)), "spawn 1");
  EXPECT_EQ(h.feed(Event::ready(1)), "spawn 2");
  EXPECT_EQ(h.feed(Event::ready(2)), "ready");
  EXPECT_EQ(h.sup.phase(), Supervision::Phase::running);
}

TEST(SupervisionStart, AutostartFalseChildIsSkipped) {
  auto children = workers(3);
  children[1].policy.autostart = false;
  Harness h(policy(Strategy::one_for_one), children);
  EXPECT_EQ(h.start(), "spawn 0, spawn 2, ready");
  EXPECT_EQ(h.sup.children()[1].state, ChildState::stopped);
}

TEST(SupervisionStart, StartFailureWithDelayLetsTheNextChildStart) {
  auto children = workers(2);
  children[0].policy.restart_delay = 1s;
  Harness h(policy(Strategy::one_for_one), children);
  h.auto_ready = false;
  EXPECT_EQ(h.start(), "spawn 0");
  EXPECT_EQ(h.feed(Event::spawn_failed(0)), "spawn 1");
  EXPECT_EQ(h.sup.children()[0].state, ChildState::restarting);
}

TEST(SupervisionStart, StartTimeoutKillsTheChildAndCountsAFailure) {
  auto children = workers(1);
  children[0].policy.start_timeout = 2s;
  Harness h(policy(Strategy::one_for_one), children);
  h.auto_ready = false;
  h.auto_exit = false;
  EXPECT_EQ(h.start(), "spawn 0");
  ASSERT_EQ(h.sup.next_deadline(), h.now + 2s);
  h.now += 2s;
  EXPECT_EQ(h.tick(), "kill 0");
  // Even a clean exit code after the kill counts as the start failing.
  EXPECT_EQ(h.crash(0, ExitKind::normal), "spawn 0");
  EXPECT_EQ(h.sup.children()[0].restarts, 1);
}

TEST(SupervisionStart, ReadyIsReportedOnlyOnce) {
  Harness h(policy(Strategy::one_for_all), workers(2));
  EXPECT_EQ(h.start(), "spawn 0, spawn 1, ready");
  EXPECT_EQ(h.crash(0), "stop 1, spawn 0, spawn 1");
}

TEST(SupervisionShutdown, StopsChildrenInReverseOrderOneAtATime) {
  Harness h(policy(Strategy::one_for_one), workers(3));
  h.start();
  h.auto_exit = false;
  EXPECT_EQ(h.feed(Event::shutdown()), "stop 2");
  EXPECT_EQ(h.crash(2, ExitKind::shutdown), "stop 1");
  EXPECT_EQ(h.crash(1, ExitKind::shutdown), "stop 0");
  EXPECT_EQ(h.crash(0, ExitKind::shutdown), "exit shutdown");
  EXPECT_EQ(h.sup.phase(), Supervision::Phase::done);
}

TEST(SupervisionShutdown, ChildIgnoringTheStopSignalIsKilledAtItsShutdownTimeout) {
  auto children = workers(1);
  children[0].policy.shutdown = {Shutdown::Kind::timeout, 3s};
  Harness h(policy(Strategy::one_for_one), children);
  h.start();
  h.auto_exit = false;
  EXPECT_EQ(h.feed(Event::shutdown()), "stop 0");
  h.now += 2999ms;
  EXPECT_EQ(h.tick(), "");
  h.now += 1ms;
  EXPECT_EQ(h.tick(), "kill 0");
  EXPECT_EQ(h.crash(0), "exit shutdown");
}

TEST(SupervisionShutdown, BrutalKillKillsWithoutAskingFirst) {
  auto children = workers(1);
  children[0].policy.shutdown = {Shutdown::Kind::brutal_kill, 0ms};
  Harness h(policy(Strategy::one_for_one), children);
  h.start();
  EXPECT_EQ(h.feed(Event::shutdown()), "kill 0, exit shutdown");
}

TEST(SupervisionShutdown, InfinityWaitsForeverForTheChild) {
  auto children = workers(1);
  children[0].policy.shutdown = {Shutdown::Kind::infinity, 0ms};
  Harness h(policy(Strategy::one_for_one), children);
  h.start();
  h.auto_exit = false;
  EXPECT_EQ(h.feed(Event::shutdown()), "stop 0");
  EXPECT_FALSE(h.sup.next_deadline().has_value());
}

TEST(SupervisionShutdown, CustomStopSignalIsSent) {
  auto children = workers(1);
  children[0].policy.stop_signal = 2;
  Harness h(policy(Strategy::one_for_one), children);
  h.start();
  h.auto_exit = false;
  const auto actions = h.sup.handle(Event::shutdown(), h.now);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].signal, 2);
}

TEST(SupervisionIntensity, TooManyRestartsStopEveryChildAndGiveUp) {
  Harness h(policy(Strategy::one_for_one, 1, 5s), workers(3));
  h.start();
  EXPECT_EQ(h.crash(1), "spawn 1");
  h.now += 1s;
  EXPECT_EQ(h.crash(1), "stop 2, stop 0, exit gave_up");
  EXPECT_EQ(h.sup.end_reason(), EndReason::gave_up);
}

TEST(SupervisionIntensity, RestartsOfDifferentChildrenShareOneBudget) {
  Harness h(policy(Strategy::one_for_one, 1, 5s), workers(2));
  h.start();
  EXPECT_EQ(h.crash(0), "spawn 0");
  EXPECT_EQ(h.crash(1), "stop 0, exit gave_up");
}

TEST(SupervisionIntensity, RestartsSpreadBeyondThePeriodGoOnForever) {
  Harness h(policy(Strategy::one_for_one, 1, 5s), workers(1));
  h.start();
  for (int i = 0; i < 20; ++i) {
    h.now += 6s;
    ASSERT_EQ(h.crash(0), "spawn 0");
  }
  EXPECT_EQ(h.sup.children()[0].restarts, 20);
}

TEST(SupervisionIntensity, GroupRestartCountsOnce) {
  Harness h(policy(Strategy::one_for_all, 1, 5s), workers(3));
  h.start();
  h.crash(0);
  EXPECT_EQ(h.sup.children()[1].restarts, 1);
  EXPECT_EQ(h.crash(2), "stop 1, stop 0, exit gave_up");
}

TEST(SupervisionIntensity, SiblingDyingWhileQueuedForGroupStopIsNotASecondRestart) {
  Harness h(policy(Strategy::one_for_all, 1, 5s), workers(3));
  h.start();
  h.auto_exit = false;
  EXPECT_EQ(h.crash(0), "stop 2");
  // c1 was due to be stopped next; it dies on its own first.
  EXPECT_EQ(h.crash(1), "");
  h.auto_exit = true;
  EXPECT_EQ(h.crash(2, ExitKind::shutdown), "spawn 0, spawn 1, spawn 2");
}

TEST(SupervisionGroup, TemporarySiblingIsNotRestartedByAGroupRestart) {
  auto children = workers(3);
  children[2].policy.restart = RestartType::temporary;
  Harness h(policy(Strategy::one_for_all), children);
  h.start();
  EXPECT_EQ(h.crash(0), "stop 2, stop 1, spawn 0, spawn 1");
  EXPECT_FALSE(h.sup.children()[2].wanted);
}

TEST(SupervisionGroup, RestForOneLeavesEarlierChildrenAlone) {
  Harness h(policy(Strategy::rest_for_one), workers(4));
  h.start();
  EXPECT_EQ(h.crash(2), "stop 3, spawn 2, spawn 3");
  EXPECT_EQ(h.sup.children()[0].incarnation, 1u);
  EXPECT_EQ(h.sup.children()[1].incarnation, 1u);
}

TEST(SupervisionGroup, GroupRestartWaitsForTheFailedChildsDelay) {
  auto children = workers(2);
  children[0].policy.restart_delay = 500ms;
  Harness h(policy(Strategy::one_for_all), children);
  h.start();
  EXPECT_EQ(h.crash(0), "stop 1");
  EXPECT_EQ(h.sup.next_deadline(), h.now + 500ms);
  h.now += 500ms;
  EXPECT_EQ(h.tick(), "spawn 0, spawn 1");
}

TEST(SupervisionOperator, StoppedChildStaysDownAcrossSiblingRestarts) {
  Harness h(policy(Strategy::one_for_all), workers(3));
  h.start();
  EXPECT_EQ(h.feed(Event::stop(1)), "stop 1");
  EXPECT_EQ(h.crash(0), "stop 2, spawn 0, spawn 2");
  EXPECT_EQ(h.sup.children()[1].state, ChildState::stopped);
  EXPECT_EQ(h.feed(Event::start(1)), "spawn 1");
}

TEST(SupervisionOperator, RestartStopsThenStartsWithoutCountingAgainstIntensity) {
  Harness h(policy(Strategy::one_for_one, 0, 5s), workers(2));
  h.start();
  EXPECT_EQ(h.feed(Event::restart(0)), "stop 0, spawn 0");
  EXPECT_EQ(h.sup.children()[0].restarts, 0);
  EXPECT_EQ(h.sup.children()[0].incarnation, 2u);
  EXPECT_EQ(h.sup.phase(), Supervision::Phase::running);
}

TEST(SupervisionOperator, StartingAStoppedChildIsNotARestart) {
  Harness h(policy(Strategy::one_for_one), workers(1));
  h.start();
  h.feed(Event::stop(0));
  EXPECT_EQ(h.feed(Event::start(0)), "spawn 0");
  EXPECT_EQ(h.sup.children()[0].restarts, 0);
}

TEST(SupervisionOperator, StopDuringRestartDelayCancelsTheRestart) {
  auto children = workers(1);
  children[0].policy.restart_delay = 1s;
  Harness h(policy(Strategy::one_for_one), children);
  h.start();
  EXPECT_EQ(h.crash(0), "");
  EXPECT_EQ(h.sup.children()[0].state, ChildState::restarting);
  EXPECT_EQ(h.feed(Event::stop(0)), "");
  h.now += 1s;
  EXPECT_EQ(h.tick(), "");
  EXPECT_EQ(h.sup.children()[0].state, ChildState::stopped);
}

TEST(SupervisionBackoff, RestartWaitsTheDelayThenSpawns) {
  auto children = workers(1);
  children[0].policy.restart_delay = 200ms;
  children[0].policy.backoff_max = 1s;
  Harness h(policy(Strategy::one_for_one), children);
  h.start();
  h.now += 10ms;
  EXPECT_EQ(h.crash(0), "");
  EXPECT_EQ(h.sup.next_deadline(), h.now + 200ms);
  h.now += 200ms;
  EXPECT_EQ(h.tick(), "spawn 0");
  h.now += 10ms;
  h.crash(0);
  EXPECT_EQ(h.sup.next_deadline(), h.now + 400ms);
}

TEST(SupervisionExit, TransientNormalExitLeavesTheChildStopped) {
  Harness h(policy(Strategy::one_for_one), workers(1, RestartType::transient));
  h.start();
  EXPECT_EQ(h.crash(0, ExitKind::normal), "");
  EXPECT_EQ(h.sup.children()[0].state, ChildState::stopped);
}

TEST(SupervisionExit, TemporaryCrashLeavesTheChildFailed) {
  Harness h(policy(Strategy::one_for_one), workers(1, RestartType::temporary));
  h.start();
  EXPECT_EQ(h.crash(0), "");
  EXPECT_EQ(h.sup.children()[0].state, ChildState::failed);
}

TEST(SupervisionExit, NoRestartDuringShutdown) {
  Harness h(policy(Strategy::one_for_one), workers(2));
  h.start();
  h.auto_exit = false;
  EXPECT_EQ(h.feed(Event::shutdown()), "stop 1");
  EXPECT_EQ(h.crash(0), "");
  EXPECT_EQ(h.crash(1, ExitKind::shutdown), "exit shutdown");
}

TEST(SupervisionAutoShutdown, AnySignificantChildEndingEndsTheSupervisor) {
  auto children = workers(2, RestartType::transient);
  children[1].policy.significant = true;
  auto p = policy(Strategy::one_for_one);
  p.auto_shutdown = AutoShutdown::any_significant;
  Harness h(p, children);
  h.start();
  EXPECT_EQ(h.crash(1, ExitKind::normal), "stop 0, exit auto_shutdown");
}

TEST(SupervisionAutoShutdown, AllSignificantWaitsForTheLastOne) {
  auto children = workers(3, RestartType::transient);
  children[0].policy.significant = true;
  children[1].policy.significant = true;
  auto p = policy(Strategy::one_for_one);
  p.auto_shutdown = AutoShutdown::all_significant;
  Harness h(p, children);
  h.start();
  EXPECT_EQ(h.crash(0, ExitKind::normal), "");
  EXPECT_EQ(h.crash(1, ExitKind::normal), "stop 2, exit auto_shutdown");
}

TEST(SupervisionAutoShutdown, SignificantChildThatRestartsDoesNotEndTheSupervisor) {
  auto children = workers(1, RestartType::transient);
  children[0].policy.significant = true;
  auto p = policy(Strategy::one_for_one);
  p.auto_shutdown = AutoShutdown::any_significant;
  Harness h(p, children);
  h.start();
  EXPECT_EQ(h.crash(0, ExitKind::abnormal), "spawn 0");
}

TEST(SupervisionAutoShutdown, NeverIgnoresSignificantChildren) {
  auto children = workers(1, RestartType::temporary);
  children[0].policy.significant = true;
  Harness h(policy(Strategy::one_for_one), children);
  h.start();
  EXPECT_EQ(h.crash(0, ExitKind::normal), "");
  EXPECT_EQ(h.sup.phase(), Supervision::Phase::running);
}

TEST(SupervisionEvents, StaleExitOfAStoppedChildIsIgnored) {
  Harness h(policy(Strategy::one_for_one), workers(1));
  h.start();
  h.feed(Event::stop(0));
  EXPECT_EQ(h.crash(0), "");
  EXPECT_EQ(h.sup.children()[0].restarts, 0);
}

TEST(SupervisionReload, AddedChildStartsAfterTheRunningOnes) {
  Harness h(policy(Strategy::one_for_one), workers(2));
  h.start();
  std::vector<Action> out;
  const std::size_t i = h.sup.add_child(worker("new"), h.now, out);
  EXPECT_EQ(i, 2u);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, Action::Kind::spawn);
  EXPECT_EQ(out[0].child, 2u);
}

TEST(SupervisionReload, AddedChildWithoutAutostartStaysStopped) {
  Harness h(policy(Strategy::one_for_one), workers(1));
  h.start();
  auto e = worker("new");
  e.policy.autostart = false;
  std::vector<Action> out;
  h.sup.add_child(e, h.now, out);
  EXPECT_TRUE(out.empty());
}

TEST(SupervisionOperator, StartDuringAStopStartsTheChildOnceItIsDown) {
  Harness h(policy(Strategy::one_for_one), workers(1));
  h.start();
  h.auto_exit = false;
  EXPECT_EQ(h.feed(Event::stop(0)), "stop 0");
  EXPECT_EQ(h.feed(Event::start(0)), "");
  EXPECT_EQ(h.crash(0, ExitKind::shutdown), "spawn 0");
  EXPECT_EQ(h.sup.children()[0].state, ChildState::running);
}

TEST(SupervisionStart, ReadinessEndsTheStartTimeout) {
  Harness h(policy(Strategy::one_for_one), workers(2));
  h.start();
  EXPECT_FALSE(h.sup.next_deadline().has_value()) << "a ready child keeps a pending deadline";
}
