// The control socket under abuse: strangers, garbage, slow and many clients.
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "control/control_client.hpp"
#include "groved_harness.hpp"

using namespace grove::test;

namespace {

const char* kTree = R"(
name = "sock"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = 1000
period = "1s"
[[children]]
name = "steady"
command = ["sleep", "1000"]
[[children]]
name = "crasher"
command = ["sh", "-c", "sleep 0.05; exit 1"]
)";

int raw_connect(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  path.copy(a.sun_path, path.size());
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string read_line(int fd) {
  std::string line;
  char c;
  while (::read(fd, &c, 1) == 1 && c != '\n') line += c;
  return line;
}

}  // namespace

TEST(ControlSocket, AnotherUidIsRefusedWithAClearMessage) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run a client as another uid";
  if (::access("/usr/bin/setpriv", X_OK) != 0) GTEST_SKIP() << "setpriv not installed";
  Groved g(kTree);
  g.wait_for("tree_ready");
  // Open the path up so that the connection reaches groved's own check.
  ::chmod(g.dir().c_str(), 0755);
  ::chmod(g.socket().c_str(), 0666);
  const auto r = run_command({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                              grovectl_binary(), "--socket", g.socket(), "status"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("permission denied: uid 65534"), std::string::npos) << r.err;
  g.wait_for("control_refused", {{"uid", "65534"}});
  EXPECT_EQ(g.ctl({"status"}).code, 0);
}

TEST(ControlSocket, SocketIsPrivateToItsOwner) {
  Groved g(kTree);
  g.wait_for("tree_ready");
  struct stat st{};
  ASSERT_EQ(::stat(g.socket().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(ControlSocket, GarbageGetsAnErrorAndNeverHurtsGroved) {
  Groved g(kTree);
  g.wait_for("tree_ready");
  // Not JSON: an error line, and the connection stays usable.
  int fd = raw_connect(g.socket());
  ASSERT_GE(fd, 0);
  ASSERT_GT(::write(fd, "this is not json\n", 17), 0);
  EXPECT_NE(read_line(fd).find("malformed request"), std::string::npos);
  ASSERT_GT(::write(fd, "{\"id\":5,\"verb\":\"explode\"}\n", 26), 0);
  EXPECT_NE(read_line(fd).find("unknown verb 'explode'"), std::string::npos);
  ::close(fd);
  // Binary junk without a newline, beyond the line limit: dropped.
  fd = raw_connect(g.socket());
  std::mt19937 rng(42);
  std::string junk(2 << 20, '\0');
  for (char& c : junk) {
    c = static_cast<char>(rng() % 255 + 1);
    if (c == '\n') c = 'x';
  }
  std::size_t sent = 0;
  while (sent < junk.size()) {
    const ssize_t n = ::send(fd, junk.data() + sent, junk.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // groved hung up on us: what we want
    sent += static_cast<std::size_t>(n);
  }
  ::close(fd);
  // Half a request, then silence; and another that never finishes.
  const int half = raw_connect(g.socket());
  ASSERT_GT(::write(half, "{\"id\":1,\"ve", 11), 0);
  ::close(half);
  const int idle = raw_connect(g.socket());
  ASSERT_GT(::write(idle, "{\"id\":1", 7), 0);
  // None of it blocks others or crashes groved.
  EXPECT_EQ(g.ctl({"status"}).code, 0);
  EXPECT_EQ(g.ctl({"pid", "steady"}).code, 0);
  ::close(idle);
  EXPECT_EQ(g.terminate(), 0);
}

TEST(ControlSocket, AHundredConcurrentStatusClientsWhileChildrenCrash) {
  Groved g(kTree);
  g.wait_for("tree_ready");
  std::atomic<bool> crashes_seen{false};
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 100; ++t)
    clients.emplace_back([&] {
      auto client = grove::control::ControlClient::connect(g.socket());
      if (!client) return;
      grove::control::Request r;
      r.verb = grove::control::Verb::status;
      // Every client asks at least once, and keeps asking until the crasher
      // has been restarted three times under their load.
      do {
        auto reply = client.value().call(r, std::chrono::seconds(10));
        if (!reply || !reply.value().ok || !reply.value().status ||
            reply.value().status->children.size() != 2)
          return;
      } while (!crashes_seen);
      ok++;
    });
  for (int crash = 0; crash < 3; ++crash) g.wait_for("child_restarted", {{"path", "crasher"}});
  crashes_seen = true;
  for (auto& c : clients) c.join();
  EXPECT_EQ(ok.load(), 100);
  EXPECT_EQ(g.terminate(), 0);
}

TEST(ControlSocket, ASecondGrovedForTheSameSocketRefusesToStart) {
  Groved g(kTree);
  g.wait_for("tree_ready");
  const auto second = run_command({groved_binary(), g.dir() + "/grove.toml"}, std::chrono::seconds(10));
  EXPECT_EQ(second.code, 1);
  EXPECT_NE(second.err.find("another groved already serves"), std::string::npos) << second.err;
  EXPECT_EQ(g.ctl({"status"}).code, 0);
}
