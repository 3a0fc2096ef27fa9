// SupervisorNode: a child's stdout/stderr to groved's own (each line
// prefixed with the child's path) or to its rotating log file.
#include <unistd.h>

#include <array>
#include <cerrno>

#include "groved/event_log.hpp"
#include "groved/own_output.hpp"
#include "groved/supervisor_node.hpp"

namespace grove::groved {

OutputStream& SupervisorNode::stream(std::size_t i, Stream which) {
  return which == Stream::err ? children_[i].err : children_[i].out;
}

void SupervisorNode::watch_output(std::size_t i, Stream which) {
  if (!stream(i, which).read_end) return;
  loop_.watch(stream(i, which).read_end.get(), EPOLLIN, [this, i, which](std::uint32_t) {
    OutputStream& s = stream(i, which);
    if (!pump_output(i, s, false)) {
      loop_.unwatch(s.read_end.get());
      s.read_end.reset();
    }
  });
}

// Reads what the pipe holds, a bounded amount per call so one chatty child
// cannot starve the loop. Returns false at EOF or error.
bool SupervisorNode::pump_output(std::size_t i, OutputStream& stream, bool final) {
  ChildProcess& c = children_[i];
  std::array<char, 16384> buf{};
  std::string lines;
  const auto which = &stream == &c.err ? OutputRing::err : OutputRing::out;
  bool open = true;
  for (int round = 0; round < 8; ++round) {
    const ssize_t n = ::read(stream.read_end.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;  // EAGAIN: drained for now
    if (n == 0) {
      open = false;
      break;
    }
    const std::string_view bytes(buf.data(), static_cast<std::size_t>(n));
    c.ring.feed(which, bytes);
    if (stream.prefixer) {
      stream.prefixer->feed(bytes, lines);
    } else if (c.log) {
      auto r = c.log->write(bytes);
      if (!r) LogLine("log_error").kv("tree", tree_.name).kv("path", c.path).kv("error", r.error().describe());
    }
  }
  if ((final || !open) && stream.prefixer) stream.prefixer->finish(lines);
  if (final || !open) c.ring.finish(which);
  if (!lines.empty()) write_own_output(stream.echo_fd, lines);  // never waits: own_output.hpp
  feed_followers(i);
  return open;
}

// The incarnation is over: take what it wrote, then let go of its fds.
void SupervisorNode::close_fds(std::size_t i) {
  ChildProcess& c = children_[i];
  for (OutputStream* s : {&c.out, &c.err}) {
    if (s->read_end) {
      pump_output(i, *s, true);
      loop_.unwatch(s->read_end.get());
      s->read_end.reset();
    }
    s->prefixer.reset();
  }
  if (c.channel) fail_pending(i, c.path + " went down");
  for (launch::UniqueFd* fd : {&c.exec_status, &c.ready_pipe, &c.probe})
    if (*fd) {
      loop_.unwatch(fd->get());
      fd->reset();
    }
  c.probe_retry_at.reset();
  c.watchdog_at.reset();
  c.heartbeat_check_at.reset();
}

}  // namespace grove::groved
