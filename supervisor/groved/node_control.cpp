// SupervisorNode: answering control requests (grovectl, or a parent
// supervisor) for this supervisor's subtree.
#include <signal.h>

#include <chrono>
#include <memory>

#include "config/signal_name.hpp"
#include "groved/event_log.hpp"
#include "groved/reply_gather.hpp"
#include "groved/supervisor_node.hpp"
#include "groved/tree_mailboxes.hpp"
#include "policy/enum_names.hpp"

namespace grove::groved {

namespace {

using control::Reply;
using control::Request;
using control::StatusNode;
using control::Verb;

const char* state_name(ChildState s) {
  switch (s) {
    case ChildState::stopped: return "stopped";
    case ChildState::starting: return "starting";
    case ChildState::running: return "running";
    case ChildState::stopping: return "stopping";
    case ChildState::restarting: return "restarting";
    case ChildState::failed: return "failed";
  }
  return "?";
}

// How long a nested supervisor may take to answer a status-like request.
constexpr auto kForwardTimeout = std::chrono::seconds(2);

// Said on grovectl's stderr when a worker has more dead letters than fit.
std::string left_out_note(const TreeMailboxes::DeadLetters& letters) {
  return std::to_string(letters.left_out) + " older dead letters are not shown: see " + letters.file;
}

// Why child c's last start failed, as grovectl says it.
std::string start_failure_of(const ChildProcess& c) {
  if (!c.last_start_failure.empty()) return c.last_start_failure;
  return c.last_wait_status ? describe_wait_status(*c.last_wait_status) : "it could not be started";
}

Reply ok_reply(std::uint64_t id) {
  Reply r;
  r.id = id;
  return r;
}

}  // namespace

std::optional<std::size_t> SupervisorNode::child_named(const std::string& name) const {
  for (std::size_t i = 0; i < children_.size(); ++i)
    if (children_[i].spec.name == name && !children_[i].retired) return i;
  return std::nullopt;
}

void SupervisorNode::handle_request(const Request& r, Respond respond) {
  if (r.verb == Verb::cancel) {
    std::erase_if(pending_requests_, [&](const auto& p) { return p.second.client_id == r.cancels; });
    for (ChildProcess& c : children_)
      std::erase_if(c.followers, [&](const Follower& f) { return f.id == r.cancels; });
    return;
  }
  if (r.path.size() > 1 && r.path.back() == '/') {  // "api/" is api, as in a shell
    Request trimmed = r;
    while (trimmed.path.size() > 1 && trimmed.path.back() == '/') trimmed.path.pop_back();
    return handle_request(trimmed, std::move(respond));
  }
  if (handle_mailbox_request(r, respond)) return;
  std::string rel = r.path;
  if (!path_.empty()) rel = rel.size() > path_.size() ? rel.substr(path_.size() + 1) : "";
  if (rel.empty()) {
    if (r.verb == Verb::status) return status_of_subtree(r.id, std::move(respond));
    if (r.verb == Verb::reload) return reload(r, std::move(respond));
    respond(Reply::failure(r.id, "'" + std::string(control::verb_name(r.verb)) +
                                     "' needs the path of a child, e.g. api/web"));
    return;
  }
  const std::size_t slash = rel.find('/');
  const auto i = child_named(rel.substr(0, slash));
  if (!i) {
    respond(Reply::failure(r.id, "unknown path '" + r.path + "'"));
    return;
  }
  if (slash == std::string::npos) return handle_child_request(*i, r, std::move(respond));
  if (children_[*i].spec.type != ChildType::supervisor) {
    respond(Reply::failure(r.id, "unknown path '" + r.path + "': " + children_[*i].path +
                                     " is a worker"));
    return;
  }
  forward(*i, r, std::move(respond));
}

// Root groved owns the inboxes: it answers deadletters, and adds each
// mailbox worker's figures to a status once the whole subtree has answered.
// True when the request is answered here.
bool SupervisorNode::handle_mailbox_request(const Request& r, Respond& respond) {
  if (r.verb == Verb::deadletters) {
    if (tree_.mailboxes == nullptr) {  // a nested supervisor: only root reads them
      respond(Reply::failure(r.id, "'deadletters' is answered by root groved"));
      return true;
    }
    auto letters = tree_.mailboxes->dead_letters(r.path);
    if (!letters) {
      respond(Reply::failure(r.id, letters.error()));
      return true;
    }
    Reply reply = ok_reply(r.id);
    reply.lines = std::move(letters.value().lines);
    if (letters.value().left_out > 0) reply.note = left_out_note(letters.value());
    respond(reply);
    return true;
  }
  if (r.verb == Verb::status && tree_.mailboxes != nullptr) {
    respond = [mailboxes = tree_.mailboxes, inner = std::move(respond)](const Reply& reply) {
      if (!reply.status) return inner(reply);
      Reply filled = reply;
      mailboxes->fill_status(*filled.status);
      return inner(filled);
    };
  }
  return false;
}

// The request names child i itself.
void SupervisorNode::handle_child_request(std::size_t i, const Request& r, Respond respond) {
  ChildProcess& c = children_[i];
  switch (r.verb) {
    case Verb::status: {
      if (c.spec.type != ChildType::supervisor || !c.channel) {
        Reply reply = ok_reply(r.id);
        reply.status = status_row(i);
        respond(reply);
        return;
      }
      auto row = std::make_shared<StatusNode>(status_row(i));
      Request sub = r;
      forward(i, sub, [row, respond, id = r.id](const Reply& nested) {
        Reply reply = ok_reply(id);
        if (nested.status) row->children = nested.status->children;
        if (!nested.ok) row->note = nested.error;
        reply.status = *row;
        return respond(reply);
      });
      return;
    }
    case Verb::pid: {
      Reply reply = ok_reply(r.id);
      reply.pid = c.pid > 0 ? c.pid : 0;
      if (c.pid <= 0) reply = Reply::failure(r.id, c.path + " is not running");
      respond(reply);
      return;
    }
    case Verb::signal: {
      const auto sig = config::parse_signal(r.signal);
      if (!sig) return void(respond(Reply::failure(r.id, "unknown signal '" + r.signal + "'")));
      if (c.pid <= 0) return void(respond(Reply::failure(r.id, c.path + " is not running")));
      LogLine("child_signal").kv("tree", tree_.name).kv("path", c.path).kv("pid", c.pid)
          .kv("signal", signal_name(*sig));
      send_signal(i, *sig);
      respond(ok_reply(r.id));
      return;
    }
    case Verb::logs: {
      // groved keeps only what passes through it (inherit, log).
      const ProcessDef& p = c.spec.process;
      const auto piped = [](const Output& o) {
        return o.kind == Output::Kind::inherit || o.kind == Output::Kind::log;
      };
      if (c.spec.type == ChildType::supervisor) {
        respond(Reply::failure(r.id, c.path + " is a supervisor: give the path of one of its workers"));
        return;
      }
      if (!piped(p.stdout_to) && !piped(p.stderr_to)) {
        const Output& o = p.stdout_to.kind == Output::Kind::file ? p.stdout_to : p.stderr_to;
        respond(Reply::failure(r.id, o.kind == Output::Kind::file
                                         ? c.path + " writes to " + o.path + ": read it there"
                                         : c.path + " sends its output to /dev/null"));
        return;
      }
      Reply reply = ok_reply(r.id);
      reply.lines = c.ring.last(static_cast<std::size_t>(std::max(r.lines, 0)));
      reply.more = r.follow;
      if (respond(reply) && r.follow) c.followers.push_back({r.id, std::move(respond)});
      return;
    }
    case Verb::restart:
    case Verb::stop:
    case Verb::start: operate(i, r, std::move(respond)); return;
    default:
      respond(Reply::failure(r.id, "'" + std::string(control::verb_name(r.verb)) +
                                       "' does not apply to a child"));
  }
}

// stop / start / restart: answered once the child is down, or up and ready.
void SupervisorNode::operate(std::size_t i, const Request& r, Respond respond) {
  if (engine_.phase() == Supervision::Phase::shutting_down || finished_) {
    respond(Reply::failure(r.id, "the supervisor is shutting down"));
    return;
  }
  const ChildRecord& rec = engine_.children()[i];
  const bool up = rec.state == ChildState::running || rec.state == ChildState::starting;
  Waiter w{i, r.verb != Verb::stop, rec.incarnation + 1, r.id, std::move(respond)};
  if (r.verb == Verb::start && up) w.incarnation = rec.incarnation;
  LogLine("operator").kv("tree", tree_.name).kv("verb", control::verb_name(r.verb)).kv("path", children_[i].path);
  waiters_.push_back(std::move(w));
  if (r.verb == Verb::stop) feed(Event::stop(i));
  if (r.verb == Verb::start) feed(Event::start(i));
  if (r.verb == Verb::restart) feed(Event::restart(i));
  check_waiters();
}

void SupervisorNode::check_waiters() {
  for (auto it = waiters_.begin(); it != waiters_.end();) {
    const ChildRecord& rec = engine_.children()[it->child];
    const ChildProcess& c = children_[it->child];
    std::optional<Reply> done;
    if (finished_ || engine_.phase() == Supervision::Phase::shutting_down) {
      done = Reply::failure(it->id, "the supervisor is shutting down");
    } else if (!it->want_ready) {
      if (rec.state == ChildState::stopped || rec.state == ChildState::failed) done = ok_reply(it->id);
    } else if (rec.incarnation >= it->incarnation) {
      // A later incarnation already: the awaited one ended before it was
      // ready, and the restart policy started the next one at once.
      const bool ended = rec.incarnation > it->incarnation || rec.state == ChildState::stopped ||
                         rec.state == ChildState::failed || rec.state == ChildState::restarting;
      if (rec.state == ChildState::running && rec.incarnation == it->incarnation) done = ok_reply(it->id);
      else if (ended) done = Reply::failure(it->id, c.path + " failed to start (" + start_failure_of(c) + ")");
    }
    if (!done) {
      ++it;
      continue;
    }
    Respond respond = std::move(it->respond);
    it = waiters_.erase(it);
    respond(*done);
  }
}

StatusNode SupervisorNode::status_row(std::size_t i) const {
  const ChildProcess& c = children_[i];
  const ChildRecord& rec = engine_.children()[i];
  StatusNode n;
  n.name = c.spec.name;
  n.path = c.path;
  n.type = std::string(name_of(c.spec.type));
  n.state = state_name(rec.state);
  n.pid = c.pid > 0 ? c.pid : 0;
  n.restarts = rec.restarts;
  if (c.pid > 0)
    n.uptime_s = std::chrono::duration<double>(std::chrono::system_clock::now() - c.started_wall).count();
  if (c.last_wait_status) {
    control::LastExit e;
    const int st = *c.last_wait_status;
    if (WIFEXITED(st)) e.code = WEXITSTATUS(st);
    if (WIFSIGNALED(st)) e.signal = std::string(signal_name(WTERMSIG(st)));
    n.last_exit = e;
    if (c.spec.type == ChildType::supervisor && WIFEXITED(st) &&
        WEXITSTATUS(st) == kSupervisorGaveUpCode && rec.state != ChildState::running)
      n.note = "gave up (intensity)";
  }
  if (!rec.wanted && rec.state == ChildState::stopped && rec.incarnation > 0 &&
      c.spec.policy.restart != RestartType::temporary)
    n.note = "stopped by operator";
  // Stopped, but not for good: its turn in the ordered start has not come.
  if (rec.wanted && rec.start_queued && rec.state == ChildState::stopped) n.note = "waiting to start";
  if (!rec.wanted && rec.state == ChildState::stopped && rec.incarnation == 0 && !c.spec.policy.autostart)
    n.note = "autostart = false";
  if (n.note.empty() && !c.last_start_failure.empty() && rec.state != ChildState::running)
    n.note = "start failed: " + c.last_start_failure;
  return n;
}

// This supervisor's children, each nested supervisor's asked for its own.
void SupervisorNode::status_of_subtree(std::uint64_t id, Respond respond) {
  auto gather = std::make_shared<ReplyGather>(id, std::move(respond));
  gather->reply.status = StatusNode{};
  gather->reply.status->name = path_.empty() ? tree_.name : path_;
  gather->reply.status->path = path_;
  auto& rows = gather->reply.status->children;
  for (std::size_t i = 0; i < children_.size(); ++i) {
    if (children_[i].retired) continue;
    rows.push_back(status_row(i));
    if (children_[i].spec.type != ChildType::supervisor || !children_[i].channel) continue;
    ++gather->outstanding;
    Request sub;
    sub.verb = Verb::status;
    sub.path = children_[i].path;
    const std::size_t row = rows.size() - 1;
    forward(i, sub, [gather, row](const Reply& nested) {
      auto& node = gather->reply.status->children[row];
      if (nested.status) node.children = nested.status->children;
      if (!nested.ok) node.note = nested.error;
      gather->done_one();
      return true;
    });
  }
  gather->done_one();
}

// Sends `r` to nested supervisor i under a fresh id; relays its replies.
void SupervisorNode::forward(std::size_t i, Request r, Respond respond) {
  ChildProcess& c = children_[i];
  if (!c.channel) {
    respond(Reply::failure(r.id, c.path + " is not running (" +
                                     state_name(engine_.children()[i].state) + ")"));
    return;
  }
  const std::uint64_t id = next_id_++;
  // Requests that answer at once are bounded; restart/stop/start/reload wait
  // for real work below and are not.
  std::optional<TimePoint> deadline;
  if (r.verb == Verb::status || r.verb == Verb::pid || r.verb == Verb::signal ||
      (r.verb == Verb::logs && !r.follow))
    deadline = Clock::now() + kForwardTimeout;
  pending_requests_[id] = Pending{i, r.id, std::move(respond), deadline};
  r.id = id;
  if (deadline) rearm_deadline();
  c.channel->send(control::encode(r));
  if (!c.channel->flush()) return fail_pending(i, c.path + " does not answer");
  if (c.channel->wants_write())
    loop_.watch(c.channel->fd(), EPOLLIN | EPOLLOUT, [this, i](std::uint32_t) { on_channel(i); });
}

void SupervisorNode::on_channel(std::size_t i) {
  ChildProcess& c = children_[i];
  std::vector<std::string> lines;
  const auto got = c.channel->read_lines(lines);
  for (const std::string& line : lines) {
    std::string error;
    auto reply = control::decode_reply(line, error);
    if (!reply) continue;
    auto it = pending_requests_.find(reply->id);
    if (it == pending_requests_.end()) continue;
    reply->id = it->second.client_id;
    const bool listening = it->second.respond(*reply);
    if (reply->more && listening) continue;
    if (reply->more) {  // the client left: stop the stream down there too
      Request cancel;
      cancel.verb = Verb::cancel;
      cancel.cancels = it->first;
      c.channel->send(control::encode(cancel));
    }
    pending_requests_.erase(it);
  }
  if (got != control::LineChannel::Read::ok || !c.channel->flush()) {
    fail_pending(i, c.path + " went down");
    return;
  }
  loop_.watch(c.channel->fd(), c.channel->wants_write() ? EPOLLIN | EPOLLOUT : EPOLLIN,
              [this, i](std::uint32_t) { on_channel(i); });
}

void SupervisorNode::expire_pending(TimePoint now) {
  for (auto it = pending_requests_.begin(); it != pending_requests_.end();) {
    if (!it->second.deadline || *it->second.deadline > now) {
      ++it;
      continue;
    }
    Respond respond = std::move(it->second.respond);
    const std::uint64_t id = it->second.client_id;
    const std::string who = children_[it->second.child].path;
    it = pending_requests_.erase(it);
    respond(Reply::failure(id, who + " does not answer"));
  }
}

void SupervisorNode::fail_pending(std::size_t i, const std::string& why) {
  ChildProcess& c = children_[i];
  if (c.channel) {
    loop_.unwatch(c.channel->fd());
    c.channel.reset();
  }
  for (auto it = pending_requests_.begin(); it != pending_requests_.end();) {
    if (it->second.child != i) {
      ++it;
      continue;
    }
    Respond respond = std::move(it->second.respond);
    const std::uint64_t id = it->second.client_id;
    it = pending_requests_.erase(it);
    respond(Reply::failure(id, why));
  }
}

void SupervisorNode::feed_followers(std::size_t i) {
  ChildProcess& c = children_[i];
  std::vector<std::string> fresh = c.ring.take_fresh();
  if (fresh.empty() || c.followers.empty()) return;
  std::erase_if(c.followers, [&](Follower& f) {
    Reply reply = ok_reply(f.id);
    reply.lines = fresh;
    reply.more = true;
    return !f.respond(reply);
  });
}

}  // namespace grove::groved
