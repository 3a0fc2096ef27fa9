#include "grove/process.hpp"

#include "grove/receive.hpp"
#include "scheduler_impl.hpp"

namespace grove {

using detail::NodeKind;

Pid self() { return tls_current ? tls_current->pid() : Pid{}; }

bool alive(Pid pid) {
  const Worker& w = worker_for("grove::alive");
  if (!pid) return false;
  const detail::ProcessCore* c = w.sched->table.at(pid.index);
  if (!c) return false;
  const std::uint64_t word = c->word.load(std::memory_order_acquire);
  return (word & detail::kSerialMask) == pid.serial && !(word & detail::kDead);
}

void exit(ExitReason reason) { throw ExitRequest{std::move(reason)}; }

void cancel_timer(TimerId id) {
  worker_for("grove::cancel_timer");
  detail::disarm_timer(id);
}

std::string_view describe(NameError error) {
  switch (error) {
    case NameError::bad_name: return "bad_name";
    case NameError::taken: return "taken";
    case NameError::already_registered: return "already_registered";
    case NameError::noproc: return "noproc";
  }
  return "?";
}

// The registry answers at once. The process learns that it has a name (so
// that its exit drops it) from a `named` signal; if it dies before taking
// the signal in, the signal bounces and the bounce drops the name
// (process_turn.cpp).
Result<void, NameError> register_name(std::string_view name, Pid pid) {
  Worker& w = worker_for("grove::register_name");
  if (name.empty()) return NameError::bad_name;
  if (!alive(pid)) return NameError::noproc;
  if (auto refused = w.sched->names.add(name, pid)) return *refused;
  if (tls_current && tls_current->pid() == pid) tls_current->ext().named = true;
  else detail::deliver(pid, detail::make_signal(NodeKind::named));
  return {};
}

bool unregister_name(std::string_view name) { return worker_for("grove::unregister_name").sched->names.remove(name); }

std::optional<Pid> whereis(std::string_view name) { return worker_for("grove::whereis").sched->names.find(name); }

void detail::end_turn() {
  if (tls_worker) tls_worker->budget = 0;
}

}  // namespace grove
