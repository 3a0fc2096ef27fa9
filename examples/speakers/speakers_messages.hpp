// speakers_messages.hpp — the seed's Speakers requests as they travel
// between two workers of a tree: each type names itself and says how its
// bytes look (grove::Wire), since they hold strings and a map.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "grove/wire.hpp"
#include "speaker_repo.hpp"

struct Add { std::string name; };
struct Remove { std::string name; };
struct Team {};

namespace speakers_wire {
inline std::string text_of(std::span<const std::byte> in) {
  return std::string(reinterpret_cast<const char*>(in.data()), in.size());
}
}  // namespace speakers_wire

template <>
struct grove::Wire<Add> {
  static constexpr std::string_view name = "speakers.add";
  static void encode(const Add& a, std::string& out) { out += a.name; }
  static std::optional<Add> decode(std::span<const std::byte> in) { return Add{speakers_wire::text_of(in)}; }
};
template <>
struct grove::Wire<Remove> {
  static constexpr std::string_view name = "speakers.remove";
  static void encode(const Remove& r, std::string& out) { out += r.name; }
  static std::optional<Remove> decode(std::span<const std::byte> in) { return Remove{speakers_wire::text_of(in)}; }
};
template <>
struct grove::Wire<Team> : grove::TrivialWire<Team> {
  static constexpr std::string_view name = "speakers.team";
};
// The reply to Team: "name\ttalk\n" per speaker.
template <>
struct grove::Wire<Speakers> {
  static constexpr std::string_view name = "speakers.speakers";
  static void encode(const Speakers& team, std::string& out) {
    for (const auto& [n, s] : team) out += n + '\t' + s.talk + '\n';
  }
  static std::optional<Speakers> decode(std::span<const std::byte> in) {
    Speakers team;
    const std::string text = speakers_wire::text_of(in);
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t tab = text.find('\t', at), end = text.find('\n', at);
      if (tab == std::string::npos || end == std::string::npos || tab > end) return std::nullopt;
      const std::string n = text.substr(at, tab - at);
      team[n] = Speaker{n, text.substr(tab + 1, end - tab - 1)};
      at = end + 1;
    }
    return team;
  }
};
