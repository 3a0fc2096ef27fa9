// NotifySocket: datagrams from real senders — tests/helpers/notify_client.c
// and Debian's systemd-notify — started with spawn(), waits bounded by poll.
#include "launch/notify_socket.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <vector>

#include "launch/child_env.hpp"
#include "launch/notify_message.hpp"
#include "launch/spawn.hpp"

namespace grove::launch {
namespace {

constexpr int deadline_ms = 10000;

std::string unique_abstract(const char* what) {
  return "@grove-test-" + std::string(what) + "-" + std::to_string(getpid());
}

struct Collected {
  std::vector<NotifyDatagram> datagrams;
  int status = -1;
};

// Receives every datagram until `pid` has exited and the queue is drained.
Collected collect_until_exit(NotifySocket& sock, pid_t pid) {
  Collected c;
  auto pidfd = open_pidfd(pid);
  EXPECT_TRUE(pidfd);
  if (!pidfd) return c;
  bool exited = false;
  while (!exited) {
    pollfd fds[2] = {{sock.fd(), POLLIN, 0}, {pidfd.value().get(), POLLIN, 0}};
    if (poll(fds, 2, deadline_ms) <= 0) {
      ADD_FAILURE() << "child did not exit within the deadline";
      kill(pid, SIGKILL);
      break;
    }
    exited = fds[1].revents != 0;
    while (auto d = sock.receive()) {
      if (!d.value()) break;
      c.datagrams.push_back(std::move(*d.value()));
    }
  }
  waitpid(pid, &c.status, 0);
  return c;
}

pid_t spawn_with_notify(const NotifySocket& sock, std::vector<std::string> argv) {
  SpawnRequest req;
  req.argv = std::move(argv);
  GroveVars vars{"test", "notify", "", 1, sock.address(), std::nullopt, std::nullopt};
  req.env = build_child_env(current_environment(), {}, {}, vars);
  auto child = spawn(req);
  EXPECT_TRUE(child) << (child ? "" : child.error().describe());
  return child ? child.value().pid : -1;
}

TEST(NotifySocket, EmptyQueueReceivesNothingWithoutBlocking) {
  auto sock = NotifySocket::bind(unique_abstract("empty"));
  ASSERT_TRUE(sock) << sock.error().describe();
  auto d = sock.value().receive();
  ASSERT_TRUE(d);
  EXPECT_FALSE(d.value());
  EXPECT_TRUE(fcntl(sock.value().fd(), F_GETFD) & FD_CLOEXEC);
}

TEST(NotifySocket, CClientMessageArrivesWithItsSenderPid) {
  auto sock = NotifySocket::bind(unique_abstract("client"));
  ASSERT_TRUE(sock);
  const pid_t pid = spawn_with_notify(sock.value(), {GROVE_NOTIFY_CLIENT, "READY=1\nSTATUS=warm"});
  ASSERT_GT(pid, 0);
  Collected c = collect_until_exit(sock.value(), pid);
  ASSERT_EQ(c.datagrams.size(), 1u);
  EXPECT_EQ(WEXITSTATUS(c.status), 0);
  EXPECT_EQ(c.datagrams[0].sender_pid, pid);
  EXPECT_EQ(c.datagrams[0].sender_uid, geteuid());
  const NotifyMessage m = parse_notify_message(c.datagrams[0].payload);
  EXPECT_TRUE(m.ready);
  EXPECT_EQ(m.status, "warm");
  EXPECT_TRUE(sent_by_session(c.datagrams[0].sender_pid, pid));
}

// systemd-notify (252) stamps its parent's pid when root, then sends
// BARRIER=1 with an fd and waits until the manager closes it: it returns 0
// promptly only because receive() closes passed fds.
TEST(NotifySocket, SystemdNotifyIsUnderstoodAndItsBarrierReleased) {
  if (access("/usr/bin/systemd-notify", X_OK) != 0) GTEST_SKIP() << "no systemd-notify";
  auto sock = NotifySocket::bind(unique_abstract("systemd"));
  ASSERT_TRUE(sock);
  const pid_t pid = spawn_with_notify(
      sock.value(), {"/bin/sh", "-c", "systemd-notify --ready --status=up; exit $?"});
  ASSERT_GT(pid, 0);
  Collected c = collect_until_exit(sock.value(), pid);
  ASSERT_TRUE(WIFEXITED(c.status));
  EXPECT_EQ(WEXITSTATUS(c.status), 0);
  bool ready = false;
  for (const NotifyDatagram& d : c.datagrams) {
    const NotifyMessage m = parse_notify_message(d.payload);
    if (!m.ready) continue;
    ready = true;
    EXPECT_EQ(m.status, "up");
    if (geteuid() == 0) {
      EXPECT_EQ(d.sender_pid, pid);  // the shell: systemd-notify's parent
    }
  }
  EXPECT_TRUE(ready);
}

TEST(NotifySocket, PathSocketIsWorldWritableAndRemovedOnDestruction) {
  char dir[] = "/tmp/grove-notify-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/notify.sock";
  {
    std::FILE* stale = std::fopen(path.c_str(), "w");  // a leftover from a dead groved
    std::fclose(stale);
    auto sock = NotifySocket::bind(path);
    ASSERT_TRUE(sock) << sock.error().describe();
    struct stat st{};
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_TRUE(S_ISSOCK(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0666u);
    const pid_t pid = spawn_with_notify(sock.value(), {GROVE_NOTIFY_CLIENT, "READY=1"});
    Collected c = collect_until_exit(sock.value(), pid);
    ASSERT_EQ(c.datagrams.size(), 1u);
    EXPECT_EQ(c.datagrams[0].payload, "READY=1");
    NotifySocket moved = std::move(sock.value());  // the moved-from one must not unlink
    EXPECT_EQ(access(path.c_str(), F_OK), 0);
  }
  EXPECT_NE(access(path.c_str(), F_OK), 0);
  rmdir(dir);
}

// In-process sender for the edge cases the helpers cannot produce.
UniqueFd connected_sender(const std::string& abstract) {
  UniqueFd fd(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_un sun{};
  sun.sun_family = AF_UNIX;
  std::memcpy(sun.sun_path + 1, abstract.data() + 1, abstract.size() - 1);
  const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + abstract.size());
  EXPECT_EQ(connect(fd.get(), reinterpret_cast<sockaddr*>(&sun), len), 0);
  return fd;
}

TEST(NotifySocket, OversizedDatagramIsMarkedTruncated) {
  const std::string name = unique_abstract("big");
  auto sock = NotifySocket::bind(name);
  ASSERT_TRUE(sock);
  UniqueFd sender = connected_sender(name);
  const std::string big(5000, 'x');
  ASSERT_EQ(send(sender.get(), big.data(), big.size(), 0), 5000);
  auto d = sock.value().receive();
  ASSERT_TRUE(d && d.value());
  EXPECT_TRUE(d.value()->truncated);
  EXPECT_EQ(d.value()->payload.size(), NotifySocket::max_payload);
  EXPECT_EQ(d.value()->sender_pid, getpid());
}

TEST(NotifySocket, PassedFdsAreClosed) {
  const std::string name = unique_abstract("fds");
  auto sock = NotifySocket::bind(name);
  ASSERT_TRUE(sock);
  UniqueFd sender = connected_sender(name);
  int p[2];
  ASSERT_EQ(pipe2(p, O_CLOEXEC), 0);
  UniqueFd read_end(p[0]), write_end(p[1]);
  char payload[] = "FDSTORE=1";
  iovec iov{payload, sizeof payload - 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &p[1], sizeof(int));
  ASSERT_GT(sendmsg(sender.get(), &msg, 0), 0);
  write_end.reset();  // now the only write end is the one in flight
  auto d = sock.value().receive();
  ASSERT_TRUE(d && d.value());
  pollfd pf{read_end.get(), POLLIN, 0};
  ASSERT_EQ(poll(&pf, 1, deadline_ms), 1);
  EXPECT_TRUE(pf.revents & POLLHUP);  // the received copy was closed
}

TEST(NotifySocket, OverlongPathIsAnError) {
  auto sock = NotifySocket::bind("/tmp/" + std::string(200, 'x'));
  ASSERT_FALSE(sock);
  EXPECT_EQ(sock.error().code, NotifyError::Code::address_too_long);
}

TEST(NotifySocket, SessionMembershipDecidesOwnership) {
  EXPECT_TRUE(sent_by_session(getpid(), getsid(0)) || getsid(0) != getpid());
  EXPECT_FALSE(sent_by_session(getpid(), 1 << 22));
  EXPECT_FALSE(sent_by_session(0, getpid()));
}

}  // namespace
}  // namespace grove::launch
