#include "launch/child_env.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

namespace grove::launch {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;
using Strings = std::vector<std::string>;

GroveVars vars() { return GroveVars{"shop", "api/web", "/tmp/s.sock", 2, "", std::nullopt, std::nullopt}; }

const Strings grove_tail = {"GROVE_TREE=shop", "GROVE_PATH=api/web", "GROVE_SOCKET=/tmp/s.sock",
                            "GROVE_INCARNATION=2"};

Strings with_tail(Strings head) {
  head.insert(head.end(), grove_tail.begin(), grove_tail.end());
  return head;
}

TEST(ChildEnv, InheritsGrovedEnvironmentThenAddsGroveVariables) {
  EXPECT_EQ(build_child_env(Strings{"HOME=/root", "LANG=C"}, {}, {}, vars()),
            with_tail({"HOME=/root", "LANG=C"}));
}

TEST(ChildEnv, LaterLayersOverrideEarlierOnesInPlace) {
  const Strings inherited = {"A=groved", "B=groved", "C=groved"};
  const Pairs file = {{"B", "file"}, {"D", "file"}};
  const Pairs table = {{"C", "table"}, {"D", "table"}};
  EXPECT_EQ(build_child_env(inherited, file, table, vars()),
            with_tail({"A=groved", "B=file", "C=table", "D=table"}));
}

TEST(ChildEnv, GroveVariablesCannotBeOverriddenByTheTable) {
  const Pairs table = {{"GROVE_PATH", "spoofed"}};
  const Strings env = build_child_env({}, {}, table, vars());
  EXPECT_EQ(env, (Strings{"GROVE_PATH=api/web", "GROVE_TREE=shop", "GROVE_SOCKET=/tmp/s.sock",
                          "GROVE_INCARNATION=2"}));  // the table's position, groved's value
}

TEST(ChildEnv, GrovedsOwnManagerVariablesAreNotPassedOn) {
  const Strings inherited = {"NOTIFY_SOCKET=/run/systemd/notify", "WATCHDOG_USEC=100",
                             "WATCHDOG_PID=1", "KEEP=1"};
  EXPECT_EQ(build_child_env(inherited, {}, {}, vars()), with_tail({"KEEP=1"}));
}

TEST(ChildEnv, NotifySocketAndWatchdogAreSetWhenGiven) {
  GroveVars v = vars();
  v.notify_socket = "@grove-shop";
  v.watchdog_usec = 5000000;
  const Strings env = build_child_env({}, {}, {}, v);
  ASSERT_EQ(env.size(), grove_tail.size() + 2);
  EXPECT_EQ(env[4], "NOTIFY_SOCKET=@grove-shop");
  EXPECT_EQ(env[5], "WATCHDOG_USEC=5000000");
}

TEST(ChildEnv, AMailboxChildGetsItsInboxDirectoryRedeliveriesAndDeadLetters) {
  GroveVars v = vars();
  v.mailbox = GroveVars::Mailbox{"grove.u0.shop.p1-2.api%2Fweb", "grove.u0.shop.p1-2.~names", 5,
                                 "/run/grove/shop.deadletters/api%2Fweb.ndjson"};
  const Strings env = build_child_env({}, {}, {}, v);
  ASSERT_EQ(env.size(), grove_tail.size() + 4);
  EXPECT_EQ(Strings(env.begin(), env.begin() + 4), grove_tail);
  const Strings tail(env.begin() + 4, env.end());
  EXPECT_EQ(tail, (Strings{"GROVE_INBOX=grove.u0.shop.p1-2.api%2Fweb", "GROVE_DIRECTORY=grove.u0.shop.p1-2.~names",
                           "GROVE_MAX_REDELIVERIES=5",
                           "GROVE_DEADLETTERS=/run/grove/shop.deadletters/api%2Fweb.ndjson"}));
}

TEST(ChildEnv, InheritedMailboxVariablesAreNotPassedOn) {
  const Strings inherited = {"GROVE_INBOX=x", "GROVE_DIRECTORY=y", "GROVE_MAX_REDELIVERIES=1",
                             "GROVE_DEADLETTERS=/z", "KEEP=1"};
  EXPECT_EQ(build_child_env(inherited, {}, {}, vars()), with_tail({"KEEP=1"}));
}

TEST(ChildEnv, EntriesWithoutEqualsAreDropped) {
  EXPECT_EQ(build_child_env(Strings{"JUNK", "=x", "A=1"}, {}, {}, vars()), with_tail({"A=1"}));
}

TEST(ChildEnv, CurrentEnvironmentCopiesEnviron) {
  ::setenv("GROVE_CHILD_ENV_TEST", "yes", 1);
  const Strings env = current_environment();
  EXPECT_NE(std::find(env.begin(), env.end(), "GROVE_CHILD_ENV_TEST=yes"), env.end());
  ::unsetenv("GROVE_CHILD_ENV_TEST");
}

}  // namespace
}  // namespace grove::launch
