#include "launch/credentials.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>

namespace grove::launch {
namespace {

// Debian's base passwd: root is 0/0, nobody is 65534 with group nogroup.
TEST(Credentials, UserNameGivesUidPrimaryGidAndGroups) {
  auto c = resolve_credentials("root", "");
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_TRUE(c.value().switch_user);
  EXPECT_EQ(c.value().uid, 0u);
  EXPECT_EQ(c.value().gid, 0u);
  EXPECT_NE(std::find(c.value().groups.begin(), c.value().groups.end(), 0u), c.value().groups.end());
}

TEST(Credentials, NumericUserWithAPasswdEntryResolvesLikeItsName) {
  auto by_name = resolve_credentials("nobody", "");
  auto by_id = resolve_credentials("65534", "");
  ASSERT_TRUE(by_name && by_id);
  EXPECT_EQ(by_id.value().uid, by_name.value().uid);
  EXPECT_EQ(by_id.value().gid, by_name.value().gid);
  EXPECT_EQ(by_id.value().groups, by_name.value().groups);
}

TEST(Credentials, GroupOverridesThePrimaryGroup) {
  auto c = resolve_credentials("nobody", "nogroup");
  ASSERT_TRUE(c);
  auto root_group = resolve_credentials("nobody", "0");
  ASSERT_TRUE(root_group);
  EXPECT_EQ(root_group.value().gid, 0u);
  EXPECT_NE(c.value().gid, 0u);
}

TEST(Credentials, GroupAloneSwitchesOnlyTheGroup) {
  auto c = resolve_credentials("", "nogroup");
  ASSERT_TRUE(c);
  EXPECT_FALSE(c.value().switch_user);
  EXPECT_EQ(c.value().groups, std::vector<gid_t>{c.value().gid});
}

TEST(Credentials, UnknownUserIsAClearError) {
  auto c = resolve_credentials("grove-no-such-user", "");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, CredentialsError::Code::unknown_user);
  EXPECT_EQ(c.error().describe(), "unknown user grove-no-such-user");
}

TEST(Credentials, UnknownGroupIsAClearError) {
  auto c = resolve_credentials("nobody", "grove-no-such-group");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().describe(), "unknown group grove-no-such-group");
}

TEST(Credentials, NumericUserWithoutPasswdEntryNeedsAGroup) {
  auto alone = resolve_credentials("4000123", "");
  ASSERT_FALSE(alone);
  EXPECT_EQ(alone.error().code, CredentialsError::Code::user_needs_group);
  auto with_group = resolve_credentials("4000123", "4000123");
  ASSERT_TRUE(with_group);
  EXPECT_EQ(with_group.value().uid, 4000123u);
  EXPECT_EQ(with_group.value().groups, std::vector<gid_t>{4000123u});
}

}  // namespace
}  // namespace grove::launch
