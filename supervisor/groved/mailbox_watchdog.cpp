// SupervisorNode: the heartbeat watchdog of mailbox workers. worker-lib's
// scheduler bumps a word in the worker's inbox every watchdog/4; the
// supervisor that owns the child reads it every watchdog/2 (no message, no
// system call) and treats a change like a WATCHDOG=1. Unchanged for a whole
// watchdog: watchdog_at passes, and on_deadline kills the child.
#include "groved/event_log.hpp"
#include "groved/supervisor_node.hpp"

namespace grove::groved {

void SupervisorNode::watch_heartbeat(std::size_t i) {
  ChildProcess& c = children_[i];
  if (!c.spec.process.mailbox || !c.spec.policy.watchdog) return;
  if (!c.inbox_view) {
    auto view = ipc::InboxView::open(tree_.mailbox_names.inbox(c.path));
    if (!view) {  // then only WATCHDOG=1 keeps it alive
      LogLine("mailbox_error").kv("tree", tree_.name).kv("path", c.path)
          .kv("error", ipc::describe(view.error()));
      return;
    }
    c.inbox_view.emplace(std::move(view.value()));
  }
  c.heartbeat_seen = c.inbox_view->heartbeat();
  c.heartbeat_check_at = Clock::now() + *c.spec.policy.watchdog / 2;
}

void SupervisorNode::check_heartbeat(std::size_t i, TimePoint now) {
  ChildProcess& c = children_[i];
  c.heartbeat_check_at.reset();
  if (!c.inbox_view || !c.watchdog_at || c.pid <= 0) return;
  const std::uint64_t beat = c.inbox_view->heartbeat();
  if (beat != c.heartbeat_seen) {
    c.heartbeat_seen = beat;
    c.watchdog_at = now + *c.spec.policy.watchdog;
  }
  c.heartbeat_check_at = now + *c.spec.policy.watchdog / 2;
}

}  // namespace grove::groved
