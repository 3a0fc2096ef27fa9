// Which children a real SIGKILL takes down, and in which order they come
// back, under each OTP strategy.
#include <signal.h>

#include <gtest/gtest.h>

#include "groved_harness.hpp"

using namespace grove::test;

namespace {

std::string three_sleepers(const std::string& strategy) {
  return R"(
name = "strat"
control = "@DIR@/ctl.sock"
[supervisor]
strategy = ")" + strategy + R"("
intensity = 10
period = "10s"
[[children]]
name = "a"
command = ["sleep", "1000"]
[[children]]
name = "b"
command = ["sleep", "1000"]
[[children]]
name = "c"
command = ["sleep", "1000"]
)";
}

struct Pids {
  pid_t a, b, c;
};

Pids started(Groved& g) {
  Pids p{g.wait_for("child_started", {{"path", "a"}}).pid(),
         g.wait_for("child_started", {{"path", "b"}}).pid(),
         g.wait_for("child_started", {{"path", "c"}}).pid()};
  g.wait_for("tree_ready");
  return p;
}

// The paths of the events named `event` that came after the crash report.
std::vector<std::string> paths_after(const Groved& g, const std::string& after, const std::string& event) {
  std::vector<std::string> paths;
  bool seen = false;
  for (const auto& e : g.events()) {
    if (e.event == after) seen = true;
    else if (seen && e.event == event) paths.push_back(e.get("path"));
  }
  return paths;
}

}  // namespace

TEST(GrovedStrategy, OneForOneRestartsOnlyTheKilledChild) {
  Groved g(three_sleepers("one_for_one"));
  const Pids p = started(g);
  send_signal(p.b, SIGKILL);
  const auto b2 = g.wait_for("child_restarted", {{"path", "b"}});
  EXPECT_NE(b2.pid(), p.b);
  EXPECT_TRUE(alive(p.a));
  EXPECT_TRUE(alive(p.c));
  EXPECT_TRUE(paths_after(g, "child_terminated", "child_stop").empty());
  EXPECT_EQ(g.terminate(), 0);
}

TEST(GrovedStrategy, OneForAllStopsTheOthersInReverseThenRestartsAllInOrder) {
  Groved g(three_sleepers("one_for_all"));
  const Pids p = started(g);
  send_signal(p.b, SIGKILL);
  g.wait_for("child_restarted", {{"path", "c"}});
  EXPECT_EQ(paths_after(g, "child_terminated", "child_stop"), (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(paths_after(g, "child_terminated", "child_restarted"),
            (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_FALSE(alive(p.a));
  EXPECT_FALSE(alive(p.c));
  EXPECT_EQ(g.terminate(), 0);
}

TEST(GrovedStrategy, RestForOneRestartsTheKilledChildAndThoseAfterIt) {
  Groved g(three_sleepers("rest_for_one"));
  const Pids p = started(g);
  send_signal(p.b, SIGKILL);
  g.wait_for("child_restarted", {{"path", "c"}});
  EXPECT_EQ(paths_after(g, "child_terminated", "child_stop"), (std::vector<std::string>{"c"}));
  EXPECT_EQ(paths_after(g, "child_terminated", "child_restarted"),
            (std::vector<std::string>{"b", "c"}));
  EXPECT_TRUE(alive(p.a));
  EXPECT_FALSE(alive(p.c));
  EXPECT_EQ(g.terminate(), 0);
}

TEST(GrovedStrategy, ShutdownStopsChildrenInReverseOrder) {
  Groved g(three_sleepers("one_for_one"));
  const Pids p = started(g);
  EXPECT_EQ(g.terminate(), 0);
  std::vector<std::string> order;
  for (const auto& e : g.all("child_stop")) order.push_back(e.get("path"));
  EXPECT_EQ(order, (std::vector<std::string>{"c", "b", "a"}));
  EXPECT_TRUE(wait_gone(p.a, 1s));
  EXPECT_TRUE(wait_gone(p.c, 1s));
}
