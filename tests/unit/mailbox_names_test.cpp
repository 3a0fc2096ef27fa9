#include "groved/mailbox_names.hpp"

#include <gtest/gtest.h>

#include "grove/ipc/segment_name.hpp"

namespace grove::groved {
namespace {

const ipc::ProcessIdentity kRoot{4242, 889911};

ChildSpec worker(const std::string& name, bool mailbox, int redeliveries = 3) {
  ChildSpec c;
  c.name = name;
  c.process.command = {"x"};
  c.process.mailbox = mailbox;
  c.policy.max_redeliveries = redeliveries;
  return c;
}

TEST(MailboxNames, AnInboxIsNamedForTheUserTheTreeTheRootAndThePath) {
  const MailboxNames n = mailbox_names(1000, "shop", kRoot, "/run/user/1000/grove/shop.sock");
  EXPECT_EQ(n.inbox("api/cache"), "grove.u1000.shop.p4242-889911.api%2Fcache");
  const auto back = ipc::parse_segment_name(n.inbox("api/cache"));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->owner, kRoot);
  EXPECT_EQ(back->inbox, "api/cache");
}

TEST(MailboxNames, TheDirectoryCannotCollideWithAChildPath) {
  const MailboxNames n = mailbox_names(1000, "shop", kRoot, "/run/g/shop.sock");
  const auto dir = ipc::parse_segment_name(n.directory());
  ASSERT_TRUE(dir);
  EXPECT_EQ(dir->inbox, "~names");  // '~' is not allowed in child names
}

TEST(MailboxNames, DeadLettersLiveBesideTheControlSocket) {
  EXPECT_EQ(mailbox_names(0, "shop", kRoot, "/run/g/shop.sock").deadletter_file("api/cache"),
            "/run/g/shop.deadletters/api%2Fcache.ndjson");
  EXPECT_EQ(mailbox_names(0, "t", kRoot, "ctl.sock").deadletter_dir, "./t.deadletters");
  EXPECT_EQ(mailbox_names(0, "t", kRoot, "/ctl.sock").deadletter_dir, "/t.deadletters");
}

TEST(MailboxWorkers, AreFoundAtAnyDepthWithTheirRedeliveries) {
  ChildSpec api;
  api.name = "api";
  api.type = ChildType::supervisor;
  api.children = {worker("web", false), worker("cache", true, 5)};
  const auto found = mailbox_workers({worker("db", true), api, worker("plain", false)});
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].path, "db");
  EXPECT_EQ(found[0].max_redeliveries, 3);
  EXPECT_EQ(found[1].path, "api/cache");
  EXPECT_EQ(found[1].max_redeliveries, 5);
}

TEST(MailboxWorkers, NoneWhenNoWorkerAsksForOne) {
  EXPECT_TRUE(mailbox_workers({worker("a", false)}).empty());
}

}  // namespace
}  // namespace grove::groved
