#include "config/child_spec_reader.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "config/allowed_keys.hpp"
#include "config/duration.hpp"
#include "config/process_def_reader.hpp"
#include "config/readiness_parser.hpp"
#include "config/signal_name.hpp"

namespace grove::config {
namespace {

constexpr int kMaxRedeliveries = 65534;

constexpr std::array<std::string_view, 2> kShutdownWords{"brutal_kill", "infinity"};
constexpr std::array<std::string_view, 2> kReadyWords{"started", "notify"};
// Deeper trees are a mistake, and bounding the depth bounds the recursion.
constexpr int kMaxDepth = 32;
constexpr std::string_view kMakeSupervisor = "add type = \"supervisor\" to make it a nested supervisor";

// Siblings' names seen so far, for "duplicate child name" with the first's place.
using Siblings = std::map<std::string, SourcePos, std::less<>>;

bool contains(std::span<const std::string_view> words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

std::string table_context(int depth) {
  std::string path = "children";
  for (int i = 1; i < depth; ++i) path += ".children";
  return "[[" + path + "]]";
}

bool valid_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

void check_child_keys(const TableReader& r, ChildType type, bool type_known) {
  const bool worker = type == ChildType::worker;
  using Keys = std::span<const std::string_view>;
  const AllowedKeys& keys = allowed_keys();
  const Keys own = worker ? keys.worker : keys.supervisor_child;
  const Keys other = worker ? keys.supervisor_child : keys.worker;
  for (const toml::key* key : r.keys_in_file_order()) {
    const std::string k(key->str());
    if (contains(own, k)) continue;
    if (!contains(other, k)) {
      r.unknown_key(*key, own);
    } else if (!type_known) {
      continue;  // the bad type is already reported; do not guess which keys were meant
    } else if (worker) {
      r.report().error(key->source(),
                       k == "children" ? "a worker cannot have children"
                                       : "'" + k + "' applies only to type = \"supervisor\"",
                       std::string(kMakeSupervisor));
    } else if (k == "command") {
      r.report().error(key->source(), "a supervisor has no 'command'",
                       "its children do the work: remove 'command', or remove type = \"supervisor\"");
    } else {
      r.report().error(key->source(), "'" + k + "' applies only to workers, not to type = \"supervisor\"",
                       "set it on the supervisor's children");
    }
  }
}

std::string read_name(const TableReader& r, Siblings& siblings) {
  if (!r.has("name")) {
    r.report().error(r.where(), r.context() + " has no 'name'", "add name = \"...\"");
    return {};
  }
  const auto name = r.string("name");
  if (!name) return {};
  const SourcePos at = r.value_pos("name");
  if (name->empty() || *name == "." || *name == ".." || !std::all_of(name->begin(), name->end(), valid_name_char)) {
    r.report().error(at, "child name " + quote(*name) + " is not valid",
                     "names use only letters, digits, '_', '.' and '-' (they form paths like api/web)");
    return *name;
  }
  const auto [first, inserted] = siblings.emplace(*name, at);
  if (!inserted) {
    r.report().error(at, "duplicate child name '" + *name + "'",
                     "first defined at " + r.report().file() + ":" + std::to_string(first->second.line) + ":" +
                         std::to_string(first->second.column));
  }
  return *name;
}

std::optional<Shutdown> read_shutdown(const TableReader& r) {
  const toml::node* n = r.node("shutdown");
  if (n == nullptr) return std::nullopt;
  const auto* s = n->as_string();
  if (s != nullptr && s->get() == "brutal_kill") return Shutdown{Shutdown::Kind::brutal_kill, Duration{0}};
  if (s != nullptr && s->get() == "infinity") return Shutdown{Shutdown::Kind::infinity, Duration{0}};
  const bool number_like = s != nullptr && !s->get().empty() &&
                           (s->get().front() == '-' || (s->get().front() >= '0' && s->get().front() <= '9'));
  if (s != nullptr && !number_like) {  // a word: "-1s" is a (negative) duration
    r.reject_word("shutdown", s->get(), kShutdownWords);
    return std::nullopt;
  }
  if (const auto d = r.duration("shutdown")) return Shutdown{Shutdown::Kind::timeout, *d};
  return std::nullopt;
}

std::optional<Readiness> read_ready(const TableReader& r) {
  const auto text = r.string("ready");
  if (!text) return std::nullopt;
  ReadinessResult parsed = parse_readiness(*text);
  if (parsed.ok()) return parsed.value;
  std::string hint = parsed.hint;
  if (text->find(':') == std::string::npos) {
    if (auto better = suggest_word("ready", *text, kReadyWords))
      hint = "did you mean '" + std::string(*better) + "'? " + hint;
  }
  r.report().error(r.value_pos("ready"), "'ready': " + parsed.error, hint);
  return std::nullopt;
}

std::optional<int> read_stop_signal(const TableReader& r) {
  const toml::node* n = r.node("stop_signal");
  if (n == nullptr) return std::nullopt;
  std::optional<int> signo;
  std::string shown;
  if (const auto* s = n->as_string()) {
    signo = parse_signal(s->get());
    shown = quote(s->get());
  } else if (const auto* i = n->as_integer()) {
    signo = signal_from_number(i->get());
    shown = std::to_string(i->get());
  } else {
    r.wrong_type("stop_signal", "a signal name (\"TERM\") or number");
    return std::nullopt;
  }
  if (signo) return signo;
  std::string hint;
  if (const auto* s = n->as_string()) {
    std::string_view word = s->get();
    if (word.starts_with("SIG")) word.remove_prefix(3);
    if (auto better = closest_match(word, signal_words())) hint = "did you mean '" + std::string(*better) + "'? ";
  }
  r.report().error(n->source(), "'stop_signal': " + shown + " is not a signal",
                   hint + "use a name such as TERM, INT, HUP, QUIT, USR1, or a number from 1 to 64");
  return std::nullopt;
}

std::vector<int> read_exit_codes(const TableReader& r) {
  const toml::array* codes = r.array("success_exit_codes");
  if (codes == nullptr) return {};
  std::vector<int> out;
  for (const toml::node& n : *codes) {
    const auto* i = n.as_integer();
    if (i == nullptr || i->get() < 0 || i->get() > 255) {
      r.report().error(n.source(), "'success_exit_codes' holds exit codes, integers from 0 to 255");
      continue;
    }
    out.push_back(static_cast<int>(i->get()));
  }
  return out;
}

void read_common_policy(const TableReader& r, ChildPolicy& p) {
  if (auto v = r.word<RestartType>("restart")) p.restart = *v;
  if (auto v = read_shutdown(r)) p.shutdown = *v;
  if (auto v = r.boolean("significant")) p.significant = *v;
  if (auto v = r.boolean("autostart")) p.autostart = *v;
  if (auto v = r.duration("restart_delay")) p.restart_delay = *v;
  if (auto v = r.duration("backoff_reset")) p.backoff_reset = *v;
  if (auto v = r.duration("backoff_max")) {
    p.backoff_max = *v;
    if (*v != Duration{0} && *v < p.restart_delay) {
      r.report().error(r.value_pos("backoff_max"),
                       "'backoff_max' (" + format_duration(*v) + ") is shorter than 'restart_delay' (" +
                           format_duration(p.restart_delay) + ")",
                       "backoff_max caps the delay, which starts at restart_delay and doubles");
    }
  }
}

void read_worker_policy(const TableReader& r, ChildPolicy& p) {
  if (auto v = read_ready(r)) p.ready = *v;
  // "infinity": wait for readiness as long as it takes (stored as 0).
  const toml::node* st = r.node("start_timeout");
  if (st && st->as_string() && st->as_string()->get() == "infinity") p.start_timeout = Duration{0};
  else if (auto v = r.duration("start_timeout", Duration{1})) p.start_timeout = *v;
  if (auto v = read_stop_signal(r)) p.stop_signal = *v;
  p.success_exit_codes = read_exit_codes(r);
  if (auto v = r.duration("watchdog", Duration{1})) p.watchdog = *v;
  if (auto v = r.int_at_least("max_redeliveries", 0)) {
    // An inbox counts deliveries in 16 bits, saturating at 65535: a larger
    // limit would never set a poison message aside.
    if (*v > kMaxRedeliveries)
      r.report().error(r.value_pos("max_redeliveries"), "max_redeliveries must be at most " + std::to_string(kMaxRedeliveries),
                       "an inbox counts deliveries in 16 bits");
    else
      p.max_redeliveries = *v;
  }
}

void check_significant(const TableReader& r, const ChildSpec& c, const SupervisorPolicy& parent) {
  if (!c.policy.significant) return;
  const SourcePos at = r.value_pos("significant");
  if (c.policy.restart == RestartType::permanent) {
    r.report().error(at, "a permanent child cannot be significant",
                     "significant children must be transient or temporary (as in OTP)");
  } else if (parent.auto_shutdown == AutoShutdown::never) {
    r.report().error(at, "'significant' needs the parent's auto_shutdown",
                     "set auto_shutdown = \"any_significant\" or \"all_significant\" on the parent supervisor");
  }
}

ChildType read_type(const TableReader& r, bool& known) {
  known = true;
  if (!r.has("type")) return ChildType::worker;
  if (auto t = r.word<ChildType>("type")) return *t;
  known = false;
  return r.has("children") ? ChildType::supervisor : ChildType::worker;
}

void read_supervisor_child(const TableReader& r, ChildSpec& c, const LoadOptions& options, int depth) {
  read_supervisor_policy(r, c.supervisor);
  const toml::node* children = r.node("children");
  if (children != nullptr) c.children = read_children(*children, c.supervisor, options, r.report(), depth + 1);
  const bool empty_array = children != nullptr && children->is_array() && children->as_array()->empty();
  if (children == nullptr || empty_array) {
    r.report().error(r.where(), "supervisor '" + c.name + "' has no children",
                     "add " + table_context(depth + 1) + " tables under it");
  }
}

ChildSpec read_child(const toml::table& table, const SupervisorPolicy& parent, const LoadOptions& options,
                     Reporter& report, int depth, Siblings& siblings) {
  const TableReader r(table, table_context(depth), report);
  ChildSpec c;
  c.where = r.where();
  bool type_known = true;
  c.type = read_type(r, type_known);
  check_child_keys(r, c.type, type_known);
  c.name = read_name(r, siblings);
  c.policy.shutdown = default_shutdown(c.type);
  read_common_policy(r, c.policy);
  check_significant(r, c, parent);
  if (c.type == ChildType::supervisor) {
    read_supervisor_child(r, c, options, depth);
    return c;
  }
  read_worker_policy(r, c.policy);
  c.process = read_process_def(r, options);
  // worker-lib says READY=1 once its init has returned (proc_lib's init_ack).
  if (c.process.mailbox && !r.has("ready")) c.policy.ready = Readiness{Readiness::Kind::notify, -1, {}, 0};
  // Inboxes are 0600 segments of groved's user, and ipc refuses another's.
  for (const char* key : {"user", "group"})
    if (c.process.mailbox && r.has(key))
      r.report().error(r.value_pos(key), std::string("a mailbox worker runs as groved's user: '") + key + "' cannot be set",
                       "its inbox is a mode-0600 segment of groved's user; drop '" + std::string(key) +
                           "' or mailbox = true");
  if (!r.has("command")) {
    r.report().error(r.where(), "worker '" + c.name + "' has no 'command'",
                     "add command = [\"program\", \"arg\", ...], or type = \"supervisor\" with children");
  }
  return c;
}

}  // namespace

void read_supervisor_policy(const TableReader& r, SupervisorPolicy& out) {
  if (auto v = r.word<Strategy>("strategy")) out.strategy = *v;
  if (auto v = r.int_at_least("intensity", 0)) out.intensity = *v;
  if (auto v = r.duration("period", Duration{1})) out.period = *v;
  if (auto v = r.word<AutoShutdown>("auto_shutdown")) out.auto_shutdown = *v;
}

std::vector<ChildSpec> read_children(const toml::node& children, const SupervisorPolicy& parent,
                                     const LoadOptions& options, Reporter& report, int depth) {
  const auto* array = children.as_array();
  if (array == nullptr) {
    report.error(children.source(),
                 "'children' must be an array of tables, got " + std::string(type_phrase(children.type())),
                 "write each child as a " + table_context(depth) + " table");
    return {};
  }
  if (depth > kMaxDepth && !array->empty()) {
    report.error(children.source(), "children nested deeper than " + std::to_string(kMaxDepth) + " levels",
                 "flatten the tree: every level is a supervisor process");
    return {};
  }
  std::vector<ChildSpec> out;
  Siblings siblings;
  for (const toml::node& element : *array) {
    const auto* table = element.as_table();
    if (table == nullptr) {
      report.error(element.source(), "each entry of 'children' must be a table, got " +
                                         std::string(type_phrase(element.type())),
                   "write each child as a " + table_context(depth) + " table");
      continue;
    }
    out.push_back(read_child(*table, parent, options, report, depth, siblings));
  }
  return out;
}

}  // namespace grove::config
