#include "config/peer_words.hpp"

#include <gtest/gtest.h>

#include <array>

namespace grove::config {
namespace {

constexpr std::array<std::string_view, 3> kRestart{"permanent", "transient", "temporary"};
constexpr std::array<std::string_view, 3> kStrategy{"one_for_one", "one_for_all", "rest_for_one"};
constexpr std::array<std::string_view, 2> kShutdown{"brutal_kill", "infinity"};

TEST(PeerWords, DockerAndSystemdRestartWordsMapToOtp) {
  EXPECT_EQ(suggest_word("restart", "always", kRestart), "permanent");
  EXPECT_EQ(suggest_word("restart", "unless-stopped", kRestart), "permanent");
  EXPECT_EQ(suggest_word("restart", "on-failure", kRestart), "transient");
  EXPECT_EQ(suggest_word("restart", "OnFailure", kRestart), "transient");
  EXPECT_EQ(suggest_word("restart", "no", kRestart), "temporary");
  EXPECT_EQ(suggest_word("restart", "never", kRestart), "temporary");
}

TEST(PeerWords, DashesAndCaseAreNormalised) {
  EXPECT_EQ(suggest_word("strategy", "one-for-one", kStrategy), "one_for_one");
  EXPECT_EQ(suggest_word("strategy", "Rest-For-One", kStrategy), "rest_for_one");
}

TEST(PeerWords, KillMeansBrutalKill) {
  EXPECT_EQ(suggest_word("shutdown", "kill", kShutdown), "brutal_kill");
  EXPECT_EQ(suggest_word("shutdown", "infinite", kShutdown), "infinity");
}

TEST(PeerWords, TyposGetTheClosestWord) {
  EXPECT_EQ(suggest_word("restart", "permanant", kRestart), "permanent");
  EXPECT_EQ(suggest_word("strategy", "one_for_al", kStrategy), "one_for_all");
}

TEST(PeerWords, PeerWordsAreScopedToTheirKey) {
  EXPECT_EQ(suggest_word("strategy", "always", kStrategy), std::nullopt);
}

TEST(PeerWords, PeersKeysGetOursWhereTheyAreAllowed) {
  constexpr std::array<std::string_view, 3> kKeys{"command", "cwd", "env"};
  EXPECT_EQ(suggest_key("cmd", kKeys), "command");
  EXPECT_EQ(suggest_key("Working-Directory", kKeys), "cwd");
  EXPECT_EQ(suggest_key("environment", kKeys), "env");
  EXPECT_EQ(suggest_key("stopwaitsecs", kKeys), std::nullopt) << "shutdown is not allowed here";
  EXPECT_EQ(suggest_key("comand", kKeys), "command") << "typos as before";
}

TEST(PeerWords, NothingCloseGivesNothing) {
  EXPECT_EQ(suggest_word("restart", "banana", kRestart), std::nullopt);
}

}  // namespace
}  // namespace grove::config
