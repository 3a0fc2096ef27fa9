#include "executable_path.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace grove::launch {
namespace {

// 0 if `path` is an executable regular file, else the errno execve would give.
int check_executable(const std::string& path) {
  if (faccessat(AT_FDCWD, path.c_str(), X_OK, AT_EACCESS) != 0) return errno;
  struct stat st{};
  if (stat(path.c_str(), &st) != 0) return errno;
  return S_ISREG(st.st_mode) ? 0 : EACCES;
}

std::string join(std::string_view dir, std::string_view name) {
  std::string out(dir);
  if (!out.empty() && out.back() != '/') out += '/';
  out += name;
  return out;
}

std::string anchored(std::string_view path, std::string_view cwd) {
  if (path.starts_with('/') || cwd.empty()) return std::string(path);
  return join(cwd, path);
}

// The child execs after chdir(cwd): a path found relative to groved's own
// directory must not be read relative to the child's.
std::string absolute(std::string path) {
  if (path.starts_with('/')) return path;
  char buf[4096];
  if (!::getcwd(buf, sizeof buf)) return path;
  return join(buf, path);
}

}  // namespace

Result<std::string, ExecutableError> resolve_executable(std::string_view program,
                                                        std::string_view search_path,
                                                        std::string_view cwd) {
  if (program.empty()) return ExecutableError{ENOENT, ""};
  if (program.find('/') != std::string_view::npos) {
    std::string path = anchored(program, cwd);
    if (int err = check_executable(path)) return ExecutableError{err, path};
    return absolute(std::move(path));
  }
  int best_err = ENOENT;
  std::string best_path(program);
  for (std::size_t pos = 0; pos <= search_path.size();) {
    std::size_t end = search_path.find(':', pos);
    if (end == std::string_view::npos) end = search_path.size();
    std::string dir = anchored(search_path.substr(pos, end - pos), cwd);
    std::string path = join(dir.empty() ? "." : dir, program);
    int err = check_executable(path);
    if (err == 0) return absolute(std::move(path));
    if (err == EACCES && best_err != EACCES) {
      best_err = EACCES;
      best_path = path;
    }
    pos = end + 1;
  }
  return ExecutableError{best_err, best_path};
}

std::string_view search_path_of(std::span<const std::string> env) {
  for (const std::string& kv : env)
    if (kv.starts_with("PATH=")) return std::string_view(kv).substr(5);
  return default_search_path;
}

std::string ExecutableError::describe() const {
  return "unable to exec " + program + ": " + std::strerror(err);
}

}  // namespace grove::launch
