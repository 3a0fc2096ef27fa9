// process_accounting.hpp: what a supervisor costs, read from /proc.
//
//   auto pids = supervisor_processes(sut.pid(), "/path/to/probe");
//   auto before = cpu_ns(pids);  ...  auto after = cpu_ns(pids);
//   Memory m = memory_of(pids);  // VmRSS and Pss sums, in bytes
//
// Contract: plain reads of /proc, no signals. A "supervisor process" is the
// supervisor's root process and every descendant that is not a probe (its
// /proc/PID/exe is not the probe binary): groved, supervisord, or
// runsvdir + every runsv, s6-svscan + every s6-supervise, svscan + every
// supervise. Processes that vanish between two reads count as zero.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace grove::bench {

// Every live descendant of root (root excluded), found through the ppid of
// every /proc entry.
std::vector<pid_t> descendants_of(pid_t root);

// root plus its descendants whose executable is not probe_path.
std::vector<pid_t> supervisor_processes(pid_t root, const std::string& probe_path);

struct CpuTime {
  std::int64_t schedstat_ns = 0;  // sum over every thread's /proc/PID/task/TID/schedstat
  std::int64_t stat_ticks = 0;    // utime + stime from /proc/PID/stat, in clock ticks
};
// Per pid, so that two samples are compared over the same processes.
std::map<pid_t, CpuTime> cpu_time(const std::vector<pid_t>& pids);

struct Memory {
  std::int64_t rss_bytes = 0;  // sum of VmRSS (shared pages counted in each process)
  std::int64_t pss_bytes = 0;  // sum of Pss from smaps_rollup (shared pages divided)
};
Memory memory_of(const std::vector<pid_t>& pids);

// The whole machine's CPU time from the first line of /proc/stat, in ticks,
// so that a figure can say how busy the host was while it was measured.
struct HostCpu {
  std::int64_t idle = 0;   // idle + iowait
  std::int64_t total = 0;  // every column
};
HostCpu host_cpu();
// Fraction of CPU time not idle between two samples, 0..1.
double busy_fraction(const HostCpu& before, const HostCpu& after);

// "runsvdir x1 + runsv x1000", from each process's comm.
std::string describe_processes(const std::vector<pid_t>& pids);

}  // namespace grove::bench
