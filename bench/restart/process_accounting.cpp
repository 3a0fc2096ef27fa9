#include "process_accounting.hpp"

#include <dirent.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace grove::bench {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<pid_t> numeric_entries(const std::string& dir) {
  std::vector<pid_t> out;
  DIR* d = opendir(dir.c_str());
  if (!d) return out;
  while (dirent* e = readdir(d)) {
    char* end = nullptr;
    long n = std::strtol(e->d_name, &end, 10);
    if (*end == '\0' && n > 0) out.push_back(static_cast<pid_t>(n));
  }
  closedir(d);
  return out;
}

// The fields of /proc/PID/stat after the comm, which may hold spaces and ')'.
std::vector<std::string> stat_fields(pid_t pid) {
  std::string text = read_file("/proc/" + std::to_string(pid) + "/stat");
  std::vector<std::string> fields;
  auto close = text.rfind(')');
  if (close == std::string::npos) return fields;
  std::istringstream rest(text.substr(close + 1));
  for (std::string f; rest >> f;) fields.push_back(f);
  return fields;  // fields[0] is state (field 3), so field N is fields[N - 3]
}

std::string exe_of(pid_t pid) {
  char buf[PATH_MAX];
  auto link = "/proc/" + std::to_string(pid) + "/exe";
  ssize_t n = readlink(link.c_str(), buf, sizeof buf - 1);
  if (n < 0) return {};
  return std::string(buf, static_cast<std::size_t>(n));
}

std::int64_t status_kb(const std::string& text, const std::string& key) {
  auto at = text.find(key);
  if (at == std::string::npos) return 0;
  return std::strtoll(text.c_str() + at + key.size(), nullptr, 10);
}

std::int64_t schedstat_ns(pid_t pid) {
  std::int64_t sum = 0;
  auto task_dir = "/proc/" + std::to_string(pid) + "/task";
  for (pid_t tid : numeric_entries(task_dir))
    sum += std::strtoll(read_file(task_dir + "/" + std::to_string(tid) + "/schedstat").c_str(),
                        nullptr, 10);
  return sum;
}

}  // namespace

std::vector<pid_t> descendants_of(pid_t root) {
  std::multimap<pid_t, pid_t> children;
  for (pid_t pid : numeric_entries("/proc")) {
    auto f = stat_fields(pid);
    if (f.size() > 1) children.emplace(static_cast<pid_t>(std::atol(f[1].c_str())), pid);
  }
  std::vector<pid_t> out;
  std::vector<pid_t> todo{root};
  while (!todo.empty()) {
    pid_t parent = todo.back();
    todo.pop_back();
    auto [from, to] = children.equal_range(parent);
    for (auto it = from; it != to; ++it) {
      out.push_back(it->second);
      todo.push_back(it->second);
    }
  }
  return out;
}

std::vector<pid_t> supervisor_processes(pid_t root, const std::string& probe_path) {
  char real[PATH_MAX];
  std::string probe = realpath(probe_path.c_str(), real) ? real : probe_path;
  std::vector<pid_t> out{root};
  for (pid_t pid : descendants_of(root))
    if (exe_of(pid) != probe) out.push_back(pid);
  return out;
}

std::map<pid_t, CpuTime> cpu_time(const std::vector<pid_t>& pids) {
  std::map<pid_t, CpuTime> out;
  for (pid_t pid : pids) {
    auto f = stat_fields(pid);
    if (f.size() < 13) continue;
    CpuTime t;
    t.stat_ticks = std::atoll(f[14 - 3].c_str()) + std::atoll(f[15 - 3].c_str());
    t.schedstat_ns = schedstat_ns(pid);
    out[pid] = t;
  }
  return out;
}

Memory memory_of(const std::vector<pid_t>& pids) {
  Memory m;
  for (pid_t pid : pids) {
    auto dir = "/proc/" + std::to_string(pid);
    m.rss_bytes += status_kb(read_file(dir + "/status"), "VmRSS:") * 1024;
    m.pss_bytes += status_kb(read_file(dir + "/smaps_rollup"), "\nPss:") * 1024;
  }
  return m;
}

HostCpu host_cpu() {
  std::istringstream line(read_file("/proc/stat"));
  std::string label;
  line >> label;  // "cpu"
  HostCpu cpu;
  std::int64_t v = 0;
  for (int column = 0; column < 8 && line >> v; ++column) {  // guest is already in user
    cpu.total += v;
    if (column == 3 || column == 4) cpu.idle += v;  // idle, iowait
  }
  return cpu;
}

double busy_fraction(const HostCpu& before, const HostCpu& after) {
  auto total = after.total - before.total;
  if (total <= 0) return 0;
  return 1.0 - static_cast<double>(after.idle - before.idle) / static_cast<double>(total);
}

std::string describe_processes(const std::vector<pid_t>& pids) {
  std::map<std::string, int> counts;
  for (pid_t pid : pids) {
    auto comm = read_file("/proc/" + std::to_string(pid) + "/comm");
    if (!comm.empty() && comm.back() == '\n') comm.pop_back();
    ++counts[comm.empty() ? "?" : comm];
  }
  std::string out;
  for (const auto& [comm, n] : counts) {
    if (!out.empty()) out += " + ";
    out += comm + " x" + std::to_string(n);
  }
  return out;
}

}  // namespace grove::bench
