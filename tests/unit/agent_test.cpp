// Agent: get, update, get_and_update, cast.
#include "grove/agent.hpp"

#include <vector>

#include "worker_fixture.hpp"

using Agent = WorkerFixture;

TEST_F(Agent, GetUpdateGetAndUpdateAndCast) {
  int first = -1, after_update = -1, old = -1, final_value = -1;
  spawn([&]() -> grove::Process {
    auto counter = co_await grove::Agent<int>::start_link([] { return 1; });
    first = *(co_await counter->get([](const int& n) { return n; }));
    co_await counter->update([](int& n) { n += 10; });
    after_update = *(co_await counter->get([](const int& n) { return n; }));
    old = *(co_await counter->get_and_update([](int& n) { return std::exchange(n, 100); }));
    counter->cast([](int& n) { ++n; });
    final_value = *(co_await counter->get([](const int& n) { return n; }));
  });
  settle();
  EXPECT_EQ(first, 1);
  EXPECT_EQ(after_update, 11);
  EXPECT_EQ(old, 11);
  EXPECT_EQ(final_value, 101);
}

TEST_F(Agent, AThrowingFunctionCrashesTheAgentAndTheCallerGetsExited) {
  std::optional<grove::CallError> err;
  spawn([&]() -> grove::Process {
    grove::trap_exit(true);
    auto a = co_await grove::Agent<std::vector<int>>::start_link([] { return std::vector<int>{}; });
    auto r = co_await a->get([](const std::vector<int>& v) { return v.at(3); });
    if (!r) err = r.error();
  });
  settle();
  ASSERT_TRUE(err);
  EXPECT_EQ(err->kind, grove::CallError::Kind::exited);
  EXPECT_EQ(err->reason.kind, grove::ExitReason::Kind::crash);
}
