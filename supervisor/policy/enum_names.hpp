// enum_names.hpp — the one spelling of every closed set in grove.
//
// The TOML parser, JSON status, log lines, man pages and tests all use these
// tables, so a word means the same thing everywhere (OTP's words verbatim).
//
//   std::string_view w = name_of(Strategy::rest_for_one);   // "rest_for_one"
//   std::optional<Strategy> s = parse_enum<Strategy>("one_for_all");
//   for (auto [value, word] : names<RestartType>()) ...
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "policy/child_spec.hpp"

namespace grove {

template <class E>
struct EnumNames;  // specialised below: static constexpr std::array table

template <>
struct EnumNames<Strategy> {
  static constexpr std::array<std::pair<Strategy, std::string_view>, 3> table{{
      {Strategy::one_for_one, "one_for_one"},
      {Strategy::one_for_all, "one_for_all"},
      {Strategy::rest_for_one, "rest_for_one"},
  }};
};

template <>
struct EnumNames<RestartType> {
  static constexpr std::array<std::pair<RestartType, std::string_view>, 3> table{{
      {RestartType::permanent, "permanent"},
      {RestartType::transient, "transient"},
      {RestartType::temporary, "temporary"},
  }};
};

template <>
struct EnumNames<ChildType> {
  static constexpr std::array<std::pair<ChildType, std::string_view>, 2> table{{
      {ChildType::worker, "worker"},
      {ChildType::supervisor, "supervisor"},
  }};
};

template <>
struct EnumNames<AutoShutdown> {
  static constexpr std::array<std::pair<AutoShutdown, std::string_view>, 3> table{{
      {AutoShutdown::never, "never"},
      {AutoShutdown::any_significant, "any_significant"},
      {AutoShutdown::all_significant, "all_significant"},
  }};
};

template <class E>
constexpr auto names() {
  return std::span{EnumNames<E>::table};
}

template <class E>
constexpr std::string_view name_of(E value) {
  for (const auto& [v, word] : EnumNames<E>::table)
    if (v == value) return word;
  return "?";
}

template <class E>
constexpr std::optional<E> parse_enum(std::string_view word) {
  for (const auto& [v, w] : EnumNames<E>::table)
    if (w == word) return v;
  return std::nullopt;
}

}  // namespace grove
