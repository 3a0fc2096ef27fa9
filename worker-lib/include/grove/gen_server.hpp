// gen_server.hpp — GenServer: the generic server loop around your callbacks.
//
// A server is a plain class; its members are its state. The callbacks, all
// optional except the ones your requests need (OTP's names and results):
//
//   S(args...)                        constructed in the new process
//   init()                   -> void | InitResult (ok() | stop(reason))
//   handle_call(const Req&[, From&]) -> CallResult<R>: reply(r) | noreply() |
//                                       stop(reason) | stop(reason, r), or just R
//   handle_cast(const Req&)  -> void | CastResult (noreply() | stop(reason))
//   handle_info(Message&)    -> void | CastResult      (plain sends, Down,
//                                                       ExitSignal when trapping)
//   terminate(const ExitReason&)      on stop, on a crash in a callback, and on
//                     -> void         the parent's exit when trapping exits
// Any callback may instead return Async<the same>, to call or wait inside it
// without blocking its scheduler thread.
//
//   struct Speakers {
//     std::map<std::string, Speaker> state;
//     void handle_cast(const Add& a) { state[a.name] = find(a.name); }  // {:noreply, ...}
//     auto handle_call(const Team&) { return grove::reply(state); }     // {:reply, state, state}
//   };
//   auto server = co_await grove::start_link<Speakers>();   // Result<Server<Speakers>>
//   grove::cast(*server, Add{"jose"});
//   auto team = co_await grove::call(*server, Team{}, 1s);  // Result<map<...>>
//
// Who calls whom: start_link spawns the server linked to the caller and
// waits until init has returned: that acknowledgement is readiness (init
// failing makes start_link return exited with the reason, and unlinks). The
// loop takes one message at a time, in order: a call or cast is dispatched
// to the overload for its request type (checked at compile time, at the call
// site), anything else to handle_info. An exception escaping a callback
// ends the server with reason crash (its message); every caller still
// waiting on it gets CallError exited with that reason.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "grove/async.hpp"
#include "grove/call.hpp"
#include "grove/links.hpp"
#include "grove/process.hpp"
#include "grove/receive.hpp"

namespace grove {

// A typed reference to a running GenServer of class S.
template <class S>
struct Server {
  Pid pid;
  explicit operator bool() const { return static_cast<bool>(pid); }
  friend bool operator==(const Server&, const Server&) = default;
};

// ---- callback results

struct Ok {};
inline Ok ok() { return {}; }
struct NoReply {};
inline NoReply noreply() { return {}; }
template <class R>
struct Reply {
  R value;
};
template <class R>
Reply<std::decay_t<R>> reply(R&& value) {
  return {std::forward<R>(value)};
}
inline Reply<Unit> reply() { return {Unit{}}; }
struct Stop {
  ExitReason reason;
};
inline Stop stop(ExitReason reason = ExitReason::normal()) { return {std::move(reason)}; }
template <class R>
struct StopReply {
  ExitReason reason;
  R value;
};
template <class R>
StopReply<std::decay_t<R>> stop(ExitReason reason, R&& value) {
  return {std::move(reason), std::forward<R>(value)};
}

template <class R>
class CallResult {
 public:
  template <class U>
  CallResult(Reply<U> r) : v_(Reply<R>{R(std::move(r.value))}) {}
  CallResult(NoReply) : v_(NoReply{}) {}
  CallResult(Stop s) : v_(std::move(s)) {}
  template <class U>
  CallResult(StopReply<U> s) : v_(StopReply<R>{std::move(s.reason), R(std::move(s.value))}) {}
  std::variant<Reply<R>, NoReply, Stop, StopReply<R>>& get() { return v_; }

 private:
  std::variant<Reply<R>, NoReply, Stop, StopReply<R>> v_;
};

class CastResult {
 public:
  CastResult(NoReply) {}
  CastResult(Ok) {}
  CastResult(Stop s) : stop_(std::move(s.reason)) {}
  std::optional<ExitReason>& stop_reason() { return stop_; }

 private:
  std::optional<ExitReason> stop_;
};
using InitResult = CastResult;  // ok() | stop(reason)

namespace detail {

struct Outcome {
  std::optional<ExitReason> stop;
};
struct Dispatch {
  Outcome now;
  std::optional<Async<Outcome>> later;
};
struct EnvelopeOps {
  TypeId server;                              // the server class it was typed for
  Dispatch (*handle)(void* server, Node* n);  // runs the callback
  void (*reject)(Node* n);                    // wrong server: fail the caller
};
template <class Req>
struct CallEnvelope {
  Req request;
  From from;
};
template <class Req>
struct CastEnvelope {
  Req request;
};

template <class S, class Req>
decltype(auto) invoke_call(S& s, Req& req, From& from) {
  if constexpr (requires { s.handle_call(req, from); }) return s.handle_call(req, from);
  else return s.handle_call(req);
}

template <class T>
struct reply_of {
  using type = T;
};
template <class R>
struct reply_of<CallResult<R>> {
  using type = R;
};
template <class R>
struct reply_of<Reply<R>> {
  using type = R;
};
template <class R>
struct reply_of<StopReply<R>> {
  using type = R;
};
template <class X>
struct reply_of<Async<X>> : reply_of<X> {};
template <class T>
using unit_to_void = std::conditional_t<std::is_same_v<T, Unit>, void, T>;

template <class S, class Req>
using reply_type =
    unit_to_void<typename reply_of<std::decay_t<decltype(invoke_call(std::declval<S&>(), std::declval<Req&>(),
                                                                        std::declval<From&>()))>>::type>;

template <class T>
inline constexpr bool is_call_result_v = false;
template <class R>
inline constexpr bool is_call_result_v<CallResult<R>> = true;
template <class T>
inline constexpr bool is_reply_v = false;
template <class R>
inline constexpr bool is_reply_v<Reply<R>> = true;
template <class T>
inline constexpr bool is_stop_reply_v = false;
template <class R>
inline constexpr bool is_stop_reply_v<StopReply<R>> = true;

template <class T>
Outcome apply_call(T&& r, From& from) {
  using V = std::decay_t<T>;
  if constexpr (is_call_result_v<V>) {
    return std::visit([&](auto& alt) { return apply_call(std::move(alt), from); }, r.get());
  } else if constexpr (std::is_same_v<V, NoReply>) {
    return {};
  } else if constexpr (std::is_same_v<V, Stop>) {
    return {std::move(r.reason)};
  } else if constexpr (is_stop_reply_v<V>) {
    from.reply(std::move(r.value));
    return {std::move(r.reason)};
  } else if constexpr (is_reply_v<V>) {
    from.reply(std::move(r.value));
    return {};
  } else {
    from.reply(std::move(r));
    return {};
  }
}

template <class T>
Outcome apply_cast(T&& r) {
  return {std::move(r.stop_reason())};
}

template <class S, class Req>
Async<Outcome> call_async(S& s, Req req, From from) {
  auto r = co_await invoke_call(s, req, from);
  co_return apply_call(std::move(r), from);
}

template <class S, class Req>
Dispatch dispatch_call(void* server, Node* n) {
  auto& env = payload_of<CallEnvelope<Req>>(n);
  S& s = *static_cast<S*>(server);
  using Ret = std::decay_t<decltype(invoke_call(s, env.request, env.from))>;
  if constexpr (is_async_v<Ret>) {
    return {{}, call_async<S, Req>(s, std::move(env.request), std::move(env.from))};
  } else {
    return {apply_call(invoke_call(s, env.request, env.from), env.from), std::nullopt};
  }
}

template <class Ret>
Async<Outcome> cast_async(Ret pending) {
  if constexpr (std::is_void_v<decltype(pending.await_resume())>) {
    co_await std::move(pending);
    co_return Outcome{};
  } else {
    auto r = co_await std::move(pending);
    co_return apply_cast(std::move(r));
  }
}

// handle_cast / handle_info results: void, CastResult or Async of either.
template <class F>
Dispatch run_cast_like(F&& invoke) {
  using Ret = decltype(invoke());
  if constexpr (std::is_void_v<Ret>) {
    invoke();
    return {};
  } else if constexpr (is_async_v<Ret>) {
    return {{}, cast_async(invoke())};
  } else {
    CastResult r = invoke();
    return {apply_cast(std::move(r)), std::nullopt};
  }
}

template <class S, class Req>
Dispatch dispatch_cast(void* server, Node* n) {
  auto& env = payload_of<CastEnvelope<Req>>(n);
  S& s = *static_cast<S*>(server);
  return run_cast_like([&]() -> decltype(auto) { return s.handle_cast(env.request); });
}

template <class Req>
void reject_call(Node* n) {
  payload_of<CallEnvelope<Req>>(n).from.fail({CallError::Kind::bad_request, {}});
}
inline void reject_cast(Node*) {}

template <class S, class Req>
inline constexpr EnvelopeOps call_envelope_ops{type_id<S>(), &dispatch_call<S, Req>, &reject_call<Req>};
template <class S, class Req>
inline constexpr NodeOps call_node_ops{type_id<CallEnvelope<Req>>(), sizeof(NodeOf<CallEnvelope<Req>>),
                                       &destroy_payload<CallEnvelope<Req>>, &call_envelope_ops<S, Req>};
template <class S, class Req>
inline constexpr EnvelopeOps cast_envelope_ops{type_id<S>(), &dispatch_cast<S, Req>, &reject_cast};
template <class S, class Req>
inline constexpr NodeOps cast_node_ops{type_id<CastEnvelope<Req>>(), sizeof(NodeOf<CastEnvelope<Req>>),
                                       &destroy_payload<CastEnvelope<Req>>, &cast_envelope_ops<S, Req>};

// Suspends so that the runtime ends the process (exit already recorded),
// destroying the frame with its exit reason known: every From still held
// tells its caller why.
struct Park {
  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    w.handle = h;
    current()->waiter = &w;
  }
  void await_resume() {}
  Waiter w;
};

template <class S>
Async<std::optional<ExitReason>> run_init(S& s) {
  if constexpr (!requires { s.init(); }) {
    co_return std::nullopt;
  } else if constexpr (std::is_void_v<decltype(s.init())>) {
    s.init();
    co_return std::nullopt;
  } else if constexpr (is_async_v<decltype(s.init())>) {
    auto r = co_await s.init();
    co_return std::move(r.stop_reason());
  } else {
    InitResult r = s.init();
    co_return std::move(r.stop_reason());
  }
}

template <class S>
Async<void> run_terminate(S& s, ExitReason reason) {
  if constexpr (requires { s.terminate(reason); }) {
    if constexpr (is_async_v<decltype(s.terminate(reason))>) co_await s.terminate(reason);
    else s.terminate(reason);
  }
  co_return;
}

template <class S>
Dispatch dispatch_info(S& s, Message& m) {
  if constexpr (requires { s.handle_info(m); }) {
    return run_cast_like([&]() -> decltype(auto) { return s.handle_info(m); });
  } else {
    return {};  // OTP logs and drops an unexpected message
  }
}

// One message: the callback's outcome, or the reason to stop.
template <class S>
Async<std::optional<ExitReason>> handle_one(S& s, Message& m, Pid parent) {
  Node* n = m.node();
  Dispatch d;
  if (const auto* eo = static_cast<const EnvelopeOps*>(n->ops->extra)) {
    if (eo->server != type_id<S>()) {
      eo->reject(n);
      co_return std::nullopt;
    }
    d = eo->handle(&s, n);
  } else if (const ExitSignal* e = m.get<ExitSignal>(); e && e->from == parent && parent) {
    co_return e->reason;  // our parent ended and we trap exits: end too
  } else {
    d = dispatch_info(s, m);
  }
  if (d.later) d.now = co_await std::move(*d.later);
  co_return std::move(d.now.stop);
}

template <class S, class... A>
Process gen_server_body(From starter, Pid parent, A... args) {
  std::optional<ExitReason> stop;
  std::optional<S> server;
  try {
    server.emplace(std::move(args)...);
    stop = co_await run_init(*server);
  } catch (...) {
    stop = reason_from_exception(std::current_exception());
  }
  if (stop) {
    if (parent) unlink(parent);
    starter.fail({CallError::Kind::exited, *stop});
    record_exit(std::move(*stop));
    co_await Park{};
  }
  starter.reply();
  for (;;) {
    Message m = co_await receive();
    try {
      if (m.node()->ops->extra == nullptr && !m.is<ExitSignal>()) {
        // Plain info messages are the common case without an Async frame.
        Dispatch d = dispatch_info(*server, m);
        if (d.later) d.now = co_await std::move(*d.later);
        stop = std::move(d.now.stop);
      } else if (m.node()->ops->extra != nullptr &&
                 static_cast<const EnvelopeOps*>(m.node()->ops->extra)->server == type_id<S>()) {
        Dispatch d = static_cast<const EnvelopeOps*>(m.node()->ops->extra)->handle(&*server, m.node());
        if (d.later) d.now = co_await std::move(*d.later);
        stop = std::move(d.now.stop);
      } else {
        stop = co_await handle_one(*server, m, parent);
      }
    } catch (...) {
      stop = reason_from_exception(std::current_exception());
    }
    if (stop) {
      try {
        co_await run_terminate(*server, *stop);
      } catch (...) {  // terminate failing does not change why we stop
      }
      record_exit(std::move(*stop));
      co_await Park{};  // `m` (and any From it holds) dies with the reason known
    }
  }
}

template <class S, class... A>
Async<Result<Server<S>>> start_server(bool link, A... args) {
  Pid pid;
  auto launch = [&](From from) {
    if (link) pid = spawn_link(&gen_server_body<S, A...>, std::move(from), self(), std::move(args)...);
    else pid = spawn(&gen_server_body<S, A...>, std::move(from), Pid{}, std::move(args)...);
  };
  Result<void> r = co_await ReplyWait<void, decltype(launch)>(infinity, std::move(launch));
  if (!r) {
    if (link) grove::unlink(pid);
    co_return r.error();
  }
  co_return Server<S>{pid};
}

}  // namespace detail

// Starts a server linked to the caller and returns once its init returned.
template <class S, class... A>
Async<Result<Server<S>>> start_link(A&&... args) {
  return detail::start_server<S, std::decay_t<A>...>(true, std::forward<A>(args)...);
}
// The same, unlinked.
template <class S, class... A>
Async<Result<Server<S>>> start(A&&... args) {
  return detail::start_server<S, std::decay_t<A>...>(false, std::forward<A>(args)...);
}

// co_await call(server, request[, timeout]) -> Result<R>, R from the
// matching handle_call.
template <class S, class Req>
auto call(Server<S> server, Req request, std::chrono::nanoseconds timeout = kDefaultCallTimeout) {
  using R = detail::reply_type<S, Req>;
  auto launch = [pid = server.pid, req = std::move(request)](From from) mutable {
    detail::deliver(pid, detail::make_node_with<detail::CallEnvelope<Req>>(
                             &detail::call_node_ops<S, Req>, detail::NodeKind::message, std::move(req),
                             std::move(from)));
  };
  return detail::ReplyWait<R, decltype(launch)>(timeout, std::move(launch));
}
// By registered name (noproc when nobody has it).
template <class S, class Req>
auto call(std::string_view name, Req request, std::chrono::nanoseconds timeout = kDefaultCallTimeout) {
  return call(Server<S>{whereis(name).value_or(Pid{})}, std::move(request), timeout);
}

// Fire and forget; false when the server is not alive.
template <class S, class Req>
bool cast(Server<S> server, Req request) {
  return detail::deliver(server.pid, detail::make_node_with<detail::CastEnvelope<Req>>(
                                         &detail::cast_node_ops<S, Req>, detail::NodeKind::message,
                                         std::move(request)));
}
template <class S, class Req>
bool cast(std::string_view name, Req request) {
  return cast(Server<S>{whereis(name).value_or(Pid{})}, std::move(request));
}

}  // namespace grove
