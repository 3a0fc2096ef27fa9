// This test process is a worker of a tree (its Tree attached to an inbox it
// made, on a two-thread scheduler), served to tree_probe processes that
// call and cast it: the inbox pump (served by whichever scheduler thread is
// idle), the scheduler threads and the reply route run here, where
// ThreadSanitizer watches them (label tsan).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "grove/grove.hpp"
#include "grove/tree.hpp"
#include "tree_rig.hpp"

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

TEST(TreePump, CallsAndCastsFromAnotherWorkerReachAServerOnAThreadPool) {
  grove::test::TreeRig rig;  // makes the inboxes; this process is the worker "srv"
  ::setenv("GROVE_PATH", "srv", 1);
  ::setenv("GROVE_INBOX", rig.inbox("srv").name().c_str(), 1);
  ::setenv("GROVE_DIRECTORY", rig.directory().c_str(), 1);
  ipc::Inbox& srv = rig.inbox("srv");
  auto probe = [&](std::vector<std::string> args) {
    args.insert(args.begin(), GROVE_TREE_PROBE);
    grove::test::Worker& cli = rig.start("cli", std::move(args));
    EXPECT_NE(rig.wait_exit(cli), -1);
    char buf[512];
    for (ssize_t n; (n = ::read(cli.out, buf, sizeof buf)) > 0;) cli.buffer.append(buf, static_cast<std::size_t>(n));
    return cli.buffer;
  };
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
    EXPECT_EQ(probe({"call", "echo", "over the pool"}), "reply: over the pool\n");
    EXPECT_EQ(probe({"cast", "echo", "a", "b", "c", "d"}), "sent 4\n");
    {
      std::unique_lock lock(casts_mu);
      EXPECT_TRUE(casts_cv.wait_for(lock, 10s, [] { return casts_handled == 4; })) << casts_handled;
    }
    // The acknowledgements follow when the pump is next served: a shared counter, polled (bounded).
    for (int i = 0; i < 400 && srv.stats().handled < 5; ++i) std::this_thread::sleep_for(5ms);
    EXPECT_EQ(srv.stats().handled, 5u);  // acknowledged once each handler returned
    EXPECT_EQ(srv.stats().pending, 0u);
    sched.stop();
  }
  for (const char* k : {"GROVE_PATH", "GROVE_INBOX", "GROVE_DIRECTORY"}) ::unsetenv(k);
}

}  // namespace
