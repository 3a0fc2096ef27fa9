#include "launch/executable_path.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

namespace grove::launch {
namespace {

class ExecutablePath : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/grove-exepath-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    mkdir((dir_ + "/a").c_str(), 0755);
    mkdir((dir_ + "/b").c_str(), 0755);
    make_file("/a/tool", 0644);  // found first, but not executable
    make_file("/b/tool", 0755);
    make_file("/a/only-plain", 0644);
    mkdir((dir_ + "/b/dir-tool").c_str(), 0755);
  }
  void TearDown() override {
    for (const char* f : {"/a/tool", "/b/tool", "/a/only-plain"}) unlink((dir_ + f).c_str());
    rmdir((dir_ + "/b/dir-tool").c_str());
    rmdir((dir_ + "/a").c_str());
    rmdir((dir_ + "/b").c_str());
    rmdir(dir_.c_str());
  }
  void make_file(const std::string& rel, mode_t mode) {
    std::ofstream(dir_ + rel) << "#!/bin/sh\n";
    chmod((dir_ + rel).c_str(), mode);
  }
  std::string path() const { return dir_ + "/a:" + dir_ + "/b"; }
  std::string dir_;
};

TEST_F(ExecutablePath, FirstExecutableMatchInPathWins) {
  auto r = resolve_executable("tool", path(), "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value(), dir_ + "/b/tool");
}

TEST_F(ExecutablePath, NameNowhereInPathIsEnoent) {
  auto r = resolve_executable("grove-nothing", path(), "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().err, ENOENT);
  EXPECT_EQ(r.error().describe(), "unable to exec grove-nothing: No such file or directory");
}

TEST_F(ExecutablePath, OnlyNonExecutableMatchesGiveEacces) {
  auto r = resolve_executable("only-plain", path(), "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().err, EACCES);
  EXPECT_EQ(r.error().program, dir_ + "/a/only-plain");
}

TEST_F(ExecutablePath, DirectoryIsNotAProgram) {
  auto r = resolve_executable("dir-tool", path(), "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().err, EACCES);
}

TEST_F(ExecutablePath, NameWithSlashIsUsedAsIsRelativeToCwd) {
  auto r = resolve_executable("./b/tool", "/nonexistent", dir_);
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value(), dir_ + "/./b/tool");
  EXPECT_FALSE(resolve_executable("./b/tool", path(), "/"));
}

TEST_F(ExecutablePath, ARelativeCwdStillGivesAnAbsolutePathForExecAfterChdir) {
  char here[4096];
  ASSERT_NE(::getcwd(here, sizeof here), nullptr);
  ASSERT_EQ(::chdir(dir_.c_str()), 0);
  auto r = resolve_executable("./tool", "/nonexistent", "b");
  ASSERT_EQ(::chdir(here), 0);
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value(), dir_ + "/b/./tool");
}

TEST(ExecutableSearchPath, ComesFromTheChildEnvironmentOrADefault) {
  const std::vector<std::string> env = {"HOME=/root", "PATH=/x:/y"};
  EXPECT_EQ(search_path_of(env), "/x:/y");
  EXPECT_EQ(search_path_of({}), default_search_path);
}

}  // namespace
}  // namespace grove::launch
