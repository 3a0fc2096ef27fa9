// The scheduler's threads: run loop, stealing, sleeping, timers, injection.
#include "grove/scheduler.hpp"

#include "scheduler_impl.hpp"

namespace grove {

using detail::Node;
using detail::NodeKind;
using detail::ProcessCore;

thread_local Worker* tls_worker = nullptr;
thread_local ProcessCore* tls_current = nullptr;
thread_local const ExitReason* tls_dying = nullptr;

SteadyClock& SteadyClock::instance() {
  static SteadyClock clock;
  return clock;
}

Scheduler::Impl::Impl(SchedulerOptions o)
    : opt(o),
      clock(o.clock ? o.clock : &SteadyClock::instance()),
      concurrent(o.threads > 1) {
  if (opt.threads == 0) opt.threads = 1;
  if (opt.batch == 0) opt.batch = 1;
  for (unsigned i = 0; i < opt.threads; ++i) workers.push_back(std::make_unique<Worker>(this, i, concurrent));
}

std::size_t Scheduler::Impl::work(Worker& w, Mode mode) {
  Worker* saved = tls_worker;
  tls_worker = &w;
  std::size_t turns = 0;
  unsigned tick = 0;
  for (;;) {
    if (has_injected.load(std::memory_order_acquire)) drain_injected(w);
    if ((++tick & 31) == 0) {
      fire_due();
      serve_source();  // busy: the inbox is read every 32 turns
    }
    ProcessCore* c = w.runq.pop();
    if (!c && concurrent) c = steal(w);
    if (!c) {
      fire_due();
      if (has_injected.load(std::memory_order_acquire)) drain_injected(w);
      c = w.runq.pop();
    }
    if (c) {
      run_turn(w, c);
      ++turns;
      continue;
    }
    if (serve_source()) continue;  // it may have made processes runnable
    if (mode == Mode::until_idle || finished(mode)) break;
    sleep(w, mode);
  }
  tls_worker = saved;
  return turns;
}

bool Scheduler::Impl::finished(Mode mode) const {
  if (stopping.load(std::memory_order_acquire)) return true;
  if (mode == Mode::until_stopped) return false;
  return live.load(std::memory_order_acquire) == 0 || watch_done.load(std::memory_order_acquire);
}

ProcessCore* Scheduler::Impl::steal(Worker& w) {
  for (std::size_t k = 1; k < workers.size(); ++k) {
    Worker& victim = *workers[(w.id + k) % workers.size()];
    if (ProcessCore* c = victim.runq.steal_into(w.runq)) return c;
  }
  return nullptr;
}

bool Scheduler::Impl::any_work(Mode mode) {
  if (finished(mode) || has_injected.load(std::memory_order_acquire)) return true;
  for (auto& w : workers)
    if (w->runq.size_hint() > 0) return true;
  return false;
}

void Scheduler::Impl::enqueue(ProcessCore* c) {
  tls_worker->runq.push(c);
  if (concurrent) wake_one();
}

void Scheduler::Impl::fire_due() {
  if (timer_count.load(std::memory_order_acquire) == 0) return;
  thread_local std::vector<std::pair<Pid, Node*>> due;
  const SteadyTime now = clock->now();
  {
    std::unique_lock lock(timer_mu, std::defer_lock);
    if (concurrent) lock.lock();
    timers.pop_due(now, [](Pid to, Node* n) { due.emplace_back(to, n); });
    timer_count.store(timers.size(), std::memory_order_release);
  }
  for (auto& [to, n] : due) deliver_local(to, n);
  due.clear();
}

void Scheduler::Impl::inject(Injected e) {
  {
    std::lock_guard lock(inj_mu);
    injected.push_back(e);
    has_injected.store(true, std::memory_order_release);
  }
  std::lock_guard lock(sleep_mu);
  wake_locked();
}

void Scheduler::Impl::drain_injected(Worker&) {
  std::vector<Injected> batch;
  {
    std::lock_guard lock(inj_mu);
    batch.swap(injected);
    has_injected.store(false, std::memory_order_release);
  }
  for (const Injected& e : batch) {
    if (e.start) enqueue(e.start);
    else deliver_local(e.to, e.node);
  }
}

void Scheduler::Impl::teardown() {
  tearing_down.store(true, std::memory_order_release);
  Worker* saved = tls_worker;
  tls_worker = workers[0].get();
  {
    std::lock_guard lock(inj_mu);
    for (const Injected& e : injected)
      if (e.node) detail::destroy_node(e.node);
    injected.clear();
  }
  const std::uint32_t n = table.high_water();
  for (std::uint32_t i = 0; i < n; ++i) {
    ProcessCore* c = table.at(i);
    if (c->word.load(std::memory_order_acquire) & detail::kDead) continue;
    tls_current = c;
    if (c->body) std::exchange(c->body, {}).destroy();
    while (Node* m = c->signals.pop()) detail::destroy_node(m);
    while (c->inbox_head) detail::destroy_node(c->pop_inbox());
    delete std::exchange(c->extra, nullptr);
    c->word.fetch_or(detail::kDead, std::memory_order_acq_rel);
  }
  tls_current = nullptr;
  timers.clear([](Node* m) { detail::destroy_node(m); });
  tls_worker = saved;
}

// ---- Scheduler

Scheduler::Scheduler(SchedulerOptions options) : impl_(std::make_unique<Impl>(options)) {}

Scheduler::~Scheduler() {
  stop();
  impl_->teardown();
}

Pid Scheduler::spawn_body(std::coroutine_handle<> body) {
  if (tls_worker && tls_worker->sched == impl_.get() && tls_current)
    return detail::spawn_body(body, false, nullptr);
  ProcessCore* c = impl_->new_core(body);
  if (!c) return {};
  const Pid pid = c->pid();
  impl_->inject({{}, nullptr, c});
  return pid;
}

bool Scheduler::send_node(Pid to, Node* n) {
  if (!n) return false;
  if (tls_worker && tls_worker->sched == impl_.get()) return impl_->deliver_local(to, n);
  if (!alive(to)) {
    detail::destroy_node(n);
    return false;
  }
  impl_->inject({to, n, nullptr});
  return true;
}

std::optional<Pid> Scheduler::whereis(std::string_view name) const { return impl_->names.find(name); }

bool Scheduler::alive(Pid pid) const {
  const ProcessCore* c = impl_->table.at(pid.index);
  if (!c || !pid) return false;
  const std::uint64_t w = c->word.load(std::memory_order_acquire);
  return (w & detail::kSerialMask) == pid.serial && !(w & detail::kDead);
}

std::size_t Scheduler::live() const { return impl_->live.load(std::memory_order_acquire); }

void Scheduler::Impl::claim(Driver d, const char* what) {
  std::lock_guard lock(drive_mu);
  if (driver != Driver::none)
    detail::misuse(what, "called while another driver (run, run_until_exit, run_until_idle or start) "
                         "has this scheduler");
  driver = d;
}

void Scheduler::Impl::release() {
  std::lock_guard lock(drive_mu);
  driver = Driver::none;
  stopping.store(false, std::memory_order_release);
}

// The helpers are local: a stop() from another thread never joins them.
void Scheduler::Impl::run_threads(Mode mode) {
  std::vector<std::thread> helpers;
  for (unsigned i = 1; i < opt.threads; ++i) helpers.emplace_back([this, i, mode] { work(*workers[i], mode); });
  work(*workers[0], mode);
  wake_all();
  for (auto& t : helpers) t.join();
}

void Scheduler::run() {
  impl_->claim(Impl::Driver::run, "Scheduler::run");
  impl_->run_threads(Impl::Mode::until_done);
  impl_->release();
}

ExitReason Scheduler::run_until_exit(Pid pid) {
  impl_->claim(Impl::Driver::run, "Scheduler::run_until_exit");
  {
    std::lock_guard lock(impl_->watch_mu);
    impl_->watch = pid;
    impl_->watch_reason = ExitReason::noproc();
    impl_->watch_done.store(!alive(pid), std::memory_order_release);
  }
  impl_->run_threads(Impl::Mode::until_done);
  ExitReason reason;
  {
    std::lock_guard lock(impl_->watch_mu);
    impl_->watch = Pid{};
    impl_->watch_done.store(false, std::memory_order_release);
    reason = impl_->watch_reason;
  }
  impl_->release();
  return reason;
}

std::size_t Scheduler::run_until_idle() {
  if (impl_->opt.threads != 1)
    detail::misuse("Scheduler::run_until_idle",
                   "needs threads = 1 (the deterministic driver runs every process on the calling thread)");
  impl_->claim(Impl::Driver::idle, "Scheduler::run_until_idle");
  const std::size_t turns = impl_->work(*impl_->workers[0], Impl::Mode::until_idle);
  impl_->release();
  return turns;
}

void Scheduler::start() {
  impl_->claim(Impl::Driver::started, "Scheduler::start");
  std::lock_guard lock(impl_->drive_mu);
  for (unsigned i = 0; i < impl_->opt.threads; ++i)
    impl_->threads.emplace_back([this, i] { impl_->work(*impl_->workers[i], Impl::Mode::until_stopped); });
}

void Scheduler::stop() {
  std::vector<std::thread> started;
  {
    std::lock_guard lock(impl_->drive_mu);
    if (impl_->driver == Impl::Driver::none) return;
    if (impl_->driver == Impl::Driver::started && tls_worker && tls_worker->sched == impl_.get())
      detail::misuse("Scheduler::stop", "called from one of the threads start() runs (it would join itself)");
    impl_->stopping.store(true, std::memory_order_release);
    if (impl_->driver == Impl::Driver::started) started.swap(impl_->threads);
  }
  impl_->wake_all();
  if (started.empty()) return;  // run(): it sees `stopping` and returns, then releases
  for (auto& t : started) t.join();
  impl_->release();
}

SchedulerClock& Scheduler::clock() const { return *impl_->clock; }

void Scheduler::set_remote_router(RemoteRouter* router) { impl_->router.store(router, std::memory_order_release); }

void Scheduler::set_idle_source(IdleSource* source) { impl_->set_source(source); }

bool Scheduler::serve_idle_source() {
  return tls_worker && tls_worker->sched == impl_.get() && impl_->serve_source();
}

// ---- detail entry points

namespace detail {

ProcessCore* current() {
  ProcessCore* c = tls_current;
  if (!c) [[unlikely]]
    misuse("a grove wait (receive, sleep_for, yield, call, a Task's await)", kOutsideProcess);
  return c;
}

bool deliver(Pid to, Node* n) {
  Worker* w = tls_worker;
  if (!w) [[unlikely]] {
    destroy_node(n);
    misuse("a send (send, cast, exit(pid, reason), a From's reply)", kOutsideProcess);
  }
  if (tls_current && n->kind != NodeKind::message) {
    n->from_index = tls_current->index;
    n->from_serial = static_cast<std::uint32_t>(tls_current->word.load(std::memory_order_relaxed) & kSerialMask);
  }
  return w->sched->deliver_local(to, n);
}

bool deliver_named(std::string_view name, Node* n) {
  Worker* w = tls_worker;
  if (!w) [[unlikely]] {
    destroy_node(n);
    misuse("a send by name (send, cast, call)", kOutsideProcess);
  }
  if (auto pid = w->sched->names.find(name)) return deliver(*pid, n);
  if (RemoteRouter* r = w->sched->router.load(std::memory_order_acquire)) return r->send(name, Message(n));
  destroy_node(n);
  return false;
}

std::uint64_t new_ref() {
  Worker* w = tls_worker;
  if (!w) [[unlikely]]
    misuse("grove::monitor, grove::async or a call", kOutsideProcess);
  return (std::uint64_t{w->id + 1} << 56) | w->next_ref++;
}

SteadyTime now() { return worker_for("grove::send_after or a timed wait").sched->clock->now(); }

TimerId arm_timer(SteadyTime when, Pid target, Node* payload) {
  Scheduler::Impl& s = *tls_worker->sched;
  std::unique_lock lock(s.timer_mu, std::defer_lock);
  if (s.concurrent) lock.lock();
  const TimerId id = s.timers.add(when, target, payload);
  s.timer_count.store(s.timers.size(), std::memory_order_release);
  return id;
}

void disarm_timer(TimerId id) {
  if (!id) return;
  Scheduler::Impl& s = *tls_worker->sched;
  Node* n;
  {
    std::unique_lock lock(s.timer_mu, std::defer_lock);
    if (s.concurrent) lock.lock();
    n = s.timers.cancel(id);
    s.timer_count.store(s.timers.size(), std::memory_order_release);
  }
  if (n) destroy_node(n);
}

const ExitReason* dying_reason() { return tls_dying; }

}  // namespace detail

Worker& worker_for(const char* what) {
  Worker* w = tls_worker;
  if (!w) [[unlikely]]
    detail::misuse(what, detail::kOutsideProcess);
  return *w;
}

ProcessCore& process_for(const char* what) {
  ProcessCore* c = tls_current;
  if (!c) [[unlikely]]
    detail::misuse(what, detail::kOutsideProcess);
  return *c;
}
}  // namespace grove
