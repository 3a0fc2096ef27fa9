// result.hpp — Result<T, E>: a value or an error, the one result type of
// worker-lib.
//
// E is CallError (call.hpp) unless said otherwise: a call, a start or a
// Task's await fail with a CallError. Operations with errors of their own
// name them: register_name gives Result<void, NameError>, a supervisor's
// terminate_child Result<void, ChildError>.
//
//   grove::Result<Team> r = co_await grove::call(server, GetTeam{}, 1s);
//   if (!r) log(describe(r.error()));   // the CallError
//   else use(*r);
//   if (auto named = grove::register_name("db", pid); !named) ... named.error() ...
//
// Contract: plain value; value() on an error (or error() on a value) is a
// programming error (std::get throws std::bad_variant_access). [[nodiscard]]:
// an ignored error is a bug.
#pragma once

#include <optional>
#include <utility>
#include <variant>

namespace grove {

struct CallError;

template <class T, class E = CallError>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(E error) : v_(std::in_place_index<1>, std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const E& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  Result(E error) : error_(std::move(error)) {}
  bool ok() const { return !error_; }
  explicit operator bool() const { return ok(); }
  const E& error() const { return *error_; }

 private:
  std::optional<E> error_;
};

}  // namespace grove
