#include "grove/ipc/segment.hpp"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "../fault/child_process.hpp"
#include "grove/ipc/segment_name.hpp"

namespace grove::ipc {
namespace {

using testing::ChildProcess;
using namespace std::chrono_literals;

std::string test_name(const char* inbox) {
  return format(SegmentName{static_cast<std::uint32_t>(::getuid()), "segment-test",
                            ProcessIdentity::self(), inbox});
}

struct Unlink {
  std::string name;
  ~Unlink() { (void)Segment::unlink(name); }
};

TEST(Segment, CreateMakesAPrivateSegmentWhateverTheUmask) {
  const Unlink u{test_name("mode")};
  const mode_t old = ::umask(0);
  auto seg = Segment::create(u.name, 4096);
  ::umask(old);
  ASSERT_TRUE(seg) << describe(seg.error());
  struct stat st{};
  ASSERT_EQ(::stat(("/dev/shm/" + u.name).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(seg->size(), 4096u);
}

TEST(Segment, CreateRefusesAnExistingName) {
  const Unlink u{test_name("twice")};
  auto first = Segment::create(u.name, 4096);
  ASSERT_TRUE(first);
  auto second = Segment::create(u.name, 4096);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, IpcError::already_exists);
}

TEST(Segment, OpenSharesTheBytes) {
  const Unlink u{test_name("share")};
  auto a = Segment::create(u.name, 4096);
  ASSERT_TRUE(a);
  std::memcpy(a->data(), "hello", 5);
  auto b = Segment::open(u.name);
  ASSERT_TRUE(b) << describe(b.error());
  EXPECT_EQ(std::memcmp(b->data(), "hello", 5), 0);
}

TEST(Segment, OpenRefusesASegmentOthersCanReach) {
  const Unlink u{test_name("open-mode")};
  auto a = Segment::create(u.name, 4096);
  ASSERT_TRUE(a);
  ASSERT_EQ(::chmod(("/dev/shm/" + u.name).c_str(), 0644), 0);
  auto b = Segment::open(u.name);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, IpcError::permission_denied);
}

TEST(Segment, OpenOfAMissingNameIsNotFound) {
  auto b = Segment::open(test_name("missing"));
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, IpcError::not_found);
}

TEST(Segment, NamesWithSlashesAreInvalid) {
  EXPECT_EQ(Segment::create("a/b", 4096).error().code, IpcError::invalid_argument);
}

TEST(Segment, MemfdIsSharedThroughItsFd) {
  auto a = Segment::create_memfd(8192);
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->name().empty());
  auto b = Segment::open_fd(a->fd());
  ASSERT_TRUE(b);
  EXPECT_EQ(b->size(), 8192u);
  a->data()[100] = std::byte{42};
  EXPECT_EQ(b->data()[100], std::byte{42});
}

TEST(Segment, SweepRemovesSegmentsOfDeadOwnersOnly) {
  const auto uid = static_cast<std::uint32_t>(::getuid());
  // A dead owner: a child that has exited and been reaped.
  ChildProcess child = ChildProcess::spawn([](ChildProcess::Channel&) { return 0; });
  ASSERT_TRUE(child.started());
  const ProcessIdentity dead{child.pid(), 1};
  ASSERT_TRUE(child.exited_cleanly(ChildProcess::Clock::now() + 10s));
  const Unlink stale{format(SegmentName{uid, "sweep-test", dead, "w"})};
  const Unlink live{format(SegmentName{uid, "sweep-test", ProcessIdentity::self(), "w"})};
  const Unlink other_tree{format(SegmentName{uid, "sweep-other", dead, "w"})};
  for (const auto* u : {&stale, &live, &other_tree}) ASSERT_TRUE(Segment::create(u->name, 4096));

  auto removed = sweep_stale_segments(uid, "sweep-test");
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, 1u);
  EXPECT_EQ(Segment::open(stale.name).error().code, IpcError::not_found);
  EXPECT_TRUE(Segment::open(live.name));
  EXPECT_TRUE(Segment::open(other_tree.name));
}

}  // namespace
}  // namespace grove::ipc
