// kv_messages.hpp — what the kv store and its clients say to each other,
// with the wire names both programs agree on (grove/wire.hpp).
//
// A client writes a numbered stream: Put{client, seq, value}. The store
// applies seq == next(client), skips seq < next (a redelivery, or a resend
// after the client restarted) and counts a gap for seq > next (a lost
// write: never expected). So the effect is exactly once, whatever crashes.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#include "grove/wire.hpp"

struct ClientName {
  char text[32] = {};
  ClientName() = default;
  explicit ClientName(std::string_view s) { std::memcpy(text, s.data(), s.size() < 31 ? s.size() : 31); }
  std::string_view view() const { return {text, strnlen(text, sizeof text)}; }
};

struct Put {
  ClientName client;
  std::uint64_t seq = 0;
  std::uint64_t value = 0;
};
struct Progress {  // call: where does `client`'s stream stand?
  ClientName client;
};
struct ClientState {
  std::uint64_t next = 0;        // writes applied: seqs [0, next)
  std::uint64_t sum = 0;         // of their values
  std::uint64_t duplicates = 0;  // redelivered or resent, skipped
  std::uint64_t gaps = 0;        // a write that came before its predecessor: loss
};

inline std::uint64_t value_of(std::uint64_t seq) { return seq * 7 + 1; }

template <>
struct grove::Wire<Put> : grove::TrivialWire<Put> {
  static constexpr std::string_view name = "kv.put";
};
template <>
struct grove::Wire<Progress> : grove::TrivialWire<Progress> {
  static constexpr std::string_view name = "kv.progress";
};
template <>
struct grove::Wire<ClientState> : grove::TrivialWire<ClientState> {
  static constexpr std::string_view name = "kv.client_state";
};
