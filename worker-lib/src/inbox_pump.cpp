#include "inbox_pump.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <string>
#include <utility>

namespace grove::detail {

namespace {
constexpr auto kRetryFor = std::chrono::seconds(1);
constexpr int kRetryPollMs = 10;
// The spin before a sleep pays only while messages flow: within this long
// of the last one. A worker woken by its timers alone sleeps at once.
constexpr auto kSpinWindow = std::chrono::milliseconds(1);
}  // namespace

InboxPump::InboxPump(Tree::Impl& tree)
    : tree_(tree),
      reader_(*tree.reader),
      vitals_(reader_.vitals()),
      dead_letters_(tree.env.deadletters),
      lanes_(reader_.lanes()),
      event_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (event_fd_ < 0) throw std::runtime_error(std::string("grove: eventfd for the inbox pump: ") + std::strerror(errno));
  if (auto notify = reader_.notify_fd()) {
    notify_fd_ = *notify;
  } else {
    std::fprintf(stderr, "grove: inbox wake-ups: %s\n", ipc::describe(notify.error()).c_str());
  }
}

InboxPump::~InboxPump() { ::close(event_fd_); }

void InboxPump::done(std::uint64_t token, EnvelopeEnd outcome) {
  {
    std::lock_guard lock(acks_mu_);
    acks_.emplace_back(token, outcome);
  }
  // No lost wake-up, through acks_mu_: arm() sets `sleeping_` before it
  // takes the lock to look at the acks. If it looked before our push, its
  // store happened before our lock, so we see `sleeping_` here.
  if (sleeping_.load(std::memory_order_seq_cst)) {
    const std::uint64_t one = 1;
    (void)!::write(event_fd_, &one, sizeof one);
  }
}

void InboxPump::begin(std::uint64_t token) {
  ipc::Message m;
  m.lane = token_lane(token);
  m.start = token_start(token);
  reader_.begin(m);
}

void InboxPump::open_gate() {
  ready_asked_.store(true, std::memory_order_seq_cst);
  done(0, EnvelopeEnd::handled);  // token 0: only a wake-up
}

bool InboxPump::serve() {
  if (sleeping_.exchange(false, std::memory_order_relaxed)) {
    std::uint64_t drained;
    (void)!::read(event_fd_, &drained, sizeof drained);
  }
  bool did = apply_acks();
  if (!gate_open_ && ready_asked_.load(std::memory_order_acquire)) {
    open_gate_here();
    did = true;
  }
  did = retry_due() || did;
  std::array<ipc::Message, 64> batch;
  const std::size_t n = reader_.try_peek(batch);
  for (std::size_t i = 0; i < n; ++i) handle(batch[i]);
  if (n != 0) last_message_ = std::chrono::steady_clock::now();
  return did || n != 0;
}

// The parked requests go first, then everything read after them: the gate
// opens here, between two batches, so nothing read later overtakes them.
void InboxPump::open_gate_here() {
  gate_open_ = true;
  std::vector<ipc::Message> parked;
  parked.swap(parked_);
  for (const ipc::Message& m : parked) dispatch(m);
}

bool InboxPump::arm(SleepPlan& plan) {
  recover_lanes();
  // First the reader's short spin (ReaderOptions::spin_for, CPU-aware) while
  // messages flow: a reply or the next request often arrives within it, and
  // then nobody pays a wake-up (the sender sees no sleeper, we make no ppoll()).
  if (std::chrono::steady_clock::now() - last_message_ < kSpinWindow && reader_.spin()) return false;
  if (!reader_.arm()) return false;  // a message is ready now
  sleeping_.store(true, std::memory_order_seq_cst);
  {
    std::lock_guard lock(acks_mu_);
    if (!acks_.empty()) return false;
  }
  if (!gate_open_ && ready_asked_.load(std::memory_order_seq_cst)) return false;
  plan.fds[0] = notify_fd_;
  plan.fds[1] = event_fd_;
  // Without a notify socket (could not bind one) look at the inbox every
  // 10 ms; with retries pending, every 10 ms too.
  if (notify_fd_ < 0 || !retries_.empty()) plan.timeout = std::chrono::milliseconds(kRetryPollMs);
  return true;
}

// Quarantined lanes whose sender is gone are wiped and reopened by the
// reader; what we still track of them is gone with them.
void InboxPump::recover_lanes() {
  if (!tree_.corruption_seen.exchange(false, std::memory_order_relaxed)) return;
  std::vector<bool> was(lanes_.size());
  for (std::uint32_t i = 0; i < lanes_.size(); ++i) was[i] = reader_.quarantined(i);
  reader_.recover();
  for (std::uint32_t i = 0; i < lanes_.size(); ++i) {
    if (reader_.quarantined(i)) tree_.corruption_seen.store(true, std::memory_order_relaxed);  // its sender lives: later
    if (!was[i] || reader_.quarantined(i)) continue;
    lanes_[i].clear();  // the lane was wiped: its records (and our views of them) are gone
    std::erase_if(parked_, [i](const ipc::Message& m) { return m.lane == i; });
    std::erase_if(retries_, [i](const Retry& r) { return r.view.lane == i; });
  }
}

bool InboxPump::apply_acks() {
  std::vector<std::pair<std::uint64_t, EnvelopeEnd>> acks;
  {
    std::lock_guard lock(acks_mu_);
    if (acks_.empty()) return false;
    acks.swap(acks_);
  }
  for (const auto& [token, outcome] : acks) {
    if (token == 0) continue;
    const std::uint32_t lane = token_lane(token);
    if (lane >= lanes_.size()) continue;
    Outstanding* o = find(lane, token_start(token));
    if (!o || o->done) continue;
    if (outcome == EnvelopeEnd::handled) {
      ++handled_unposted_;
      reader_.mark_done(o->view);  // not again if we die before its lane's prefix is released
    } else if (outcome == EnvelopeEnd::crashed) {
      dead_letter(o->view, "handler crashed");  // its caller got `exited` from the From
    } else if (auto f = parse_frame(o->view.payload); f && f->op == FrameOp::cast) {
      // Not taken: offer a cast again, its server may come back.
      retries_.push_back({o->view, std::chrono::steady_clock::now() + kRetryFor});
      continue;
    } else {  // a call's caller was told already (its From: exited / noproc)
      dead_letter(o->view, "no recipient");
    }
    finish(lane, o->end);
  }
  return true;
}

// True when one was delivered or given up on (a retry still waiting is not
// work done: the scheduler would otherwise spin on it).
bool InboxPump::retry_due() {
  if (retries_.empty()) return false;
  std::vector<Retry> still;
  const auto now = std::chrono::steady_clock::now();
  for (const Retry& r : retries_) {
    const std::optional<Frame> f = parse_frame(r.view.payload);
    if (f && try_deliver(r.view, *f)) continue;
    if (now < r.give_up) {
      still.push_back(r);
      continue;
    }
    dead_letter(r.view, "no recipient");
    refuse_call(r.view, {CallError::Kind::noproc, {}});
    finish(r.view.lane, r.view.end);
  }
  const bool settled = still.size() != retries_.size();
  retries_.swap(still);
  return settled;
}

void InboxPump::finish(std::uint32_t lane, std::uint64_t end) {
  auto& q = lanes_[lane];
  // Records are queued in lane order: ends increase along the deque.
  auto it = std::lower_bound(q.begin(), q.end(), end, [](const Outstanding& o, std::uint64_t e) { return o.end < e; });
  if (it != q.end() && it->end == end) it->done = true;
  std::uint64_t last = 0;
  while (!q.empty() && q.front().done) {
    last = q.front().end;
    q.pop_front();
  }
  if (last != 0) {
    ipc::Message upto;
    upto.lane = lane;
    upto.end = last;
    reader_.release(upto);
  }
  // Counted after the release: whoever sees a record counted handled (or
  // dead) and its lane's earlier records settled sees its room released.
  if (handled_unposted_ != 0) vitals_.add_handled(std::exchange(handled_unposted_, 0));
  while (dead_unposted_ != 0) {
    vitals_.add_dead_letter();
    --dead_unposted_;
  }
}

InboxPump::Outstanding* InboxPump::find(std::uint32_t lane, std::uint64_t start) {
  auto& q = lanes_[lane];
  auto it = std::lower_bound(q.begin(), q.end(), start,
                             [](const Outstanding& o, std::uint64_t s) { return o.view.start < s; });
  return it != q.end() && it->view.start == start ? &*it : nullptr;
}

void InboxPump::handle(const ipc::Message& m) {
  lanes_[m.lane].push_back({m.end, false, m});
  dispatch(m);
}

void InboxPump::dispatch(const ipc::Message& m) {
  const std::optional<Frame> f = parse_frame(m.payload);
  if (!f) {
    dead_letter(m, "undecodable");
    return finish(m.lane, m.end);
  }
  if (f->op == FrameOp::reply) {
    deliver_reply(m, *f);
    return finish(m.lane, m.end);
  }
  if (m.deliveries > tree_.env.max_redeliveries) {
    dead_letter(m, "redeliveries");
    refuse_call(m, {CallError::Kind::exited, ExitReason::error("dead letter: its handler crashed the worker " +
                                                               std::to_string(m.deliveries) + " times")});
    return finish(m.lane, m.end);
  }
  dispatch_request(m, *f);
}

void InboxPump::dispatch_request(const ipc::Message& m, const Frame& f) {
  if (!gate_open_) {
    // Init is still running: every request waits for ready(), in arrival
    // order (dispatching those whose name is served already would let them
    // overtake earlier ones parked for a name served later).
    parked_.push_back(m);
    return;
  }
  if (try_deliver(m, f)) return;  // finished when its envelope is gone (done())
  // Its server is not running now (between crash and restart?): offer it again.
  retries_.push_back({m, std::chrono::steady_clock::now() + kRetryFor});
}

// Hands a request to its server: true when it is the envelope's now (or
// settled: nobody here serves the name, or not this request type); false
// when no server of that name runs now.
bool InboxPump::try_deliver(const ipc::Message& m, const Frame& f) {
  const std::optional<RequestDispatch> handler = tree_.handler(f.target, m.kind, f.op == FrameOp::call);
  if (!handler) {  // the directory sent it here, but nobody here serves that name
    dead_letter(m, "no recipient");
    refuse_call(m, {CallError::Kind::noproc, {}});
    finish(m.lane, m.end);
    return true;
  }
  const RequestDispatch fn = *handler;
  if (!fn) {  // served, but not this request type
    dead_letter(m, "undecodable");
    refuse_call(m, {CallError::Kind::bad_request, {}});
    finish(m.lane, m.end);
    return true;
  }
  const std::optional<Pid> server = tree_.sched.whereis(f.target);
  if (!server) return false;
  const std::uint64_t token = pack_token(m.lane, m.start);
  Delivery d;
  if (f.op == FrameOp::call) {
    std::uint64_t route;
    {
      std::lock_guard lock(tree_.routes_mu);
      route = tree_.next_route++;
      tree_.routes.emplace(route, ReplyRoute{std::string(f.reply_to), m.correlation});
    }
    From from(&route_reply, route);
    d = fn(tree_.sched, *server, f.body, &from, token);
    if (d == Delivery::undecodable) {
      std::lock_guard lock(tree_.routes_mu);
      tree_.routes.erase(route);
    }
  } else {
    d = fn(tree_.sched, *server, f.body, nullptr, token);
  }
  // gone: the envelope was made and dropped; its node told done() (not taken).
  if (d != Delivery::undecodable) return true;
  dead_letter(m, "undecodable");
  refuse_call(m, {CallError::Kind::bad_request, {}});
  finish(m.lane, m.end);
  return true;
}

void InboxPump::refuse_call(const ipc::Message& m, CallError error) {
  const std::optional<Frame> f = parse_frame(m.payload);
  // No wait for room: serve() runs on a scheduler thread (the caller's own timeout covers a full inbox).
  if (f && f->op == FrameOp::call) tree_.reply_error(std::string(f->reply_to), m.correlation, error, {});
}

void InboxPump::deliver_reply(const ipc::Message& m, const Frame& f) {
  PendingCall call;
  {
    std::lock_guard lock(tree_.calls_mu);
    auto it = tree_.calls.find(m.correlation);
    if (it == tree_.calls.end()) return;  // the caller gave up (timeout): like a late OTP reply
    call = it->second;
    tree_.calls.erase(it);
  }
  Node* n = nullptr;
  if (f.status == 0) n = call.decode(f.body);
  if (!n) {
    CallError e{CallError::Kind::bad_request, {}};
    if (f.status >= 1 && f.status <= 4) e.kind = static_cast<CallError::Kind>(f.status - 1);
    if (e.kind == CallError::Kind::exited && !f.body.empty() &&
        std::to_integer<std::uint8_t>(f.body[0]) <= static_cast<std::uint8_t>(ExitReason::Kind::error))
      e.reason = ExitReason{static_cast<ExitReason::Kind>(std::to_integer<std::uint8_t>(f.body[0])),
                            std::string(reinterpret_cast<const char*>(f.body.data()) + 1, f.body.size() - 1)};
    n = make_node<ReplyPayload<Unit>>(NodeKind::reply, ReplyPayload<Unit>{std::nullopt, std::move(e)});
  }
  n->aux = call.ref;
  tree_.sched.send(call.caller, Message(n));
}

void InboxPump::dead_letter(const ipc::Message& m, std::string_view reason) {
  const std::optional<Frame> f = parse_frame(m.payload);
  const DeadLetter d{f ? f->target : std::string_view(), reason, m.kind, m.correlation, m.sender,
                     m.deliveries, f ? f->body : m.payload};
  const std::string line = dead_letter_line(d, std::time(nullptr));
  dead_letters_.append(line);
  ++dead_unposted_;  // counted by finish(), once released
  std::fprintf(stderr, "grove: dead letter (%.*s) for \"%.*s\": kind %u, %zu bytes, %u deliveries\n",
               static_cast<int>(reason.size()), reason.data(), static_cast<int>(d.target.size()),
               d.target.data(), m.kind, d.payload.size(), static_cast<unsigned>(m.deliveries));
}

}  // namespace grove::detail
