#include "groved/event_loop.hpp"

#include <signal.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <system_error>

namespace grove::groved {

namespace {
std::system_error sys_error(const char* what) {
  return std::system_error(errno, std::generic_category(), what);
}
}  // namespace

EventLoop::EventLoop() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) throw sys_error("epoll_create1");
  timer_fd_ = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
  if (timer_fd_ < 0) throw sys_error("timerfd_create");
  watch(timer_fd_, EPOLLIN, [this](std::uint32_t) {
    std::uint64_t expirations = 0;
    if (::read(timer_fd_, &expirations, sizeof expirations) < 0) return;
    if (on_deadline_) {
      auto callback = on_deadline_;  // the callback may re-arm the deadline
      callback();
    }
  });
}

EventLoop::~EventLoop() {
  for (int fd : {signal_fd_, timer_fd_, epoll_fd_})
    if (fd >= 0) ::close(fd);
}

void EventLoop::watch(int fd, std::uint32_t events, FdCallback callback) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  const bool known = watches_.count(fd) != 0;
  if (::epoll_ctl(epoll_fd_, known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) < 0)
    throw sys_error("epoll_ctl");
  watches_[fd] = std::make_shared<Watch>(Watch{std::move(callback), ++generation_});
}

void EventLoop::unwatch(int fd) {
  if (watches_.erase(fd) == 0) return;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
}

void EventLoop::on_signals(std::initializer_list<int> signals, std::function<void(int)> callback) {
  sigset_t set;
  sigemptyset(&set);
  for (int s : signals) sigaddset(&set, s);
  if (::sigprocmask(SIG_BLOCK, &set, nullptr) < 0) throw sys_error("sigprocmask");
  signal_fd_ = ::signalfd(signal_fd_, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (signal_fd_ < 0) throw sys_error("signalfd");
  on_signal_ = std::move(callback);
  watch(signal_fd_, EPOLLIN, [this](std::uint32_t) { dispatch_signals(); });
}

void EventLoop::dispatch_signals() {
  signalfd_siginfo info{};
  while (::read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info))
    if (on_signal_) on_signal_(static_cast<int>(info.ssi_signo));
}

void EventLoop::set_deadline(std::optional<TimePoint> at, std::function<void()> callback) {
  itimerspec spec{};
  if (at) {
    const auto ns = at->time_since_epoch().count();  // steady_clock is CLOCK_MONOTONIC
    spec.it_value.tv_sec = ns / 1'000'000'000;
    spec.it_value.tv_nsec = ns % 1'000'000'000;
    if (spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0) spec.it_value.tv_nsec = 1;
  }
  on_deadline_ = at ? std::move(callback) : nullptr;
  ::timerfd_settime(timer_fd_, TFD_TIMER_ABSTIME, &spec, nullptr);
}

void EventLoop::run_once() {
  std::array<epoll_event, 64> events{};
  const int n = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), -1);
  if (n < 0) return;  // EINTR: the caller loops
  // Pin each callback by generation so a callback that unwatches (or
  // replaces) a later fd of this batch is respected.
  std::array<std::pair<std::shared_ptr<Watch>, std::uint64_t>, 64> batch;
  for (int i = 0; i < n; ++i) {
    auto it = watches_.find(events[static_cast<std::size_t>(i)].data.fd);
    if (it != watches_.end()) batch[static_cast<std::size_t>(i)] = {it->second, it->second->generation};
  }
  for (int i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    auto& [w, generation] = batch[k];
    if (!w) continue;
    auto it = watches_.find(events[k].data.fd);
    if (it == watches_.end() || it->second != w || w->generation != generation) continue;
    w->callback(events[k].events);
  }
}

}  // namespace grove::groved
