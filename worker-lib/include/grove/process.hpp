// process.hpp — lightweight processes: the Process coroutine type, spawn,
// self, send, timers and registered names.
//
// A process body is a C++20 coroutine returning grove::Process. It runs on a
// scheduler thread until it co_awaits something that is not there yet (a
// message, a reply, a timeout); then only its frame stays, and the thread
// runs other processes. Ending the body ends the process with reason normal;
// an escaping exception ends it with reason crash (its what()).
//
//   grove::Process greeter(std::string name) {       // parameters by value
//     for (;;) {
//       grove::Message m = co_await grove::receive();
//       if (auto* who = m.get<Pid>()) grove::send(*who, "hello from " + name);
//     }
//   }
//   grove::Pid pid = grove::spawn(greeter, std::string("otp"));
//   grove::spawn([] { std::puts("Hello OTP"); });    // a plain function
//
// Contract: the functions here run inside a process (on a scheduler thread);
// from other threads use the Scheduler's members. Called outside a process,
// every one of them except self() stops the program with "grove: fatal:
// ... called outside a process" (detail::misuse): there is no scheduler to
// ask, and a quiet false would be a lie. Bodies take parameters by value (a
// coroutine keeps references, not copies). A lambda with captures is kept
// alive by the runtime for the process's life. send() to a process that is
// gone returns false and drops the message, like Erlang's `!`.
#pragma once

#include <chrono>
#include <concepts>
#include <cstdint>
#include <coroutine>
#include <functional>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "grove/detail/block_pool.hpp"
#include "grove/detail/runtime.hpp"
#include "grove/exit_reason.hpp"
#include "grove/links.hpp"
#include "grove/message.hpp"
#include "grove/pid.hpp"
#include "grove/result.hpp"

namespace grove {

namespace detail {
// Records why the current process ends (taken at its next turn boundary).
void record_exit(ExitReason reason);
}  // namespace detail

class [[nodiscard]] Process {
 public:
  struct promise_type {
    std::coroutine_handle<> continuation;  // set when awaited by a trampoline

    Process get_return_object() {
      return Process(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    auto final_suspend() noexcept {
      struct Final {
        bool await_ready() noexcept { return false; }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
          if (auto c = h.promise().continuation) return c;
          return std::noop_coroutine();
        }
        void await_resume() noexcept {}
      };
      return Final{};
    }
    void return_void() noexcept {}
    void unhandled_exception() noexcept {
      detail::record_exit(reason_from_exception(std::current_exception()));
    }
    static void* operator new(std::size_t n) { return detail::pool_alloc(n); }
    static void operator delete(void* p, std::size_t n) noexcept { detail::pool_free(p, n); }
  };

  Process(Process&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  Process& operator=(Process&&) = delete;
  ~Process() {
    if (h_) h_.destroy();
  }
  std::coroutine_handle<promise_type> release() { return std::exchange(h_, {}); }

  // Awaiting a Process runs it inline as part of the awaiting coroutine
  // (used to keep a capturing lambda alive around its coroutine).
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept {
    h_.promise().continuation = caller;
    return h_;
  }
  void await_resume() const noexcept {}

 private:
  explicit Process(std::coroutine_handle<promise_type> h) : h_(h) {}
  std::coroutine_handle<promise_type> h_;
};

namespace detail {

template <class F>
Process closure_body(F f) {
  co_await std::invoke(f);
}

template <class F>
Process plain_body(F f) {
  std::invoke(f);
  co_return;
}

// Turns (f, args...) into the suspended outermost frame of a process.
template <class F, class... A>
std::coroutine_handle<> make_body(F&& f, A&&... args) {
  using R = std::invoke_result_t<F&, std::decay_t<A>...>;
  using Fn = std::decay_t<F>;
  if constexpr (std::is_same_v<R, Process>) {
    if constexpr (std::is_pointer_v<Fn> || std::is_empty_v<Fn>) {
      return std::invoke(f, std::forward<A>(args)...).release();
    } else {
      return closure_body([fn = Fn(std::forward<F>(f)), ... a = std::decay_t<A>(std::forward<A>(args))]() mutable {
               return std::invoke(fn, std::move(a)...);
             }).release();
    }
  } else {
    return plain_body([fn = Fn(std::forward<F>(f)), ... a = std::decay_t<A>(std::forward<A>(args))]() mutable {
             std::invoke(fn, std::move(a)...);
           }).release();
  }
}

}  // namespace detail

// Starts f(args...) as a new process of the caller's scheduler (outside a
// process: Scheduler::spawn).
template <class F, class... A>
Pid spawn(F&& f, A&&... args) {
  return detail::spawn_body(detail::make_body(std::forward<F>(f), std::forward<A>(args)...), false, nullptr);
}
// Spawns and links atomically (no window where the child ran unlinked).
template <class F, class... A>
Pid spawn_link(F&& f, A&&... args) {
  return detail::spawn_body(detail::make_body(std::forward<F>(f), std::forward<A>(args)...), true, nullptr);
}
template <class F, class... A>
std::pair<Pid, MonitorRef> spawn_monitor(F&& f, A&&... args) {
  MonitorRef ref;
  Pid pid = detail::spawn_body(detail::make_body(std::forward<F>(f), std::forward<A>(args)...), false, &ref);
  return {pid, ref};
}

// The calling process; an empty Pid outside any process (never fatal).
Pid self();
// Whether that incarnation of a process of the caller's scheduler runs.
bool alive(Pid pid);
// Ends the calling process with `reason` from any depth of its code (throws
// ExitRequest; outside a process the exception reaches the caller).
[[noreturn]] void exit(ExitReason reason);

template <class T>
bool send(Pid to, T&& value) {
  if constexpr (std::is_same_v<std::decay_t<T>, Message>) {
    detail::Node* n = value.release();
    return n && detail::deliver(to, n);
  } else {
    return detail::deliver(to, Message::of(std::forward<T>(value)).release());
  }
}
template <class T>
bool send(std::string_view name, T&& value) {
  if constexpr (std::is_same_v<std::decay_t<T>, Message>) {
    detail::Node* n = value.release();
    return n && detail::deliver_named(name, n);
  } else {
    return detail::deliver_named(name, Message::of(std::forward<T>(value)).release());
  }
}

// Delivers `value` to `to` after `delay` (Erlang's send_after); the timer
// lives in the scheduler's heap, not in a thread.
template <class T>
TimerId send_after(Pid to, T&& value, std::chrono::nanoseconds delay) {
  detail::Node* n = Message::of(std::forward<T>(value)).release();
  return detail::arm_timer(detail::now() + delay, to, n);
}
// Cancels a send_after that has not fired yet (no effect otherwise).
void cancel_timer(TimerId id);

// Registered names (Erlang's register/2, unregister/1, whereis/1), per
// scheduler; a name is dropped when its process exits.
//
//   if (auto r = grove::register_name("db", db_pid); !r) log(describe(r.error()));
//
// register_name names any live process of the caller's scheduler (not only
// the caller). It refuses, like Erlang's badarg, with:
enum class NameError : std::uint8_t {
  bad_name,            // the empty name
  taken,               // another process holds the name
  already_registered,  // the process has a name already
  noproc,              // `pid` is not a live process of this scheduler
};
std::string_view describe(NameError error);  // "taken", ...

Result<void, NameError> register_name(std::string_view name, Pid pid);
// Drops `name`, whoever holds it; false when nobody does.
bool unregister_name(std::string_view name);
std::optional<Pid> whereis(std::string_view name);

}  // namespace grove
