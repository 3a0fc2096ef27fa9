// GenServer: start/init, call with reply, cast, info, stop outcomes,
// timeouts, crashing callees, async callbacks.
#include "grove/gen_server.hpp"

#include <map>
#include <string>

#include "worker_fixture.hpp"

using namespace std::chrono_literals;
using grove::CallError;
using grove::ExitReason;
using grove::Pid;

namespace {

struct Add {
  std::string name;
};
struct Count {};
struct Boom {};
struct Quit {};
struct Later {};
struct Answer {};
struct Slow {};

struct Stack {
  std::map<std::string, int> items;
  std::optional<grove::From> parked;
  ExitReason* terminated = nullptr;

  explicit Stack(ExitReason* t = nullptr) : terminated(t) {}
  void handle_cast(const Add& a) { ++items[a.name]; }
  auto handle_call(const Count&) { return grove::reply(items.size()); }
  int handle_call(const Boom&) { throw std::runtime_error("boom"); }
  grove::CallResult<int> handle_call(const Quit&) { return grove::stop(ExitReason::error("asked"), 1); }
  grove::CallResult<int> handle_call(const Later&, grove::From& from) {
    parked = std::move(from);
    return grove::noreply();
  }
  grove::CastResult handle_cast(const Answer&) {
    parked->reply(42);
    return grove::noreply();
  }
  grove::CallResult<int> handle_call(const Slow&) { return grove::noreply(); }
  grove::CastResult handle_info(grove::Message& m) {
    if (m.is<std::string>()) return grove::stop(ExitReason::error(*m.get<std::string>()));
    return grove::noreply();
  }
  void terminate(const ExitReason& r) {
    if (terminated) *terminated = r;
  }
};

struct FailingInit {
  grove::InitResult init() { return grove::stop(ExitReason::error("no config")); }
};

// A callback that itself calls another server: the scheduler keeps going.
struct Front {
  grove::Server<Stack> back;
  explicit Front(grove::Server<Stack> b) : back(b) {}
  grove::Async<grove::CallResult<std::size_t>> handle_call(const Count&) {
    auto n = co_await grove::call(back, Count{});
    co_return grove::reply(n ? *n + 100 : 0);
  }
};

}  // namespace

using GenServer = WorkerFixture;

TEST_F(GenServer, CastThenCallSeesTheNewState) {
  std::size_t n = 0;
  spawn([&]() -> grove::Process {
    auto s = co_await grove::start_link<Stack>();
    grove::cast(*s, Add{"ana"});
    grove::cast(*s, Add{"bob"});
    grove::cast(*s, Add{"ana"});
    n = *(co_await grove::call(*s, Count{}));
  });
  settle();
  EXPECT_EQ(n, 2u);
}

TEST_F(GenServer, CallTimesOutWithAnErrorValueNotAHang) {
  std::optional<CallError> err;
  spawn([&]() -> grove::Process {
    auto s = co_await grove::start_link<Stack>();
    auto r = co_await grove::call(*s, Slow{}, 50ms);
    if (!r) err = r.error();
  });
  settle();
  advance(49ms);
  EXPECT_FALSE(err);
  advance(1ms);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->kind, CallError::Kind::timeout);
}

TEST_F(GenServer, ACrashingCalleeGivesTheCallerExitedWithTheExceptionMessage) {
  std::optional<CallError> err;
  ExitReason terminated;
  spawn([&]() -> grove::Process {
    grove::trap_exit(true);
    auto s = co_await grove::start_link<Stack>(&terminated);
    auto r = co_await grove::call(*s, Boom{}, 5s);
    if (!r) err = r.error();
  });
  settle();
  ASSERT_TRUE(err);
  EXPECT_EQ(err->kind, CallError::Kind::exited);
  EXPECT_EQ(err->reason, ExitReason::crash("boom"));
  EXPECT_EQ(terminated, ExitReason::crash("boom"));
}

TEST_F(GenServer, CallingADeadServerIsNoproc) {
  std::optional<CallError> err;
  spawn([&]() -> grove::Process {
    auto r = co_await grove::call(grove::Server<Stack>{}, Count{});
    if (!r) err = r.error();
  });
  settle();
  ASSERT_TRUE(err);
  EXPECT_EQ(err->kind, CallError::Kind::noproc);
}

TEST_F(GenServer, StopWithReplyRepliesThenEnds) {
  int got = 0;
  ExitReason why;
  spawn([&]() -> grove::Process {
    auto s = co_await grove::start<Stack>();
    grove::monitor(s->pid);
    got = *(co_await grove::call(*s, Quit{}));
    why = (co_await grove::receive()).get<grove::Down>()->reason;
  });
  settle();
  EXPECT_EQ(got, 1);
  EXPECT_EQ(why, ExitReason::error("asked"));
}

TEST_F(GenServer, NoreplyThenReplyFromAnotherCallback) {
  int got = 0;
  spawn([&]() -> grove::Process {
    auto s = co_await grove::start_link<Stack>();
    grove::spawn([s = *s]() -> grove::Process {
      co_await grove::yield();
      grove::cast(s, Answer{});
    });
    got = *(co_await grove::call(*s, Later{}));
  });
  settle();
  EXPECT_EQ(got, 42);
}

TEST_F(GenServer, HandleInfoCanStopTheServer) {
  ExitReason why;
  spawn([&]() -> grove::Process {
    auto s = co_await grove::start<Stack>();
    grove::monitor(s->pid);
    grove::send(s->pid, std::string("bye"));
    why = (co_await grove::receive()).get<grove::Down>()->reason;
  });
  settle();
  EXPECT_EQ(why, ExitReason::error("bye"));
}

TEST_F(GenServer, InitFailureIsReturnedAndDoesNotKillTheCaller) {
  std::optional<CallError> err;
  Pid caller = spawn([&]() -> grove::Process {
    auto s = co_await grove::start_link<FailingInit>();
    if (!s) err = s.error();
    co_await grove::receive();
  });
  settle();
  ASSERT_TRUE(err);
  EXPECT_EQ(err->reason, ExitReason::error("no config"));
  EXPECT_TRUE(sched.alive(caller));
}

TEST_F(GenServer, AnAsyncCallbackCallsAnotherServer) {
  std::size_t n = 0;
  spawn([&]() -> grove::Process {
    auto back = co_await grove::start_link<Stack>();
    grove::cast(*back, Add{"x"});
    auto front = co_await grove::start_link<Front>(*back);
    n = *(co_await grove::call(*front, Count{}));
  });
  settle();
  EXPECT_EQ(n, 101u);
}

TEST_F(GenServer, CallByRegisteredName) {
  std::size_t n = 99;
  spawn([&]() -> grove::Process {
    auto s = co_await grove::start_link<Stack>();
    grove::spawn([pid = s->pid]() -> grove::Process {
      co_return;
      (void)pid;
    });
    n = 0;
    auto r = co_await grove::call<Stack>("nobody", Count{});
    if (!r && r.error().kind == CallError::Kind::noproc) n = 1;
  });
  settle();
  EXPECT_EQ(n, 1u);
}

TEST_F(GenServer, ParentExitStopsATrappingServerThroughTerminate) {
  ExitReason terminated;
  struct Trapper {
    ExitReason* out;
    explicit Trapper(ExitReason* o) : out(o) {}
    void init() { grove::trap_exit(true); }
    void terminate(const ExitReason& r) { *out = r; }
  };
  spawn([&]() -> grove::Process {
    co_await grove::start_link<Trapper>(&terminated);
    grove::exit(ExitReason::error("parent gone"));
  });
  settle();
  EXPECT_EQ(terminated, ExitReason::error("parent gone"));
}
