// readiness_parser.hpp — the text of `ready = ...` to a Readiness and back.
//
//   ReadinessResult r = parse_readiness("tcp://127.0.0.1:6390");
//   // r.value.kind == Readiness::Kind::tcp, host "127.0.0.1", port 6390
//   parse_readiness("fd:3");          // Kind::fd, fd 3
//   parse_readiness("fd:1").error;    // "fd 1 is stdout: use 3 or above ..."
//   describe_readiness(r.value);      // "tcp://127.0.0.1:6390"
//
// Contract:
// - Accepted: "started", "notify", "fd:N" with 3 <= N <= 65535 (0-2 are the
//   child's stdio), "tcp://HOST:PORT" with a non-empty HOST (IPv6 literals in
//   brackets, "tcp://[::1]:80") and PORT 1..65535, nothing after the port.
// - On error, `error` is the message and `hint` a suggestion (may be empty);
//   peers' words ("systemd", "exec") are the caller's job (peer_words.hpp).
// - describe_readiness(parse_readiness(x).value) == x for canonical x.
// - Pure functions.
#pragma once

#include <string>
#include <string_view>

#include "policy/child_spec.hpp"

namespace grove::config {

struct ReadinessResult {
  Readiness value;
  std::string error;  // empty on success
  std::string hint;
  bool ok() const { return error.empty(); }
};

ReadinessResult parse_readiness(std::string_view text);
std::string describe_readiness(const Readiness& r);

}  // namespace grove::config
