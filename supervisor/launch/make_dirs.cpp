#include "launch/make_dirs.hpp"

#include <sys/stat.h>

#include <cerrno>

namespace grove::launch {

std::optional<MakeDirsError> make_dirs(const std::string& dir, mode_t mode) {
  for (std::size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    const std::string prefix = dir.substr(0, pos);
    if (::mkdir(prefix.c_str(), mode) != 0 && errno != EEXIST) return MakeDirsError{errno, prefix};
  }
  struct stat st{};
  if (::stat(dir.c_str(), &st) != 0) return MakeDirsError{errno, dir};
  if (!S_ISDIR(st.st_mode)) return MakeDirsError{ENOTDIR, dir};
  return std::nullopt;
}

}  // namespace grove::launch
