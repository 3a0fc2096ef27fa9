// name_registry.hpp — registered names of one scheduler (Erlang's
// register/2, unregister/1, whereis/1).
//
// Contract: thread-safe (one mutex; sending by name costs a lookup). A name
// maps to at most one pid and a pid to at most one name (both directions
// are kept, so a second name for a process is refused without asking it).
// The runtime drops a process's name when it exits.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "grove/pid.hpp"
#include "grove/process.hpp"

namespace grove::detail {

class NameRegistry {
 public:
  // NameError::taken or already_registered when refused.
  std::optional<NameError> add(std::string_view name, Pid pid);
  // Drops the name `pid` holds, if any (its process exited).
  void remove_pid(Pid pid);
  // Drops `name` whoever holds it; false when nobody does.
  bool remove(std::string_view name);
  std::optional<Pid> find(std::string_view name) const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, Pid> names_;
  std::unordered_map<Pid, std::string> owners_;
};

}  // namespace grove::detail
