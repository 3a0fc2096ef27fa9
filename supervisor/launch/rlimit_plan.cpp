#include "rlimit_plan.hpp"

#include <cstdint>
#include <optional>

namespace grove::launch {
namespace {

void add(RlimitPlan& plan, RlimitResource resource, const std::optional<std::uint64_t>& value) {
  if (!value) return;
  const rlim_t v = *value == UINT64_MAX ? RLIM_INFINITY : static_cast<rlim_t>(*value);
  plan.settings[plan.count++] = {resource, v};
}

}  // namespace

RlimitPlan make_rlimit_plan(const Limits& limits) {
  RlimitPlan plan;
  add(plan, RLIMIT_AS, limits.as);
  add(plan, RLIMIT_NOFILE, limits.nofile);
  add(plan, RLIMIT_NPROC, limits.nproc);
  add(plan, RLIMIT_CORE, limits.core);
  return plan;
}

std::string_view rlimit_name(RlimitResource resource) {
  switch (resource) {
    case RLIMIT_AS: return "as";
    case RLIMIT_NOFILE: return "nofile";
    case RLIMIT_NPROC: return "nproc";
    case RLIMIT_CORE: return "core";
    default: return "rlimit";
  }
}

}  // namespace grove::launch
