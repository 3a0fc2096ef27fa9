// scheduler_impl.hpp — the scheduler's state, shared by scheduler.cpp
// (threads, run loop, timers) and process_turn.cpp (turns, signals, exit).
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "grove/idle_source.hpp"
#include "grove/scheduler.hpp"
#include "name_registry.hpp"
#include "process_table.hpp"
#include "run_queue.hpp"

namespace grove {

struct Worker {
  Worker(Scheduler::Impl* s, unsigned i, bool concurrent) : sched(s), id(i), runq(concurrent) {}
  Scheduler::Impl* sched;
  unsigned id;
  detail::RunQueue runq;
  std::uint64_t next_ref = 1;
  unsigned budget = 0;
};

struct Injected {
  Pid to;
  detail::Node* node = nullptr;         // a message for `to`, or
  detail::ProcessCore* start = nullptr;  // a process spawned off-thread
};

struct Scheduler::Impl {
  explicit Impl(SchedulerOptions o);
  ~Impl();

  // --- run loop (scheduler.cpp)
  enum class Mode { until_idle, until_done, until_stopped };
  std::size_t work(Worker& w, Mode mode);
  bool any_work(Mode mode);
  bool finished(Mode mode) const;
  detail::ProcessCore* steal(Worker& w);
  void fire_due();
  void drain_injected(Worker& w);
  void inject(Injected e);
  void enqueue(detail::ProcessCore* c);
  void teardown();

  // --- sleeping and waking, the idle source (scheduler_sleep.cpp)
  void sleep(Worker& w, Mode mode);
  void wake_one();
  void wake_all();
  void wake_locked();  // under sleep_mu: bumps the epoch, wakes a sleeper
  bool serve_source();
  bool arm_source(SleepPlan& plan);
  void sleep_polling(const SleepPlan& plan, std::optional<SteadyTime> deadline);
  void set_source(IdleSource* s);

  // --- drivers: one at a time (run, run_until_exit, run_until_idle, start)
  enum class Driver { none, run, idle, started };
  void claim(Driver d, const char* what);
  void release();
  void run_threads(Mode mode);  // the calling thread plus threads-1 helpers

  // --- processes (process_turn.cpp)
  bool deliver_local(Pid to, detail::Node* n);
  void bounce(detail::Node* n, Pid to);
  void unpin(detail::ProcessCore* c);
  void run_turn(Worker& w, detail::ProcessCore* c);
  bool go_idle(detail::ProcessCore* c);
  void die(detail::ProcessCore* c);
  void finalize(detail::ProcessCore* c, const ExitReason& reason);
  detail::ProcessCore* new_core(std::coroutine_handle<> body);

  SchedulerOptions opt;
  SchedulerClock* clock;
  const bool concurrent;
  detail::ProcessTable table;
  detail::NameRegistry names;
  std::atomic<RemoteRouter*> router{nullptr};
  std::vector<std::unique_ptr<Worker>> workers;

  std::mutex timer_mu;  // taken only when concurrent
  TimerHeap timers;
  std::atomic<std::size_t> timer_count{0};

  std::mutex inj_mu;
  std::vector<Injected> injected;
  std::atomic<bool> has_injected{false};

  std::mutex sleep_mu;
  std::condition_variable sleep_cv;
  std::uint64_t wake_epoch = 0;  // guarded by sleep_mu
  std::atomic<int> sleepers{0};
  bool poller_asleep = false;    // guarded by sleep_mu: a thread sleeps in ppoll() on wake_fd

  // The idle source: one serving thread at a time (source_mu, try_lock).
  std::atomic<IdleSource*> source{nullptr};
  std::mutex source_mu;
  int wake_fd = -1;  // eventfd, made with the first source: wakes the poller

  std::mutex drive_mu;
  Driver driver = Driver::none;  // guarded by drive_mu
  std::atomic<bool> stopping{false};
  std::atomic<bool> tearing_down{false};
  std::atomic<std::size_t> live{0};
  std::vector<std::thread> threads;  // start()'s, guarded by drive_mu

  std::mutex watch_mu;
  Pid watch;
  ExitReason watch_reason;
  std::atomic<bool> watch_done{false};
};

extern thread_local Worker* tls_worker;
extern thread_local detail::ProcessCore* tls_current;
extern thread_local const ExitReason* tls_dying;

// The calling thread's worker, or its process: what a public function
// needs; detail::misuse(what, ...) when it is called outside a process.
Worker& worker_for(const char* what);
detail::ProcessCore& process_for(const char* what);
// The exit signal a process sends itself, applied at once (links.cpp).
void exit_self(detail::ProcessCore& c, ExitReason reason);

}  // namespace grove
