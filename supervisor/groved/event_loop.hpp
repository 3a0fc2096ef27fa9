// event_loop.hpp — groved's one loop: epoll over fds, signals and a timer.
//
// Signals become data (signalfd); deadlines become one timerfd armed at the
// earliest one; nothing runs in a signal handler and nothing polls.
//
//   EventLoop loop;
//   loop.on_signals({SIGCHLD, SIGTERM}, [&](int sig) { ... });
//   loop.watch(fd, EPOLLIN, [&](std::uint32_t events) { ... });
//   loop.set_deadline(steady_now() + 5s, [&] { ... });   // one pending at a time
//   while (!done) loop.run_once();                          // blocks until events
//
// Contract: single-threaded. Callbacks may watch/unwatch any fd (also their
// own) and re-arm the deadline; an fd unwatched during a round is not called
// later in that round. The signals given to on_signals are blocked for the
// whole process (children get their mask reset by spawn). All fds are
// CLOEXEC. Errors setting up the loop are fatal (throw std::system_error at
// construction only); nothing throws from run_once.
#pragma once

#include <sys/epoll.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <unordered_map>

#include "policy/restart_intensity.hpp"

namespace grove::groved {

class EventLoop {
 public:
  using FdCallback = std::function<void(std::uint32_t events)>;

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  void watch(int fd, std::uint32_t events, FdCallback callback);
  void unwatch(int fd);
  void on_signals(std::initializer_list<int> signals, std::function<void(int)> callback);
  // Arms the one deadline (replacing any earlier one); nullopt disarms it.
  void set_deadline(std::optional<TimePoint> at, std::function<void()> callback);
  // Waits for and dispatches one batch of events.
  void run_once();

 private:
  void dispatch_signals();
  struct Watch {
    FdCallback callback;
    std::uint64_t generation;
  };
  int epoll_fd_ = -1;
  int signal_fd_ = -1;
  int timer_fd_ = -1;
  std::uint64_t generation_ = 0;
  std::unordered_map<int, std::shared_ptr<Watch>> watches_;
  std::function<void(int)> on_signal_;
  std::function<void()> on_deadline_;
};

}  // namespace grove::groved
