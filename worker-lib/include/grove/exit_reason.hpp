// exit_reason.hpp — why a lightweight process ended, as data.
//
// Erlang's reasons: normal, shutdown, kill (the untrappable signal), killed
// (what a killed process exits with), noproc (the peer did not exist), plus
// crash (a C++ exception escaped: `detail` holds its what()) and error (a
// process chose to stop with a reason of its own).
//
//   co_return;                                    // ends with normal
//   grove::exit(grove::ExitReason::error("disk full"));
//   throw std::runtime_error("boom");             // ends with crash "boom"
//   describe(reason)                              // "crash: boom"
//
// Contract: plain value. exit_kind() maps a reason onto the policy engine's
// ExitKind: normal -> normal, shutdown -> shutdown, anything else abnormal.
#pragma once

#include <cstdint>
#include <exception>
#include <string>

#include "policy/exit_kind.hpp"

namespace grove {

struct ExitReason {
  enum class Kind : std::uint8_t { normal, shutdown, kill, killed, noproc, crash, error };
  Kind kind = Kind::normal;
  std::string detail;  // crash: the exception's message; error: the caller's text

  static ExitReason normal() { return {}; }
  static ExitReason shutdown() { return {Kind::shutdown, {}}; }
  static ExitReason kill() { return {Kind::kill, {}}; }
  static ExitReason killed() { return {Kind::killed, {}}; }
  static ExitReason noproc() { return {Kind::noproc, {}}; }
  static ExitReason crash(std::string what) { return {Kind::crash, std::move(what)}; }
  static ExitReason error(std::string what) { return {Kind::error, std::move(what)}; }

  bool is_normal() const { return kind == Kind::normal; }
  friend bool operator==(const ExitReason&, const ExitReason&) = default;
};

std::string describe(const ExitReason& reason);
ExitKind exit_kind(const ExitReason& reason);
// The reason a process ends with when `e` escapes its body or a handler.
ExitReason reason_from_exception(std::exception_ptr e);

// Thrown by grove::exit(reason) to end the calling process from any depth;
// the runtime catches it. Not derived from std::exception on purpose, so a
// handler's catch (const std::exception&) does not swallow it.
struct ExitRequest {
  ExitReason reason;
};

}  // namespace grove
