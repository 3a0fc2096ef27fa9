#include "grove/links.hpp"

#include <algorithm>

#include "grove/detail/runtime.hpp"
#include "scheduler_impl.hpp"

namespace grove {

using detail::NodeKind;

void link(Pid other) {
  detail::ProcessCore& c = process_for("grove::link");
  if (other == c.pid()) return;
  auto& links = c.ext().links;
  if (std::find(links.begin(), links.end(), other) != links.end()) return;
  links.push_back(other);
  detail::deliver(other, detail::make_signal(NodeKind::link));
}

void unlink(Pid other) {
  detail::ProcessCore& c = process_for("grove::unlink");
  if (!c.extra) return;
  auto& links = c.extra->links;
  auto it = std::find(links.begin(), links.end(), other);
  if (it == links.end()) return;
  links.erase(it);
  detail::deliver(other, detail::make_signal(NodeKind::unlink));
}

MonitorRef monitor(Pid other) {
  detail::ProcessCore& c = process_for("grove::monitor");
  const MonitorRef ref{detail::new_ref()};
  c.ext().watching.push_back({ref.id, other});
  detail::deliver(other, detail::make_signal(NodeKind::monitor, ref.id));
  return ref;
}

void demonitor(MonitorRef ref) {
  detail::ProcessCore& c = process_for("grove::demonitor");
  auto& watching = c.ext().watching;
  auto it = std::find_if(watching.begin(), watching.end(),
                         [&](const detail::MonitorEntry& m) { return m.ref == ref.id; });
  if (it != watching.end()) {
    const Pid target = it->peer;
    watching.erase(it);
    detail::deliver(target, detail::make_signal(NodeKind::demonitor, ref.id));
  }
  // Like demonitor(Ref, [flush]): a Down already here is dropped too.
  detail::intake(c);
  detail::Node* prev = nullptr;
  for (detail::Node* n = c.inbox_head; n;) {
    auto* next = static_cast<detail::Node*>(n->next.load(std::memory_order_relaxed));
    if (n->ops->type == detail::type_id<Down>() && detail::payload_of<Down>(n).ref == ref) {
      c.unlink_inbox(prev, n);
      detail::destroy_node(n);
    } else {
      prev = n;
    }
    n = next;
  }
}

bool trap_exit(bool on) {
  auto& x = process_for("grove::trap_exit").ext();
  return std::exchange(x.trap_exit, on);
}

void exit(Pid to, ExitReason reason) {
  if (tls_current && to == tls_current->pid()) return exit_self(*tls_current, std::move(reason));
  worker_for("grove::exit(pid, reason)");
  detail::deliver(to, detail::make_node<detail::ExitPayload>(NodeKind::exit, detail::ExitPayload{std::move(reason), false}));
}

}  // namespace grove
