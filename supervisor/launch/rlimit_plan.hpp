// rlimit_plan.hpp — a child's [limits] table as the setrlimit calls to make.
//
// The plan is computed in groved before fork, stored inline (no allocation),
// and applied in the child by spawn() with nothing but setrlimit calls.
//
//   RlimitPlan plan = make_rlimit_plan(spec.process.limits);
//   request.limits = plan;                      // spawn applies soft = hard
//
// Contract: pure. Only the limits the config sets appear (in a fixed order:
// as, nofile, nproc, core); the others are inherited from groved. A value of
// UINT64_MAX means RLIM_INFINITY ("unlimited"). Raising a hard limit needs
// root; the child then fails at the "set resource limit" stage with EPERM.
#pragma once

#include <sys/resource.h>

#include <array>
#include <cstddef>
#include <string_view>

#include "policy/child_spec.hpp"

namespace grove::launch {

using RlimitResource = decltype(RLIMIT_NOFILE);  // glibc's enum in GNU C++ mode

struct RlimitSetting {
  RlimitResource resource = RLIMIT_CORE;
  rlim_t value = 0;  // applied as both soft and hard limit
};

struct RlimitPlan {
  std::array<RlimitSetting, 4> settings{};
  std::size_t count = 0;
};

RlimitPlan make_rlimit_plan(const Limits& limits);

// "as", "nofile", "nproc", "core": the TOML key, for messages.
std::string_view rlimit_name(RlimitResource resource);

}  // namespace grove::launch
