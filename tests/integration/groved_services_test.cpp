// Real services under groved: redis-server and python's http.server.
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "groved_harness.hpp"

using namespace grove::test;

TEST(GrovedServices, RedisIsRestartedAfterSigkillAndServesAgain) {
  if (::access("/usr/bin/redis-server", X_OK) != 0) GTEST_SKIP() << "redis-server not installed";
  const std::string port = std::to_string(free_port());
  Groved g(R"(
name = "svc"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = 3
period = "10s"
[[children]]
name = "db"
command = ["redis-server", "--port", ")" + port + R"(", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", "@DIR@"]
ready = "tcp://127.0.0.1:)" + port + R"("
stdout = "null"
[[children]]
name = "web"
command = ["python3", "-m", "http.server", "0", "--bind", "127.0.0.1"]
)");
  g.wait_for("tree_ready");
  const pid_t first = g.wait_for("child_ready", {{"path", "db"}}, 0ms).pid();
  send_signal(first, SIGKILL);
  const auto again = g.wait_for("child_ready", {{"path", "db"}});
  EXPECT_NE(again.pid(), first);
  const std::string ping = "redis-cli -p " + port + " ping > " + g.dir() + "/ping.out 2>&1";
  if (::access("/usr/bin/redis-cli", X_OK) == 0) {
    EXPECT_EQ(std::system(ping.c_str()), 0);
  }
  EXPECT_EQ(g.terminate(), 0);
}
