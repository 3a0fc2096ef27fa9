#include "config/diagnostic.hpp"

#include <gtest/gtest.h>

#include <array>
#include <sstream>

namespace grove::config {
namespace {

TEST(Diagnostic, FormatsLikeACompiler) {
  const Diagnostic d{"grove.toml", 12, 1, "unknown key 'restart_policy' in [[children]]", ""};
  EXPECT_EQ(format_diagnostic(d), "grove.toml:12:1: error: unknown key 'restart_policy' in [[children]]\n");
}

TEST(Diagnostic, HintGoesOnAnIndentedSecondLine) {
  const Diagnostic d{"a.toml", 3, 9, "duplicate child name 'web'", "first defined at a.toml:2:8"};
  EXPECT_EQ(format_diagnostic(d),
            "a.toml:3:9: error: duplicate child name 'web'\n"
            "  hint: first defined at a.toml:2:8\n");
}

TEST(Diagnostic, NoPositionPrintsJustTheFile) {
  const Diagnostic d{"missing.toml", 0, 0, "unable to read config: No such file or directory", ""};
  EXPECT_EQ(format_diagnostic(d), "missing.toml: error: unable to read config: No such file or directory\n");
}

TEST(Diagnostic, ManyAreJoinedInOrderAndStreamable) {
  const std::array<Diagnostic, 2> all{{{"f", 1, 2, "one", ""}, {"f", 3, 4, "two", "h"}}};
  EXPECT_EQ(format_diagnostics(all), "f:1:2: error: one\nf:3:4: error: two\n  hint: h\n");
  std::ostringstream out;
  out << all[0];
  EXPECT_EQ(out.str(), "f:1:2: error: one\n");
}

TEST(EditDistance, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("restart", "restrat"), 1u);  // a transposition is one edit
  EXPECT_EQ(edit_distance("ca", "abc"), 3u);
  EXPECT_EQ(edit_distance("Name", "name"), 0u);
}

TEST(ClosestMatch, PicksTheNearestPlausibleTypo) {
  EXPECT_EQ(closest_match("restrat", {"name", "restart", "shutdown"}), "restart");
  EXPECT_EQ(closest_match("comand", {"command", "cwd"}), "command");
  EXPECT_EQ(closest_match("Restart", {"restart"}), "restart");
}

TEST(ClosestMatch, ADecoratedNameFindsItsStem) {
  EXPECT_EQ(closest_match("restart_policy", {"name", "restart", "shutdown"}), "restart");
  EXPECT_EQ(closest_match("env_vars", {"env", "env_file"}), "env");
}

TEST(ClosestMatch, FarWordsAndTheWordItselfGiveNothing) {
  EXPECT_EQ(closest_match("banana", {"restart", "shutdown"}), std::nullopt);
  EXPECT_EQ(closest_match("name", {"name"}), std::nullopt);
  EXPECT_EQ(closest_match("x", std::span<const std::string_view>{}), std::nullopt);
}

TEST(ClosestMatch, TiesGoToTheEarlierCandidate) {
  EXPECT_EQ(closest_match("ab", {"ac", "ad"}), "ac");
}

}  // namespace
}  // namespace grove::config
