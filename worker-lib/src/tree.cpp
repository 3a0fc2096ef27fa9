#include "grove/tree.hpp"

#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "grove/ipc/inbox_layout.hpp"
#include "grove/ipc/segment_name.hpp"
#include "grove/process.hpp"
#include "grove/receive.hpp"
#include "inbox_pump.hpp"
#include "sd_notify.hpp"
#include "tree_impl.hpp"

namespace grove {

std::string_view describe(TreeError e) {
  switch (e) {
    case TreeError::no_such_name: return "no such name in the tree";
    case TreeError::down: return "the target worker is down";
    case TreeError::full: return "the target's inbox stayed full";
    case TreeError::too_large: return "message too large for an inbox";
    case TreeError::taken: return "the name is held by another worker";
    case TreeError::failed: return "failed";
  }
  return "unknown";
}

namespace detail {

std::atomic<Tree::Impl*> g_tree{nullptr};

// The heartbeat process's state: it outlives the Tree if the scheduler
// keeps running (it then ends at its next beat), so it owns a mapping.
struct HeartbeatState {
  HeartbeatState(ipc::Segment m, Scheduler* s, std::chrono::nanoseconds p)
      : mapping(std::move(m)), sched(s), period(p) {}
  std::atomic<bool> stop{false};
  ipc::Segment mapping;
  Scheduler* sched;
  std::chrono::nanoseconds period;
};

namespace {

Process heartbeat_body(std::shared_ptr<HeartbeatState> s) {
  ipc::WorkerVitals vitals(ipc::layout::header_at(s->mapping.data()));
  while (!s->stop.load(std::memory_order_acquire)) {
    vitals.beat();
    vitals.set_processes(s->sched->live());
    co_await sleep_for(s->period);
  }
}

Tree::Impl* tree_or_null() { return g_tree.load(std::memory_order_acquire); }

std::uint64_t random_salt() {
  std::uint64_t salt = 0;
  if (::getrandom(&salt, sizeof salt, 0) != static_cast<ssize_t>(sizeof salt))
    salt = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
           (static_cast<std::uint64_t>(::getpid()) << 32);
  return salt;
}

CallError call_error_of(const ipc::Error& e) {
  const bool waited = e.code == ipc::IpcError::full || e.code == ipc::IpcError::timed_out;
  return {waited ? CallError::Kind::timeout : CallError::Kind::noproc, {}};
}

TreeError tree_error_of(const ipc::Error& e) {
  switch (e.code) {
    case ipc::IpcError::full:
    case ipc::IpcError::timed_out: return TreeError::full;
    case ipc::IpcError::message_too_large: return TreeError::too_large;
    case ipc::IpcError::not_found: return TreeError::no_such_name;
    default: return TreeError::failed;
  }
}

}  // namespace
}  // namespace detail

// ---- Tree::Impl

Tree::Impl::Impl(Scheduler& s, detail::TreeEnv e) : sched(s), env(std::move(e)) {
  if (env.inbox.empty()) return;  // started by hand: standalone
  auto r = ipc::InboxReader::open(
      env.inbox, {.count_on_peek = false,
                  .on_corruption = [this](const ipc::CorruptionReport& c) {
                    std::fprintf(stderr, "grove: inbox lane %u quarantined at %llu: %s\n", c.lane,
                                 static_cast<unsigned long long>(c.position), c.what);
                    corruption_seen.store(true, std::memory_order_relaxed);
                  }});
  if (!r) throw std::runtime_error("grove: cannot attach inbox " + env.inbox + ": " + ipc::describe(r.error()));
  reader.emplace(std::move(*r));
  if (!env.directory.empty()) {
    auto d = ipc::TreeDirectory::open(env.directory);
    if (!d) throw std::runtime_error("grove: cannot open the tree's names " + env.directory + ": " + ipc::describe(d.error()));
    directory.emplace(std::move(*d));
  }
  attached = true;
  call_salt = detail::random_salt();
  // Replies to our calls must flow before ready(): init may call others.
  pump = std::make_unique<detail::InboxPump>(*this);
  sched.set_idle_source(pump.get());
}

Tree::Impl::~Impl() {
  if (pump) {
    sched.set_idle_source(nullptr);  // waits for a scheduler thread serving it
    pump->settle();
  }
  if (heartbeat) heartbeat->stop.store(true, std::memory_order_release);
}

std::string Tree::Impl::inbox_of(std::string_view path) const {
  auto name = ipc::parse_segment_name(env.inbox);
  if (!name) return {};
  name->inbox = std::string(path);
  return ipc::format(*name);
}

std::optional<std::string> Tree::Impl::resolve(std::string_view name) const {
  if (!directory) return std::nullopt;
  return directory->lookup(name);
}

std::shared_ptr<detail::Outbox> Tree::Impl::outbox(const std::string& path, ipc::Error& error) {
  std::lock_guard lock(out_mu);
  if (auto it = outboxes.find(path); it != outboxes.end()) return it->second;
  auto w = ipc::InboxWriter::open(inbox_of(path));
  if (!w) {
    error = w.error();
    return nullptr;
  }
  auto box = std::make_shared<detail::Outbox>(std::move(*w));
  outboxes.emplace(path, box);
  return box;
}

ipc::Status Tree::Impl::send_frame(const std::string& path, const detail::Frame& frame, std::uint32_t kind,
                                   std::uint64_t correlation, std::chrono::nanoseconds timeout) {
  if (frame.target.size() > detail::kMaxFrameName || frame.reply_to.size() > detail::kMaxFrameName)
    return ipc::Error{ipc::IpcError::invalid_argument, 0, "send to a worker"};
  ipc::Error error{ipc::IpcError::not_found, 0, "open a worker's inbox"};
  auto box = outbox(path, error);
  if (!box) return error;
  const std::size_t size = detail::frame_size(frame);
  // Waiting for room is backpressure, not a hang: in slices, between which
  // the heartbeat beats (the watchdog must not kill a blocked sender) and
  // our own inbox is served, without the lane's lock (serving may reply to
  // this same worker): its replies and acknowledgements keep flowing, so
  // two workers sending to each other do not wait for each other's room.
  const auto deadline = detail::deadline_after(timeout);
  const auto slice = std::min(heartbeat_slice(), std::chrono::nanoseconds(std::chrono::milliseconds(10)));
  for (bool first = true;; first = false) {
    {
      std::lock_guard lock(box->mu);
      auto room = first ? box->writer.try_reserve(size)
                        : box->writer.reserve(size, std::min(deadline, ipc::Clock::now() + slice));
      if (room) {
        detail::write_frame(*room, frame);
        box->writer.commit({kind, correlation}, size);
        return {};
      }
      if (room.error().code != ipc::IpcError::full && room.error().code != ipc::IpcError::timed_out)
        return room.error();
      if (ipc::Clock::now() >= deadline) return room.error();
    }
    if (detail::HeartbeatState* h = beating.load(std::memory_order_acquire))
      ipc::WorkerVitals(ipc::layout::header_at(h->mapping.data())).beat();
    sched.serve_idle_source();
  }
}

std::optional<detail::RequestDispatch> Tree::Impl::handler(std::string_view name, std::uint32_t kind, bool call) {
  std::lock_guard lock(served_mu);
  auto it = served.find(std::string(name));
  if (it == served.end()) return std::nullopt;
  for (const detail::ServedRequest& r : it->second)
    if (r.kind == kind) return call ? r.call : r.cast;
  return detail::RequestDispatch{nullptr};
}

void Tree::Impl::reply_error(const std::string& path, std::uint64_t correlation, const CallError& error,
                             std::chrono::nanoseconds wait) {
  std::string body;
  if (error.kind == CallError::Kind::exited) {
    body += static_cast<char>(error.reason.kind);
    body += error.reason.detail;
  }
  const detail::Frame f{detail::FrameOp::reply, static_cast<std::uint8_t>(static_cast<unsigned>(error.kind) + 1), {}, {},
                        std::as_bytes(std::span(body))};
  if (auto s = send_frame(path, f, wire_kind<Unit>(), correlation, wait); !s)
    std::fprintf(stderr, "grove: reply to %s not sent: %s\n", path.c_str(), ipc::describe(s.error()).c_str());
}

std::chrono::nanoseconds Tree::Impl::heartbeat_slice() const {
  const detail::HeartbeatState* h = beating.load(std::memory_order_acquire);
  return h ? h->period : std::chrono::nanoseconds(std::chrono::milliseconds(250));
}

// ---- Tree

Tree::Tree(Scheduler& scheduler)
    : impl_(std::make_unique<Impl>(scheduler, detail::read_tree_env([](const char* k) { return std::getenv(k); }))) {
  Impl* expected = nullptr;
  if (!detail::g_tree.compare_exchange_strong(expected, impl_.get()))
    throw std::logic_error("grove: one grove::Tree per program");
}

Tree::~Tree() { detail::g_tree.store(nullptr, std::memory_order_release); }

bool Tree::attached() const { return impl_->attached; }
const std::string& Tree::path() const { return impl_->env.path; }

void Tree::ready() {
  if (impl_->is_ready.exchange(true)) return;
  if (!impl_->attached) return;
  impl_->pump->open_gate();
  if (auto mapping = ipc::Segment::open(impl_->env.inbox)) {
    const auto period = impl_->env.watchdog.count() > 0 ? std::chrono::nanoseconds(impl_->env.watchdog) / 4
                                                         : std::chrono::nanoseconds(std::chrono::seconds(1));
    impl_->heartbeat = std::make_shared<detail::HeartbeatState>(std::move(*mapping), &impl_->sched, period);
    impl_->beating.store(impl_->heartbeat.get(), std::memory_order_release);
    impl_->sched.spawn(&detail::heartbeat_body, impl_->heartbeat);
  }
  if (!impl_->env.notify.empty()) detail::sd_notify_send(impl_->env.notify, "READY=1");
}

// ---- the core the templates call

namespace detail {

Result<void, TreeError> tree_serve(std::string_view name, std::vector<ServedRequest> requests,
                                   std::vector<ReplyCodec> replies) {
  Tree::Impl* t = tree_or_null();
  if (!t) return TreeError::failed;
  if (t->directory) {
    if (auto r = t->directory->register_name(name, t->env.path); !r)
      return r.error().code == ipc::IpcError::already_exists ? TreeError::taken : TreeError::failed;
  }
  std::lock_guard lock(t->served_mu);
  t->served[std::string(name)] = std::move(requests);
  t->reply_codecs[type_id<ReplyPayload<Unit>>()] = &encode_reply<Unit>;
  for (const ReplyCodec& c : replies) t->reply_codecs[c.type] = c.encode;
  return {};
}

namespace {

// A name served in this program: straight to its server, no inbox.
bool call_locally(Tree::Impl& t, std::string_view name, std::uint32_t kind, const std::string& body, From& from) {
  const std::optional<RequestDispatch> handler = t.handler(name, kind, true);
  if (!handler) return false;
  const RequestDispatch fn = *handler;
  const auto server = t.sched.whereis(name);
  if (!fn || !server) {
    from.fail({fn ? CallError::Kind::noproc : CallError::Kind::bad_request, {}});
    return true;
  }
  From answer(from.caller(), from.ref());  // `from` moves into the envelope
  switch (fn(t.sched, *server, std::as_bytes(std::span(body)), &from, 0)) {
    case Delivery::delivered: break;
    case Delivery::undecodable: answer.fail({CallError::Kind::bad_request, {}}); break;
    case Delivery::gone: answer.fail({CallError::Kind::noproc, {}}); break;
  }
  return true;
}

void prune_calls(Tree::Impl& t) {  // under calls_mu: replies that never came
  if (++t.calls_since_prune < 1024) return;
  t.calls_since_prune = 0;
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(t.calls, [&](const auto& kv) { return kv.second.deadline < now; });
}

}  // namespace

void tree_launch_call(std::string_view name, std::uint32_t kind, const std::string& body, ReplyDecoder decode,
                      From from, const TreeCallOptions& options) {
  Tree::Impl* t = tree_or_null();
  if (!t) return from.fail({CallError::Kind::noproc, {}});
  if (call_locally(*t, name, kind, body, from)) return;
  const auto path = t->resolve(name);
  if (!path || !t->attached) return from.fail({CallError::Kind::noproc, {}});
  if (!options.wait_if_down) {
    ipc::Error error{};
    auto box = t->outbox(*path, error);
    if (!box || !box->writer.receiver_alive()) return from.fail({CallError::Kind::noproc, {}});
  }
  // On the wire the reference is salted per incarnation: a reply meant for
  // our previous life (still in our inbox) matches no call of this one.
  const std::uint64_t wire_ref = from.ref() ^ t->call_salt;
  {
    std::lock_guard lock(t->calls_mu);
    prune_calls(*t);
    t->calls[wire_ref] = PendingCall{from.caller(), from.ref(), decode, deadline_after(options.timeout)};
  }
  const Frame f{FrameOp::call, 0, name, t->env.path, std::as_bytes(std::span(body))};
  if (auto sent = t->send_frame(*path, f, kind, wire_ref, options.timeout); !sent) {
    {
      std::lock_guard lock(t->calls_mu);
      t->calls.erase(wire_ref);
    }
    from.fail(call_error_of(sent.error()));
  }
}

Result<void, TreeError> tree_send_cast(std::string_view name, std::uint32_t kind, const std::string& body,
                                       const TreeCastOptions& options) {
  Tree::Impl* t = tree_or_null();
  if (!t) return TreeError::no_such_name;
  if (const std::optional<RequestDispatch> handler = t->handler(name, kind, false)) {  // served here
    const RequestDispatch fn = *handler;
    const auto server = t->sched.whereis(name);
    if (!fn || !server) return TreeError::no_such_name;
    switch (fn(t->sched, *server, std::as_bytes(std::span(body)), nullptr, 0)) {
      case Delivery::delivered: return {};
      case Delivery::undecodable: return TreeError::failed;
      case Delivery::gone: return TreeError::no_such_name;
    }
    return {};
  }
  const auto path = t->resolve(name);
  if (!path || !t->attached) return TreeError::no_such_name;
  if (!options.wait_if_down) {
    ipc::Error error{};
    auto box = t->outbox(*path, error);
    if (!box) return tree_error_of(error);
    if (!box->writer.receiver_alive()) return TreeError::down;
  }
  const Frame f{FrameOp::cast, 0, name, {}, std::as_bytes(std::span(body))};
  if (auto sent = t->send_frame(*path, f, kind, 0, options.timeout); !sent) return tree_error_of(sent.error());
  return {};
}

void tree_begin(std::uint64_t token) {
  if (Tree::Impl* t = tree_or_null(); t && t->pump) t->pump->begin(token);
}

void tree_done(std::uint64_t token, EnvelopeEnd outcome) {
  if (Tree::Impl* t = tree_or_null(); t && t->pump) t->pump->done(token, outcome);
}

void route_reply(std::uint64_t route, Node* n) {
  struct Destroy {
    Node* n;
    ~Destroy() {
      if (n) destroy_node(n);
    }
  } guard{n};
  Tree::Impl* t = tree_or_null();
  if (!t) return;
  ReplyRoute to;
  {
    std::lock_guard lock(t->routes_mu);
    auto it = t->routes.find(route);
    if (it == t->routes.end()) return;
    to = std::move(it->second);
    t->routes.erase(it);
  }
  if (!n) return;  // dropped unanswered (noreply): the caller's timeout decides
  if (n->ops->type == type_id<ReplyPayload<Unit>>() && !payload_of<ReplyPayload<Unit>>(n).value)
    return t->reply_error(to.path, to.correlation, payload_of<ReplyPayload<Unit>>(n).error);
  ReplyEncoder encode = nullptr;
  {
    std::lock_guard lock(t->served_mu);
    if (auto it = t->reply_codecs.find(n->ops->type); it != t->reply_codecs.end()) encode = it->second;
  }
  if (!encode) return t->reply_error(to.path, to.correlation, {CallError::Kind::bad_request, {}});
  std::string body;
  const std::uint32_t kind = encode(n, body);
  const Frame f{FrameOp::reply, 0, {}, {}, std::as_bytes(std::span(body))};
  if (auto s = t->send_frame(to.path, f, kind, to.correlation, std::chrono::seconds(1)); !s)
    std::fprintf(stderr, "grove: reply to %s not sent: %s\n", to.path.c_str(), ipc::describe(s.error()).c_str());
}

}  // namespace detail
}  // namespace grove
