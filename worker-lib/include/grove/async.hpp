// async.hpp — Async<T>: a coroutine a process awaits inline (helpers and
// handlers that themselves call, receive or sleep).
//
//   grove::Async<int> fetch(grove::Server<Db> db) {
//     auto r = co_await grove::call(db, Get{"k"});
//     co_return r ? *r : 0;
//   }
//   int v = co_await fetch(db);            // inside a process
//
// A GenServer callback may return Async<...> instead of a value: the server
// then waits inside the callback without blocking its scheduler thread.
//
// Contract: lazily started, awaited exactly once, by the process that made
// it. An exception escaping it is rethrown at the co_await. Its frame comes
// from the block pool.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "grove/detail/block_pool.hpp"

namespace grove {

template <class T>
class Async;

namespace detail {

template <class Promise>
struct FinalTransfer {
  bool await_ready() noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> h) noexcept {
    if (auto c = h.promise().continuation) return c;
    return std::noop_coroutine();
  }
  void await_resume() noexcept {}
};

struct AsyncPromiseBase {
  std::coroutine_handle<> continuation;
  std::exception_ptr error;
  std::suspend_always initial_suspend() noexcept { return {}; }
  void unhandled_exception() noexcept { error = std::current_exception(); }
  static void* operator new(std::size_t n) { return pool_alloc(n); }
  static void operator delete(void* p, std::size_t n) noexcept { pool_free(p, n); }
};

template <class T>
struct AsyncPromise : AsyncPromiseBase {
  std::optional<T> value;
  Async<T> get_return_object();
  FinalTransfer<AsyncPromise> final_suspend() noexcept { return {}; }
  template <class U>
  void return_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
};

template <>
struct AsyncPromise<void> : AsyncPromiseBase {
  Async<void> get_return_object();
  FinalTransfer<AsyncPromise> final_suspend() noexcept { return {}; }
  void return_void() noexcept {}
};

}  // namespace detail

template <class T>
class [[nodiscard]] Async {
 public:
  using promise_type = detail::AsyncPromise<T>;

  Async(Async&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  Async& operator=(Async&& o) noexcept {
    if (this != &o) {
      if (h_) h_.destroy();
      h_ = std::exchange(o.h_, {});
    }
    return *this;
  }
  ~Async() {
    if (h_) h_.destroy();
  }

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept {
    h_.promise().continuation = caller;
    return h_;
  }
  T await_resume() {
    if (h_.promise().error) std::rethrow_exception(h_.promise().error);
    if constexpr (!std::is_void_v<T>) return std::move(*h_.promise().value);
  }

 private:
  friend promise_type;
  explicit Async(std::coroutine_handle<promise_type> h) : h_(h) {}
  std::coroutine_handle<promise_type> h_;
};

namespace detail {
template <class T>
Async<T> AsyncPromise<T>::get_return_object() {
  return Async<T>(std::coroutine_handle<AsyncPromise>::from_promise(*this));
}
inline Async<void> AsyncPromise<void>::get_return_object() {
  return Async<void>(std::coroutine_handle<AsyncPromise>::from_promise(*this));
}
}  // namespace detail

template <class T>
inline constexpr bool is_async_v = false;
template <class T>
inline constexpr bool is_async_v<Async<T>> = true;

}  // namespace grove
