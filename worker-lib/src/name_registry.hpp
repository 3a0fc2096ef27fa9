// name_registry.hpp — registered names of one scheduler (Erlang's
// register/2, whereis/1), and the hook for names served elsewhere.
//
// Contract: thread-safe (one mutex; sending by name costs a lookup). A name
// maps to at most one pid and a pid to at most one name; a process's name is
// dropped when it exits.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "grove/pid.hpp"

namespace grove::detail {

class NameRegistry {
 public:
  bool add(std::string_view name, Pid pid);
  void remove(std::string_view name, Pid pid);
  std::optional<Pid> find(std::string_view name) const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, Pid> names_;
};

}  // namespace grove::detail
