// task.hpp — Task<T>: run a function in its own process, await its result
// (Elixir's Task.async / Task.await).
//
//   grove::Task<int> t = grove::async([] { return expensive(); });
//   ... do other work ...
//   grove::Result<int> r = co_await t.await(1s);   // or CallError timeout
//
// The function may return a value, void (Task<void>) or Async<T> (to call
// or wait inside). Like Elixir, async links the task to the caller: a task
// that crashes takes the caller down unless it traps exits (then await
// returns exited with the crash reason). Unlinked tasks come from a
// TaskSupervisor (task_supervisor.hpp).
//
// Contract: await only from the process that started the task, once. The
// result is queued like a message until awaited, so awaiting late is fine.
// A timeout leaves the task running (kill it with exit(t.pid(), kill())).
#pragma once

#include <chrono>
#include <type_traits>
#include <utility>

#include "grove/async.hpp"
#include "grove/call.hpp"
#include "grove/gen_server.hpp"
#include "grove/process.hpp"
#include "grove/receive.hpp"

namespace grove {

namespace detail {

template <class F>
struct task_result {
  using type = std::invoke_result_t<F&>;
};
template <class F>
  requires is_async_v<std::invoke_result_t<F&>>
struct task_result<F> {
  using type = decltype(std::declval<std::invoke_result_t<F&>>().await_resume());
};
template <class F>
using task_result_t = typename task_result<F>::type;

template <class F>
Process task_body(From to, F fn) {
  using Ret = std::invoke_result_t<F&>;
  std::optional<ExitReason> crash;
  try {
    if constexpr (is_async_v<Ret>) {
      if constexpr (std::is_void_v<task_result_t<F>>) {
        co_await fn();
        to.reply();
      } else {
        to.reply(co_await fn());
      }
    } else if constexpr (std::is_void_v<Ret>) {
      fn();
      to.reply();
    } else {
      to.reply(fn());
    }
  } catch (...) {
    crash = reason_from_exception(std::current_exception());
  }
  if (crash) {
    to.fail({CallError::Kind::exited, *crash});
    record_exit(std::move(*crash));
    co_await Park{};
  }
}

// Waits for the task's reply message (selective on its ref).
template <class T>
class [[nodiscard]] TaskAwait : TimedWait {
 public:
  TaskAwait(std::uint64_t ref, std::chrono::nanoseconds t) : TimedWait(t), ref_(ref) {}
  bool await_ready() {
    ProcessCore& c = *current();
    if (!prelude(c)) return false;
    return find(c) || timeout_ <= std::chrono::nanoseconds::zero();
  }
  void await_suspend(std::coroutine_handle<> h) {
    ProcessCore& c = *current();
    w_.context = this;
    arm(c);
    wait_on(c, h, &ready);
  }
  Result<T> await_resume() {
    disarm();
    ProcessCore& c = *current();
    if (!found_ && !find(c)) return CallError{CallError::Kind::timeout, {}};
    c.unlink_inbox(prev_, found_);
    return take_reply<T>(std::exchange(found_, nullptr));
  }

 private:
  using Payload = ReplyPayload<std::conditional_t<std::is_void_v<T>, Unit, T>>;
  static bool ready(Waiter& w, ProcessCore& c) {
    return static_cast<TaskAwait*>(const_cast<void*>(w.context))->find(c) || w.timed_out;
  }
  bool find(ProcessCore& c) {
    if (found_) return true;
    Node* prev = nullptr;
    for (Node* n = c.inbox_head; n; prev = n, n = static_cast<Node*>(n->next.load(std::memory_order_relaxed))) {
      const TypeId t = n->ops->type;
      if (n->aux == ref_ && (t == type_id<Payload>() || t == type_id<ReplyPayload<Unit>>())) {
        found_ = n;
        prev_ = prev;
        return true;
      }
    }
    return false;
  }
  std::uint64_t ref_;
  Node* found_ = nullptr;
  Node* prev_ = nullptr;
};

}  // namespace detail

template <class T>
class Task {
 public:
  Task() = default;
  Task(Pid pid, std::uint64_t ref) : pid_(pid), ref_(ref) {}
  auto await(std::chrono::nanoseconds timeout = kDefaultCallTimeout) const {
    return detail::TaskAwait<T>(ref_, timeout);
  }
  Pid pid() const { return pid_; }

 private:
  Pid pid_;
  std::uint64_t ref_ = 0;
};

// Starts fn() in a new process linked to the caller.
template <class F>
Task<detail::task_result_t<std::decay_t<F>>> async(F&& fn) {
  using T = detail::task_result_t<std::decay_t<F>>;
  const std::uint64_t ref = detail::new_ref();
  Pid pid = spawn_link(&detail::task_body<std::decay_t<F>>, From(self(), ref, true), std::forward<F>(fn));
  return Task<T>(pid, ref);
}

}  // namespace grove
