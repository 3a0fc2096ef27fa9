// groved_harness.hpp — runs a real groved on a config and watches its events.
//
// groved writes one logfmt line per supervision event on stderr; the harness
// reads them through a pipe and lets a test wait, with a deadline, for the
// event it expects — never a sleep.
//
//   Groved g(R"(name = "t" ... [[children]] name = "a" command = ["sleep", "100"])");
//   auto started = g.wait_for("child_started", {{"path", "a"}});
//   ::kill(started.pid(), SIGKILL);
//   g.wait_for("child_restarted", {{"path", "a"}});
//   EXPECT_EQ(g.terminate(), 0);
//
// Contract: every wait is bounded (default 10 s) and fails the test with the
// log so far when it runs out. The destructor SIGKILLs a groved still
// running and reaps it. Each Groved gets its own temp directory (dir()).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace grove::test {

using namespace std::chrono_literals;

// One parsed log line: event name plus key=value fields.
struct LogEvent {
  std::string event;
  std::map<std::string, std::string> fields;
  std::string raw;

  std::string get(const std::string& key) const;
  // The event's pid; 0 when it has none (never -1: kill(-1) kills everything).
  pid_t pid() const;
  bool matches(const std::string& name, const std::map<std::string, std::string>& want) const;
};

LogEvent parse_log_line(const std::string& line);

struct CommandResult {
  int code = -1;  // exit code, 128 + n for a signal
  std::string out;
  std::string err;
};

class Groved {
 public:
  // `config` is the text of grove.toml; "@DIR@" in it becomes dir(), which
  // is also groved's working directory. `files` (path relative to dir() ->
  // content; "#!" content is made executable) are written before the start.
  explicit Groved(std::string config, std::vector<std::string> extra_args = {},
                  const std::map<std::string, std::string>& files = {});
  ~Groved();
  Groved(const Groved&) = delete;
  Groved& operator=(const Groved&) = delete;

  // The first event not yet returned by wait_for that matches name + fields,
  // waiting for it if need be: waits for different events need no order,
  // and waiting twice for the same event gets its next occurrence.
  LogEvent wait_for(const std::string& event, const std::map<std::string, std::string>& fields = {},
                    std::chrono::milliseconds timeout = 10s);
  // Every event seen so far (consumed or not), for order assertions.
  const std::vector<LogEvent>& events() const { return events_; }
  // Events seen so far named `event`, in order.
  std::vector<LogEvent> all(const std::string& event) const;
  // Everything groved printed on stdout so far (children's prefixed lines).
  std::string stdout_text();
  // Waits until groved's stdout contains `text` (children's prefixed lines).
  bool wait_stdout(const std::string& text, std::chrono::milliseconds timeout = 10s);

  // Sends SIGTERM and waits for the exit code (signal = 128 + n).
  int terminate(std::chrono::milliseconds timeout = 20s);
  // Waits for groved to exit on its own.
  int wait_exit(std::chrono::milliseconds timeout = 20s);
  void kill_hard();  // SIGKILL, then reap
  // grovectl --socket <this tree's socket> args...
  CommandResult ctl(const std::vector<std::string>& args,
                    std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;
  std::string socket() const { return dir_ + "/ctl.sock"; }

  pid_t pid() const { return pid_; }
  const std::string& dir() const { return dir_; }
  std::string log_text() const;

 private:
  bool read_more(std::chrono::steady_clock::time_point deadline);
  pid_t pid_ = -1;
  int err_fd_ = -1;
  int out_fd_ = -1;
  std::string dir_;
  std::string partial_;
  std::string out_text_;
  std::vector<LogEvent> events_;
  std::vector<bool> consumed_;
  std::optional<int> exit_code_;
};

// Path of the groved binary under test (set by CMake through GROVED_BIN).
// `s` with every `from` replaced by `to` (test configs: "@DIR@", "@PROBE@", ...).
std::string replace_all(std::string s, const std::string& from, const std::string& to);

std::string groved_binary();
std::string grovectl_binary();

// Runs a program to its end (bounded: SIGKILLed and a test failure at the
// deadline) and captures its output.
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(20));

// A program left running, its stdout readable line by line (grovectl logs -f).
class Background {
 public:
  explicit Background(const std::vector<std::string>& argv);
  ~Background();
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;
  // The next line of its stdout, or nullopt at the deadline / EOF.
  std::optional<std::string> next_line(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string buffered_;
};
// kill(2) that refuses pids <= 1 (a failed wait_for yields pid 0), so a
// broken test can never signal every process on the machine.
void send_signal(pid_t pid, int signal);
// Is a process with this pid alive (not a zombie)?
bool alive(pid_t pid);
// Waits until `pid` is gone (or a zombie), bounded.
bool wait_gone(pid_t pid, std::chrono::milliseconds timeout = 10s);
// Polls `done` every 10 ms until it holds (true) or `timeout` runs out
// (false): for what no event carries (another process's counters, a pipe's
// fill level, a status only grovectl can tell).
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 20s);
// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();

}  // namespace grove::test
