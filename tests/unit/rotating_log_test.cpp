#include "launch/rotating_log.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace grove::launch {
namespace {

namespace fs = std::filesystem;

class RotatingLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/grove-log-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string file(const std::string& name) const { return dir_ + "/" + name; }
  static std::string contents(const std::string& path) {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), {});
  }
  std::string dir_;
};

TEST_F(RotatingLogTest, AppendsToAnExistingFile) {
  std::ofstream(file("web.log")) << "old\n";
  auto log = RotatingLog::open(file("web.log"), 1000, 3);
  ASSERT_TRUE(log);
  EXPECT_EQ(log.value().size(), 4u);
  ASSERT_TRUE(log.value().write("new\n"));
  EXPECT_EQ(contents(file("web.log")), "old\nnew\n");
}

TEST_F(RotatingLogTest, RotatesWhenAWriteWouldExceedMaxBytes) {
  auto log = RotatingLog::open(file("web.log"), 10, 3);
  ASSERT_TRUE(log);
  ASSERT_TRUE(log.value().write("12345678\n"));  // 9 bytes: fits
  ASSERT_TRUE(log.value().write("abc\n"));       // 13 > 10: rotate first
  EXPECT_EQ(contents(file("web.log")), "abc\n");
  EXPECT_EQ(contents(file("web.log.1")), "12345678\n");
}

TEST_F(RotatingLogTest, KeepsNBackupsDroppingTheOldest) {
  auto log = RotatingLog::open(file("web.log"), 4, 2);
  ASSERT_TRUE(log);
  for (const char* line : {"one\n", "two\n", "thr\n", "fou\n"}) ASSERT_TRUE(log.value().write(line));
  EXPECT_EQ(contents(file("web.log")), "fou\n");
  EXPECT_EQ(contents(file("web.log.1")), "thr\n");
  EXPECT_EQ(contents(file("web.log.2")), "two\n");
  EXPECT_FALSE(fs::exists(file("web.log.3")));
}

TEST_F(RotatingLogTest, ZeroBackupsStartsTheFileAgain) {
  auto log = RotatingLog::open(file("web.log"), 4, 0);
  ASSERT_TRUE(log);
  ASSERT_TRUE(log.value().write("one\n"));
  ASSERT_TRUE(log.value().write("two\n"));
  EXPECT_EQ(contents(file("web.log")), "two\n");
  EXPECT_FALSE(fs::exists(file("web.log.1")));
}

TEST_F(RotatingLogTest, ALineLongerThanTheLimitGetsAFileOfItsOwnUncut) {
  auto log = RotatingLog::open(file("web.log"), 4, 1);
  ASSERT_TRUE(log);
  ASSERT_TRUE(log.value().write("longer than four\n"));
  EXPECT_EQ(contents(file("web.log")), "longer than four\n");
  EXPECT_FALSE(fs::exists(file("web.log.1")));
}

TEST_F(RotatingLogTest, ABigWriteIsSplitAtLineEndsSoNoFileExceedsTheLimit) {
  auto log = RotatingLog::open(file("web.log"), 10, 2);
  ASSERT_TRUE(log);
  ASSERT_TRUE(log.value().write("aaaa\nbbbb\ncccc\ndddd\n"));
  EXPECT_EQ(contents(file("web.log.1")), "aaaa\nbbbb\n");
  EXPECT_EQ(contents(file("web.log")), "cccc\ndddd\n");
}

TEST_F(RotatingLogTest, ReopenFollowsAnExternalRotation) {
  auto log = RotatingLog::open(file("web.log"), 1000, 1);
  ASSERT_TRUE(log);
  ASSERT_TRUE(log.value().write("before\n"));
  std::rename(file("web.log").c_str(), file("web.log.old").c_str());  // logrotate
  ASSERT_TRUE(log.value().reopen());
  EXPECT_EQ(log.value().size(), 0u);
  ASSERT_TRUE(log.value().write("after\n"));
  EXPECT_EQ(contents(file("web.log")), "after\n");
  EXPECT_EQ(contents(file("web.log.old")), "before\n");
}

TEST_F(RotatingLogTest, OpenFailureIsAnError) {
  auto log = RotatingLog::open(file("missing-dir/web.log"), 10, 1);
  ASSERT_FALSE(log);
  EXPECT_EQ(log.error().describe(),
            "unable to open " + file("missing-dir/web.log") + ": No such file or directory");
}

TEST_F(RotatingLogTest, MakeLogDirCreatesParentsAndAcceptsExisting) {
  const std::string nested = file("a/b/c");
  ASSERT_TRUE(make_log_dir(nested));
  EXPECT_TRUE(fs::is_directory(nested));
  EXPECT_TRUE(make_log_dir(nested));
  std::ofstream(file("plain")) << "x";
  auto r = make_log_dir(file("plain"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().err, ENOTDIR);
}

TEST(LogFilePath, FlattensTheChildPath) {
  EXPECT_EQ(log_file_path("/var/log/shop", "api/web"), "/var/log/shop/api.web.log");
  EXPECT_EQ(log_file_path("/var/log/shop/", "db"), "/var/log/shop/db.log");
}

}  // namespace
}  // namespace grove::launch
