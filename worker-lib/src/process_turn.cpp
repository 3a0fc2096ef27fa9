// One process's life on a scheduler thread: delivery, its turns, the
// signals it takes in, and its exit.
#include <algorithm>

#include "grove/links.hpp"
#include "scheduler_impl.hpp"

namespace grove {

using detail::Node;
using detail::NodeKind;
using detail::ProcessCore;

namespace {

Pid from_of(const Node* n) { return Pid{n->from_index, n->from_serial}; }

void stamp(Node* n, Pid from) {
  n->from_index = from.index;
  n->from_serial = from.serial;
}

Node* exit_node(Pid from, ExitReason reason, bool linked) {
  Node* n = detail::make_node<detail::ExitPayload>(NodeKind::exit, detail::ExitPayload{std::move(reason), linked});
  stamp(n, from);
  return n;
}

Node* down_node(std::uint64_t ref, Pid pid, ExitReason reason) {
  return detail::make_node<Down>(NodeKind::message, Down{MonitorRef{ref}, pid, std::move(reason)});
}

template <class V, class P>
void erase_if_first(V& v, P pred) {
  auto it = std::find_if(v.begin(), v.end(), pred);
  if (it != v.end()) v.erase(it);
}

void set_exit(ProcessCore& c, ExitReason reason) {
  auto& x = c.ext();
  if (x.exit_pending) return;
  x.exit_pending = true;
  x.reason = std::move(reason);
}

// An exit signal: dies, becomes an ExitSignal message, or is ignored.
// Erlang's exit/2: normal is ignored, except by a process that does not
// trap exits and sent it to itself, which ends with normal.
void on_exit_signal(ProcessCore& c, Node* n) {
  const Pid from = from_of(n);
  auto& p = detail::payload_of<detail::ExitPayload>(n);
  if (p.linked) {
    auto& links = c.ext().links;
    auto it = std::find(links.begin(), links.end(), from);
    if (it == links.end()) return detail::destroy_node(n);  // unlinked meanwhile
    links.erase(it);
  }
  if (p.reason.kind == ExitReason::Kind::kill && !p.linked) {
    set_exit(c, ExitReason::killed());
  } else if (c.traps_exits()) {
    c.append_inbox(detail::make_node<ExitSignal>(NodeKind::message, ExitSignal{from, std::move(p.reason)}));
  } else if (!p.reason.is_normal() || from == c.pid()) {
    set_exit(c, std::move(p.reason));
  }
  detail::destroy_node(n);
}

void on_message(ProcessCore& c, Node* n) {
  if (c.extra && n->ops->type == detail::type_id<Down>()) {
    const std::uint64_t ref = detail::payload_of<Down>(n).ref.id;
    erase_if_first(c.extra->watching, [ref](const detail::MonitorEntry& m) { return m.ref == ref; });
  }
  c.append_inbox(n);
}

void on_signal(ProcessCore& c, Node* n) {
  detail::Waiter* w = c.waiter;
  switch (n->kind) {
    case NodeKind::message: return on_message(c, n);
    case NodeKind::reply:
      if (w && w->ref == n->aux && !w->reply) {
        w->reply = n;
        return;
      }
      break;
    case NodeKind::timeout:
      if (w && w->ref == n->aux) w->timed_out = true;
      break;
    case NodeKind::link: {
      auto& links = c.ext().links;
      if (std::find(links.begin(), links.end(), from_of(n)) == links.end()) links.push_back(from_of(n));
      break;
    }
    case NodeKind::unlink:
      if (c.extra) erase_if_first(c.extra->links, [p = from_of(n)](Pid q) { return q == p; });
      break;
    case NodeKind::monitor: c.ext().watchers.push_back({n->aux, from_of(n)}); break;
    case NodeKind::demonitor:
      if (c.extra)
        erase_if_first(c.extra->watchers, [r = n->aux](const detail::MonitorEntry& m) { return m.ref == r; });
      break;
    case NodeKind::exit: return on_exit_signal(c, n);
    case NodeKind::named: c.ext().named = true; break;
  }
  detail::destroy_node(n);
}

}  // namespace

void detail::intake(ProcessCore& c) {
  const bool concurrent = tls_worker->sched->concurrent;
  while (Node* n = c.signals.pop(concurrent)) on_signal(c, n);
}

// Applied on the spot, not queued: the caller ends at its next wait (or
// at the end of its body) even if it never takes signals in again. Signals
// queued before it are taken in first, so an ExitSignal keeps its order.
void exit_self(ProcessCore& c, ExitReason reason) {
  detail::intake(c);
  on_signal(c, exit_node(c.pid(), std::move(reason), false));
}

bool detail::take_budget() {
  Worker* w = tls_worker;
  if (w->budget == 0) return false;
  --w->budget;
  return true;
}

bool Scheduler::Impl::deliver_local(Pid to, Node* n) {
  if (tearing_down.load(std::memory_order_relaxed)) {
    detail::destroy_node(n);
    return false;
  }
  ProcessCore* c = table.at(to.index);
  if (!c) {
    bounce(n, to);
    return false;
  }
  if (!concurrent) {
    const std::uint64_t w = c->word.load(std::memory_order_relaxed);
    if ((w & detail::kSerialMask) != to.serial || (w & detail::kDead)) {
      bounce(n, to);
      return false;
    }
    c->signals.push(n, false);
    if (!c->scheduled.load(std::memory_order_relaxed)) {
      c->scheduled.store(true, std::memory_order_relaxed);
      tls_worker->runq.push(c);
    }
    return true;
  }
  // Pin the slot so it cannot be finalized (and reused) while we push.
  std::uint64_t w = c->word.load(std::memory_order_acquire);
  do {
    if ((w & detail::kSerialMask) != to.serial || (w & detail::kDead)) {
      bounce(n, to);
      return false;
    }
  } while (!c->word.compare_exchange_weak(w, w + detail::kPin, std::memory_order_acq_rel,
                                          std::memory_order_acquire));
  c->signals.push(n, true);
  // acq_rel pairs with go_idle's exchange: either we see it idle and queue
  // it, or its owner sees our push after clearing the flag.
  if (!c->scheduled.exchange(true, std::memory_order_acq_rel)) enqueue(c);
  unpin(c);
  return true;
}

void Scheduler::Impl::unpin(ProcessCore* c) {
  const std::uint64_t after = c->word.fetch_sub(detail::kPin, std::memory_order_acq_rel) - detail::kPin;
  if ((after & detail::kDead) && (after >> 33) == 0) {
    finalize(c, c->extra ? c->extra->reason : ExitReason::normal());
  }
}

// A node that reached no live process: a link or monitor request is
// answered with noproc, anything else is dropped (a call's From tells its
// caller from its destructor).
void Scheduler::Impl::bounce(Node* n, Pid to) {
  const Pid requester = from_of(n);
  const NodeKind kind = n->kind;
  const std::uint64_t ref = n->aux;
  static const ExitReason noproc = ExitReason::noproc();
  const ExitReason* saved = tls_dying;
  if (!saved) tls_dying = &noproc;  // a call's From answers noproc
  detail::destroy_node(n);
  tls_dying = saved;
  if (kind == NodeKind::named) names.remove_pid(to);  // named, then died before learning it
  if (tearing_down.load(std::memory_order_relaxed) || !requester) return;
  if (kind == NodeKind::link) deliver_local(requester, exit_node(to, ExitReason::noproc(), true));
  if (kind == NodeKind::monitor) deliver_local(requester, down_node(ref, to, ExitReason::noproc()));
}

void Scheduler::Impl::run_turn(Worker& w, ProcessCore* c) {
  tls_current = c;
  w.budget = opt.batch;
  for (;;) {
    if (c->signals.has_any()) detail::intake(*c);
    if (c->extra && c->extra->exit_pending) {
      die(c);
      break;
    }
    detail::Waiter* wt = c->waiter;
    if (!wt || !wt->ready || wt->ready(*wt, *c)) {
      if (w.budget == 0) {  // used its batch: to the back of the queue
        enqueue(c);
        break;
      }
      --w.budget;
      c->waiter = nullptr;
      (wt ? wt->handle : c->body).resume();
      if (c->body.done() || (c->extra && c->extra->exit_pending)) {
        die(c);
        break;
      }
      continue;
    }
    if (!c->signals.drained()) continue;  // a sender is mid-push: it is about to finish
    if (go_idle(c)) break;
  }
  tls_current = nullptr;
}

// Returns true when the process is idle (or owned by another thread now).
bool Scheduler::Impl::go_idle(ProcessCore* c) {
  if (!concurrent) {
    c->scheduled.store(false, std::memory_order_relaxed);
    return true;
  }
  c->scheduled.exchange(false, std::memory_order_acq_rel);
  if (!c->signals.pushed_since_drained()) return true;
  // A push raced with going idle: take the process back unless its sender did.
  return c->scheduled.exchange(true, std::memory_order_acq_rel);
}

void Scheduler::Impl::die(ProcessCore* c) {
  ExitReason reason = (c->extra && c->extra->exit_pending) ? c->extra->reason : ExitReason::normal();
  const Pid pid = c->pid();
  const ExitReason* saved = tls_dying;
  tls_dying = &reason;
  c->waiter = nullptr;
  std::coroutine_handle<> body = std::exchange(c->body, {});
  body.destroy();  // runs the destructors of everything the process held
  c->alive = false;
  if (detail::ProcessExtra* x = c->extra) {
    if (x->named) names.remove_pid(pid);
    for (Pid l : x->links) deliver_local(l, exit_node(pid, reason, true));
    for (const auto& m : x->watchers) deliver_local(m.peer, down_node(m.ref, pid, reason));
    for (const auto& m : x->watching) {
      Node* n = detail::make_signal(NodeKind::demonitor, m.ref);
      stamp(n, pid);
      deliver_local(m.peer, n);
    }
    x->links.clear();
    x->watchers.clear();
    x->watching.clear();
    x->reason = reason;
  }
  {
    std::lock_guard lock(watch_mu);
    if (watch == pid) {
      watch_reason = reason;
      watch_done.store(true, std::memory_order_release);
      wake_all();
    }
  }
  tls_dying = saved;
  if (!concurrent) return finalize(c, reason);
  const std::uint64_t after = c->word.fetch_or(detail::kDead, std::memory_order_acq_rel) | detail::kDead;
  if ((after >> 33) == 0) finalize(c, reason);
}

void Scheduler::Impl::finalize(ProcessCore* c, const ExitReason& reason) {
  const Pid pid = c->pid();
  const ExitReason* saved = tls_dying;
  tls_dying = &reason;
  while (Node* n = c->signals.pop()) bounce(n, pid);
  while (c->inbox_head) bounce(c->pop_inbox(), pid);
  tls_dying = saved;
  delete std::exchange(c->extra, nullptr);
  std::uint32_t serial = pid.serial + 1;
  if (serial == 0) serial = 1;
  c->signals.reset();
  c->waiter = nullptr;
  c->scheduled.store(false, std::memory_order_relaxed);
  c->word.store(serial | detail::kDead, std::memory_order_release);
  table.release(c);
  if (live.fetch_sub(1, std::memory_order_acq_rel) == 1) wake_all();
}

ProcessCore* Scheduler::Impl::new_core(std::coroutine_handle<> body) {
  ProcessCore* c = table.acquire();
  if (!c) {
    body.destroy();
    return nullptr;
  }
  c->body = body;
  c->waiter = nullptr;
  c->alive = true;
  c->scheduled.store(true, std::memory_order_relaxed);
  const std::uint64_t serial = c->word.load(std::memory_order_relaxed) & detail::kSerialMask;
  c->word.store(serial, std::memory_order_release);
  live.fetch_add(1, std::memory_order_relaxed);
  return c;
}

Pid detail::spawn_body(std::coroutine_handle<> body, bool link, MonitorRef* monitor) {
  Worker* w = tls_worker;
  ProcessCore* parent = tls_current;
  if (!parent && (link || monitor || !w)) [[unlikely]] {
    body.destroy();
    misuse(link ? "grove::spawn_link" : monitor ? "grove::spawn_monitor" : "grove::spawn", kOutsideProcess);
  }
  Scheduler::Impl& s = *w->sched;
  ProcessCore* c = s.new_core(body);
  if (!c) return {};
  const Pid pid = c->pid();
  if (link) {
    c->ext().links.push_back(parent->pid());
    parent->ext().links.push_back(pid);
  }
  if (monitor) {
    *monitor = MonitorRef{new_ref()};
    c->ext().watchers.push_back({monitor->id, parent->pid()});
    parent->ext().watching.push_back({monitor->id, pid});
  }
  s.enqueue(c);
  return pid;
}

void detail::record_exit(ExitReason reason) {
  if (ProcessCore* c = tls_current) set_exit(*c, std::move(reason));
}

}  // namespace grove
