#include "grove/ipc/process_identity.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

namespace grove::ipc {
namespace {

TEST(ProcessIdentity, ParsesStateParentAndStartTimeFromProcStat) {
  const auto st = parse_proc_stat(
      "4242 (my (odd) name) S 77 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 889911 "
      "1000 100 18446744073709551615\n");
  ASSERT_TRUE(st);
  EXPECT_EQ(st->state, 'S');
  EXPECT_EQ(st->ppid, 77);
  EXPECT_EQ(st->start_ticks, 889911u);
}

TEST(ProcessIdentity, RejectsTruncatedProcStat) {
  EXPECT_FALSE(parse_proc_stat("4242 (x) S 1 2 3"));
  EXPECT_FALSE(parse_proc_stat("no parenthesis"));
}

TEST(ProcessIdentity, SelfIsAlive) {
  const ProcessIdentity me = ProcessIdentity::self();
  EXPECT_EQ(me.pid, ::getpid());
  EXPECT_NE(me.start_ticks, 0u);
  EXPECT_TRUE(is_alive(me));
}

TEST(ProcessIdentity, SamePidWithAnotherStartTimeIsDead) {
  ProcessIdentity me = ProcessIdentity::self();
  me.start_ticks += 1;
  EXPECT_FALSE(is_alive(me));
}

TEST(ProcessIdentity, ZombieAndReapedChildAreDead) {
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) ::_exit(0);
  siginfo_t info{};
  // WNOWAIT: wait for the exit but leave the zombie in place.
  ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT), 0);
  const ProcessIdentity zombie{pid, 0};
  EXPECT_FALSE(is_alive(zombie));
  ASSERT_EQ(::waitpid(pid, nullptr, 0), pid);
  EXPECT_FALSE(is_alive(zombie));
}

}  // namespace
}  // namespace grove::ipc
