// This test process is a worker of a tree (its Tree attached to an inbox it
// made, on a two-thread scheduler), served to tree_probe processes that
// call and cast it: the inbox pump thread, the scheduler threads and the
// reply route run here, where ThreadSanitizer watches them (label tsan).
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "grove/grove.hpp"
#include "grove/ipc/inbox.hpp"
#include "grove/ipc/process_identity.hpp"
#include "grove/ipc/tree_directory.hpp"
#include "grove/tree.hpp"

extern char** environ;

namespace {

using namespace std::chrono_literals;
namespace ipc = grove::ipc;

std::mutex casts_mu;
std::condition_variable casts_cv;
int casts_handled = 0;

struct Echo {
  std::string handle_call(const std::string& text) { return text; }
  void handle_cast(const std::string&) {
    std::lock_guard lock(casts_mu);
    ++casts_handled;
    casts_cv.notify_all();
  }
};

std::string segment(const std::string& tree, const std::string& inbox) {
  return ipc::format(ipc::SegmentName{static_cast<std::uint32_t>(getuid()), tree, ipc::ProcessIdentity::self(), inbox});
}

// Runs tree_probe as the worker "cli" of the tree; its stdout.
std::string run_probe(const std::string& tree, const ipc::Inbox& cli, const ipc::TreeDirectory& dir,
                      std::vector<std::string> args) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (std::string(*e).rfind("GROVE_", 0) != 0) env.emplace_back(*e);
  env.push_back("GROVE_TREE=" + tree);
  env.push_back("GROVE_PATH=cli");
  env.push_back("GROVE_INBOX=" + cli.name());
  env.push_back("GROVE_DIRECTORY=" + dir.name());
  args.insert(args.begin(), GROVE_TREE_PROBE);
  std::vector<char*> av, ev;
  for (auto& a : args) av.push_back(a.data());
  av.push_back(nullptr);
  for (auto& e : env) ev.push_back(e.data());
  ev.push_back(nullptr);
  int out[2];
  EXPECT_EQ(::pipe(out), 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_addclose(&fa, out[0]);
  pid_t pid = -1;
  EXPECT_EQ(posix_spawn(&pid, av[0], &fa, nullptr, av.data(), ev.data()), 0);
  posix_spawn_file_actions_destroy(&fa);
  ::close(out[1]);
  std::string text;
  char buf[512];
  for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  ::close(out[0]);
  ::waitpid(pid, nullptr, 0);
  return text;
}

TEST(TreePump, CallsAndCastsFromAnotherWorkerReachAServerOnAThreadPool) {
  const std::string tree = "pumptest-" + std::to_string(getpid());
  auto dir = ipc::TreeDirectory::create(segment(tree, "~names"));
  auto srv = ipc::Inbox::create(segment(tree, "srv"), {.lanes = 8, .lane_bytes = 64 * 1024});
  auto cli = ipc::Inbox::create(segment(tree, "cli"), {.lanes = 8, .lane_bytes = 64 * 1024});
  ASSERT_TRUE(dir && srv && cli);
  ::setenv("GROVE_TREE", tree.c_str(), 1);
  ::setenv("GROVE_PATH", "srv", 1);
  ::setenv("GROVE_INBOX", srv->name().c_str(), 1);
  ::setenv("GROVE_DIRECTORY", dir->name().c_str(), 1);
  {
    grove::Scheduler sched({.threads = 2});
    grove::Tree worker(sched);
    ASSERT_TRUE(worker.attached());
    std::promise<bool> served;
    sched.spawn([&]() -> grove::Process {
      auto echo = co_await grove::start_link<Echo>();
      (void)grove::register_name("echo", echo->pid);
      const bool ok = grove::serve<Echo, std::string>("echo").ok();
      worker.ready();
      served.set_value(ok);
      (void)co_await grove::receive();  // until the scheduler stops
    });
    sched.start();
    auto init = served.get_future();
    ASSERT_EQ(init.wait_for(10s), std::future_status::ready);
    ASSERT_TRUE(init.get());
    EXPECT_EQ(run_probe(tree, *cli, *dir, {"call", "echo", "over the pool"}), "reply: over the pool\n");
    EXPECT_EQ(run_probe(tree, *cli, *dir, {"cast", "echo", "a", "b", "c", "d"}), "sent 4\n");
    {
      std::unique_lock lock(casts_mu);
      EXPECT_TRUE(casts_cv.wait_for(lock, 10s, [] { return casts_handled == 4; })) << casts_handled;
    }
    // The acknowledgements follow on the pump thread: a shared counter, polled (bounded).
    for (int i = 0; i < 400 && srv->stats().handled < 5; ++i) std::this_thread::sleep_for(5ms);
    EXPECT_EQ(srv->stats().handled, 5u);  // acknowledged once each handler returned
    EXPECT_EQ(srv->stats().pending, 0u);
    sched.stop();
  }
  for (const char* k : {"GROVE_TREE", "GROVE_PATH", "GROVE_INBOX", "GROVE_DIRECTORY"}) ::unsetenv(k);
}

}  // namespace
