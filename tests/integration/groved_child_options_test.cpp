// A child's environment, working directory, limits, output and credentials,
// as the optional child keys of grove.toml set them.
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "groved_harness.hpp"

using namespace grove::test;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

TEST(GrovedChildOptions, EnvFileTableAndGroveVariables) {
  const std::string dir = "/tmp/grove-opt-env";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/x.env") << "# comment\nFILEVAR=from file\nBAR=from file\n";
  Groved g(R"(
name = "opt"
control = "@DIR@/ctl.sock"
[[children]]
name = "api"
type = "supervisor"
  [[children.children]]
  name = "x"
  cwd = "/tmp"
  env = { FOO = "from table", BAR = "table wins" }
  env_file = ")" + dir + R"(/x.env"
  ready = "fd:3"
  command = ["sh", "-c", "echo \"$GROVE_TREE|$GROVE_PATH|$GROVE_INCARNATION|$FOO|$BAR|$FILEVAR|$(pwd)\" > )" + dir + R"(/env.out; echo >&3; exec sleep 1000"]
)");
  g.wait_for("tree_ready");
  EXPECT_EQ(slurp(dir + "/env.out"), "opt|api/x|1|from table|table wins|from file|/tmp\n");
  EXPECT_EQ(g.terminate(), 0);
  std::filesystem::remove_all(dir);
}

TEST(GrovedChildOptions, MissingEnvFileIsAStartError) {
  Groved g(R"(
name = "opt"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = 0
[[children]]
name = "x"
env_file = "/nonexistent/x.env"
command = ["sleep", "1000"]
)");
  const auto e = g.wait_for("start_error", {{"path", "x"}});
  EXPECT_NE(e.get("error").find("/nonexistent/x.env"), std::string::npos) << e.raw;
  EXPECT_EQ(g.wait_exit(), 3);
}

TEST(GrovedChildOptions, InheritedStdoutLinesArePrefixedWithThePath) {
  Groved g(R"(
name = "opt"
control = "@DIR@/ctl.sock"
[[children]]
name = "talker"
restart = "transient"
command = ["sh", "-c", "echo hello; echo world"]
[[children]]
name = "marker"
command = ["sleep", "1000"]
)");
  g.wait_for("child_terminated", {{"offender", "talker"}});
  EXPECT_EQ(g.terminate(), 0);
  EXPECT_NE(g.stdout_text().find("talker | hello\ntalker | world\n"), std::string::npos)
      << g.stdout_text();
}

TEST(GrovedChildOptions, StdoutToAFileAppends) {
  Groved g(R"(
name = "opt"
control = "@DIR@/ctl.sock"
[[children]]
name = "x"
stdout = "@DIR@/x.out"
ready = "fd:3"
command = ["sh", "-c", "echo to-file; echo >&3; exec sleep 1000"]
)");
  g.wait_for("tree_ready");
  EXPECT_EQ(g.terminate(), 0);
  EXPECT_EQ(slurp(g.dir() + "/x.out"), "to-file\n");
}

TEST(GrovedChildOptions, LogOutputRotatesAndKeepsTheConfiguredBackups) {
  Groved g(R"(
name = "opt"
control = "@DIR@/ctl.sock"
log_dir = "@DIR@/logs"
log_max_bytes = 1000
log_backups = 2
[[children]]
name = "chatty"
stdout = "log"
stderr = "log"
restart = "transient"
command = ["sh", "-c", "i=0; while [ $i -lt 100 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done"]
[[children]]
name = "marker"
command = ["sleep", "1000"]
)");
  g.wait_for("child_terminated", {{"offender", "chatty"}});
  EXPECT_EQ(g.terminate(), 0);
  namespace fs = std::filesystem;
  int files = 0;
  for (const auto& f : fs::directory_iterator(g.dir() + "/logs")) {
    ++files;
    EXPECT_LE(fs::file_size(f.path()), 1000u) << f.path();
  }
  EXPECT_EQ(files, 3) << "the live file and 2 backups";
  EXPECT_NE(slurp(g.dir() + "/logs/chatty.log").find("line-99-"), std::string::npos);
}

TEST(GrovedChildOptions, Sigusr2ReopensLogFiles) {
  Groved g(R"(
name = "opt"
control = "@DIR@/ctl.sock"
log_dir = "@DIR@/logs"
[[children]]
name = "x"
stdout = "log"
restart = "transient"
ready = "fd:3"
command = ["sh", "-c", "echo before; echo >&3; read line < @DIR@/go; echo after"]
[[children]]
name = "marker"
command = ["sleep", "1000"]
)");
  ASSERT_EQ(::mkfifo((g.dir() + "/go").c_str(), 0600), 0);
  g.wait_for("tree_ready");
  std::filesystem::rename(g.dir() + "/logs/x.log", g.dir() + "/logs/x.log.old");
  send_signal(g.pid(), SIGUSR2);
  g.wait_for("logs_reopened");
  std::ofstream(g.dir() + "/go") << "go\n";  // lets the child write "after"
  g.wait_for("child_terminated", {{"offender", "x"}});
  EXPECT_EQ(g.terminate(), 0);
  EXPECT_EQ(slurp(g.dir() + "/logs/x.log.old"), "before\n");
  EXPECT_EQ(slurp(g.dir() + "/logs/x.log"), "after\n");
}

TEST(GrovedChildOptions, LimitsAndUmaskApply) {
  Groved g(R"(
name = "opt"
control = "@DIR@/ctl.sock"
[[children]]
name = "x"
umask = "027"
limits = { nofile = 123 }
ready = "fd:3"
command = ["sh", "-c", "echo \"$(ulimit -n) $(umask)\" > @DIR@/lim.out; echo >&3; exec sleep 1000"]
)");
  g.wait_for("tree_ready");
  EXPECT_EQ(slurp(g.dir() + "/lim.out"), "123 0027\n");
  EXPECT_EQ(g.terminate(), 0);
}

TEST(GrovedChildOptions, UserAndGroupSwitchWhenRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  Groved g(R"(
name = "opt"
control = "@DIR@/ctl.sock"
[[children]]
name = "x"
user = "nobody"
group = "nogroup"
ready = "fd:3"
command = ["sh", "-c", "echo >&3; exec sleep 1000"]
)");
  const pid_t pid = g.wait_for("child_started", {{"path", "x"}}).pid();
  g.wait_for("tree_ready");
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line, uid_line;
  while (std::getline(status, line))
    if (line.rfind("Uid:", 0) == 0) uid_line = line;
  EXPECT_NE(uid_line.find("65534"), std::string::npos) << uid_line;
  EXPECT_EQ(g.terminate(), 0);
}

TEST(GrovedChildOptions, RestartDelayHoldsTheRestartBack) {
  Groved g(R"(
name = "opt"
control = "@DIR@/ctl.sock"
[supervisor]
intensity = 5
period = "30s"
[[children]]
name = "x"
restart_delay = "400ms"
command = ["sleep", "1000"]
)");
  const pid_t pid = g.wait_for("child_started", {{"path", "x"}}).pid();
  g.wait_for("tree_ready");
  const auto killed_at = std::chrono::steady_clock::now();
  send_signal(pid, SIGKILL);
  g.wait_for("child_restarted", {{"path", "x"}});
  EXPECT_GE(std::chrono::steady_clock::now() - killed_at, std::chrono::milliseconds(400));
  EXPECT_EQ(g.terminate(), 0);
}

TEST(GrovedChildOptions, RelativeProgramIsFoundInARelativeCwd) {
  Groved g(R"(
name = "opt"
control = "@DIR@/ctl.sock"
[[children]]
name = "x"
cwd = "sub"
ready = "fd:3"
command = ["./run.sh"]
)",
           {}, {{"sub/run.sh", "#!/bin/sh\necho >&3\nexec sleep 1000\n"}});
  g.wait_for("tree_ready");
  EXPECT_EQ(g.terminate(), 0);
}
