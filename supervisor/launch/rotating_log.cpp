#include "rotating_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "make_dirs.hpp"

namespace grove::launch {

Result<RotatingLog, LogError> RotatingLog::open(std::string path, std::uint64_t max_bytes,
                                                int backups) {
  RotatingLog log(std::move(path), max_bytes, std::max(backups, 0));
  if (auto r = log.open_file(); !r) return r.error();
  return log;
}

Result<Ok, LogError> RotatingLog::open_file() {
  UniqueFd fd(::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
  if (!fd) return LogError{LogError::Code::open, errno, path_};
  struct stat st{};
  if (fstat(fd.get(), &st) != 0) return LogError{LogError::Code::open, errno, path_};
  fd_ = std::move(fd);
  size_ = static_cast<std::uint64_t>(st.st_size);
  return Ok{};
}

Result<Ok, LogError> RotatingLog::reopen() { return open_file(); }

Result<Ok, LogError> RotatingLog::rotate() {
  auto name = [this](int i) { return path_ + "." + std::to_string(i); };
  for (int i = backups_ - 1; i >= 1; --i) {
    if (std::rename(name(i).c_str(), name(i + 1).c_str()) != 0 && errno != ENOENT)
      return LogError{LogError::Code::rotate, errno, name(i)};
  }
  const int moved = backups_ > 0 ? std::rename(path_.c_str(), name(1).c_str())
                                 : ::unlink(path_.c_str());
  if (moved != 0 && errno != ENOENT) return LogError{LogError::Code::rotate, errno, path_};
  return open_file();
}

// Splits `data` at line ends so that no file grows past max_bytes; the file
// rotates between chunks. A single line longer than the limit is never cut:
// it gets a fresh file of its own.
Result<Ok, LogError> RotatingLog::write(std::string_view data) {
  if (max_bytes_ == 0) return write_all(data);  // no limit
  while (!data.empty()) {
    const std::uint64_t room = max_bytes_ > size_ ? max_bytes_ - size_ : 0;
    std::size_t take = data.size();
    if (take > room) {
      const std::size_t nl = data.substr(0, room).rfind('\n');
      const std::size_t line_end = data.find('\n');
      if (nl != std::string_view::npos) take = nl + 1;
      else if (size_ == 0) take = line_end == std::string_view::npos ? data.size() : line_end + 1;
      else take = 0;
    }
    if (take == 0) {
      if (auto r = rotate(); !r) return r.error();
      continue;
    }
    if (auto r = write_all(data.substr(0, take)); !r) return r.error();
    data.remove_prefix(take);
  }
  return Ok{};
}

Result<Ok, LogError> RotatingLog::write_all(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd_.get(), data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return LogError{LogError::Code::write, errno, path_};
    }
    size_ += static_cast<std::uint64_t>(n);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return Ok{};
}

Result<Ok, LogError> make_log_dir(const std::string& dir) {
  if (auto failed = make_dirs(dir, 0755)) return LogError{LogError::Code::mkdir, failed->err, failed->path};
  return Ok{};
}

std::string log_file_path(std::string_view log_dir, std::string_view child_path) {
  std::string out(log_dir);
  if (!out.empty() && out.back() != '/') out += '/';
  for (char c : child_path) out += c == '/' ? '.' : c;
  return out + ".log";
}

std::string LogError::describe() const {
  const char* verb = "open";
  switch (code) {
    case Code::open: verb = "open"; break;
    case Code::write: verb = "write to"; break;
    case Code::rotate: verb = "rotate"; break;
    case Code::mkdir: verb = "create directory"; break;
  }
  return std::string("unable to ") + verb + " " + path + ": " + std::strerror(err);
}

}  // namespace grove::launch
