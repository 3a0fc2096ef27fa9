#include "config/load_options.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

namespace grove::config {
namespace {

LoadOptions user(std::string runtime, std::string state, std::string home) {
  return {1000, std::move(runtime), std::move(state), std::move(home)};
}

TEST(DefaultControlPath, UsesXdgRuntimeDir) {
  EXPECT_EQ(default_control_path("shop", user("/run/user/1000", "", "")), "/run/user/1000/grove/shop.sock");
  EXPECT_EQ(default_control_path("shop", user("/run/user/1000/", "", "")), "/run/user/1000/grove/shop.sock");
}

TEST(DefaultControlPath, FallsBackToAPerUidTmpDir) {
  EXPECT_EQ(default_control_path("shop", user("", "", "/home/ann")), "/tmp/grove-1000/shop.sock");
}

TEST(DefaultControlPath, IgnoresARelativeXdgRuntimeDir) {
  EXPECT_EQ(default_control_path("shop", user("run", "", "")), "/tmp/grove-1000/shop.sock");
}

TEST(DefaultLogDir, RootLogsUnderVarLog) {
  const LoadOptions root{0, "/run/user/0", "/root/.state", "/root"};
  EXPECT_EQ(default_log_dir("shop", root), "/var/log/grove/shop");
}

TEST(DefaultLogDir, UserPrefersXdgStateHomeThenHome) {
  EXPECT_EQ(default_log_dir("shop", user("", "/s", "/home/ann")), "/s/grove/shop");
  EXPECT_EQ(default_log_dir("shop", user("", "", "/home/ann")), "/home/ann/.local/state/grove/shop");
  EXPECT_EQ(default_log_dir("shop", user("", "state", "/home/ann")), "/home/ann/.local/state/grove/shop");
}

TEST(DefaultLogDir, WithoutHomeFallsBackToThePerUidTmpDir) {
  EXPECT_EQ(default_log_dir("shop", user("", "", "")), "/tmp/grove-1000/log/shop");
}

TEST(LoadOptionsFromEnvironment, ReadsTheEffectiveUidAndVariables) {
  ASSERT_EQ(setenv("XDG_RUNTIME_DIR", "/run/test", 1), 0);
  ASSERT_EQ(unsetenv("XDG_STATE_HOME"), 0);
  const LoadOptions options = load_options_from_environment();
  EXPECT_EQ(options.euid, geteuid());
  EXPECT_EQ(options.xdg_runtime_dir, "/run/test");
  EXPECT_EQ(options.xdg_state_home, "");
}

}  // namespace
}  // namespace grove::config
