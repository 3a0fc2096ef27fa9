// SupervisorNode: knowing when a child is ready (ready = started | notify |
// fd:N | tcp://host:port; a nested supervisor writes to its ready pipe).
#include <unistd.h>

#include <array>
#include <chrono>

#include "groved/event_log.hpp"
#include "groved/supervisor_node.hpp"
#include "launch/notify_message.hpp"
#include "launch/spawn.hpp"
#include "launch/tcp_probe.hpp"

namespace grove::groved {

namespace {
// A refused connect is retried at this pace, bounded by start_timeout.
constexpr auto kProbeRetry = std::chrono::milliseconds(20);
}  // namespace

void SupervisorNode::watch_readiness(std::size_t i) {
  ChildProcess& c = children_[i];
  if (c.exec_status)
    loop_.watch(c.exec_status.get(), EPOLLIN, [this, i](std::uint32_t) { on_exec_status(i); });
  if (c.ready_pipe)
    loop_.watch(c.ready_pipe.get(), EPOLLIN, [this, i](std::uint32_t) { on_ready_pipe(i); });
  watch_output(i, Stream::out);
  watch_output(i, Stream::err);
}

// EOF on the exec-status pipe: execve succeeded. A record: a setup step
// failed; the child exits 126/127 and its exit is the start failure.
void SupervisorNode::on_exec_status(std::size_t i) {
  ChildProcess& c = children_[i];
  const launch::ExecStatus s = launch::read_exec_status(c.exec_status.get());
  if (s.kind == launch::ExecStatus::Kind::pending) return;
  loop_.unwatch(c.exec_status.get());
  c.exec_status.reset();
  if (s.kind == launch::ExecStatus::Kind::failed) {
    c.start_failure = s.describe(c.program, c.spec.process.cwd);
    LogLine("start_error").kv("tree", tree_.name).kv("path", c.path).kv("pid", c.pid)
        .kv("error", c.start_failure);
    return;
  }
  switch (c.spec.policy.ready.kind) {
    case Readiness::Kind::started: report_ready(i); break;
    case Readiness::Kind::tcp: start_probe(i); break;
    default: break;  // notify and fd:N wait for the child to say so
  }
}

void SupervisorNode::on_ready_pipe(std::size_t i) {
  ChildProcess& c = children_[i];
  std::array<char, 256> buf{};
  const ssize_t n = ::read(c.ready_pipe.get(), buf.data(), buf.size());
  if (n < 0) return;  // EAGAIN: spurious
  const bool newline = std::find(buf.begin(), buf.begin() + n, '\n') != buf.begin() + n;
  if (n == 0 || newline) {
    loop_.unwatch(c.ready_pipe.get());
    c.ready_pipe.reset();
  }
  if (newline) report_ready(i);
}

void SupervisorNode::start_probe(std::size_t i) {
  ChildProcess& c = children_[i];
  if (c.pid <= 0) return;
  const Readiness& r = c.spec.policy.ready;
  auto address = launch::resolve_tcp_address(r.host, r.port);
  if (!address) {
    LogLine("ready_error").kv("tree", tree_.name).kv("path", c.path).kv("error", address.error().describe());
    return;  // start_timeout ends the wait
  }
  auto probe = launch::start_tcp_probe(address.value());
  if (!probe) {
    c.probe_retry_at = Clock::now() + kProbeRetry;
    return;
  }
  if (probe.value().outcome == launch::ProbeOutcome::connected) return report_ready(i);
  if (probe.value().outcome == launch::ProbeOutcome::refused) {
    c.probe_retry_at = Clock::now() + kProbeRetry;
    return;
  }
  c.probe = std::move(probe.value().fd);
  loop_.watch(c.probe.get(), EPOLLOUT, [this, i](std::uint32_t) { on_probe(i); });
}

void SupervisorNode::on_probe(std::size_t i) {
  ChildProcess& c = children_[i];
  auto outcome = launch::finish_tcp_probe(c.probe.get());
  loop_.unwatch(c.probe.get());
  c.probe.reset();
  if (outcome && outcome.value() == launch::ProbeOutcome::connected) return report_ready(i);
  c.probe_retry_at = Clock::now() + kProbeRetry;
  rearm_deadline();
}

// sd_notify from the child's main pid or anything in its session: READY=1
// (ready = "notify"), WATCHDOG=1 (the heartbeat of `watchdog`).
void SupervisorNode::on_notify() {
  for (int budget = 0; budget < 64; ++budget) {
    auto got = notify_->receive();
    if (!got || !got.value()) return;
    const launch::NotifyDatagram& d = *got.value();
    const launch::NotifyMessage m = launch::parse_notify_message(d.payload);
    for (std::size_t i = 0; i < children_.size(); ++i) {
      ChildProcess& c = children_[i];
      if (c.pid <= 0 || !launch::sent_by_session(d.sender_pid, c.pid)) continue;
      if (m.ready && c.spec.policy.ready.kind == Readiness::Kind::notify) report_ready(i);
      if (m.watchdog && c.watchdog_at) c.watchdog_at = Clock::now() + *c.spec.policy.watchdog;
      if (m.watchdog_trigger && c.watchdog_at) c.watchdog_at = Clock::now();
    }
  }
  rearm_deadline();
}

void SupervisorNode::report_ready(std::size_t i) {
  if (engine_.children()[i].state != ChildState::starting) return;
  // Like systemd, the watchdog runs from readiness on.
  ChildProcess& c = children_[i];
  c.last_start_failure.clear();
  if (c.spec.policy.watchdog) c.watchdog_at = Clock::now() + *c.spec.policy.watchdog;
  watch_heartbeat(i);
  LogLine("child_ready").kv("tree", tree_.name).kv("path", children_[i].path)
      .kv("pid", children_[i].pid);
  feed(Event::ready(i));
}

}  // namespace grove::groved
