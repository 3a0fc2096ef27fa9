// control_message.hpp — the control protocol's messages, as plain data.
//
// grovectl talks to groved, and every supervisor process to its nested
// supervisors, with the same messages: one JSON object per line (NDJSON)
// over a UNIX stream socket. A request carries an id; every reply to it
// carries the same id; a reply with more = true is followed by others (logs
// -f), the last one has more = false.
//
//   Request r{.id = 7, .verb = Verb::restart, .path = "api/web"};
//   channel.send(encode(r));
//   ... std::string error; auto reply = decode_reply(line, error);
//
// Contract: decode_* never throw; a malformed line gives nullopt and says
// why. Only this component's .cpp sees the JSON library.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace grove::control {

enum class Verb : std::uint8_t {
  status, restart, stop, start, reload, pid, signal, shutdown, logs, deadletters, cancel
};

std::string_view verb_name(Verb v);
std::optional<Verb> parse_verb(std::string_view word);
// Every verb, for man pages, completion and tests.
std::vector<std::string_view> verb_names();

struct Request {
  std::uint64_t id = 0;
  Verb verb = Verb::status;
  std::string path;          // "api/web"; "" = the whole tree
  std::string signal;        // Verb::signal: "HUP", "SIGHUP", "1"
  int lines = 20;            // Verb::logs: how many past lines
  bool follow = false;       // Verb::logs: then stream new ones
  std::string config_text;   // Verb::reload between supervisors: the new file
  std::string config_file;   // ... and its name, for diagnostics
  std::uint64_t cancels = 0; // Verb::cancel: the id of a streaming request
};

struct LastExit {
  std::optional<int> code;
  std::optional<std::string> signal;  // "SIGKILL"
};

// A mailbox worker's inbox as root groved sees it (StatusNode::mailbox).
struct MailboxStatus {
  std::uint64_t depth = 0;         // messages queued, not yet released
  std::uint64_t handled = 0;       // handler returns, all incarnations
  double handled_per_s = 0;
  std::uint64_t dead_letters = 0;  // set aside (grovectl deadletters PATH)
  std::uint64_t processes = 0;     // the worker's lightweight processes
  friend bool operator==(const MailboxStatus&, const MailboxStatus&) = default;
};

// One node of `grovectl status`: the tree itself, a supervisor or a worker.
struct StatusNode {
  std::string name;
  std::string path;     // "" for the tree itself
  std::string type;     // "supervisor" | "worker"
  std::string state;    // starting | running | stopping | stopped | restarting | failed
  std::string note;     // e.g. "gave up (intensity)"
  int pid = 0;          // 0 = none
  int restarts = 0;
  double uptime_s = 0;
  std::optional<LastExit> last_exit;
  std::optional<MailboxStatus> mailbox;  // mailbox = true workers only
  std::vector<StatusNode> children;
};

struct Reply {
  std::uint64_t id = 0;
  bool ok = true;
  std::string error;                  // why, when !ok
  std::optional<StatusNode> status;   // Verb::status
  std::optional<int> pid;             // Verb::pid
  std::vector<std::string> lines;     // Verb::logs; Verb::reload: what changed;
                                      // Verb::deadletters: NDJSON lines
  std::string note;                   // said to the user besides the answer
  bool more = false;                  // further replies to this id follow

  static Reply failure(std::uint64_t id, std::string why) {
    Reply r;
    r.id = id;
    r.ok = false;
    r.error = std::move(why);
    return r;
  }
};

std::string encode(const Request& r);
std::string encode(const Reply& r);
std::optional<Request> decode_request(std::string_view line, std::string& error);
std::optional<Reply> decode_reply(std::string_view line, std::string& error);

// `grovectl status --json`: {"name":..., "children":[...]} as DESIGN.md says.
std::string status_json(const StatusNode& tree);
// `grovectl status PATH --json`: that node's object, children included.
std::string node_status_json(const StatusNode& node);

}  // namespace grove::control
