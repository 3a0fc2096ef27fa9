// tree.hpp — this program as a worker of a groved tree: its inbox, its
// readiness, its heartbeat, and calls and casts to named servers in other
// workers through shared memory (library grove::tree).
//
//   int main() {
//     grove::Scheduler sched;
//     grove::Tree tree(sched);              // attaches when groved started us, else standalone
//     sched.run_until_exit(sched.spawn([&]() -> grove::Process {
//       auto kv = co_await grove::start_link<Store>();
//       grove::register_name("kv", kv->pid);
//       grove::serve<Store, Put, Get>("kv"); // tree-wide name: any worker may call it
//       tree.ready();                        // init done: groved starts the next sibling
//       ...
//     }));
//   }
//   // in another worker of the same tree:
//   grove::Result<std::uint64_t> v = co_await grove::tree_call<std::uint64_t>("kv", Get{"a"}, {.timeout = 1s});
//   grove::tree_cast("kv", Put{"a", 1});
//
// Delivery (the point of it): a worker's inbox belongs to its supervisor,
// so messages sent while it is down or restarting wait for its next
// incarnation. A message is acknowledged when the handler that took it has
// returned (its envelope is destroyed); if the worker dies first, the next
// incarnation gets it again, counted if its handler had started (a message
// only queued is not blamed; one whose handler returned is not run again);
// after max_redeliveries (groved's config, default 3) it is set aside as a
// dead letter (GROVE_DEADLETTERS, `grovectl deadletters PATH`) instead of
// being handled. A handler that throws makes its message a dead letter
// ("handler crashed"; a caller gets exited). A cast whose server ended
// before taking it is offered again for a second (an in-worker supervisor
// may restart it), then is a dead letter ("no recipient"; a call is one at
// once, its caller told exited, as in OTP), like one for a
// name nobody here serves or with undecodable bytes; a call among them gets
// noproc or bad_request back. Nothing is dropped silently: handled,
// dead-lettered, or refused to the sender at send time (TreeError,
// CallError).
//
// Contract:
// - One Tree per program, made before serve()/tree_call()/tree_cast(),
//   destroyed after its Scheduler stopped running (run_until_exit returned,
//   or stop()) and before the Scheduler. Started by groved (GROVE_INBOX set)
//   it attaches or throws std::runtime_error saying why; started by hand it
//   is standalone: served names work inside this program only.
// - ready() once, after init: it sends READY=1 to groved (ready = "notify"),
//   starts taking requests from the inbox (earlier ones wait, in order), and
//   spawns the heartbeat process (a lightweight process that bumps the
//   heartbeat every watchdog/4, 1 s without a watchdog): a handler that
//   never returns stops it on a one-thread scheduler, and groved kills the
//   worker after `watchdog` (on a pool, the other threads keep beating: a
//   stuck thread alone is not caught). The heartbeat process lives until
//   the Tree goes: drive the scheduler with run_until_exit, not run().
// - serve<S, Reqs...>(name): requests of the listed types, addressed to
//   `name`, go to the process registered locally under `name` (it may be
//   restarted and registered again). Each Req needs Wire<Req> (wire.hpp) and
//   S a handle_call and/or handle_cast for it; a call's reply type needs a
//   Wire too. The name is registered tree-wide (GROVE_DIRECTORY): the path
//   of this worker holds it until the worker is removed from the tree.
// - tree_call/tree_cast run inside a process. A name served in this
//   program is called directly; otherwise through the named worker's inbox.
//   send blocks the calling scheduler thread while the inbox is full, up to
//   the timeout (backpressure; a call's reply timeout starts after that, so
//   a call may take up to twice its timeout), serving this worker's own
//   inbox meanwhile; `wait_if_down = false` fails at once when the target
//   worker is not running.
// - The inbox is read by the Scheduler's own threads (an IdleSource,
//   idle_source.hpp): when idle (a short spin while messages flow, then
//   ppoll()), every 32 turns when busy. No thread of its own: a request is
//   handled, and a reply resumes its caller, on the thread that read it.
//   So a process that holds its scheduler thread (a long computation, a
//   blocking system call) holds its worker's inbox too, on a one-thread
//   scheduler: replies to this worker wait unread meanwhile, and a peer
//   whose reply finds the inbox full drops it after 1 s (the caller then
//   ends at its timeout). With threads > 1 another thread reads it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "grove/call.hpp"
#include "grove/gen_server.hpp"
#include "grove/result.hpp"
#include "grove/scheduler.hpp"
#include "grove/wire.hpp"

namespace grove {

enum class TreeError : std::uint8_t {
  no_such_name,  // nobody serves it, in this program or in the tree
  down,          // the target worker is not running (and we were asked not to wait)
  full,          // its inbox stayed full until the timeout
  too_large,     // bigger than an inbox message
  taken,         // serve: another worker holds the name
  failed,        // any other failure (the message says which)
};
std::string_view describe(TreeError e);

struct TreeCallOptions {
  std::chrono::nanoseconds timeout = kDefaultCallTimeout;
  bool wait_if_down = true;  // false: noproc at once when the target worker is down
};
struct TreeCastOptions {
  std::chrono::nanoseconds timeout = std::chrono::seconds(5);  // waiting for room
  bool wait_if_down = true;
};

class Tree {
 public:
  explicit Tree(Scheduler& scheduler);
  ~Tree();
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;

  bool attached() const;     // started by groved with an inbox
  const std::string& path() const;  // GROVE_PATH ("" standalone)
  void ready();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

namespace detail {

// The non-template core (tree.cpp); the templates below only encode, decode
// and build envelopes.
// What became of a request handed to a server. `gone`: decoded, but the
// server ended first (a remote envelope also reports it through tree_done).
enum class Delivery : std::uint8_t { delivered, undecodable, gone };
using RequestDispatch = Delivery (*)(Scheduler& s, Pid server, std::span<const std::byte> body, From* from,
                                     std::uint64_t token);
using ReplyDecoder = Node* (*)(std::span<const std::byte> body);  // nullptr: malformed
using ReplyEncoder = std::uint32_t (*)(Node* reply, std::string& out);  // returns the wire kind
struct ServedRequest {
  std::uint32_t kind;
  RequestDispatch call;  // nullptr: S has no handle_call for it
  RequestDispatch cast;
};
struct ReplyCodec {
  TypeId type;  // type_id<ReplyPayload<R>>()
  ReplyEncoder encode;
};

Result<void, TreeError> tree_serve(std::string_view name, std::vector<ServedRequest> requests,
                                   std::vector<ReplyCodec> replies);
void tree_launch_call(std::string_view name, std::uint32_t kind, const std::string& body, ReplyDecoder decode,
                      From from, const TreeCallOptions& options);
Result<void, TreeError> tree_send_cast(std::string_view name, std::uint32_t kind, const std::string& body,
                                       const TreeCastOptions& options);
// How a remote envelope's node ended: its handler returned, its handler
// crashed its server, or its server ended before taking it.
enum class EnvelopeEnd : std::uint8_t { handled, crashed, not_taken };
// A remote envelope's handler starts (redelivery blame) / its node is gone.
void tree_begin(std::uint64_t token);
void tree_done(std::uint64_t token, EnvelopeEnd outcome);

inline constexpr std::uint32_t kHandlerStarted = 1;  // Node::from_serial of a remote envelope

template <class T>
void destroy_acking(Node* n) {
  const std::uint64_t token = n->aux;
  EnvelopeEnd outcome = EnvelopeEnd::not_taken;
  if (n->from_serial == kHandlerStarted) {
    // Destroyed while its process dies abnormally: the handler threw (the
    // server ends with the message), not a handled message.
    const ExitReason* dying = dying_reason();
    outcome = dying && exit_kind(*dying) == ExitKind::abnormal ? EnvelopeEnd::crashed : EnvelopeEnd::handled;
  }
  destroy_payload<T>(n);
  tree_done(token, outcome);
}
template <class S, class Req>
Dispatch remote_call(void* server, Node* n) {
  n->from_serial = kHandlerStarted;
  tree_begin(n->aux);
  return dispatch_call<S, Req>(server, n);
}
template <class S, class Req>
Dispatch remote_cast(void* server, Node* n) {
  n->from_serial = kHandlerStarted;
  tree_begin(n->aux);
  return dispatch_cast<S, Req>(server, n);
}
template <class S, class Req>
inline constexpr EnvelopeOps remote_call_envelope_ops{type_id<S>(), &remote_call<S, Req>, &reject_call<Req>};
template <class S, class Req>
inline constexpr NodeOps remote_call_node_ops{type_id<CallEnvelope<Req>>(), sizeof(NodeOf<CallEnvelope<Req>>),
                                              &destroy_acking<CallEnvelope<Req>>,
                                              &remote_call_envelope_ops<S, Req>};
template <class S, class Req>
inline constexpr EnvelopeOps remote_cast_envelope_ops{type_id<S>(), &remote_cast<S, Req>, &reject_cast};
template <class S, class Req>
inline constexpr NodeOps remote_cast_node_ops{type_id<CastEnvelope<Req>>(), sizeof(NodeOf<CastEnvelope<Req>>),
                                              &destroy_acking<CastEnvelope<Req>>,
                                              &remote_cast_envelope_ops<S, Req>};

// token 0: a call from this program (plain envelope); else from the inbox.
template <class S, class Req>
Delivery deliver_call(Scheduler& s, Pid server, std::span<const std::byte> body, From* from, std::uint64_t token) {
  std::optional<Req> req = Wire<Req>::decode(body);
  if (!req) return Delivery::undecodable;
  const NodeOps* ops = token != 0 ? &remote_call_node_ops<S, Req> : &call_node_ops<S, Req>;
  Node* n = make_node_with<CallEnvelope<Req>>(ops, NodeKind::message, std::move(*req), std::move(*from));
  n->aux = token;
  return s.send(server, Message(n)) ? Delivery::delivered : Delivery::gone;
}
template <class S, class Req>
Delivery deliver_cast(Scheduler& s, Pid server, std::span<const std::byte> body, From*, std::uint64_t token) {
  std::optional<Req> req = Wire<Req>::decode(body);
  if (!req) return Delivery::undecodable;
  const NodeOps* ops = token != 0 ? &remote_cast_node_ops<S, Req> : &cast_node_ops<S, Req>;
  Node* n = make_node_with<CastEnvelope<Req>>(ops, NodeKind::message, std::move(*req));
  n->aux = token;
  return s.send(server, Message(n)) ? Delivery::delivered : Delivery::gone;
}

template <class S, class Req>
concept Callable = requires(S& s, Req& r, From& f) { s.handle_call(r); } ||
                   requires(S& s, Req& r, From& f) { s.handle_call(r, f); };
template <class S, class Req>
concept Castable = requires(S& s, Req& r) { s.handle_cast(r); };

template <class V>
using reply_value = std::conditional_t<std::is_void_v<V>, Unit, V>;

template <class V>
std::uint32_t encode_reply(Node* n, std::string& out) {
  auto& p = payload_of<ReplyPayload<V>>(n);
  Wire<V>::encode(*p.value, out);  // errors travel as ReplyPayload<Unit>, handled by the core
  return wire_kind<V>();
}
template <class V>
Node* decode_reply(std::span<const std::byte> body) {
  std::optional<V> v = Wire<V>::decode(body);
  if (!v) return nullptr;
  return make_node<ReplyPayload<V>>(NodeKind::reply, ReplyPayload<V>{std::move(*v), {}});
}

template <class S, class Req>
ServedRequest served_request() {
  static_assert(Callable<S, Req> || Castable<S, Req>, "serve<S, Req>: S has neither handle_call nor handle_cast for Req");
  ServedRequest r{wire_kind<Req>(), nullptr, nullptr};
  if constexpr (Callable<S, Req>) r.call = &deliver_call<S, Req>;
  if constexpr (Castable<S, Req>) r.cast = &deliver_cast<S, Req>;
  return r;
}
template <class S, class Req>
void add_reply_codec(std::vector<ReplyCodec>& out) {
  if constexpr (Callable<S, Req>) {
    using V = reply_value<reply_type<S, Req>>;
    out.push_back({type_id<ReplyPayload<V>>(), &encode_reply<V>});
  }
}

}  // namespace detail

// Serves the process registered locally as `name` to the whole tree, for
// requests of types Reqs.
template <class S, class... Reqs>
Result<void, TreeError> serve(std::string_view name) {
  std::vector<detail::ReplyCodec> replies;
  (detail::add_reply_codec<S, Reqs>(replies), ...);
  return detail::tree_serve(name, {detail::served_request<S, Reqs>()...}, std::move(replies));
}

// co_await tree_call<R>(name, request[, options]) -> Result<R> (CallError:
// timeout, noproc = no such name or down with wait_if_down = false, exited,
// bad_request).
template <class R, class Req>
auto tree_call(std::string_view name, Req request, TreeCallOptions options = {}) {
  auto launch = [name = std::string(name), req = std::move(request), options](From from) mutable {
    std::string body;
    Wire<Req>::encode(req, body);
    detail::tree_launch_call(name, wire_kind<Req>(), body, &detail::decode_reply<detail::reply_value<R>>,
                             std::move(from), options);
  };
  return detail::ReplyWait<R, decltype(launch)>(options.timeout, std::move(launch));
}

template <class Req>
Result<void, TreeError> tree_cast(std::string_view name, const Req& request, TreeCastOptions options = {}) {
  std::string body;
  Wire<Req>::encode(request, body);
  return detail::tree_send_cast(name, wire_kind<Req>(), body, options);
}

}  // namespace grove
