// Spawn: real children (tests/helpers/launch_report.c reports what it was
// given), every wait bounded by poll deadlines on pipes and pidfds.
#include "launch/spawn.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "launch/child_env.hpp"
#include "launch/child_pipe.hpp"
#include "launch/credentials.hpp"
#include "launch/rlimit_plan.hpp"

namespace grove::launch {
namespace {

constexpr int deadline_ms = 10000;
const std::string report_helper = GROVE_LAUNCH_REPORT;

bool wait_readable(int fd, int timeout_ms = deadline_ms) {
  pollfd p{fd, POLLIN, 0};
  int rc;
  do rc = poll(&p, 1, timeout_ms);
  while (rc < 0 && errno == EINTR);
  return rc == 1;
}

std::string read_to_eof(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    if (!wait_readable(fd)) {
      ADD_FAILURE() << "no EOF within the deadline";
      return out;
    }
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) out.append(buf, static_cast<std::size_t>(n));
    else if (n == 0 || errno != EAGAIN) return out;
  }
}

// Reaps `pid` once its pidfd says it exited; the wait status, or -1.
int wait_exit(pid_t pid) {
  auto pidfd = open_pidfd(pid);
  if (!pidfd || !wait_readable(pidfd.value().get())) return -1;
  int status = 0;
  return waitpid(pid, &status, WNOHANG) == pid ? status : -1;
}

using Report = std::multimap<std::string, std::string>;

Report parse_report(const std::string& text) {
  Report r;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) r.emplace(line.substr(0, eq), line.substr(eq + 1));
  }
  return r;
}

std::string field(const Report& r, const std::string& key) {
  auto it = r.find(key);
  return it == r.end() ? "<missing>" : it->second;
}

SpawnRequest report_request(std::vector<std::string> args = {}) {
  SpawnRequest req;
  req.argv = {report_helper};
  req.argv.insert(req.argv.end(), args.begin(), args.end());
  req.env = current_environment();
  return req;
}

struct ChildRun {
  Report report;
  int status = -1;
  pid_t pid = -1;
};

// Spawns with stdout on a pipe, reads the report to EOF, reaps the child.
ChildRun run_report(SpawnRequest req) {
  auto out = open_child_pipe();
  EXPECT_TRUE(out);
  req.fds.push_back({out.value().child_end.get(), 1});
  auto child = spawn(req);
  EXPECT_TRUE(child) << (child ? "" : child.error().describe());
  if (!child) return {};
  out.value().child_end.reset();
  ChildRun run;
  run.pid = child.value().pid;
  run.report = parse_report(read_to_eof(out.value().parent_read.get()));
  run.status = wait_exit(run.pid);
  return run;
}

std::string temp_dir() {
  char tmpl[] = "/tmp/grove-spawn-test-XXXXXX";
  const char* dir = mkdtemp(tmpl);
  return dir ? dir : "";
}

TEST(Spawn, ExecOfARealProgramReportsSuccessThroughEof) {
  SpawnRequest req;
  req.argv = {"true"};
  req.env = current_environment();
  auto child = spawn(req);
  ASSERT_TRUE(child) << child.error().describe();
  EXPECT_EQ(child.value().program.back(), 'e');
  ASSERT_TRUE(wait_readable(child.value().exec_status.get()));
  EXPECT_EQ(read_exec_status(child.value().exec_status.get()).kind, ExecStatus::Kind::succeeded);
  const int status = wait_exit(child.value().pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(Spawn, SearchesThePathOfTheChildEnvironment) {
  const std::string dir = report_helper.substr(0, report_helper.rfind('/'));
  SpawnRequest req = report_request();
  req.argv[0] = report_helper.substr(report_helper.rfind('/') + 1);
  req.env = {"PATH=/nonexistent:" + dir};
  ChildRun run = run_report(req);
  EXPECT_EQ(field(run.report, "ppid"), std::to_string(getpid()));
  EXPECT_EQ(field(run.report, "env"), "PATH=/nonexistent:" + dir);
}

TEST(Spawn, MissingProgramIsAnEnoentErrorBeforeFork) {
  SpawnRequest req;
  req.argv = {"/usr/bin/grove-no-such-program"};
  auto child = spawn(req);
  ASSERT_FALSE(child);
  EXPECT_EQ(child.error().code, SpawnError::Code::not_found);
  EXPECT_EQ(child.error().err, ENOENT);
  EXPECT_EQ(child.error().describe(),
            "unable to exec /usr/bin/grove-no-such-program: No such file or directory");
}

TEST(Spawn, NonExecutableFileIsAnEaccesErrorBeforeFork) {
  const std::string dir = temp_dir();
  const std::string path = dir + "/data.txt";
  std::ofstream(path) << "not a program\n";
  chmod(path.c_str(), 0644);
  SpawnRequest req;
  req.argv = {path};
  auto child = spawn(req);
  ASSERT_FALSE(child);
  EXPECT_EQ(child.error().code, SpawnError::Code::not_executable);
  EXPECT_EQ(child.error().err, EACCES);
  EXPECT_EQ(child.error().describe(), "unable to exec " + path + ": Permission denied");
  unlink(path.c_str());
  rmdir(dir.c_str());
}

TEST(Spawn, ResetsTheSignalMaskAndIgnoredDispositions) {
  struct sigaction ign{}, old_term{}, old_int{};
  ign.sa_handler = SIG_IGN;
  sigaction(SIGTERM, &ign, &old_term);
  sigaction(SIGINT, &ign, &old_int);
  sigset_t usr1, old_mask;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigprocmask(SIG_BLOCK, &usr1, &old_mask);

  ChildRun run = run_report(report_request());

  sigprocmask(SIG_SETMASK, &old_mask, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  sigaction(SIGINT, &old_int, nullptr);
  EXPECT_EQ(field(run.report, "SigBlk"), "0000000000000000");
  EXPECT_EQ(field(run.report, "SigIgn"), "0000000000000000");
}

TEST(Spawn, ChildLeadsItsOwnSessionAndProcessGroup) {
  ChildRun run = run_report(report_request());
  EXPECT_EQ(field(run.report, "sid"), std::to_string(run.pid));
  EXPECT_EQ(field(run.report, "pgid"), std::to_string(run.pid));
}

TEST(Spawn, ChildDiesWithGrovedThroughParentDeathSignal) {
  ChildRun run = run_report(report_request());
  EXPECT_EQ(field(run.report, "pdeathsig"), std::to_string(SIGKILL));
}

TEST(Spawn, AppliesResourceLimitsSeenInProcLimits) {
  auto stdin_pipe = open_child_pipe();  // the child waits for its EOF
  ASSERT_TRUE(stdin_pipe);
  auto out = open_child_pipe();
  ASSERT_TRUE(out);
  SpawnRequest req = report_request({"--wait"});
  Limits limits;
  limits.nofile = 64;
  limits.core = 0;
  req.limits = make_rlimit_plan(limits);
  // The child reads fd 0 (a pipe read end) and we keep the write end.
  int in_fds[2];
  ASSERT_EQ(pipe2(in_fds, O_CLOEXEC), 0);
  UniqueFd in_read(in_fds[0]), in_write(in_fds[1]);
  req.fds = {{in_read.get(), 0}, {out.value().child_end.get(), 1}};
  auto child = spawn(req);
  ASSERT_TRUE(child) << child.error().describe();
  in_read.reset();
  out.value().child_end.reset();
  ASSERT_TRUE(wait_readable(out.value().parent_read.get()));  // report printed: exec done

  std::ifstream limits_file("/proc/" + std::to_string(child.value().pid) + "/limits");
  std::string text((std::istreambuf_iterator<char>(limits_file)), {});
  in_write.reset();
  Report report = parse_report(read_to_eof(out.value().parent_read.get()));
  EXPECT_EQ(WEXITSTATUS(wait_exit(child.value().pid)), 0);

  EXPECT_NE(text.find("Max open files            64                   64"), std::string::npos)
      << text;
  EXPECT_NE(text.find("Max core file size        0                    0"), std::string::npos)
      << text;
  EXPECT_EQ(field(report, "limit.nofile"), "64:64");
}

TEST(Spawn, AppliesWorkingDirectoryAndUmask) {
  const std::string dir = temp_dir();
  SpawnRequest req = report_request();
  req.cwd = dir;
  req.umask = 027;
  ChildRun run = run_report(req);
  EXPECT_EQ(field(run.report, "cwd"), dir);
  EXPECT_EQ(field(run.report, "umask"), "0027");
  rmdir(dir.c_str());
}

TEST(Spawn, ChildGetsExactlyTheBuiltEnvironment) {
  const std::vector<std::string> inherited = {"PATH=/usr/bin:/bin", "NOTIFY_SOCKET=/run/systemd/notify"};
  const std::vector<std::pair<std::string, std::string>> table = {{"MODE", "test"}};
  GroveVars vars{"shop", "api/web", "/tmp/grove-shop.sock", 3, "@grove-notify", std::nullopt, std::nullopt};
  SpawnRequest req = report_request();
  req.env = build_child_env(inherited, {}, table, vars);
  ChildRun run = run_report(req);
  std::vector<std::string> env;
  for (auto [it, end] = run.report.equal_range("env"); it != end; ++it) env.push_back(it->second);
  // groved's own NOTIFY_SOCKET is dropped; the child's comes last.
  EXPECT_EQ(env, (std::vector<std::string>{"PATH=/usr/bin:/bin", "MODE=test", "GROVE_TREE=shop",
                                           "GROVE_PATH=api/web", "GROVE_SOCKET=/tmp/grove-shop.sock",
                                           "GROVE_INCARNATION=3", "NOTIFY_SOCKET=@grove-notify"}));
}

TEST(Spawn, NoFdLeaksIntoTheChildBeyondStdioAndPlacedOnes) {
  UniqueFd leaky(open("/dev/null", O_RDONLY));  // deliberately not CLOEXEC
  ASSERT_TRUE(leaky);
  auto ready = open_child_pipe();
  ASSERT_TRUE(ready);
  SpawnRequest req = report_request();
  req.fds.push_back({ready.value().child_end.get(), 5});
  ChildRun run = run_report(req);
  EXPECT_EQ(field(run.report, "fds"), "0,1,2,5");
}

TEST(Spawn, ReadinessFdIsPlacedAtTheRequestedNumber) {
  auto ready = open_child_pipe();
  ASSERT_TRUE(ready);
  SpawnRequest req = report_request({"--ready", "7"});
  req.fds.push_back({ready.value().child_end.get(), 7});
  ChildRun run = run_report(req);
  ready.value().child_end.reset();
  ASSERT_TRUE(WIFEXITED(run.status));
  EXPECT_EQ(WEXITSTATUS(run.status), 0);
  EXPECT_EQ(read_to_eof(ready.value().parent_read.get()), "\n");
}

TEST(Spawn, PlacementsMaySwapFdNumbers) {
  auto a = open_child_pipe(), b = open_child_pipe();
  ASSERT_TRUE(a && b);
  // Put the two write ends at 20 and 21, then ask for them the other way round.
  ASSERT_EQ(dup3(a.value().child_end.get(), 20, O_CLOEXEC), 20);
  ASSERT_EQ(dup3(b.value().child_end.get(), 21, O_CLOEXEC), 21);
  a.value().child_end.reset(20);
  b.value().child_end.reset(21);
  SpawnRequest req = report_request({"--ready", "21"});
  req.fds = {{20, 21}, {21, 20}};
  ChildRun run = run_report(req);
  a.value().child_end.reset();
  b.value().child_end.reset();
  EXPECT_EQ(WEXITSTATUS(run.status), 0);
  EXPECT_EQ(read_to_eof(a.value().parent_read.get()), "\n");
  EXPECT_EQ(read_to_eof(b.value().parent_read.get()), "");
}

TEST(Spawn, StdoutGoesToAFile) {
  const std::string dir = temp_dir();
  const std::string path = dir + "/out.log";
  auto file = open_output(Output{Output::Kind::file, path});
  ASSERT_TRUE(file);
  SpawnRequest req = report_request();
  req.fds.push_back({file.value().child_end.get(), 1});
  auto child = spawn(req);
  ASSERT_TRUE(child);
  file.value().child_end.reset();
  const int status = wait_exit(child.value().pid);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(field(parse_report(text), "pid"), std::to_string(child.value().pid));
  unlink(path.c_str());
  rmdir(dir.c_str());
}

TEST(Spawn, SwitchesToNobodyAndKeepsTheParentDeathSignal) {
  if (geteuid() != 0) GTEST_SKIP() << "switching users needs root";
  auto creds = resolve_credentials("nobody", "");
  ASSERT_TRUE(creds) << creds.error().describe();
  SpawnRequest req = report_request();
  req.credentials = creds.value();
  ChildRun run = run_report(req);
  EXPECT_EQ(field(run.report, "uid"), std::to_string(creds.value().uid));
  EXPECT_EQ(field(run.report, "gid"), std::to_string(creds.value().gid));
  EXPECT_EQ(field(run.report, "groups"), std::to_string(creds.value().gid));
  EXPECT_EQ(field(run.report, "pdeathsig"), std::to_string(SIGKILL));
}

TEST(Spawn, ChdirFailureIsReportedWithStageAndErrno) {
  SpawnRequest req = report_request();
  req.cwd = "/nonexistent-grove-dir";
  auto child = spawn(req);
  ASSERT_TRUE(child) << child.error().describe();
  ASSERT_TRUE(wait_readable(child.value().exec_status.get()));
  const ExecStatus s = read_exec_status(child.value().exec_status.get());
  EXPECT_EQ(s.kind, ExecStatus::Kind::failed);
  EXPECT_EQ(s.stage, ChildStage::chdir);
  EXPECT_EQ(s.err, ENOENT);
  EXPECT_EQ(s.describe(child.value().program, req.cwd),
            "unable to change directory to /nonexistent-grove-dir: No such file or directory");
  EXPECT_EQ(WEXITSTATUS(wait_exit(child.value().pid)), 127);
}

TEST(Spawn, ExecFailureInTheChildExits126WithTheExecStage) {
  const std::string dir = temp_dir();
  const std::string path = dir + "/garbage";
  std::ofstream(path) << "\x7f" "ELFnot really";
  chmod(path.c_str(), 0755);
  SpawnRequest req;
  req.argv = {path};
  auto child = spawn(req);
  ASSERT_TRUE(child) << child.error().describe();
  ASSERT_TRUE(wait_readable(child.value().exec_status.get()));
  const ExecStatus s = read_exec_status(child.value().exec_status.get());
  EXPECT_EQ(s.stage, ChildStage::exec);
  EXPECT_EQ(s.err, ENOEXEC);
  EXPECT_EQ(s.describe(path, ""), "unable to exec " + path + ": Exec format error");
  EXPECT_EQ(WEXITSTATUS(wait_exit(child.value().pid)), 126);
  unlink(path.c_str());
  rmdir(dir.c_str());
}

TEST(Spawn, RlimitFailureNamesTheLimit) {
  SpawnRequest req = report_request();
  Limits limits;
  limits.nofile = UINT64_MAX;  // unlimited is above fs.nr_open: EPERM even for root
  req.limits = make_rlimit_plan(limits);
  auto child = spawn(req);
  ASSERT_TRUE(child);
  ASSERT_TRUE(wait_readable(child.value().exec_status.get()));
  const ExecStatus s = read_exec_status(child.value().exec_status.get());
  EXPECT_EQ(s.describe(report_helper, ""),
            "unable to set resource limit nofile for " + report_helper + ": Operation not permitted");
  wait_exit(child.value().pid);
}

TEST(Spawn, EmptyCommandIsABadRequest) {
  auto child = spawn(SpawnRequest{});
  ASSERT_FALSE(child);
  EXPECT_EQ(child.error().code, SpawnError::Code::bad_request);
}

}  // namespace
}  // namespace grove::launch
