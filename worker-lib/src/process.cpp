#include "grove/process.hpp"

#include "grove/receive.hpp"
#include "scheduler_impl.hpp"

namespace grove {

Pid self() { return tls_current ? tls_current->pid() : Pid{}; }

bool alive(Pid pid) {
  Worker* w = tls_worker;
  if (!w || !pid) return false;
  const detail::ProcessCore* c = w->sched->table.at(pid.index);
  if (!c) return false;
  const std::uint64_t word = c->word.load(std::memory_order_acquire);
  return (word & detail::kSerialMask) == pid.serial && !(word & detail::kDead);
}

void exit(ExitReason reason) { throw ExitRequest{std::move(reason)}; }

void cancel_timer(TimerId id) { detail::disarm_timer(id); }

bool register_name(std::string_view name, Pid pid) {
  Worker* w = tls_worker;
  if (!w || name.empty() || !alive(pid)) return false;
  detail::ProcessCore* c = w->sched->table.at(pid.index);
  // Only the process itself may touch its extra block; others register it
  // by name only when it is the caller.
  if (c != tls_current) return false;
  if (!c->ext().name.empty()) return false;
  if (!w->sched->names.add(name, pid)) return false;
  c->ext().name = std::string(name);
  return true;
}

bool unregister_name(std::string_view name) {
  Worker* w = tls_worker;
  detail::ProcessCore* c = tls_current;
  if (!w || !c || !c->extra || c->extra->name != name) return false;
  w->sched->names.remove(name, c->pid());
  c->extra->name.clear();
  return true;
}

std::optional<Pid> whereis(std::string_view name) {
  Worker* w = tls_worker;
  if (!w) return std::nullopt;
  return w->sched->names.find(name);
}

void detail::end_turn() {
  if (tls_worker) tls_worker->budget = 0;
}

}  // namespace grove
