// pid.hpp — the identity of a lightweight process, and of a monitor.
//
// A Pid names one incarnation of a process-table slot: the slot index plus
// a serial that changes every time the slot is reused, so a Pid held after
// its process died never reaches the slot's next occupant ("no reuse
// confusion"). A default-constructed Pid names nobody.
//
//   grove::Pid me = grove::self();
//   if (me) std::cout << describe(me);   // "<0.42.1>"
//   std::unordered_map<grove::Pid, int> seen;
//
// Contract: plain value, trivially copyable, comparable and hashable; valid
// only with the Scheduler that issued it.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace grove {

struct Pid {
  std::uint32_t index = 0;   // slot in the process table
  std::uint32_t serial = 0;  // incarnation of that slot; 0 = no process

  explicit operator bool() const { return serial != 0; }
  friend auto operator<=>(const Pid&, const Pid&) = default;
};

// Names one monitor (monitor/demonitor, Down::ref).
struct MonitorRef {
  std::uint64_t id = 0;
  explicit operator bool() const { return id != 0; }
  friend auto operator<=>(const MonitorRef&, const MonitorRef&) = default;
};

std::string describe(Pid pid);

}  // namespace grove

template <>
struct std::hash<grove::Pid> {
  std::size_t operator()(const grove::Pid& p) const noexcept {
    return std::hash<std::uint64_t>{}((std::uint64_t{p.serial} << 32) | p.index);
  }
};
