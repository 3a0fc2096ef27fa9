// wire.hpp — how a C++ type travels between workers of a tree: a stable
// name (both programs must agree on it) and bytes.
//
//   struct Put { char key[32]; std::uint64_t value; };         // trivially copyable
//   template <> struct grove::Wire<Put> : grove::TrivialWire<Put> {
//     static constexpr std::string_view name = "kv.put";
//   };
//
//   struct Team { std::vector<std::string> names; };           // anything else:
//   template <> struct grove::Wire<Team> {
//     static constexpr std::string_view name = "speakers.team";
//     static void encode(const Team& t, std::string& out);               // append bytes
//     static std::optional<Team> decode(std::span<const std::byte> in);  // nullopt: malformed
//   };
//
// Built in: std::string ("string"), bool, std::int32_t, std::int64_t,
// std::uint64_t, double, and Unit (the reply of a call that returns void).
//
// Contract: the kind carried in each message is a 32-bit hash of the name
// (wire_kind<T>()), checked by the receiver before decoding. TrivialWire
// copies the bytes as they are: both ends must share the struct's layout
// (same compiler and flags; no pointers inside), and every byte pattern
// must be a valid T (no bool or enum members: write your own decode that
// checks them). decode() must validate what it reads: the bytes come from
// another process.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "grove/call.hpp"

namespace grove {

template <class T>
struct Wire;  // specialise: name, encode, decode

template <class T>
struct TrivialWire {
  static void encode(const T& value, std::string& out) {
    static_assert(std::is_trivially_copyable_v<T>, "TrivialWire copies bytes: T must be trivially copyable");
    out.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  static std::optional<T> decode(std::span<const std::byte> in) {
    if (in.size() != sizeof(T)) return std::nullopt;
    T value;
    std::memcpy(&value, in.data(), sizeof(T));
    return value;
  }
};

template <>
struct Wire<std::string> {
  static constexpr std::string_view name = "string";
  static void encode(const std::string& s, std::string& out) { out.append(s); }
  static std::optional<std::string> decode(std::span<const std::byte> in) {
    return std::string(reinterpret_cast<const char*>(in.data()), in.size());
  }
};
template <>
struct Wire<Unit> : TrivialWire<Unit> {
  static constexpr std::string_view name = "unit";
};
template <>
struct Wire<bool> : TrivialWire<bool> {
  static constexpr std::string_view name = "bool";
  static std::optional<bool> decode(std::span<const std::byte> in) {
    if (in.size() != 1 || std::to_integer<unsigned>(in[0]) > 1) return std::nullopt;
    return in[0] == std::byte{1};
  }
};
template <>
struct Wire<std::int32_t> : TrivialWire<std::int32_t> {
  static constexpr std::string_view name = "i32";
};
template <>
struct Wire<std::int64_t> : TrivialWire<std::int64_t> {
  static constexpr std::string_view name = "i64";
};
template <>
struct Wire<std::uint64_t> : TrivialWire<std::uint64_t> {
  static constexpr std::string_view name = "u64";
};
template <>
struct Wire<double> : TrivialWire<double> {
  static constexpr std::string_view name = "f64";
};

// FNV-1a of the name, folded to 32 bits: the MessageHeader::kind of T.
constexpr std::uint32_t wire_kind_of(std::string_view name) {
  std::uint64_t h = 0xCBF2'9CE4'8422'2325ULL;
  for (const char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100'0000'01B3ULL;
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}
template <class T>
constexpr std::uint32_t wire_kind() {
  return wire_kind_of(Wire<T>::name);
}

}  // namespace grove
