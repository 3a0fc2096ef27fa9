#include "config/peer_words.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "config/diagnostic.hpp"

namespace grove::config {
namespace {

struct PeerWord {
  std::string_view key;
  std::string_view peer;  // lower case, '-' as '_'
  std::string_view ours;
};

// Docker/compose (always, unless-stopped, on-failure, no), systemd (on-abnormal,
// simple, notify, exec), supervisord (autorestart true/false/unexpected),
// s6/runit (oneshot), Kubernetes (Always/OnFailure/Never).
constexpr std::array<PeerWord, 42> kPeerWords{{
    {"restart", "always", "permanent"},
    {"restart", "unless_stopped", "permanent"},
    {"restart", "true", "permanent"},
    {"restart", "yes", "permanent"},
    {"restart", "on_failure", "transient"},
    {"restart", "onfailure", "transient"},
    {"restart", "on_abnormal", "transient"},
    {"restart", "on_abort", "transient"},
    {"restart", "unexpected", "transient"},
    {"restart", "no", "temporary"},
    {"restart", "never", "temporary"},
    {"restart", "false", "temporary"},
    {"restart", "oneshot", "temporary"},
    {"restart", "one_shot", "temporary"},
    {"strategy", "simple_one_for_one", "one_for_one"},
    {"strategy", "all_for_one", "one_for_all"},
    {"strategy", "one_for_rest", "rest_for_one"},
    {"shutdown", "kill", "brutal_kill"},
    {"shutdown", "sigkill", "brutal_kill"},
    {"shutdown", "immediate", "brutal_kill"},
    {"shutdown", "now", "brutal_kill"},
    {"shutdown", "infinite", "infinity"},
    {"shutdown", "never", "infinity"},
    {"shutdown", "forever", "infinity"},
    {"ready", "systemd", "notify"},
    {"ready", "sd_notify", "notify"},
    {"ready", "simple", "started"},
    {"ready", "exec", "started"},
    {"ready", "none", "started"},
    {"type", "service", "worker"},
    {"type", "program", "worker"},
    {"type", "process", "worker"},
    {"type", "sup", "supervisor"},
    {"type", "group", "supervisor"},
    {"auto_shutdown", "any", "any_significant"},
    {"auto_shutdown", "all", "all_significant"},
    {"auto_shutdown", "false", "never"},
    {"auto_shutdown", "none", "never"},
    {"output", "discard", "null"},
    {"output", "none", "null"},
    {"output", "journal", "log"},
    {"output", "syslog", "log"},
}};

struct PeerKey {
  std::string_view peer;  // lower case, '-' as '_'
  std::string_view ours;
};

// Docker (cmd, entrypoint, working_dir), supervisord (directory, environment,
// autorestart, stopsignal, stopwaitsecs, startsecs, stdout_logfile), systemd
// (execstart, workingdirectory, environmentfile, timeoutstopsec, ...).
constexpr std::array<PeerKey, 23> kPeerKeys{{
    {"cmd", "command"},
    {"exec", "command"},
    {"execstart", "command"},
    {"entrypoint", "command"},
    {"args", "command"},
    {"argv", "command"},
    {"directory", "cwd"},
    {"workdir", "cwd"},
    {"working_dir", "cwd"},
    {"workingdirectory", "cwd"},
    {"working_directory", "cwd"},
    {"environment", "env"},
    {"environmentfile", "env_file"},
    {"autorestart", "restart"},
    {"restart_policy", "restart"},
    {"stopsignal", "stop_signal"},
    {"killsignal", "stop_signal"},
    {"stopwaitsecs", "shutdown"},
    {"timeoutstopsec", "shutdown"},
    {"startsecs", "start_timeout"},
    {"timeoutstartsec", "start_timeout"},
    {"stdout_logfile", "stdout"},
    {"stderr_logfile", "stderr"},
}};

std::string normalise(std::string_view word) {
  std::string out(word);
  for (char& c : out) {
    if (c == '-') c = '_';
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::optional<std::string_view> suggest_word(std::string_view key, std::string_view word,
                                             std::span<const std::string_view> allowed) {
  const std::string plain = normalise(word);
  const std::string_view table_key = (key == "stdout" || key == "stderr") ? "output" : key;
  for (const PeerWord& p : kPeerWords)
    if (p.key == table_key && p.peer == plain) return p.ours;
  const auto same = std::find(allowed.begin(), allowed.end(), plain);
  if (same != allowed.end()) return *same;
  return closest_match(word, allowed);
}

std::optional<std::string_view> suggest_key(std::string_view key, std::span<const std::string_view> allowed) {
  const std::string plain = normalise(key);
  for (const PeerKey& p : kPeerKeys)
    if (p.peer == plain && std::find(allowed.begin(), allowed.end(), p.ours) != allowed.end()) return p.ours;
  return closest_match(key, allowed);
}

}  // namespace grove::config
