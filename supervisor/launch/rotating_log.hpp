// rotating_log.hpp — a child's "log" output file, bounded in size.
//
//   make_log_dir(tree.log_dir);                                  // mkdir -p
//   auto log = RotatingLog::open(log_file_path(tree.log_dir, "api/web"),
//                                tree.log_max_bytes, tree.log_backups);
//   log.value().write(prefixed_lines);   // rotates first when it would overflow
//   log.value().reopen();                // SIGUSR2, after an external logrotate
//
// Rotation: when a write would take the file past max_bytes (and the file
// is not empty), name.N-1 -> name.N, ..., name -> name.1 (the oldest,
// name.N, is overwritten: N backups are kept), then a fresh name is opened.
// With backups == 0 the file is simply started again.
//
// Contract: blocking local-disk writes (the one stated exception to
// groved's never-block rule); a write is split at line ends so that no
// file exceeds max_bytes, except that a single line longer than max_bytes
// is never cut: it gets a fresh file of its own. (A line that arrives in two
// writes may straddle a rotation.) The fd
// is O_APPEND and CLOEXEC. Errors are values; after a failed rotation the
// log keeps writing to whatever file it has open.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "result.hpp"
#include "unique_fd.hpp"

namespace grove::launch {

struct LogError {
  enum class Code { open, write, rotate, mkdir };
  Code code;
  int err = 0;
  std::string path;
  std::string describe() const;  // "unable to open /var/log/shop/web.log: Permission denied"
};

class RotatingLog {
 public:
  static Result<RotatingLog, LogError> open(std::string path, std::uint64_t max_bytes,
                                            int backups);

  Result<Ok, LogError> write(std::string_view data);
  Result<Ok, LogError> reopen();

  const std::string& path() const { return path_; }
  std::uint64_t size() const { return size_; }

 private:
  RotatingLog(std::string path, std::uint64_t max_bytes, int backups)
      : path_(std::move(path)), max_bytes_(max_bytes), backups_(backups) {}
  Result<Ok, LogError> open_file();
  Result<Ok, LogError> rotate();
  Result<Ok, LogError> write_all(std::string_view data);

  std::string path_;
  std::uint64_t max_bytes_;
  int backups_;
  UniqueFd fd_;
  std::uint64_t size_ = 0;
};

// mkdir -p, mode 0755 for the directories it creates.
Result<Ok, LogError> make_log_dir(const std::string& dir);

// "<log_dir>/<path with '/' as '.'>.log": api/web -> <log_dir>/api.web.log
std::string log_file_path(std::string_view log_dir, std::string_view child_path);

}  // namespace grove::launch
