#include <cstdio>
#include <cstdlib>

#include "grove/detail/runtime.hpp"

namespace grove::detail {

void misuse(const char* what, const char* problem) {
  std::fprintf(stderr, "grove: fatal: %s %s\n", what, problem);
  std::fflush(stderr);
  std::abort();
}

}  // namespace grove::detail
