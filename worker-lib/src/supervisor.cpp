#include "grove/supervisor.hpp"

#include <algorithm>
#include <deque>

namespace grove {

namespace detail {

namespace {

std::vector<ChildEntry> entries_of(const SupervisorSpec& spec) {
  std::vector<ChildEntry> out;
  for (const Child& c : spec.children) out.push_back({c.name, c.type, c.policy});
  return out;
}

ExitReason end_reason(EndReason r) {
  (void)r;  // gave_up, auto_shutdown and a requested shutdown all end with shutdown (OTP)
  return ExitReason::shutdown();
}

}  // namespace

SupervisorServer::SupervisorServer(SupervisorSpec spec)
    : spec_(std::move(spec)), engine_(spec_.policy, entries_of(spec_)), pids_(spec_.children.size()) {}

Async<InitResult> SupervisorServer::init() {
  trap_exit(true);
  co_await run(engine_.start(now()));
  if (exit_) co_return stop(*exit_);
  co_return ok();
}

// Carries out the engine's actions in order, feeding back what they cause
// (a started child is ready at once: start returned after its init).
Async<void> SupervisorServer::run(std::vector<Action> first) {
  std::deque<Action> todo(first.begin(), first.end());
  while (!todo.empty()) {
    const Action a = todo.front();
    todo.pop_front();
    std::vector<Action> more;
    switch (a.kind) {
      case Action::Kind::spawn: {
        Result<Pid> r = CallError{CallError::Kind::noproc, {}};
        try {
          r = co_await spec_.children[a.child].start();
        } catch (...) {
          r = CallError{CallError::Kind::exited, reason_from_exception(std::current_exception())};
        }
        pids_[a.child] = r ? *r : Pid{};
        more = engine_.handle(r ? Event::ready(a.child) : Event::spawn_failed(a.child), now());
        answer_start(a.child, r);
        break;
      }
      case Action::Kind::signal: grove::exit(pids_[a.child], ExitReason::shutdown()); break;
      case Action::Kind::kill: grove::exit(pids_[a.child], ExitReason::kill()); break;
      case Action::Kind::ready: break;
      case Action::Kind::exit: exit_ = end_reason(a.reason); break;
    }
    todo.insert(todo.end(), more.begin(), more.end());
  }
  rearm();
  check_waiters();
}

void SupervisorServer::rearm() {
  const std::optional<SteadyTime> next = engine_.next_deadline();
  if (next == armed_for_) return;
  cancel_timer(std::exchange(timer_, TimerId{}));
  armed_for_ = next;
  if (!next) return;
  const auto delay = std::max(std::chrono::nanoseconds::zero(), *next - now());
  timer_ = send_after(self(), SupervisorTick{++generation_}, delay);
}

std::optional<std::size_t> SupervisorServer::index_of(Pid pid) const {
  for (std::size_t i = 0; i < pids_.size(); ++i)
    if (pids_[i] == pid && pid) return i;
  return std::nullopt;
}

std::vector<ChildInfo> SupervisorServer::handle_call(const WhichChildren&) {
  std::vector<ChildInfo> out;
  const auto& records = engine_.children();
  for (std::size_t i = 0; i < records.size(); ++i) {
    const bool up = records[i].state == ChildState::running || records[i].state == ChildState::starting ||
                    records[i].state == ChildState::stopping;
    out.push_back({records[i].entry.name, up ? pids_[i] : Pid{}, records[i].state, records[i].restarts});
  }
  return out;
}

// The reply waits in waiters_ until the engine reports the child down, or
// the start of the incarnation the request caused (check_waiters and
// answer_start); the loop meanwhile serves other messages.
Async<CallResult<ChildOpResult>> SupervisorServer::handle_call(const ChildOp& op, From& from) {
  const auto& records = engine_.children();
  auto it = std::find_if(records.begin(), records.end(),
                         [&](const ChildRecord& r) { return r.entry.name == op.name; });
  if (it == records.end()) co_return reply(ChildOpResult(ChildError{ChildError::Kind::not_found, {}}));
  if (engine_.phase() == Supervision::Phase::shutting_down || engine_.phase() == Supervision::Phase::done)
    co_return reply(ChildOpResult(ChildError{ChildError::Kind::shutting_down, {}}));
  const auto i = static_cast<std::size_t>(it - records.begin());
  const bool up = it->state == ChildState::running || it->state == ChildState::starting;
  Event::Kind kind = op.kind;
  // Starting a child that is being stopped: start it once it is down.
  if (kind == Event::Kind::start && it->state == ChildState::stopping) kind = Event::Kind::restart;
  const std::uint64_t target = (kind == Event::Kind::start && up) ? it->incarnation : it->incarnation + 1;
  waiters_.push_back({i, kind != Event::Kind::stop, target, std::move(from)});
  co_await run(engine_.handle(Event{kind, i, ExitKind::normal}, now()));
  if (exit_) co_return stop(*exit_);
  co_return noreply();
}

// The start of child `i` just returned: it answers the requests waiting
// for that incarnation, with its pid or its error.
void SupervisorServer::answer_start(std::size_t i, const Result<Pid>& started) {
  const std::uint64_t incarnation = engine_.children()[i].incarnation;
  for (auto it = waiters_.begin(); it != waiters_.end();) {
    if (it->child != i || !it->want_up || it->incarnation > incarnation) {
      ++it;
      continue;
    }
    From from = std::move(it->from);
    it = waiters_.erase(it);
    if (started) from.reply(ChildOpResult(*started));
    else from.reply(ChildOpResult(ChildError{ChildError::Kind::start_failed, started.error()}));
  }
}

void SupervisorServer::check_waiters() {
  for (auto it = waiters_.begin(); it != waiters_.end();) {
    std::optional<ChildOpResult> done = outcome(*it);
    if (!done) {
      ++it;
      continue;
    }
    From from = std::move(it->from);
    it = waiters_.erase(it);
    from.reply(std::move(*done));
  }
}

std::optional<ChildOpResult> SupervisorServer::outcome(const OpWaiter& w) const {
  const ChildRecord& c = engine_.children()[w.child];
  const auto phase = engine_.phase();
  if (phase == Supervision::Phase::shutting_down || phase == Supervision::Phase::done)
    return ChildOpResult(ChildError{ChildError::Kind::shutting_down, {}});
  const bool down = c.state == ChildState::stopped || c.state == ChildState::failed;
  if (!w.want_up) {
    if (down) return ChildOpResult(Pid{});
    return std::nullopt;
  }
  if (c.incarnation >= w.incarnation && c.state == ChildState::running) return ChildOpResult(pids_[w.child]);
  // Down with no start pending: an operator stop came after this request.
  if (down && c.incarnation < w.incarnation && !c.start_queued && !c.respawn_after_stop)
    return ChildOpResult(ChildError{ChildError::Kind::stopped, {}});
  return std::nullopt;
}

Async<CastResult> SupervisorServer::handle_info(Message& m) {
  if (const ExitSignal* e = m.get<ExitSignal>()) {
    if (auto i = index_of(e->from)) {
      pids_[*i] = Pid{};
      co_await run(engine_.handle(Event::exited(*i, exit_kind(e->reason)), now()));
    }
  } else if (const SupervisorTick* t = m.get<SupervisorTick>()) {
    if (t->generation == generation_) {
      armed_for_.reset();
      timer_ = TimerId{};
      co_await run(engine_.handle(Event::tick(), now()));
    }
  }
  if (exit_) co_return stop(*exit_);
  co_return noreply();
}

// Ordered shutdown: children stop in reverse order, each waited for (with
// its shutdown timeout, then kill), before the supervisor itself ends.
Async<void> SupervisorServer::terminate(const ExitReason&) {
  if (engine_.phase() == Supervision::Phase::done) co_return;
  co_await run(engine_.handle(Event::shutdown(), now()));
  while (engine_.phase() != Supervision::Phase::done) {
    const std::optional<SteadyTime> next = engine_.next_deadline();
    const auto timeout = next ? std::max(std::chrono::nanoseconds::zero(), *next - now()) : infinity;
    std::optional<std::size_t> exited;
    ExitKind kind = ExitKind::normal;
    const bool got = co_await receive(after(timeout), [&](ExitSignal& e) {
      exited = index_of(e.from);
      kind = exit_kind(e.reason);
    });
    if (!got) co_await run(engine_.handle(Event::tick(), now()));
    else if (exited) {
      pids_[*exited] = Pid{};
      co_await run(engine_.handle(Event::exited(*exited, kind), now()));
    }
  }
  cancel_timer(std::exchange(timer_, TimerId{}));
}

Async<ChildOpResult> child_op(Server<SupervisorServer> server, ChildOp op, std::chrono::nanoseconds timeout) {
  Result<ChildOpResult> r = co_await call(server, std::move(op), timeout);
  if (!r) co_return ChildError{ChildError::Kind::call_failed, r.error()};
  co_return std::move(*r);
}

Async<Result<void, ChildError>> stop_op(Server<SupervisorServer> server, std::string name,
                                        std::chrono::nanoseconds timeout) {
  ChildOp op{std::move(name), Event::Kind::stop};
  ChildOpResult r = co_await child_op(server, std::move(op), timeout);
  if (!r) co_return r.error();
  co_return Result<void, ChildError>{};
}

}  // namespace detail

std::string describe(const ChildError& error) {
  switch (error.kind) {
    case ChildError::Kind::not_found: return "not_found";
    case ChildError::Kind::start_failed: return "start_failed: " + describe(error.cause);
    case ChildError::Kind::stopped: return "stopped";
    case ChildError::Kind::shutting_down: return "shutting_down";
    case ChildError::Kind::call_failed: return "call_failed: " + describe(error.cause);
  }
  return "?";
}

Async<Result<Supervisor>> Supervisor::start_link(SupervisorSpec spec) {
  auto r = co_await grove::start_link<detail::SupervisorServer>(std::move(spec));
  if (!r) co_return r.error();
  co_return Supervisor(*r);
}

Child supervisor_child(std::string name, SupervisorSpec spec) {
  Child c;
  c.name = std::move(name);
  c.type = ChildType::supervisor;
  c.policy.shutdown = default_shutdown(ChildType::supervisor);
  c.start = [spec = std::move(spec)]() -> Async<Result<Pid>> {
    auto r = co_await Supervisor::start_link(spec);
    if (!r) co_return r.error();
    co_return r->pid();
  };
  return c;
}

}  // namespace grove
