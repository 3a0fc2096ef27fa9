// call.hpp — request/reply between processes: CallError (Result<T>'s
// default error, result.hpp), From (who waits for a reply) and the wait.
//
// A call never hangs: it ends with the reply, or with an error value —
// timeout (no reply in time), noproc (nobody there), exited (the callee
// ended before replying; `reason` says why, e.g. crash "boom"), or
// bad_request (the callee does not take this request, or replied with
// another type).
//
//   grove::Result<Team> r = co_await grove::call(server, GetTeam{}, 1s);
//   if (!r) log(describe(r.error()));        // "timeout", "exited: crash: boom"
//   else use(*r);
//
//   // In a server that answers later:
//   grove::From saved = std::move(from);  ...  saved.reply(team);
//
// Contract: a From is move-only and answers at most once. One dropped
// unanswered while its process dies (or because the request never reached
// a live process) tells the caller exited/noproc; one dropped otherwise
// leaves the caller to its timeout, like OTP's noreply.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include "grove/detail/runtime.hpp"
#include "grove/exit_reason.hpp"
#include "grove/pid.hpp"
#include "grove/receive.hpp"
#include "grove/result.hpp"

namespace grove {

struct CallError {
  enum class Kind : std::uint8_t { timeout, noproc, exited, bad_request };
  Kind kind = Kind::timeout;
  ExitReason reason;  // exited: why the callee ended
  friend bool operator==(const CallError&, const CallError&) = default;
};
std::string describe(const CallError& error);

inline constexpr std::chrono::milliseconds kDefaultCallTimeout{5000};  // OTP's

// What travels back: a value of type T or an error.
struct Unit {};
template <class T>
struct ReplyPayload {
  std::optional<T> value;
  CallError error;
};

class From {
 public:
  From() = default;
  // as_message: the reply is queued as an ordinary message (Task results,
  // which may arrive before anyone waits); otherwise it goes straight to the
  // caller's pending call.
  From(Pid caller, std::uint64_t ref, bool as_message = false)
      : caller_(caller), ref_(ref), as_message_(as_message) {}
  // A caller in another worker of the tree (tree.hpp): the reply node goes
  // to `route` with `ref`, which encodes it into the caller's inbox (a null
  // node: dropped unanswered, forget the call).
  using RemoteRoute = void (*)(std::uint64_t ref, detail::Node* reply);
  From(RemoteRoute route, std::uint64_t ref) : caller_(kRemoteCaller), ref_(ref), route_(route) {}
  From(From&& o) noexcept
      : caller_(std::exchange(o.caller_, Pid{})), ref_(o.ref_), as_message_(o.as_message_), route_(o.route_) {}
  From& operator=(From&& o) noexcept {
    if (this != &o) {
      abandon();
      caller_ = std::exchange(o.caller_, Pid{});
      ref_ = o.ref_;
      as_message_ = o.as_message_;
      route_ = o.route_;
    }
    return *this;
  }
  ~From() { abandon(); }

  template <class T>
  void reply(T&& value) {
    send(ReplyPayload<std::decay_t<T>>{std::forward<T>(value), {}});
  }
  void reply() { send(ReplyPayload<Unit>{Unit{}, {}}); }
  void fail(CallError error) { send(ReplyPayload<Unit>{std::nullopt, std::move(error)}); }

  Pid caller() const { return caller_; }
  std::uint64_t ref() const { return ref_; }
  explicit operator bool() const { return static_cast<bool>(caller_); }

 private:
  template <class P>
  void send(P&& payload) {
    if (!caller_) return;
    auto kind = as_message_ ? detail::NodeKind::message : detail::NodeKind::reply;
    detail::Node* n = detail::make_node<std::decay_t<P>>(kind, std::forward<P>(payload));
    n->aux = ref_;
    const Pid to = std::exchange(caller_, Pid{});
    if (route_) route_(ref_, n);
    else detail::deliver(to, n);
  }
  void abandon() {
    if (!caller_) return;
    const ExitReason* dying = detail::dying_reason();
    if (!dying) {  // noreply: the caller's timeout decides
      if (route_) route_(ref_, nullptr);  // (a remote route forgets the call)
      caller_ = Pid{};
      return;
    }
    if (dying->kind == ExitReason::Kind::noproc) fail({CallError::Kind::noproc, {}});
    else fail({CallError::Kind::exited, *dying});
  }

  static constexpr Pid kRemoteCaller{0xFFFF'FFFFu, 1};  // names no local process

  Pid caller_;
  std::uint64_t ref_ = 0;
  bool as_message_ = false;
  RemoteRoute route_ = nullptr;
};

namespace detail {

inline bool reply_or_timeout(Waiter& w, ProcessCore&) { return w.reply != nullptr || w.timed_out; }

// Reads a reply node as Result<R> (consumes the node).
template <class R>
Result<R> take_reply(Node* n) {
  using Want = ReplyPayload<std::conditional_t<std::is_void_v<R>, Unit, R>>;
  struct Destroy {
    Node* n;
    ~Destroy() { destroy_node(n); }
  } guard{n};
  if (n->ops->type == type_id<Want>()) {
    auto& p = payload_of<Want>(n);
    if (!p.value) return p.error;
    if constexpr (std::is_void_v<R>) return {};
    else return std::move(*p.value);
  }
  if (n->ops->type == type_id<ReplyPayload<Unit>>()) {
    auto& p = payload_of<ReplyPayload<Unit>>(n);
    if (!p.value) return p.error;
  }
  return CallError{CallError::Kind::bad_request, {}};
}

// Waits for the reply to a request that `launch(From)` sends (or for the
// timeout). The waiter is in place before the request leaves, so a reply
// racing back from another thread is never missed.
template <class R, class Launch>
class [[nodiscard]] ReplyWait : TimedWait {
 public:
  ReplyWait(std::chrono::nanoseconds timeout, Launch launch)
      : TimedWait(timeout), launch_(std::move(launch)) {}

  bool await_ready() {
    ProcessCore& c = *current();
    w_.ref = new_ref();
    w_.timed_out = false;
    c.waiter = &w_;
    launch_(From(c.pid(), w_.ref));
    if (!prelude(c)) return false;
    return w_.reply != nullptr;
  }
  void await_suspend(std::coroutine_handle<> h) {
    ProcessCore& c = *current();
    arm(c);
    wait_on(c, h, &reply_or_timeout);
  }
  Result<R> await_resume() {
    disarm();
    current()->waiter = nullptr;
    if (Node* n = std::exchange(w_.reply, nullptr)) return take_reply<R>(n);
    return CallError{CallError::Kind::timeout, {}};
  }

 private:
  Launch launch_;
};

}  // namespace detail
}  // namespace grove
