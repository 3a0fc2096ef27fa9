// receive.hpp — waiting for messages: Erlang's receive, with and without a
// timeout, and selective receive by message type.
//
//   grove::Message m = co_await grove::receive();              // next message
//   std::optional<grove::Message> m = co_await grove::receive(100ms);
//
//   // Selective: takes the first message whose type one of the handlers
//   // accepts (in arrival order); others stay queued for later receives.
//   co_await grove::receive(
//       [&](Add& a) { state[a.name] = find(a.name); },
//       [&](Remove& r) { state.erase(r.name); });
//   bool got = co_await grove::receive(grove::after(5s), [&](Pong&) {});
//
//   co_await grove::sleep_for(10ms);
//   co_await grove::yield();                                   // let others run
//
// Contract: only inside a process. While a process waits, only its frame
// stays: the thread runs other processes. A handler taking grove::Message&
// accepts anything. Exceptions from handlers propagate into the body (and
// crash the process unless caught). A timeout of zero polls.
#pragma once

#include <chrono>
#include <coroutine>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "grove/detail/runtime.hpp"
#include "grove/message.hpp"

namespace grove {

inline constexpr std::chrono::nanoseconds infinity = std::chrono::nanoseconds::max();

namespace detail {

void end_turn();  // the process yields at its next wait

// Takes in queued signals; false when the process must stop now.
inline bool prelude(ProcessCore& c) {
  if (c.signals.has_any()) intake(c);
  return !(c.extra && c.extra->exit_pending);
}

inline bool inbox_ready(Waiter&, ProcessCore& c) { return c.inbox_head != nullptr; }
inline bool inbox_or_timeout(Waiter& w, ProcessCore& c) { return c.inbox_head || w.timed_out; }
inline bool only_timeout(Waiter& w, ProcessCore&) { return w.timed_out; }

// A wait with an optional deadline; owns its timer.
class TimedWait {
 public:
  explicit TimedWait(std::chrono::nanoseconds t) : timeout_(t) {}
  TimedWait(const TimedWait&) = delete;
  TimedWait& operator=(const TimedWait&) = delete;
  ~TimedWait() {
    disarm();
    if (w_.reply) destroy_node(w_.reply);  // destroyed while a reply sat unread
  }

 protected:
  void arm(ProcessCore& c) {
    if (timeout_ == infinity) return;
    if (w_.ref == 0) w_.ref = new_ref();
    w_.timed_out = false;
    Node* n = make_signal(NodeKind::timeout, w_.ref);
    timer_ = arm_timer(now() + timeout_, c.pid(), n);
  }
  void disarm() {
    if (timer_) detail::disarm_timer(std::exchange(timer_, TimerId{}));
  }
  void wait_on(ProcessCore& c, std::coroutine_handle<> h, bool (*ready)(Waiter&, ProcessCore&)) {
    w_.handle = h;
    w_.ready = ready;
    c.waiter = &w_;
  }

  Waiter w_;
  std::chrono::nanoseconds timeout_;
  TimerId timer_;
  bool yielding_ = false;
};

template <class F>
struct arg_of : arg_of<decltype(&std::decay_t<F>::operator())> {};
template <class C, class R, class A>
struct arg_of<R (C::*)(A) const> {
  using type = std::decay_t<A>;
};
template <class C, class R, class A>
struct arg_of<R (C::*)(A)> {
  using type = std::decay_t<A>;
};
template <class F>
using arg_t = typename arg_of<F>::type;

template <class H>
concept Handler = requires { &std::decay_t<H>::operator(); };

}  // namespace detail

class [[nodiscard]] ReceiveAny {
 public:
  bool await_ready() {
    detail::ProcessCore& c = *detail::current();
    if (!detail::prelude(c) || !c.inbox_head) return false;
    if (detail::take_budget()) return true;
    yielding_ = true;
    return false;
  }
  void await_suspend(std::coroutine_handle<> h) {
    w_.handle = h;
    w_.ready = yielding_ ? nullptr : &detail::inbox_ready;
    detail::current()->waiter = &w_;
  }
  Message await_resume() { return Message(detail::current()->pop_inbox()); }

 private:
  detail::Waiter w_;
  bool yielding_ = false;
};

class [[nodiscard]] ReceiveFor : detail::TimedWait {
 public:
  explicit ReceiveFor(std::chrono::nanoseconds t) : TimedWait(t) {}
  bool await_ready() {
    detail::ProcessCore& c = *detail::current();
    if (!detail::prelude(c)) return false;
    if (c.inbox_head) {
      if (detail::take_budget()) return true;
      yielding_ = true;
      return false;
    }
    return timeout_ <= std::chrono::nanoseconds::zero();
  }
  void await_suspend(std::coroutine_handle<> h) {
    detail::ProcessCore& c = *detail::current();
    if (!yielding_) arm(c);
    wait_on(c, h, yielding_ ? nullptr : &detail::inbox_or_timeout);
  }
  std::optional<Message> await_resume() {
    disarm();
    detail::ProcessCore& c = *detail::current();
    if (c.inbox_head) return Message(c.pop_inbox());
    return std::nullopt;
  }
};

class [[nodiscard]] SleepFor : detail::TimedWait {
 public:
  explicit SleepFor(std::chrono::nanoseconds t) : TimedWait(t) {}
  bool await_ready() { return timeout_ <= std::chrono::nanoseconds::zero(); }
  void await_suspend(std::coroutine_handle<> h) {
    detail::ProcessCore& c = *detail::current();
    arm(c);
    wait_on(c, h, &detail::only_timeout);
  }
  void await_resume() { disarm(); }
};

class [[nodiscard]] Yield {
 public:
  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    detail::end_turn();
    w_.handle = h;
    detail::current()->waiter = &w_;
  }
  void await_resume() {}

 private:
  detail::Waiter w_;
};

struct After {
  std::chrono::nanoseconds timeout;
};
inline After after(std::chrono::nanoseconds t) { return After{t}; }

// Selective receive: see the header comment.
template <class... H>
class [[nodiscard]] ReceiveMatch : detail::TimedWait {
 public:
  ReceiveMatch(std::chrono::nanoseconds t, H... h) : TimedWait(t), handlers_(std::move(h)...) {}

  bool await_ready() {
    detail::ProcessCore& c = *detail::current();
    if (!detail::prelude(c)) return false;
    if (scan(c)) {
      if (detail::take_budget()) return true;
      yielding_ = true;
      return false;
    }
    return timeout_ <= std::chrono::nanoseconds::zero();
  }
  void await_suspend(std::coroutine_handle<> h) {
    detail::ProcessCore& c = *detail::current();
    w_.context = this;
    if (!yielding_) arm(c);
    wait_on(c, h, yielding_ ? nullptr : &ready);
  }
  // True when a handler ran, false on timeout.
  bool await_resume() {
    disarm();
    detail::ProcessCore& c = *detail::current();
    if (!found_ && !scan(c)) return false;
    c.unlink_inbox(found_prev_, found_);
    Message m(std::exchange(found_, nullptr));
    dispatch(m, std::index_sequence_for<H...>{});
    return true;
  }

 private:
  static bool ready(detail::Waiter& w, detail::ProcessCore& c) {
    auto* self = static_cast<ReceiveMatch*>(const_cast<void*>(w.context));
    return self->scan(c) || w.timed_out;
  }
  template <class F>
  static bool accepts(const detail::Node* n) {
    using A = detail::arg_t<F>;
    return std::is_same_v<A, Message> || n->ops->type == detail::type_id<A>();
  }
  // Looks at messages not seen before (the inbox only grows while we wait).
  bool scan(detail::ProcessCore& c) {
    if (found_) return true;
    detail::Node* prev = scanned_;
    detail::Node* n = prev ? next(prev) : c.inbox_head;
    for (; n; prev = n, n = next(n)) {
      if ((accepts<H>(n) || ...)) {
        found_ = n;
        found_prev_ = prev;
        return true;
      }
      scanned_ = n;
    }
    return false;
  }
  static detail::Node* next(detail::Node* n) {
    return static_cast<detail::Node*>(n->next.load(std::memory_order_relaxed));
  }
  template <std::size_t... I>
  void dispatch(Message& m, std::index_sequence<I...>) {
    (void)((accepts<H>(m.node()) && (invoke(std::get<I>(handlers_), m), true)) || ...);
  }
  template <class F>
  static void invoke(F& f, Message& m) {
    using A = detail::arg_t<F>;
    if constexpr (std::is_same_v<A, Message>) f(m);
    else f(*m.get<A>());
  }

  std::tuple<H...> handlers_;
  detail::Node* found_ = nullptr;
  detail::Node* found_prev_ = nullptr;
  detail::Node* scanned_ = nullptr;  // last message known not to match
};

inline ReceiveAny receive() { return {}; }
inline ReceiveFor receive(std::chrono::nanoseconds timeout) { return ReceiveFor(timeout); }
template <detail::Handler... H>
  requires(sizeof...(H) > 0)
ReceiveMatch<std::decay_t<H>...> receive(H&&... handlers) {
  return ReceiveMatch<std::decay_t<H>...>(infinity, std::forward<H>(handlers)...);
}
template <detail::Handler... H>
  requires(sizeof...(H) > 0)
ReceiveMatch<std::decay_t<H>...> receive(After a, H&&... handlers) {
  return ReceiveMatch<std::decay_t<H>...>(a.timeout, std::forward<H>(handlers)...);
}
inline SleepFor sleep_for(std::chrono::nanoseconds t) { return SleepFor(t); }
inline Yield yield() { return {}; }

}  // namespace grove
