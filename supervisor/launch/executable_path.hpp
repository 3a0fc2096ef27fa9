// executable_path.hpp — find the program a child will exec, before forking.
//
//   auto path = resolve_executable("redis-server", "/usr/local/bin:/usr/bin", "");
//   // "/usr/bin/redis-server", or ENOENT / EACCES with the name, right away
//
// Rules (execvp's, checked in groved so a typo is a start error with the
// path and errno, never a crash loop of 127 exits):
// - a name with a '/' is used as is; relative to `cwd` when one is given
//   (the child chdirs before exec);
// - otherwise each PATH entry is tried in order ("" means the cwd); the
//   first regular file that is executable wins; a match that is not
//   executable (or a directory) is remembered, so the error is EACCES rather
//   than ENOENT when nothing better exists.
// Executable means faccessat(X_OK, AT_EACCESS) for groved's effective ids;
// a child switching user may still get EACCES from execve (reported by
// spawn's exec status as stage exec).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "result.hpp"

namespace grove::launch {

// PATH used when the child's environment has none (glibc's execvp default
// plus the sbin directories a root daemon expects).
inline constexpr std::string_view default_search_path =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

struct ExecutableError {
  int err = 0;          // ENOENT, EACCES, ENOTDIR, ...
  std::string program;  // as written in `command`, or the path that failed
  std::string describe() const;  // "unable to exec nope: No such file or directory"
};

Result<std::string, ExecutableError> resolve_executable(std::string_view program,
                                                        std::string_view search_path,
                                                        std::string_view cwd);

// The value of PATH in a KEY=VALUE list, else default_search_path.
std::string_view search_path_of(std::span<const std::string> env);

}  // namespace grove::launch
