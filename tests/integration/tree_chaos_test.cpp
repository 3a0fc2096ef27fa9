// Chaos: a real groved tree (a kv store and three clients, worker-lib
// programs talking through groved's inboxes) under a steady stream of
// writes, while the test SIGKILLs random workers, each time as soon as the
// tree has made progress since the last kill. Then every client must end
// with "nothing lost", the store's log must hold each write exactly once,
// nothing may be dead-lettered, and the tree must be running again.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "groved_harness.hpp"
#include "status_json.hpp"

using namespace grove::test;
using nlohmann::json;

namespace {

constexpr int kWritesPerClient = 40000;
constexpr int kKills = 12;

std::uint64_t handled_by_store(const Groved& g) {
  const json m = mailbox_of(g, "store");
  return m.is_object() ? m["handled"].get<std::uint64_t>() : 0;
}

TEST(TreeChaos, RandomSigkillsUnderLoadLoseNoMessageAndTheTreeRecovers) {
  std::string config = R"(
name = "chaos"
control = "@DIR@/ctl.sock"
[supervisor]
strategy = "one_for_one"
intensity = 100
period = "10s"
[[children]]
name = "store"
command = ["@KVSTORE@", "@DIR@/kv.log"]
mailbox = true
)";
  for (const char* c : {"c1", "c2", "c3"})
    config += std::string("[[children]]\nname = \"") + c + "\"\ncommand = [\"@KVCLIENT@\", \"" +
              std::to_string(kWritesPerClient) + "\", \"20000\"]\nmailbox = true\nrestart = \"transient\"\n";
  config = replace_all(replace_all(config, "@KVSTORE@", GROVE_KVSTORE), "@KVCLIENT@", GROVE_KVCLIENT);
  Groved g(config);
  for (const char* c : {"c1", "c2", "c3"}) g.wait_for("child_ready", {{"path", c}});

  const unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  const std::vector<std::string> workers{"store", "c1", "c2", "c3"};
  int kills = 0;
  std::uint64_t progress = handled_by_store(g);
  const auto clients_done = [&](const json& root) {
    return std::all_of(workers.begin() + 1, workers.end(), [&](const std::string& w) {
      const json c = node_of(root, w);
      return c.is_object() && c["state"] == "stopped";
    });
  };
  while (kills < kKills && !clients_done(status_json(g))) {
    // Kill only once the store handled more writes since the last kill:
    // chaos under load, never a tree that is only restarting.
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    bool moved = false;
    while (!(moved = handled_by_store(g) >= progress + 2000) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(5ms);  // a counter in another process: polled, bounded
    if (!moved) break;  // the stream is over
    const std::string victim = workers[rng() % workers.size()];
    const json n = node_of(status_json(g), victim);
    if (!n.is_object() || n["state"] != "running" || !n["pid"].is_number()) continue;
    const pid_t pid = n["pid"].get<pid_t>();
    ASSERT_GT(pid, 1);
    ::kill(pid, SIGKILL);
    g.wait_for("child_terminated", {{"offender", victim}, {"reason", "signal:SIGKILL"}}, 20s);
    ++kills;
    progress = handled_by_store(g);
  }
  EXPECT_GE(kills, 3) << "the clients finished before the chaos started";

  for (const char* c : {"c1", "c2", "c3"})
    g.wait_for("child_terminated", {{"offender", c}, {"reason", "exit:0"}}, 90s);
  const std::string out = g.stdout_text();
  for (const char* c : {"c1", "c2", "c3"})
    EXPECT_NE(out.find(std::string("kvclient ") + c + ": " + std::to_string(kWritesPerClient) + " writes"),
              std::string::npos);
  EXPECT_EQ(out.find("LOST WRITES"), std::string::npos) << out;

  // The store's log: every (client, seq) exactly once, none missing.
  std::map<std::string, std::set<std::uint64_t>> seen;
  std::ifstream log(g.dir() + "/kv.log");
  std::string client;
  std::uint64_t seq = 0, value = 0, lines = 0;
  while (log >> client >> seq >> value) {
    ++lines;
    EXPECT_TRUE(seen[client].insert(seq).second) << client << " " << seq << " applied twice";
  }
  EXPECT_EQ(lines, 3u * kWritesPerClient);
  for (const char* c : {"c1", "c2", "c3"}) EXPECT_EQ(seen[c].size(), static_cast<std::size_t>(kWritesPerClient)) << c;

  // The last records are released once their acks reach the store's pump,
  // just after the replies the clients saw: polled (bounded).
  EXPECT_TRUE(eventually([&] {
    const json box = mailbox_of(g, "store");
    return box.is_object() && box["depth"] == 0;
  })) << mailbox_of(g, "store").dump();
  const json root = status_json(g);
  const json store = node_of(root, "store");
  ASSERT_TRUE(store.is_object());
  EXPECT_EQ(store["state"], "running");
  EXPECT_EQ(store["mailbox"]["dead_letters"], 0);
  std::printf("chaos: %d kills (seed %u), store handled %llu messages for %d writes\n", kills, seed,
              static_cast<unsigned long long>(store["mailbox"]["handled"].get<std::uint64_t>()),
              3 * kWritesPerClient);
  EXPECT_EQ(g.terminate(), 0);
}

}  // namespace
