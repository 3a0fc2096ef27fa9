// make_dirs: mkdir -p with a mode; an obstacle in the path is an error that
// names the path that could not be made.
#include "launch/make_dirs.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

namespace grove::launch {
namespace {

namespace fs = std::filesystem;

class MakeDirsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/grove-make-dirs-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }
  static mode_t mode_of(const std::string& p) {
    struct stat st{};
    return ::stat(p.c_str(), &st) == 0 ? st.st_mode & 07777 : 0;
  }
  std::string dir_;
};

TEST_F(MakeDirsTest, CreatesEveryMissingDirectoryWithTheMode) {
  const mode_t old = ::umask(022);
  EXPECT_FALSE(make_dirs(path("a/b/c"), 0700));
  ::umask(old);
  EXPECT_EQ(mode_of(path("a")), 0700u);
  EXPECT_EQ(mode_of(path("a/b/c")), 0700u);
  EXPECT_FALSE(make_dirs(path("a/b/c"), 0755)) << "an existing directory is fine";
  EXPECT_EQ(mode_of(path("a/b/c")), 0700u) << "and keeps its mode";
}

TEST_F(MakeDirsTest, AFileInTheWayNamesItsPath) {
  std::ofstream(path("plain")) << "x";
  const auto inside = make_dirs(path("plain/sub"), 0755);
  ASSERT_TRUE(inside);
  EXPECT_EQ(inside->err, ENOTDIR);
  EXPECT_EQ(inside->path, path("plain/sub"));
  const auto itself = make_dirs(path("plain"), 0755);
  ASSERT_TRUE(itself);
  EXPECT_EQ(itself->err, ENOTDIR);
  EXPECT_EQ(itself->path, path("plain"));
}

}  // namespace
}  // namespace grove::launch
