#include "groved_harness.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace grove::test {

namespace {

std::string make_temp_dir() {
  std::string tmpl = "/tmp/grove-test.XXXXXX";
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

std::string LogEvent::get(const std::string& key) const {
  auto it = fields.find(key);
  return it == fields.end() ? "" : it->second;
}

pid_t LogEvent::pid() const {
  const std::string p = get("pid");
  if (p.empty() || p.find_first_not_of("0123456789") != std::string::npos) return 0;
  return static_cast<pid_t>(std::stol(p));
}

bool LogEvent::matches(const std::string& name, const std::map<std::string, std::string>& want) const {
  if (event != name) return false;
  for (const auto& [k, v] : want)
    if (get(k) != v) return false;
  return true;
}

LogEvent parse_log_line(const std::string& line) {
  LogEvent e;
  e.raw = line;
  std::size_t i = line.find("groved: ");
  if (i == std::string::npos) return e;
  i += 8;
  while (i < line.size()) {
    const std::size_t eq = line.find('=', i);
    if (eq == std::string::npos) break;
    const std::string key = line.substr(i, eq - i);
    std::string value;
    std::size_t j = eq + 1;
    if (j < line.size() && line[j] == '"') {
      for (++j; j < line.size() && line[j] != '"'; ++j) {
        if (line[j] == '\\' && j + 1 < line.size()) ++j;
        value += line[j];
      }
      ++j;
    } else {
      const std::size_t end = line.find(' ', j);
      value = line.substr(j, end == std::string::npos ? std::string::npos : end - j);
      j = end == std::string::npos ? line.size() : end;
    }
    if (key == "event") e.event = value;
    else e.fields[key] = value;
    i = j + 1;
  }
  return e;
}

std::string groved_binary() {
  const char* p = std::getenv("GROVED_BIN");
  return p ? p : GROVED_BIN_DEFAULT;
}

std::string grovectl_binary() {
  const char* p = std::getenv("GROVECTL_BIN");
  return p ? p : GROVECTL_BIN_DEFAULT;
}

namespace {

pid_t spawn_with_pipes(const std::vector<std::string>& args, int& out, int* err) {
  int o[2], e[2];
  if (::pipe2(o, O_CLOEXEC) < 0 || ::pipe2(e, O_CLOEXEC) < 0) return -1;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(o[1], 1);
    ::dup2(e[1], 2);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(o[1]);
  ::close(e[1]);
  out = o[0];
  if (err) *err = e[0];
  else ::close(e[0]);
  return pid;
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  CommandResult r;
  int out = -1, err = -1;
  const pid_t pid = spawn_with_pipes(argv, out, &err);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  pollfd fds[2] = {{out, POLLIN, 0}, {err, POLLIN, 0}};
  int open = 2;
  while (open > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ADD_FAILURE() << argv[0] << " did not finish in time";
      ::kill(pid, SIGKILL);
      break;
    }
    if (::poll(fds, 2, static_cast<int>(left.count())) <= 0) continue;
    for (auto& f : fds) {
      if (f.fd < 0 || !(f.revents & (POLLIN | POLLHUP))) continue;
      char buf[8192];
      const ssize_t n = ::read(f.fd, buf, sizeof buf);
      if (n <= 0) {
        ::close(f.fd);
        f.fd = -1;
        --open;
        continue;
      }
      (&f == &fds[0] ? r.out : r.err).append(buf, static_cast<std::size_t>(n));
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) ::close(f.fd);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.code = exit_code_of(status);
  return r;
}

Background::Background(const std::vector<std::string>& argv) {
  pid_ = spawn_with_pipes(argv, out_, nullptr);
}

Background::~Background() {
  if (pid_ > 1) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  ::close(out_);
}

std::optional<std::string> Background::next_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const std::size_t nl = buffered_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffered_.substr(0, nl);
      buffered_.erase(0, nl + 1);
      return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{out_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::read(out_, buf, sizeof buf);
    if (n <= 0) return std::nullopt;
    buffered_.append(buf, static_cast<std::size_t>(n));
  }
}

CommandResult Groved::ctl(const std::vector<std::string>& args, std::chrono::milliseconds timeout) const {
  std::vector<std::string> argv{grovectl_binary(), "--socket", socket()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, timeout);
}

Groved::Groved(std::string config, std::vector<std::string> extra_args,
               const std::map<std::string, std::string>& files)
    : dir_(make_temp_dir()) {
  config = replace_all(config, "@DIR@", dir_);
  const std::string path = dir_ + "/grove.toml";
  std::ofstream(path) << config;
  for (const auto& [rel, content] : files) {
    const std::string file = dir_ + "/" + rel;
    std::filesystem::create_directories(std::filesystem::path(file).parent_path());
    std::ofstream(file) << content;
    if (content.rfind("#!", 0) == 0) ::chmod(file.c_str(), 0755);
  }
  int err[2], out[2];
  if (::pipe2(err, O_CLOEXEC) < 0 || ::pipe2(out, O_CLOEXEC) < 0) throw std::runtime_error("pipe");
  const std::string bin = groved_binary();
  std::vector<std::string> args{bin};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  args.push_back(path);
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(err[1], 2);
    ::dup2(out[1], 1);
    if (::chdir(dir_.c_str()) != 0) ::_exit(126);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(err[1]);
  ::close(out[1]);
  err_fd_ = err[0];
  out_fd_ = out[0];
  ::fcntl(out_fd_, F_SETFL, O_NONBLOCK);
}

Groved::~Groved() {
  if (!exit_code_) kill_hard();
  ::close(err_fd_);
  ::close(out_fd_);
  std::string cmd = "rm -rf '" + dir_ + "'";
  if (std::system(cmd.c_str()) != 0) {
  }
}

bool Groved::read_more(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd p{err_fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
  char buf[8192];
  const ssize_t n = ::read(err_fd_, buf, sizeof buf);
  if (n <= 0) return false;
  partial_.append(buf, static_cast<std::size_t>(n));
  for (std::size_t nl; (nl = partial_.find('\n')) != std::string::npos;) {
    events_.push_back(parse_log_line(partial_.substr(0, nl)));
    partial_.erase(0, nl + 1);
  }
  return true;
}

LogEvent Groved::wait_for(const std::string& event, const std::map<std::string, std::string>& fields,
                          std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (std::size_t next = 0;;) {
    consumed_.resize(events_.size());
    for (; next < events_.size(); ++next)
      if (!consumed_[next] && events_[next].matches(event, fields)) {
        consumed_[next] = true;
        return events_[next];
      }
    if (!read_more(deadline)) break;
  }
  std::string want = event;
  for (const auto& [k, v] : fields) want += " " + k + "=" + v;
  ADD_FAILURE() << "timed out waiting for '" << want << "'; groved said:\n" << log_text();
  return {};
}

std::vector<LogEvent> Groved::all(const std::string& event) const {
  std::vector<LogEvent> v;
  for (const auto& e : events_)
    if (e.event == event) v.push_back(e);
  return v;
}

std::string Groved::stdout_text() {
  char buf[8192];
  ssize_t n;
  while ((n = ::read(out_fd_, buf, sizeof buf)) > 0) out_text_.append(buf, static_cast<std::size_t>(n));
  return out_text_;
}

bool Groved::wait_stdout(const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (stdout_text().find(text) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ADD_FAILURE() << "groved's stdout never showed '" << text << "'; it has:\n" << out_text_;
      return false;
    }
    pollfd p{out_fd_, POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(left.count()));
  }
  return true;
}

std::string Groved::log_text() const {
  std::string s;
  for (const auto& e : events_) s += e.raw + "\n";
  return s + partial_;
}

int Groved::wait_exit(std::chrono::milliseconds timeout) {
  if (exit_code_) return *exit_code_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      while (read_more(std::chrono::steady_clock::now() + 200ms)) {
      }
      exit_code_ = exit_code_of(status);
      return *exit_code_;
    }
    // groved's stderr closes when it exits: reading is the event to wait on.
    if (!read_more(std::min(deadline, std::chrono::steady_clock::now() + 100ms)) &&
        std::chrono::steady_clock::now() >= deadline)
      break;
  }
  ADD_FAILURE() << "groved did not exit in time; it said:\n" << log_text();
  kill_hard();
  return -1;
}

int Groved::terminate(std::chrono::milliseconds timeout) {
  send_signal(pid_, SIGTERM);
  return wait_exit(timeout);
}

void Groved::kill_hard() {
  if (exit_code_ || pid_ <= 1) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  exit_code_ = exit_code_of(status);
}

void send_signal(pid_t pid, int signal) {
  if (pid <= 1) {
    ADD_FAILURE() << "refusing to signal pid " << pid;
    return;
  }
  ::kill(pid, signal);
}

bool alive(pid_t pid) {
  if (pid <= 1 || ::kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const std::size_t close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

bool wait_gone(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (alive(pid)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    // Another process's death cannot be waited on without being its parent
    // (pidfd_open works for any pid: use it).
    const int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (fd < 0) return !alive(pid);
    pollfd p{fd, POLLIN, 0};
    ::poll(&p, 1, 100);
    ::close(fd);
  }
  return true;
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

int free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

}  // namespace grove::test
