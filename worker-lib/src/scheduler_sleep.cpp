// The scheduler's threads going to sleep and waking up, and the idle source
// (idle_source.hpp) they serve: one of them at a time sleeps in ppoll() on
// the source's fds and the scheduler's wake eventfd, the others on the
// condition variable.
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "scheduler_impl.hpp"

namespace grove {

namespace {
thread_local bool tls_serving = false;  // inside IdleSource::serve()/arm(): no nesting
// How soon a thread that could not take the source, while nobody polls it,
// looks again.
constexpr std::chrono::milliseconds kSourceRetry{10};

struct Serving {
  Serving() { tls_serving = true; }
  ~Serving() { tls_serving = false; }
  Serving(const Serving&) = delete;
  Serving& operator=(const Serving&) = delete;
};
}  // namespace

Scheduler::Impl::~Impl() {
  if (wake_fd >= 0) ::close(wake_fd);
}

// Sleeps until work arrives, the next timer is due, or the run ends.
// Pairs with wake_one: a sleeper announces itself (seq_cst RMW on sleepers),
// then re-reads every queue's size (seq_cst); an enqueuer stores the size
// (seq_cst), then reads sleepers (seq_cst). In the single total order one of
// the two sees the other, so no wake-up is lost. The thread that serves the
// idle source sleeps in ppoll() instead: `poller_asleep`, set under sleep_mu
// with the same epoch check, tells wakers to write wake_fd as well.
void Scheduler::Impl::sleep(Worker&, Mode mode) {
  std::uint64_t epoch;
  {
    std::lock_guard lock(sleep_mu);
    epoch = wake_epoch;
  }
  std::unique_lock serving(source_mu, std::defer_lock);
  SleepPlan plan;
  if (source.load(std::memory_order_acquire) && !tls_serving && serving.try_lock() && !arm_source(plan))
    return;  // the source has work now: back to the run loop, which serves it
  sleepers.fetch_add(1, std::memory_order_seq_cst);
  std::optional<SteadyTime> deadline;
  {
    std::unique_lock tl(timer_mu, std::defer_lock);
    if (concurrent) tl.lock();
    deadline = timers.next_deadline();
  }
  const bool due = deadline && *deadline <= clock->now();
  if (!any_work(mode) && !due) {
    std::unique_lock lock(sleep_mu);
    if (wake_epoch == epoch && !finished(mode)) {
      if (serving.owns_lock()) {
        poller_asleep = true;
        lock.unlock();
        sleep_polling(plan, deadline);
        lock.lock();
        poller_asleep = false;
      } else if (source.load(std::memory_order_acquire) && !poller_asleep) {
        // Another thread held the source for a moment (a serve() while busy)
        // and nobody polls it: look again soon, or the inbox would wait for
        // whatever wakes this thread next.
        const SteadyTime soon = clock->now() + kSourceRetry;
        if (clock->advances_by_itself()) sleep_cv.wait_until(lock, deadline && *deadline < soon ? *deadline : soon);
        else sleep_cv.wait_for(lock, std::chrono::milliseconds(1));
      } else if (!deadline) {
        sleep_cv.wait(lock);
      } else if (clock->advances_by_itself()) {
        sleep_cv.wait_until(lock, *deadline);
      } else {
        sleep_cv.wait_for(lock, std::chrono::milliseconds(1));  // time is moved by hand
      }
    }
  }
  sleepers.fetch_sub(1, std::memory_order_seq_cst);
}

// ppoll() on the source's fds and wake_fd, until one is readable, the next
// timer is due or the source's own timeout.
void Scheduler::Impl::sleep_polling(const SleepPlan& plan, std::optional<SteadyTime> deadline) {
  pollfd fds[3] = {{wake_fd, POLLIN, 0}, {plan.fds[0], POLLIN, 0}, {plan.fds[1], POLLIN, 0}};
  std::optional<std::chrono::nanoseconds> wait = plan.timeout;
  if (deadline) {
    const auto until_due = clock->advances_by_itself()
                               ? std::chrono::nanoseconds(*deadline - clock->now())
                               : std::chrono::nanoseconds(std::chrono::milliseconds(1));  // moved by hand
    if (!wait || until_due < *wait) wait = until_due;
  }
  timespec ts{};
  if (wait) {
    const auto ns = std::max<std::int64_t>(0, wait->count());
    ts.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
    ts.tv_nsec = static_cast<long>(ns % 1'000'000'000);
  }
  (void)::ppoll(fds, 3, wait ? &ts : nullptr, nullptr);
  if ((fds[0].revents & POLLIN) != 0) {
    std::uint64_t drained;
    (void)!::read(wake_fd, &drained, sizeof drained);
  }
}

void Scheduler::Impl::wake_locked() {
  ++wake_epoch;
  sleep_cv.notify_one();
  if (poller_asleep) {
    const std::uint64_t one = 1;
    (void)!::write(wake_fd, &one, sizeof one);
  }
}

void Scheduler::Impl::wake_one() {
  if (sleepers.load(std::memory_order_seq_cst) == 0) return;
  std::lock_guard lock(sleep_mu);
  wake_locked();
}

void Scheduler::Impl::wake_all() {
  std::lock_guard lock(sleep_mu);
  wake_locked();
  sleep_cv.notify_all();
}

bool Scheduler::Impl::serve_source() {
  IdleSource* s = source.load(std::memory_order_acquire);
  if (!s || tls_serving) return false;
  std::unique_lock serving(source_mu, std::try_to_lock);
  if (!serving.owns_lock()) return false;
  s = source.load(std::memory_order_acquire);  // set_source(nullptr) may have run meanwhile
  if (!s) return false;
  const Serving guard;
  return s->serve();
}

bool Scheduler::Impl::arm_source(SleepPlan& plan) {  // under source_mu
  IdleSource* s = source.load(std::memory_order_acquire);
  if (!s) return true;
  const Serving guard;
  return s->arm(plan);
}

void Scheduler::Impl::set_source(IdleSource* s) {
  if (s && wake_fd < 0) {
    wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd < 0) throw std::runtime_error(std::string("grove: scheduler eventfd: ") + std::strerror(errno));
  }
  source.store(s, std::memory_order_release);
  {
    std::lock_guard lock(sleep_mu);
    wake_locked();  // a poller asleep on the old source's fds looks again
  }
  std::lock_guard wait_for_server(source_mu);  // whoever serves the old one has finished
}

}  // namespace grove
