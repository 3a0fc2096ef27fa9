// source_scanner_test.cpp — the scanner the man page tests rely on names
// what a declaration declares, so a new public name cannot slip past them.
#include "source_scanner.hpp"

#include <gtest/gtest.h>

namespace {

using namespace grove::testing;
using Kind = DeclaredName::Kind;

std::string kind_and_name(const std::string& head) {
  const auto n = name_of(head);
  if (!n) return "none";
  const char* kinds[] = {"type", "function", "variable", "alias", "other"};
  return std::string(kinds[static_cast<int>(n->kind)]) + " " + n->name;
}

TEST(SourceScanner, NamesTypesThroughTemplatesAndAttributes) {
  EXPECT_EQ(kind_and_name("template <class T>\nclass [[nodiscard]] Result"), "type Result");
  EXPECT_EQ(kind_and_name("template <>\nclass [[nodiscard]] Result<void>"), "type Result");
  EXPECT_EQ(kind_and_name("class SteadyClock final : public SchedulerClock"), "type SteadyClock");
  EXPECT_EQ(kind_and_name("enum class Kind : std::uint8_t"), "type Kind");
}

TEST(SourceScanner, NamesFunctionsWhateverTheirReturnType) {
  EXPECT_EQ(kind_and_name("[[noreturn]] void exit(ExitReason reason)"), "function exit");
  EXPECT_EQ(kind_and_name("template <class F>\nTask<detail::task_result_t<std::decay_t<F>>> async(F&& fn)"),
            "function async");
  EXPECT_EQ(kind_and_name("template <detail::Handler... H>\n  requires(sizeof...(H) > 0)\n"
                          "ReceiveMatch<std::decay_t<H>...> receive(H&&... handlers)"),
            "function receive");
  EXPECT_EQ(kind_and_name("virtual bool send(std::string_view name, Message&& message) = 0"), "function send");
}

TEST(SourceScanner, NamesVariablesAndAliases) {
  EXPECT_EQ(kind_and_name("inline constexpr std::chrono::nanoseconds infinity = std::chrono::nanoseconds::max()"),
            "variable infinity");
  EXPECT_EQ(kind_and_name("inline constexpr std::chrono::milliseconds kDefaultCallTimeout"),
            "variable kDefaultCallTimeout");
  EXPECT_EQ(kind_and_name("template <class T>\ninline constexpr bool is_async_v<Async<T>> = true"),
            "variable is_async_v");
  EXPECT_EQ(kind_and_name("std::function<Async<Result<Pid>>()> start"), "variable start");
  EXPECT_EQ(kind_and_name("using SteadyTime = std::chrono::steady_clock::time_point"), "alias SteadyTime");
}

TEST(SourceScanner, SetsAsideOperatorsAndDestructors) {
  EXPECT_EQ(kind_and_name("explicit operator bool() const"), "other bool");
  EXPECT_EQ(kind_and_name("friend auto operator<=>(const Pid&, const Pid&) = default"), "other ");
  EXPECT_EQ(kind_and_name("Message& operator=(Message&& o) noexcept"), "other ");
  EXPECT_EQ(kind_and_name("virtual ~RemoteRouter() = default"), "other RemoteRouter");
}

TEST(SourceScanner, FindsTheNamesOfNamespaceGroveButNotOfDetail) {
  const Source s = scan(R"(#pragma once
namespace grove {
namespace detail { void hidden(); }
// void commented_out();
struct Box { int size = 0; void grow() {} private: void shrink(); };
class Safe { void locked(); public: int open(int n) const { return n; } };
Pid self();
}  // namespace grove
)");
  ASSERT_EQ(grove_scope(s).size(), 3u);
  EXPECT_EQ(kind_and_name(grove_scope(s)[0].head), "type Box");
  EXPECT_EQ(kind_and_name(grove_scope(s)[2].head), "function self");
  std::vector<std::string> members;
  for (const Declaration& d : grove_scope(s))
    for (const Member& m : members_of(s, d)) members.push_back((m.is_public ? "+" : "-") + m.declared.name);
  EXPECT_EQ(members, (std::vector<std::string>{"+size", "+grow", "-shrink", "-locked", "+open"}));
}

TEST(SourceScanner, ReadsTheLiteralsOfEveryCall) {
  const Source s = scan(R"(env.set("A", x); my_env.set("B", y); env.set("C", "D");)");
  const auto calls = s.call_literals("env.set(");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0], std::vector<std::string>{"A"});
  EXPECT_EQ(calls[1], (std::vector<std::string>{"C", "D"}));
}

}  // namespace
