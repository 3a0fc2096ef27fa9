#include "config/tree_printer.hpp"

#include <gtest/gtest.h>

#include "config/config_loader.hpp"

namespace grove::config {
namespace {

const LoadOptions kUser{1000, "/run/user/1000", "", "/home/ann"};

TEST(TreePrinter, PrintsTheDesignExample) {
  const LoadResult r = load_config_file(GROVE_CONFIG_FIXTURES "/shop.toml", kUser);
  ASSERT_TRUE(r.ok()) << format_diagnostics(r.errors);
  EXPECT_EQ(print_tree(*r.tree),
            "shop           supervisor  -          one_for_one, intensity 3 per 5s\n"
            "├── db         worker      permanent  redis-server --port 6390  (ready tcp://127.0.0.1:6390)\n"
            "└── api        supervisor  permanent  rest_for_one, intensity 5 per 10s\n"
            "    ├── cache  worker      permanent  ./build/examples/kvstore\n"
            "    └── web    worker      transient  python3 -m http.server 8081\n");
}

TEST(TreePrinter, DeepTreesKeepTheVerticalRulesOfOpenBranches) {
  TreeSpec t;
  t.name = "t";
  ChildSpec leaf;
  leaf.name = "leaf";
  leaf.process.command = {"/bin/leaf"};
  leaf.policy.ready.kind = Readiness::Kind::notify;
  ChildSpec inner;
  inner.name = "inner";
  inner.type = ChildType::supervisor;
  inner.supervisor.auto_shutdown = AutoShutdown::any_significant;
  inner.children = {leaf};
  ChildSpec outer = inner;
  outer.name = "outer";
  outer.children = {inner};
  ChildSpec last = leaf;
  last.name = "last";
  last.policy.restart = RestartType::temporary;
  last.policy.ready = {Readiness::Kind::fd, 3, "", 0};
  t.children = {outer, last};
  EXPECT_EQ(print_tree(t),
            "t                 supervisor  -          one_for_one, intensity 1 per 5s\n"
            "├── outer         supervisor  permanent  one_for_one, intensity 1 per 5s, auto_shutdown any_significant\n"
            "│   └── inner     supervisor  permanent  one_for_one, intensity 1 per 5s, auto_shutdown any_significant\n"
            "│       └── leaf  worker      permanent  /bin/leaf  (ready notify)\n"
            "└── last          worker      temporary  /bin/leaf  (ready fd:3)\n");
}

TEST(TreePrinter, AMailboxWorkerSaysSo) {
  TreeSpec t;
  t.name = "t";
  ChildSpec w;
  w.name = "cache";
  w.process.command = {"/bin/cache"};
  w.process.mailbox = true;
  w.policy.ready.kind = Readiness::Kind::notify;
  ChildSpec plain = w;
  plain.name = "plain";
  plain.policy.ready.kind = Readiness::Kind::started;
  t.children = {w, plain};
  EXPECT_EQ(print_tree(t),
            "t          supervisor  -          one_for_one, intensity 1 per 5s\n"
            "├── cache  worker      permanent  /bin/cache  (mailbox, ready notify)\n"
            "└── plain  worker      permanent  /bin/cache  (mailbox)\n");
}

TEST(ShellQuoteCommand, QuotesOnlyWhatAShellWouldSplitOrExpand) {
  EXPECT_EQ(shell_quote_command({"python3", "-m", "http.server", "8081"}), "python3 -m http.server 8081");
  EXPECT_EQ(shell_quote_command({"sh", "-c", "echo $HOME; exit 1"}), "sh -c 'echo $HOME; exit 1'");
  EXPECT_EQ(shell_quote_command({"echo", "it's", ""}), "echo 'it'\\''s' ''");
  EXPECT_EQ(shell_quote_command({"env", "A=b", "user@host:/x,y+z%"}), "env A=b user@host:/x,y+z%");
}

}  // namespace
}  // namespace grove::config
