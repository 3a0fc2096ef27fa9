// supervisor_under_test.hpp: start one supervisor (groved, supervisord,
// runsvdir, s6-svscan, svscan or the C floor) and leave nothing behind.
//
//   SupervisorUnderTest sut;
//   if (auto err = sut.start({"runsvdir", "/tmp/x/service"})) die(*err);
//   ... measure, using sut.pid() ...
//   sut.stop();  // also run by the destructor
//
// Contract: start() makes the calling process a child subreaper, then runs
// the command in a new session with its stdout sent to our stderr (stdout
// carries only JSON lines). stop() sends SIGTERM to the supervisor and
// gives it `grace` to shut its tree down, then SIGKILLs every remaining
// descendant of this process, round after round, until none is left and
// all are reaped: orphans of a supervisor that died first (svscan leaves
// its supervise processes behind) were reparented to us by the subreaper
// flag, so they are found too. Only one instance per process.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace grove::bench {

class SupervisorUnderTest {
 public:
  SupervisorUnderTest() = default;
  SupervisorUnderTest(const SupervisorUnderTest&) = delete;
  SupervisorUnderTest& operator=(const SupervisorUnderTest&) = delete;
  ~SupervisorUnderTest() { stop(); }

  // Returns an error message, or nothing on success.
  std::optional<std::string> start(const std::vector<std::string>& argv);
  // True while the supervisor itself has not exited.
  bool running();
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  bool reaped_ = true;
  void note_exit(int status);
};

}  // namespace grove::bench
