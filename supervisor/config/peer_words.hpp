// peer_words.hpp — what users of systemd, Docker, supervisord and runit write
// where grove.toml wants OTP's word, and the word to suggest instead.
//
// grove never accepts a peer's word (one spelling per value, see
// enum_names.hpp); it rejects it with a "did you mean" that names ours:
//
//   suggest_word("restart", "always", allowed);        // "permanent"
//   suggest_word("restart", "on-failure", allowed);    // "transient"
//   suggest_word("strategy", "one-for-one", allowed);  // "one_for_one"
//   suggest_word("restart", "permanant", allowed);     // "permanent" (typo)
//
// Contract:
// - `key` is the grove.toml key the word was written for ("restart",
//   "strategy", "shutdown", "ready", "type", "auto_shutdown", "stdout",
//   "stderr"); `allowed` is that key's words.
// - Order of preference: a known peer word for this key; the word with '-'
//   as '_' and lower case, if allowed; the closest allowed word by edit
//   distance (diagnostic.hpp); else nullopt.
// - Pure; the result points into static storage or into `allowed`.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace grove::config {

std::optional<std::string_view> suggest_word(std::string_view key, std::string_view word,
                                             std::span<const std::string_view> allowed);

// The same for a key: a peer's name for one of ours ("cmd", "directory",
// "environment", "autorestart", "stopwaitsecs", ...) when that key is
// allowed here, else the closest allowed key.
//   suggest_key("cmd", allowed);         // "command" (not "cwd", one letter away)
std::optional<std::string_view> suggest_key(std::string_view key, std::span<const std::string_view> allowed);

}  // namespace grove::config
