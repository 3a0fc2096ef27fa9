// result.hpp — value-or-error for the launch kit (C++20 has no std::expected).
//
// Every fallible call in supervisor/launch returns Result<T, E>, where E is
// the component's own error struct (SpawnError, EnvFileError, ...) carrying a
// small `enum class Code`, the errno and a context string, with describe().
//
//   Result<Credentials, CredentialsError> r = resolve_credentials("nobody", "");
//   if (!r) { log(r.error().describe()); return; }
//   use(r.value());
//
// Contract: value() on an error (or error() on a value) is a bug and aborts
// through std::get; nothing here throws on the ordinary paths. Result<void, E>
// is spelt Result<Ok, E>.
#pragma once

#include <utility>
#include <variant>

namespace grove::launch {

struct Ok {};  // the value of a Result that only reports success

template <class T, class E>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(E error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const E& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

}  // namespace grove::launch
