// groved's own stdout and stderr: a reader that stops reading (a pipe
// nobody drains, a terminal after Ctrl-S) must never stop supervision. Here
// groved's stdout is a pipe this test does not read while a chatty child
// fills it; a crash must still be seen and restarted, grovectl must still
// be answered, and once the reader reads again, an output_dropped event
// tells how many lines were lost.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

#include "groved_harness.hpp"

using namespace grove::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

extern char** environ;

namespace {

// A 64 KiB pipe that takes no more of groved's chunks of whole lines (each
// up to a page; the last pages are never quite filled).
constexpr std::size_t kFullPipe = 56 * 1024;

std::size_t unread_bytes(int fd) {
  int n = 0;
  return ::ioctl(fd, FIONREAD, &n) == 0 ? static_cast<std::size_t>(n) : 0;
}

// Reads what `fd` (non-blocking) holds now, appending to `into`.
void read_now(int fd, std::string& into) {
  char buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) into.append(buf, static_cast<std::size_t>(n));
}

class UnreadOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/grove-output-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::ofstream(dir_ + "/grove.toml") << replace_all(R"(
name = "out"
control = "@DIR@/ctl.sock"
[[children]]
name = "chatty"
command = ["sh", "-c", "while :; do echo 'a line of seventy characters, written as fast as the shell can do it'; done"]
[[children]]
name = "victim"
command = ["sleep", "1000"]
[[children]]
name = "nested"
type = "supervisor"
  [[children.children]]
  name = "chatty"
  command = ["sh", "-c", "while :; do echo 'a line of seventy characters, written as fast as the shell can do it'; done"]
)", "@DIR@", dir_);
  }

  // groved with stdout and stderr on two pipes, or both on one (2>&1).
  void start(bool one_pipe) {
    // Blocking on groved's side, as a shell's pipe is; ours reads without waiting.
    ASSERT_EQ(::pipe2(out_, O_CLOEXEC), 0);
    ASSERT_EQ(::pipe2(err_, O_CLOEXEC), 0);
    ASSERT_EQ(::fcntl(out_[0], F_SETFL, O_NONBLOCK), 0);
    ASSERT_EQ(::fcntl(err_[0], F_SETFL, O_NONBLOCK), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_[1], 1);
    posix_spawn_file_actions_adddup2(&actions, one_pipe ? out_[1] : err_[1], 2);
    const std::string binary = groved_binary(), config = dir_ + "/grove.toml";
    char* argv[] = {const_cast<char*>(binary.c_str()), const_cast<char*>(config.c_str()), nullptr};
    ASSERT_EQ(::posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv, environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out_[1]);
    ::close(err_[1]);
  }
  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(out_[0]);
    ::close(err_[0]);
    std::filesystem::remove_all(dir_);
  }

  json status() const {
    const auto r = run_command({grovectl_binary(), "--socket", dir_ + "/ctl.sock", "status", "--json"}, 5s);
    return r.code == 0 ? json::parse(r.out, nullptr, false) : json();
  }
  // The victim's pid while it runs, else 0.
  pid_t victim() const {
    const json s = status();
    if (!s.is_object()) return 0;
    for (const auto& c : s["children"])
      if (c["path"] == "victim" && c["state"] == "running" && c["pid"].is_number()) return c["pid"].get<pid_t>();
    return 0;
  }

  std::string dir_;
  int out_[2] = {-1, -1};
  int err_[2] = {-1, -1};
  pid_t pid_ = -1;
};

TEST_F(UnreadOutput, ACrashIsStillRestartedAndGrovectlStillAnswered) {
  start(false);
  pid_t first = 0;
  ASSERT_TRUE(eventually([&] { return (first = victim()) > 0; }, 10s)) << "the tree did not come up";
  // groved's stdout is full now and nobody reads it: before, groved then sat
  // in write(2) with its whole event loop.
  ASSERT_TRUE(eventually([&] { return unread_bytes(out_[0]) >= kFullPipe; }, 10s)) << unread_bytes(out_[0]);
  ASSERT_EQ(::kill(first, SIGKILL), 0);
  pid_t second = 0;
  EXPECT_TRUE(eventually([&] { return (second = victim()) > 0 && second != first; }, 10s))
      << "the crash was not restarted while stdout was full";

  // The chatty child stops (grovectl is answered), the reader reads again:
  // what was buffered comes, and the lines that did not fit are counted in
  // an output_dropped event on stderr.
  for (const char* path : {"chatty", "nested/chatty"}) {
    const auto stopped = run_command({grovectl_binary(), "--socket", dir_ + "/ctl.sock", "stop", path}, 20s);
    EXPECT_EQ(stopped.code, 0) << stopped.err;
  }
  std::string out, err;
  EXPECT_TRUE(eventually([&] {
    read_now(out_[0], out);
    read_now(err_[0], err);
    return err.find("event=output_dropped tree=out stream=stdout lines=") != std::string::npos;
  }, 10s)) << err;
  EXPECT_NE(out.find("chatty | a line of seventy characters"), std::string::npos);

  const auto down = run_command({grovectl_binary(), "--socket", dir_ + "/ctl.sock", "shutdown"}, 20s);
  EXPECT_EQ(down.code, 0) << down.err;
  int st = 0;
  EXPECT_TRUE(eventually([&] {
    read_now(out_[0], out);
    return ::waitpid(pid_, &st, WNOHANG) == pid_;
  }, 20s));
  pid_ = -1;
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << st;
}

TEST_F(UnreadOutput, OnOnePipeLinesOfEverySupervisorProcessStayWhole) {
  // `groved >log 2>&1` with a slow reader: the root's and the nested
  // supervisor's children's lines and the events share one pipe under
  // backpressure; no line may be cut by another.
  start(true);
  ASSERT_TRUE(eventually([&] { return victim() > 0; }, 10s)) << "the tree did not come up";
  ASSERT_TRUE(eventually([&] { return unread_bytes(out_[0]) >= kFullPipe; }, 10s)) << unread_bytes(out_[0]);
  std::string all;
  // Read slowly, a pipe's worth every 20 ms, so groved keeps meeting a full pipe.
  ASSERT_TRUE(eventually([&] {
    read_now(out_[0], all);
    std::this_thread::sleep_for(10ms);  // with eventually()'s own 10 ms
    return all.size() >= (4u << 20);
  }, 20s)) << all.size();
  for (const char* path : {"chatty", "nested/chatty"}) {
    const auto stopped = run_command({grovectl_binary(), "--socket", dir_ + "/ctl.sock", "stop", path}, 20s);
    EXPECT_EQ(stopped.code, 0) << stopped.err;
  }
  EXPECT_TRUE(eventually([&] {
    read_now(out_[0], all);
    return all.find("event=output_dropped tree=out stream=stdout+stderr lines=") != std::string::npos;
  }, 10s)) << "lines were dropped; the event must say so";
  const std::string line_text = " | a line of seventy characters, written as fast as the shell can do it";
  std::size_t lines = 0, bad = 0;
  std::string first_bad;
  for (std::size_t at = 0, end; (end = all.find('\n', at)) != std::string::npos; at = end + 1) {
    const std::string line = all.substr(at, end - at);
    ++lines;
    const bool ok = line.rfind("groved: event=", 0) == 0 || line == "chatty" + line_text ||
                    line == "nested/chatty" + line_text;
    if (!ok && bad++ == 0) first_bad = line;
  }
  EXPECT_GT(lines, 10000u);
  EXPECT_EQ(bad, 0u) << "first: " << first_bad;
}

}  // namespace
