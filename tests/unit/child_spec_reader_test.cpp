// Per-child keys of grove.toml, read through the public loader. Every config
// below starts with `name = "t"` on line 1 and `[[children]]` on line 2, so a
// child's own keys start on line 3. (child_spec_reader.hpp is internal and
// includes toml++; the tests go through the public loader instead.)
#include <gtest/gtest.h>

#include <csignal>
#include <string>

#include "config/config_loader.hpp"

namespace grove::config {
namespace {

const LoadOptions kUser{1000, "/run/user/1000", "", "/home/ann"};

std::string child(std::string_view body, std::string_view after = "") {
  return "name = \"t\"\n[[children]]\n" + std::string(body) + std::string(after);
}

ChildSpec first_child(const std::string& text) {
  const LoadResult r = load_config_string(text, "grove.toml", kUser);
  EXPECT_TRUE(r.ok()) << format_diagnostics(r.errors);
  if (!r.ok() || r.tree->children.empty()) return {};
  return r.tree->children.front();
}

std::string errors_of(const std::string& text) {
  const LoadResult r = load_config_string(text, "grove.toml", kUser);
  EXPECT_FALSE(r.ok());
  return format_diagnostics(r.errors);
}

constexpr std::string_view kWorkerKeyList =
    "name, type, command, restart, shutdown, ready, start_timeout, restart_delay, backoff_max, "
    "backoff_reset, env, env_file, cwd, user, group, umask, stop_signal, success_exit_codes, autostart, "
    "significant, stdout, stderr, limits, watchdog, max_redeliveries, mailbox";

TEST(ChildSpecReader, AWorkerGetsEveryDefault) {
  const ChildSpec c = first_child(child("name = \"w\"\ncommand = [\"x\"]\n"));
  EXPECT_EQ(c.name, "w");
  EXPECT_EQ(c.type, ChildType::worker);
  EXPECT_EQ(c.where, (SourcePos{2, 1}));
  EXPECT_EQ(c.policy, ChildPolicy{});
  EXPECT_EQ(c.policy.restart, RestartType::permanent);
  EXPECT_EQ(c.policy.shutdown, default_shutdown(ChildType::worker));
  EXPECT_EQ(c.policy.stop_signal, SIGTERM);
  EXPECT_EQ(c.policy.ready.kind, Readiness::Kind::started);
  EXPECT_EQ(c.policy.start_timeout, Duration{30000});
  EXPECT_EQ(c.policy.backoff_reset, Duration{30000});
  EXPECT_TRUE(c.policy.autostart);
  EXPECT_FALSE(c.policy.significant);
  EXPECT_FALSE(c.policy.watchdog.has_value());
  EXPECT_EQ(c.policy.max_redeliveries, 3);
  EXPECT_FALSE(c.process.mailbox);
  EXPECT_TRUE(c.children.empty());
}

TEST(ChildSpecReader, EveryWorkerPolicyKeyIsRead) {
  const std::string text = R"(name = "t"
[supervisor]
auto_shutdown = "any_significant"
[[children]]
name = "w"
command = ["x"]
type = "worker"
restart = "transient"
shutdown = "brutal_kill"
ready = "notify"
start_timeout = "10s"
restart_delay = "250ms"
backoff_max = "1m"
backoff_reset = "2m"
stop_signal = "INT"
success_exit_codes = [1, 255]
autostart = false
significant = true
watchdog = "30s"
max_redeliveries = 0
)";
  const ChildPolicy p = first_child(text).policy;
  EXPECT_EQ(p.restart, RestartType::transient);
  EXPECT_EQ(p.shutdown.kind, Shutdown::Kind::brutal_kill);
  EXPECT_EQ(p.ready.kind, Readiness::Kind::notify);
  EXPECT_EQ(p.start_timeout, Duration{10000});
  EXPECT_EQ(p.restart_delay, Duration{250});
  EXPECT_EQ(p.backoff_max, Duration{60000});
  EXPECT_EQ(p.backoff_reset, Duration{120000});
  EXPECT_EQ(p.stop_signal, SIGINT);
  EXPECT_EQ(p.success_exit_codes, (std::vector<int>{1, 255}));
  EXPECT_FALSE(p.autostart);
  EXPECT_TRUE(p.significant);
  EXPECT_EQ(p.watchdog, Duration{30000});
  EXPECT_EQ(p.max_redeliveries, 0);
}

TEST(ChildSpecReader, ShutdownIsBrutalKillADurationOrInfinity) {
  EXPECT_EQ(first_child(child("name = \"w\"\ncommand = [\"x\"]\nshutdown = \"infinity\"\n")).policy.shutdown.kind,
            Shutdown::Kind::infinity);
  EXPECT_EQ(first_child(child("name = \"w\"\ncommand = [\"x\"]\nshutdown = 10\n")).policy.shutdown,
            (Shutdown{Shutdown::Kind::timeout, Duration{10000}}));
  EXPECT_EQ(first_child(child("name = \"w\"\ncommand = [\"x\"]\nshutdown = \"1m30s\"\n")).policy.shutdown,
            (Shutdown{Shutdown::Kind::timeout, Duration{90000}}));
}

TEST(ChildSpecReader, StopSignalMayBeANumberOrAPrefixedName) {
  EXPECT_EQ(first_child(child("name = \"w\"\ncommand = [\"x\"]\nstop_signal = 10\n")).policy.stop_signal, 10);
  EXPECT_EQ(first_child(child("name = \"w\"\ncommand = [\"x\"]\nstop_signal = \"SIGQUIT\"\n")).policy.stop_signal,
            SIGQUIT);
}

TEST(ChildSpecReader, ReadinessFdAndTcpAreParsed) {
  EXPECT_EQ(first_child(child("name = \"w\"\ncommand = [\"x\"]\nready = \"fd:3\"\n")).policy.ready.fd, 3);
  const Readiness tcp = first_child(child("name = \"w\"\ncommand = [\"x\"]\nready = \"tcp://[::1]:99\"\n")).policy.ready;
  EXPECT_EQ(tcp.kind, Readiness::Kind::tcp);
  EXPECT_EQ(tcp.host, "::1");
  EXPECT_EQ(tcp.port, 99);
}

TEST(ChildSpecReader, ASupervisorGetsInfinityShutdownAndOtpDefaults) {
  const ChildSpec c = first_child(child(R"(name = "api"
type = "supervisor"
  [[children.children]]
  name = "w"
  command = ["x"]
)"));
  EXPECT_EQ(c.type, ChildType::supervisor);
  EXPECT_EQ(c.policy.shutdown, default_shutdown(ChildType::supervisor));
  EXPECT_EQ(c.policy.shutdown.kind, Shutdown::Kind::infinity);
  EXPECT_EQ(c.supervisor, SupervisorPolicy{});
  ASSERT_EQ(c.children.size(), 1u);
  EXPECT_EQ(c.children[0].policy.shutdown, default_shutdown(ChildType::worker));
  EXPECT_EQ(c.children[0].where, (SourcePos{5, 3}));
}

TEST(ChildSpecReader, EverySupervisorKeyIsRead) {
  const ChildSpec c = first_child(child(R"(name = "api"
type = "supervisor"
strategy = "one_for_all"
intensity = 10
period = "1m"
auto_shutdown = "all_significant"
restart = "transient"
shutdown = "30s"
restart_delay = "1s"
backoff_max = "8s"
backoff_reset = "1m"
autostart = false
  [[children.children]]
  name = "w"
  command = ["x"]
  restart = "temporary"
  significant = true
)"));
  EXPECT_EQ(c.supervisor.strategy, Strategy::one_for_all);
  EXPECT_EQ(c.supervisor.intensity, 10);
  EXPECT_EQ(c.supervisor.period, Duration{60000});
  EXPECT_EQ(c.supervisor.auto_shutdown, AutoShutdown::all_significant);
  EXPECT_EQ(c.policy.restart, RestartType::transient);
  EXPECT_EQ(c.policy.shutdown, (Shutdown{Shutdown::Kind::timeout, Duration{30000}}));
  EXPECT_EQ(c.policy.restart_delay, Duration{1000});
  EXPECT_EQ(c.policy.backoff_max, Duration{8000});
  EXPECT_EQ(c.policy.backoff_reset, Duration{60000});
  EXPECT_FALSE(c.policy.autostart);
  ASSERT_EQ(c.children.size(), 1u);
  EXPECT_TRUE(c.children[0].policy.significant);
}

TEST(ChildSpecReader, SupervisorsNestToDepthThree) {
  const ChildSpec top = first_child(child(R"(name = "a"
type = "supervisor"
strategy = "one_for_all"
  [[children.children]]
  name = "b"
  type = "supervisor"
  strategy = "rest_for_one"
    [[children.children.children]]
    name = "c"
    command = ["/bin/c"]
    restart = "temporary"
  [[children.children]]
  name = "d"
  command = ["/bin/d"]
)"));
  ASSERT_EQ(top.children.size(), 2u);
  const ChildSpec& b = top.children[0];
  EXPECT_EQ(b.type, ChildType::supervisor);
  EXPECT_EQ(b.supervisor.strategy, Strategy::rest_for_one);
  ASSERT_EQ(b.children.size(), 1u);
  EXPECT_EQ(b.children[0].name, "c");
  EXPECT_EQ(b.children[0].process.command, (std::vector<std::string>{"/bin/c"}));
  EXPECT_EQ(b.children[0].policy.restart, RestartType::temporary);
  EXPECT_EQ(b.children[0].where, (SourcePos{10, 5}));
  EXPECT_EQ(top.children[1].name, "d");
}

// A chain of `levels` supervisors ending in a worker: [[children]],
// [[children.children]], ... with the worker at the deepest level.
std::string chain(int levels) {
  std::string text = "name = \"t\"\n";
  std::string header = "children";
  for (int d = 1; d <= levels; ++d) {
    text += "[[" + header + "]]\nname = \"s" + std::to_string(d) + "\"\n";
    text += d < levels ? "type = \"supervisor\"\n" : "command = [\"x\"]\n";
    header += ".children";
  }
  return text;
}

TEST(ChildSpecReader, NestingIsBoundedAt32Levels) {
  EXPECT_TRUE(load_config_string(chain(32), "g", kUser).ok());
  const LoadResult r = load_config_string(chain(33), "g", kUser);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors.at(0).message, "children nested deeper than 32 levels");
}

TEST(ChildSpecReader, UnknownKeysSayTheClosestAndListTheAllowed) {
  EXPECT_EQ(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nrestart_policy = \"permanent\"\n")),
            "grove.toml:5:1: error: unknown key 'restart_policy' in [[children]]\n"
            "  hint: did you mean 'restart'? allowed: " + std::string(kWorkerKeyList) + "\n");
}

TEST(ChildSpecReader, UnknownKeysInNestedChildrenNameTheirTable) {
  const std::string text = child("name = \"s\"\ntype = \"supervisor\"\n  [[children.children]]\n"
                                 "  name = \"w\"\n  command = [\"x\"]\n  comand = 1\n");
  EXPECT_NE(errors_of(text).find("grove.toml:8:3: error: unknown key 'comand' in [[children.children]]\n"
                                 "  hint: did you mean 'command'?"),
            std::string::npos);
}

TEST(ChildSpecReader, PeersKeyNamesSuggestOurs) {
  // "cmd" is one letter from "cwd", but a Docker user means "command".
  EXPECT_NE(errors_of(child("name = \"w\"\ncmd = [\"x\"]\n")).find("did you mean 'command'?"), std::string::npos);
  EXPECT_NE(errors_of(child("name = \"w\"\ncommand = [\"x\"]\ndirectory = \"/srv\"\n")).find("did you mean 'cwd'?"),
            std::string::npos);
  EXPECT_NE(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nstopwaitsecs = 10\n")).find("did you mean 'shutdown'?"),
            std::string::npos);
}

TEST(ChildSpecReader, ANegativeShutdownIsANegativeDuration) {
  const std::string e = errors_of(child("name = \"w\"\ncommand = [\"x\"]\nshutdown = \"-1s\"\n"));
  EXPECT_NE(e.find("(negative)"), std::string::npos) << e;
  EXPECT_EQ(e.find("allowed: brutal_kill, infinity"), std::string::npos) << e;
}

TEST(ChildSpecReader, PeerRestartWordsSuggestOtpOnes) {
  EXPECT_EQ(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nrestart = \"always\"\n")),
            "grove.toml:5:11: error: \"always\" is not a valid 'restart'\n"
            "  hint: did you mean 'permanent'? allowed: permanent, transient, temporary\n");
  EXPECT_NE(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nrestart = \"on-failure\"\n")).find("'transient'"),
            std::string::npos);
  EXPECT_NE(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nrestart = \"no\"\n")).find("'temporary'"),
            std::string::npos);
  EXPECT_NE(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nrestart = \"unless-stopped\"\n")).find("'permanent'"),
            std::string::npos);
}

TEST(ChildSpecReader, KillSuggestsBrutalKill) {
  EXPECT_EQ(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nshutdown = \"kill\"\n")),
            "grove.toml:5:12: error: \"kill\" is not a valid 'shutdown'\n"
            "  hint: did you mean 'brutal_kill'? allowed: brutal_kill, infinity\n");
}

TEST(ChildSpecReader, BadShutdownDurationsAreDurationErrors) {
  EXPECT_NE(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nshutdown = \"5 seconds\"\n"))
                .find("grove.toml:5:12: error: 'shutdown': \"5 seconds\" is not a duration"),
            std::string::npos);
  EXPECT_NE(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nshutdown = true\n"))
                .find("'shutdown' must be a duration (\"5s\") or an integer of seconds, got a boolean"),
            std::string::npos);
}

TEST(ChildSpecReader, PeerTypeWordsSuggestWorker) {
  EXPECT_EQ(errors_of(child("name = \"w\"\ncommand = [\"x\"]\ntype = \"service\"\n")),
            "grove.toml:5:8: error: \"service\" is not a valid 'type'\n"
            "  hint: did you mean 'worker'? allowed: worker, supervisor\n");
}

TEST(ChildSpecReader, DuplicateSiblingNamesPointAtTheFirst) {
  EXPECT_EQ(errors_of(child("name = \"web\"\ncommand = [\"x\"]\n", "[[children]]\nname = \"web\"\ncommand = [\"y\"]\n")),
            "grove.toml:6:8: error: duplicate child name 'web'\n"
            "  hint: first defined at grove.toml:3:8\n");
}

TEST(ChildSpecReader, TheSameNameUnderDifferentParentsIsFine) {
  first_child(child(R"(name = "web"
type = "supervisor"
  [[children.children]]
  name = "web"
  command = ["x"]
)"));
}

TEST(ChildSpecReader, NamesMustBePathSafe) {
  EXPECT_EQ(errors_of(child("name = \"api/web\"\ncommand = [\"x\"]\n")),
            "grove.toml:3:8: error: child name \"api/web\" is not valid\n"
            "  hint: names use only letters, digits, '_', '.' and '-' (they form paths like api/web)\n");
  for (std::string_view bad : {"", ".", "..", "a b", "é"})
    EXPECT_FALSE(load_config_string(child("name = \"" + std::string(bad) + "\"\ncommand = [\"x\"]\n"), "g", kUser).ok())
        << bad;
  EXPECT_EQ(first_child(child("name = \"Web-1.v2_x\"\ncommand = [\"x\"]\n")).name, "Web-1.v2_x");
}

TEST(ChildSpecReader, NameIsRequired) {
  EXPECT_EQ(errors_of(child("command = [\"x\"]\n")),
            "grove.toml:2:1: error: [[children]] has no 'name'\n"
            "  hint: add name = \"...\"\n");
}

TEST(ChildSpecReader, AWorkerNeedsACommand) {
  EXPECT_EQ(errors_of(child("name = \"w\"\n")),
            "grove.toml:2:1: error: worker 'w' has no 'command'\n"
            "  hint: add command = [\"program\", \"arg\", ...], or type = \"supervisor\" with children\n");
}

TEST(ChildSpecReader, ASupervisorHasNoCommand) {
  EXPECT_EQ(errors_of(child("name = \"s\"\ntype = \"supervisor\"\ncommand = [\"x\"]\n"
                            "  [[children.children]]\n  name = \"w\"\n  command = [\"x\"]\n")),
            "grove.toml:5:1: error: a supervisor has no 'command'\n"
            "  hint: its children do the work: remove 'command', or remove type = \"supervisor\"\n");
}

TEST(ChildSpecReader, WorkerOnlyKeysAreRejectedOnSupervisors) {
  EXPECT_EQ(errors_of(child("name = \"s\"\ntype = \"supervisor\"\nready = \"notify\"\n"
                            "  [[children.children]]\n  name = \"w\"\n  command = [\"x\"]\n")),
            "grove.toml:5:1: error: 'ready' applies only to workers, not to type = \"supervisor\"\n"
            "  hint: set it on the supervisor's children\n");
}

TEST(ChildSpecReader, AWorkerCannotHaveChildren) {
  EXPECT_EQ(errors_of(child("name = \"w\"\ncommand = [\"x\"]\n  [[children.children]]\n  name = \"c\"\n"
                            "  command = [\"x\"]\n")),
            "grove.toml:5:14: error: a worker cannot have children\n"
            "  hint: add type = \"supervisor\" to make it a nested supervisor\n");
}

TEST(ChildSpecReader, SupervisorKeysAreRejectedOnWorkers) {
  EXPECT_EQ(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nauto_shutdown = \"any_significant\"\n")),
            "grove.toml:5:1: error: 'auto_shutdown' applies only to type = \"supervisor\"\n"
            "  hint: add type = \"supervisor\" to make it a nested supervisor\n");
  EXPECT_NE(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nstrategy = \"one_for_all\"\n"))
                .find("'strategy' applies only to type = \"supervisor\""),
            std::string::npos);
}

TEST(ChildSpecReader, ASupervisorNeedsChildren) {
  EXPECT_EQ(errors_of(child("name = \"s\"\ntype = \"supervisor\"\n")),
            "grove.toml:2:1: error: supervisor 's' has no children\n"
            "  hint: add [[children.children]] tables under it\n");
  EXPECT_NE(errors_of(child("name = \"s\"\ntype = \"supervisor\"\nchildren = []\n")).find("has no children"),
            std::string::npos);
}

TEST(ChildSpecReader, ChildrenMustBeTables) {
  EXPECT_EQ(errors_of(child("name = \"s\"\ntype = \"supervisor\"\nchildren = \"w\"\n")),
            "grove.toml:5:12: error: 'children' must be an array of tables, got a string\n"
            "  hint: write each child as a [[children.children]] table\n");
  EXPECT_EQ(errors_of(child("name = \"s\"\ntype = \"supervisor\"\nchildren = [1]\n")),
            "grove.toml:5:13: error: each entry of 'children' must be a table, got an integer\n"
            "  hint: write each child as a [[children.children]] table\n");
}

TEST(ChildSpecReader, InlineTableChildrenAreAccepted) {
  const ChildSpec c = first_child(child("name = \"s\"\ntype = \"supervisor\"\n"
                                        "children = [{ name = \"w\", command = [\"x\"] }]\n"));
  ASSERT_EQ(c.children.size(), 1u);
  EXPECT_EQ(c.children[0].name, "w");
}

TEST(ChildSpecReader, ABadTypeDoesNotCascade) {
  EXPECT_EQ(errors_of(child("name = \"s\"\ntype = \"supervsior\"\nstrategy = \"one_for_all\"\n"
                            "  [[children.children]]\n  name = \"w\"\n  command = [\"x\"]\n")),
            "grove.toml:4:8: error: \"supervsior\" is not a valid 'type'\n"
            "  hint: did you mean 'supervisor'? allowed: worker, supervisor\n");
}

TEST(ChildSpecReader, NestedIntensityAndPeriodAreChecked) {
  const std::string text = child("name = \"s\"\ntype = \"supervisor\"\nintensity = -1\nperiod = \"0s\"\n"
                                 "  [[children.children]]\n  name = \"w\"\n  command = [\"x\"]\n");
  EXPECT_EQ(errors_of(text),
            "grove.toml:5:13: error: 'intensity' must be 0 or more, got -1\n"
            "grove.toml:6:10: error: 'period' must be longer than 0, got 0s\n");
}

TEST(ChildSpecReader, APermanentChildCannotBeSignificant) {
  const std::string text = "name = \"t\"\n[supervisor]\nauto_shutdown = \"any_significant\"\n"
                           "[[children]]\nname = \"w\"\ncommand = [\"x\"]\nsignificant = true\n";
  EXPECT_EQ(errors_of(text),
            "grove.toml:7:15: error: a permanent child cannot be significant\n"
            "  hint: significant children must be transient or temporary (as in OTP)\n");
}

TEST(ChildSpecReader, SignificantNeedsTheParentsAutoShutdown) {
  EXPECT_EQ(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nrestart = \"transient\"\nsignificant = true\n")),
            "grove.toml:6:15: error: 'significant' needs the parent's auto_shutdown\n"
            "  hint: set auto_shutdown = \"any_significant\" or \"all_significant\" on the parent supervisor\n");
}

TEST(ChildSpecReader, ReadyFdMustNotBeStdio) {
  EXPECT_EQ(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nready = \"fd:2\"\n")),
            "grove.toml:5:9: error: 'ready': fd 2 is the child's stderr: readiness needs its own fd\n"
            "  hint: use fd:3 or above (s6's notification-fd)\n");
}

TEST(ChildSpecReader, BadTcpUrlsAndPortsAreRejected) {
  EXPECT_EQ(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nready = \"tcp://localhost:99999\"\n")),
            "grove.toml:5:9: error: 'ready': \"tcp://localhost:99999\": port \"99999\" is not a number from 1 "
            "to 65535\n");
  EXPECT_NE(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nready = \"tcp://localhost\"\n")).find("has no port"),
            std::string::npos);
}

TEST(ChildSpecReader, SystemdSuggestsNotify) {
  EXPECT_EQ(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nready = \"systemd\"\n")),
            "grove.toml:5:9: error: 'ready': \"systemd\" is not a readiness\n"
            "  hint: did you mean 'notify'? ready = \"started\", \"notify\", \"fd:N\" (N >= 3) or "
            "\"tcp://host:port\"\n");
}

TEST(ChildSpecReader, BadStopSignalsAreRejected) {
  EXPECT_EQ(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nstop_signal = \"SIGTREM\"\n")),
            "grove.toml:5:15: error: 'stop_signal': \"SIGTREM\" is not a signal\n"
            "  hint: did you mean 'TERM'? use a name such as TERM, INT, HUP, QUIT, USR1, or a number from 1 to 64\n");
  EXPECT_NE(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nstop_signal = 0\n")).find("0 is not a signal"),
            std::string::npos);
  EXPECT_NE(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nstop_signal = 65\n")).find("65 is not a signal"),
            std::string::npos);
  EXPECT_NE(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nstop_signal = 1.5\n")).find("got a float"),
            std::string::npos);
}

TEST(ChildSpecReader, SuccessExitCodesAreBytes) {
  EXPECT_EQ(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nsuccess_exit_codes = [0, 256, \"3\", -1]\n")),
            "grove.toml:5:26: error: 'success_exit_codes' holds exit codes, integers from 0 to 255\n"
            "grove.toml:5:31: error: 'success_exit_codes' holds exit codes, integers from 0 to 255\n"
            "grove.toml:5:36: error: 'success_exit_codes' holds exit codes, integers from 0 to 255\n");
}

TEST(ChildSpecReader, BackoffMaxMustNotUndercutRestartDelay) {
  EXPECT_EQ(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nrestart_delay = \"5s\"\nbackoff_max = \"1s\"\n")),
            "grove.toml:6:15: error: 'backoff_max' (1s) is shorter than 'restart_delay' (5s)\n"
            "  hint: backoff_max caps the delay, which starts at restart_delay and doubles\n");
}

TEST(ChildSpecReader, TimeoutsMustBePositive) {
  EXPECT_EQ(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nstart_timeout = 0\nwatchdog = \"0ms\"\n")),
            "grove.toml:5:17: error: 'start_timeout' must be longer than 0, got 0s\n"
            "grove.toml:6:12: error: 'watchdog' must be longer than 0, got 0s\n");
}

TEST(ChildSpecReader, MaxRedeliveriesMustNotBeNegative) {
  EXPECT_EQ(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nmax_redeliveries = -1\n")),
            "grove.toml:5:20: error: 'max_redeliveries' must be 0 or more, got -1\n");
}

TEST(ChildSpecReader, MaxRedeliveriesFitsTheInboxsSixteenBitCount) {
  EXPECT_EQ(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nmax_redeliveries = 65535\n")),
            "grove.toml:5:20: error: max_redeliveries must be at most 65534\n"
            "  hint: an inbox counts deliveries in 16 bits\n");
  EXPECT_EQ(first_child(child("name = \"w\"\ncommand = [\"x\"]\nmax_redeliveries = 65534\n")).policy.max_redeliveries,
            65534);
}

TEST(ChildSpecReader, AMailboxWorkerCannotRunAsAnotherUser) {
  EXPECT_NE(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nmailbox = true\nuser = \"nobody\"\n"))
                .find("error: a mailbox worker runs as groved's user: 'user' cannot be set"),
            std::string::npos);
}

TEST(ChildSpecReader, AMailboxWorkerIsReadyWhenItSaysSoUnlessReadyIsSet) {
  const ChildSpec mailbox = first_child(child("name = \"w\"\ncommand = [\"x\"]\nmailbox = true\n"));
  EXPECT_TRUE(mailbox.process.mailbox);
  EXPECT_EQ(mailbox.policy.ready.kind, Readiness::Kind::notify);
  const ChildSpec started =
      first_child(child("name = \"w\"\ncommand = [\"x\"]\nmailbox = true\nready = \"started\"\n"));
  EXPECT_EQ(started.policy.ready.kind, Readiness::Kind::started);
  const ChildSpec off = first_child(child("name = \"w\"\ncommand = [\"x\"]\nmailbox = false\n"));
  EXPECT_FALSE(off.process.mailbox);
  EXPECT_EQ(off.policy.ready.kind, Readiness::Kind::started);
}

TEST(ChildSpecReader, AMailboxIsPartOfTheProcessDefinition) {
  // Reload restarts a child whose mailbox changed: its environment did.
  const ChildSpec on = first_child(child("name = \"w\"\ncommand = [\"x\"]\nmailbox = true\nready = \"started\"\n"));
  const ChildSpec off = first_child(child("name = \"w\"\ncommand = [\"x\"]\n"));
  EXPECT_EQ(on.policy, off.policy);
  EXPECT_NE(on.process, off.process);
}

TEST(ChildSpecReader, ASupervisorCannotHaveAMailbox) {
  EXPECT_EQ(errors_of(child("name = \"s\"\ntype = \"supervisor\"\nmailbox = true\n"
                            "  [[children.children]]\n  name = \"w\"\n  command = [\"x\"]\n")),
            "grove.toml:5:1: error: 'mailbox' applies only to workers, not to type = \"supervisor\"\n"
            "  hint: set it on the supervisor's children\n");
}

TEST(ChildSpecReader, MailboxIsABoolean) {
  EXPECT_EQ(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nmailbox = \"yes\"\n")),
            "grove.toml:5:11: error: 'mailbox' must be a boolean (true or false), got a string\n");
}

TEST(ChildSpecReader, WrongTypesAreNamed) {
  EXPECT_EQ(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nautostart = \"no\"\n")),
            "grove.toml:5:13: error: 'autostart' must be a boolean (true or false), got a string\n");
  EXPECT_EQ(errors_of(child("name = \"w\"\ncommand = [\"x\"]\nrestart = 1\n")),
            "grove.toml:5:11: error: 'restart' must be a string, got an integer\n");
}

}  // namespace
}  // namespace grove::config
