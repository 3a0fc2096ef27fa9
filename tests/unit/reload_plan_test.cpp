// Reload diffing on plain data: what restarts, what only changes policy.
#include "policy/reload_plan.hpp"

#include <gtest/gtest.h>

using namespace grove;

namespace {

ChildSpec worker(const std::string& name, std::vector<std::string> cmd = {"sleep", "100"}) {
  ChildSpec c;
  c.name = name;
  c.process.command = std::move(cmd);
  return c;
}

ChildSpec supervisor(const std::string& name, std::vector<ChildSpec> kids) {
  ChildSpec c;
  c.name = name;
  c.type = ChildType::supervisor;
  c.children = std::move(kids);
  return c;
}

std::vector<std::string> describe(const ReloadPlan& p) {
  std::vector<std::string> out;
  for (const auto& c : p.changes) {
    const char* kind = "?";
    switch (c.kind) {
      case ReloadChange::Kind::remove: kind = "remove"; break;
      case ReloadChange::Kind::restart: kind = "restart"; break;
      case ReloadChange::Kind::update_policy: kind = "policy"; break;
      case ReloadChange::Kind::update_subtree: kind = "subtree"; break;
      case ReloadChange::Kind::add: kind = "add"; break;
    }
    out.push_back(std::string(kind) + " " + c.name);
  }
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST(ReloadPlan, UnchangedConfigChangesNothing) {
  const std::vector<ChildSpec> kids{worker("a"), worker("b")};
  EXPECT_TRUE(plan_reload({}, kids, {}, kids).empty());
}

TEST(ReloadPlan, ANewOrderOfKeptChildrenIsNoticed) {
  EXPECT_TRUE(plan_reload({}, {worker("a"), worker("b")}, {}, {worker("b"), worker("a")}).order_changed);
  EXPECT_FALSE(plan_reload({}, {worker("a"), worker("b")}, {}, {worker("a"), worker("c"), worker("b")}).order_changed)
      << "an addition between them keeps their order";
  EXPECT_FALSE(plan_reload({}, {worker("a"), worker("x"), worker("b")}, {}, {worker("a"), worker("b")}).order_changed);
}

TEST(ReloadPlan, WhereAChildIsWrittenDoesNotMatter) {
  auto moved = worker("a");
  moved.where = {40, 1};
  EXPECT_TRUE(plan_reload({}, {worker("a")}, {}, {moved}).empty());
}

TEST(ReloadPlan, ChangedCommandRestartsOnlyThatChild) {
  const auto p = plan_reload({}, {worker("a"), worker("b")}, {},
                             {worker("a"), worker("b", {"sleep", "200"})});
  EXPECT_EQ(describe(p), (V{"restart b"}));
}

TEST(ReloadPlan, ChangedEnvironmentRestarts) {
  auto b = worker("b");
  b.process.env = {{"X", "1"}};
  EXPECT_EQ(describe(plan_reload({}, {worker("b")}, {}, {b})), (V{"restart b"}));
}

TEST(ReloadPlan, PolicyOnlyChangeAppliesInPlace) {
  auto b = worker("b");
  b.policy.restart = RestartType::transient;
  b.policy.shutdown = {Shutdown::Kind::brutal_kill, Duration{0}};
  EXPECT_EQ(describe(plan_reload({}, {worker("b")}, {}, {b})), (V{"policy b"}));
}

TEST(ReloadPlan, SupervisorPolicyChangeIsNoChildChange) {
  SupervisorPolicy p2;
  p2.intensity = 10;
  const auto p = plan_reload({}, {worker("a")}, p2, {worker("a")});
  EXPECT_TRUE(p.supervisor_policy_changed);
  EXPECT_TRUE(p.changes.empty());
}

TEST(ReloadPlan, AddedAndRemovedChildrenAreFoundByName) {
  const auto p = plan_reload({}, {worker("a"), worker("gone")}, {}, {worker("new"), worker("a")});
  EXPECT_EQ(describe(p), (V{"remove gone", "add new"}));
}

TEST(ReloadPlan, NestedChangePassesDownWithoutRestartingTheSupervisor) {
  const auto before = supervisor("api", {worker("web")});
  const auto after = supervisor("api", {worker("web", {"sleep", "300"})});
  EXPECT_EQ(describe(plan_reload({}, {before}, {}, {after})), (V{"subtree api"}));
}

TEST(ReloadPlan, NestedStrategyChangePassesDown) {
  auto after = supervisor("api", {worker("web")});
  after.supervisor.strategy = Strategy::one_for_all;
  EXPECT_EQ(describe(plan_reload({}, {supervisor("api", {worker("web")})}, {}, {after})),
            (V{"subtree api"}));
}

TEST(ReloadPlan, WorkerBecomingASupervisorRestarts) {
  EXPECT_EQ(describe(plan_reload({}, {worker("x")}, {}, {supervisor("x", {worker("y")})})),
            (V{"restart x"}));
}

TEST(ReloadPlan, RemovalsComeFirstThenUpdatesThenAdditions) {
  const auto p = plan_reload({}, {worker("a"), worker("b"), worker("c")}, {},
                             {worker("d"), worker("b", {"true"}), worker("c")});
  EXPECT_EQ(describe(p), (V{"remove a", "restart b", "add d"}));
}
