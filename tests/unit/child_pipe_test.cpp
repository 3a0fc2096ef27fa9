#include "launch/child_pipe.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace grove::launch {
namespace {

bool has_fd_flag(int fd, int flag) { return (fcntl(fd, F_GETFD) & flag) != 0; }
bool has_fl_flag(int fd, int flag) { return (fcntl(fd, F_GETFL) & flag) != 0; }

TEST(ChildPipe, ParentEndIsNonblockingChildEndIsNot) {
  auto p = open_child_pipe();
  ASSERT_TRUE(p);
  EXPECT_TRUE(has_fl_flag(p.value().parent_read.get(), O_NONBLOCK));
  EXPECT_FALSE(has_fl_flag(p.value().child_end.get(), O_NONBLOCK));
  EXPECT_TRUE(has_fd_flag(p.value().parent_read.get(), FD_CLOEXEC));
  EXPECT_TRUE(has_fd_flag(p.value().child_end.get(), FD_CLOEXEC));
}

TEST(ChildPipe, WhatTheChildEndWritesTheParentReads) {
  auto p = open_child_pipe();
  ASSERT_TRUE(p);
  ASSERT_EQ(write(p.value().child_end.get(), "hi\n", 3), 3);
  char buf[8];
  EXPECT_EQ(read(p.value().parent_read.get(), buf, sizeof buf), 3);
  EXPECT_EQ(read(p.value().parent_read.get(), buf, sizeof buf), -1);  // empty: EAGAIN, no block
  EXPECT_EQ(errno, EAGAIN);
}

TEST(ChildPipe, NullOutputNeedsNoFds) {
  auto p = open_output(Output{Output::Kind::null, ""});
  ASSERT_TRUE(p);
  EXPECT_FALSE(p.value().parent_read);
  EXPECT_FALSE(p.value().child_end);
}

TEST(ChildPipe, InheritAndLogOutputsArePipes) {
  for (Output::Kind kind : {Output::Kind::inherit, Output::Kind::log}) {
    auto p = open_output(Output{kind, ""});
    ASSERT_TRUE(p);
    EXPECT_TRUE(p.value().parent_read);
    EXPECT_TRUE(p.value().child_end);
  }
}

TEST(ChildPipe, FileOutputAppendsToTheFile) {
  char path[] = "/tmp/grove-output-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  auto p = open_output(Output{Output::Kind::file, path});
  ASSERT_TRUE(p);
  EXPECT_FALSE(p.value().parent_read);
  EXPECT_TRUE(has_fl_flag(p.value().child_end.get(), O_APPEND));
  EXPECT_TRUE(has_fd_flag(p.value().child_end.get(), FD_CLOEXEC));
  unlink(path);
}

TEST(ChildPipe, UnopenableFileIsAnError) {
  auto p = open_output(Output{Output::Kind::file, "/nonexistent/out.log"});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().describe(), "unable to open /nonexistent/out.log: No such file or directory");
}

}  // namespace
}  // namespace grove::launch
