// make_dirs.hpp — mkdir -p: every missing directory of a path, with the mode
// its owner wants (0755 for log directories, 0700 for the control socket's).
//
//   if (auto failed = make_dirs("/run/grove/shop", 0700)) report(failed->path, failed->err);
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace grove::launch {

struct MakeDirsError {
  int err;           // errno
  std::string path;  // the directory that could not be made (or is not one)
};

// Creates the missing directories of `dir` (mode `mode`, before the umask),
// then checks that `dir` is a directory; nothing on success.
std::optional<MakeDirsError> make_dirs(const std::string& dir, mode_t mode);

}  // namespace grove::launch
