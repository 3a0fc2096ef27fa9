// Tree-wide names: register, look up, conflicts, withdrawal, bad input, and
// registrations racing from several processes.
#include "grove/ipc/tree_directory.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "grove/ipc/process_identity.hpp"
#include "grove/ipc/segment_name.hpp"

namespace grove::ipc {
namespace {

std::string unique_name(const char* what) {
  static int n = 0;
  return format(SegmentName{static_cast<std::uint32_t>(getuid()), std::string("dirtest-") + what,
                            ProcessIdentity::self(), "~names" + std::to_string(++n)});
}

class TreeDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = TreeDirectory::create(unique_name("t"), 64);
    ASSERT_TRUE(made) << describe(made.error());
    dir.emplace(std::move(*made));
  }
  std::optional<TreeDirectory> dir;
};

TEST_F(TreeDirectoryTest, ARegisteredNameIsFoundFromAnotherMapping) {
  ASSERT_TRUE(dir->register_name("cache", "api/cache"));
  auto other = TreeDirectory::open(dir->name());
  ASSERT_TRUE(other) << describe(other.error());
  EXPECT_EQ(other->lookup("cache"), "api/cache");
  EXPECT_EQ(other->lookup("nobody"), std::nullopt);
}

TEST_F(TreeDirectoryTest, RegisteringAgainFromTheSamePathIsANoOpAndFromAnotherIsTaken) {
  ASSERT_TRUE(dir->register_name("cache", "api/cache"));
  EXPECT_TRUE(dir->register_name("cache", "api/cache"));
  auto taken = dir->register_name("cache", "db");
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, IpcError::already_exists);
  EXPECT_EQ(dir->lookup("cache"), "api/cache");
}

TEST_F(TreeDirectoryTest, DropPathWithdrawsEveryNameOfThatPathOnly) {
  ASSERT_TRUE(dir->register_name("a", "w1"));
  ASSERT_TRUE(dir->register_name("b", "w1"));
  ASSERT_TRUE(dir->register_name("c", "w2"));
  EXPECT_EQ(dir->drop_path("w1"), 2u);
  EXPECT_EQ(dir->lookup("a"), std::nullopt);
  EXPECT_EQ(dir->lookup("c"), "w2");
  EXPECT_TRUE(dir->register_name("a", "w3"));  // free again for someone else
  EXPECT_EQ(dir->lookup("a"), "w3");
}

TEST_F(TreeDirectoryTest, RefusesEmptyTooLongAndNulNames) {
  EXPECT_EQ(dir->register_name("", "p").error().code, IpcError::invalid_argument);
  EXPECT_EQ(dir->register_name(std::string(TreeDirectory::kMaxKey + 1, 'x'), "p").error().code,
            IpcError::invalid_argument);
  EXPECT_EQ(dir->register_name(std::string("a\0b", 3), "p").error().code, IpcError::invalid_argument);
  EXPECT_TRUE(dir->register_name(std::string(TreeDirectory::kMaxKey, 'x'), "p"));
}

TEST_F(TreeDirectoryTest, AFullTableSaysFull) {
  for (int i = 0; i < 64; ++i) ASSERT_TRUE(dir->register_name("n" + std::to_string(i), "p"));
  EXPECT_EQ(dir->register_name("one-more", "p").error().code, IpcError::full);
  EXPECT_EQ(dir->lookup("n63"), "p");
}

TEST_F(TreeDirectoryTest, OpeningSomethingElseIsAClearError) {
  EXPECT_EQ(TreeDirectory::open("grove.nothing-here").error().code, IpcError::not_found);
}

TEST_F(TreeDirectoryTest, ProcessesRacingForOneNameLeaveExactlyOneHolder) {
  constexpr int kProcs = 6;
  for (int round = 0; round < 20; ++round) {
    const std::string name = "race" + std::to_string(round);
    std::vector<pid_t> kids;
    for (int p = 0; p < kProcs; ++p) {
      const pid_t pid = fork();
      ASSERT_GE(pid, 0);
      if (pid == 0) {
        auto d = TreeDirectory::open(dir->name());
        _exit(d && d->register_name(name, "w" + std::to_string(p)) ? 0 : 1);
      }
      kids.push_back(pid);
    }
    int winners = 0;
    for (const pid_t pid : kids) {
      int status = 0;
      ASSERT_EQ(waitpid(pid, &status, 0), pid);
      ASSERT_TRUE(WIFEXITED(status));
      winners += WEXITSTATUS(status) == 0;
    }
    EXPECT_EQ(winners, 1) << name;
    EXPECT_TRUE(dir->lookup(name).has_value());
  }
}

}  // namespace
}  // namespace grove::ipc
