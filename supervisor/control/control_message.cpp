#include "control/control_message.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <utility>

namespace grove::control {

namespace {

using nlohmann::json;

constexpr std::array<std::pair<Verb, std::string_view>, 11> kVerbs{{
    {Verb::status, "status"},
    {Verb::restart, "restart"},
    {Verb::stop, "stop"},
    {Verb::start, "start"},
    {Verb::reload, "reload"},
    {Verb::pid, "pid"},
    {Verb::signal, "signal"},
    {Verb::shutdown, "shutdown"},
    {Verb::logs, "logs"},
    {Verb::deadletters, "deadletters"},
    {Verb::cancel, "cancel"},
}};

json node_json(const StatusNode& n) {
  json j{{"name", n.name},         {"path", n.path},
         {"type", n.type},         {"state", n.state},
         {"pid", n.pid ? json(n.pid) : json(nullptr)},
         {"restarts", n.restarts}, {"uptime_s", n.uptime_s}};
  if (!n.note.empty()) j["note"] = n.note;
  if (n.last_exit) {
    j["last_exit"] = {{"code", n.last_exit->code ? json(*n.last_exit->code) : json(nullptr)},
                      {"signal", n.last_exit->signal ? json(*n.last_exit->signal) : json(nullptr)}};
  } else {
    j["last_exit"] = nullptr;
  }
  if (n.mailbox) {
    const MailboxStatus& m = *n.mailbox;
    j["mailbox"] = {{"depth", m.depth},
                    {"handled", m.handled},
                    {"handled_per_s", m.handled_per_s},
                    {"dead_letters", m.dead_letters},
                    {"processes", m.processes}};
  }
  json kids = json::array();
  for (const auto& c : n.children) kids.push_back(node_json(c));
  j["children"] = std::move(kids);
  return j;
}

MailboxStatus mailbox_from(const json& j) {
  MailboxStatus m;
  m.depth = j.value("depth", std::uint64_t{0});
  m.handled = j.value("handled", std::uint64_t{0});
  m.handled_per_s = j.value("handled_per_s", 0.0);
  m.dead_letters = j.value("dead_letters", std::uint64_t{0});
  m.processes = j.value("processes", std::uint64_t{0});
  return m;
}

StatusNode node_from(const json& j) {
  StatusNode n;
  n.name = j.value("name", "");
  n.path = j.value("path", "");
  n.type = j.value("type", "");
  n.state = j.value("state", "");
  n.note = j.value("note", "");
  if (j.contains("pid") && j["pid"].is_number_integer()) n.pid = j["pid"].get<int>();
  n.restarts = j.value("restarts", 0);
  n.uptime_s = j.value("uptime_s", 0.0);
  if (j.contains("last_exit") && j["last_exit"].is_object()) {
    LastExit e;
    const json& le = j["last_exit"];
    if (le.contains("code") && le["code"].is_number_integer()) e.code = le["code"].get<int>();
    if (le.contains("signal") && le["signal"].is_string()) e.signal = le["signal"].get<std::string>();
    n.last_exit = e;
  }
  if (j.contains("mailbox") && j["mailbox"].is_object()) n.mailbox = mailbox_from(j["mailbox"]);
  if (j.contains("children") && j["children"].is_array())
    for (const auto& c : j["children"]) n.children.push_back(node_from(c));
  return n;
}

}  // namespace

std::string_view verb_name(Verb v) {
  for (const auto& [verb, word] : kVerbs)
    if (verb == v) return word;
  return "?";
}

std::optional<Verb> parse_verb(std::string_view word) {
  for (const auto& [verb, w] : kVerbs)
    if (w == word) return verb;
  return std::nullopt;
}

std::vector<std::string_view> verb_names() {
  std::vector<std::string_view> v;
  for (const auto& [verb, word] : kVerbs)
    if (verb != Verb::cancel) v.push_back(word);
  return v;
}

std::string encode(const Request& r) {
  json j{{"id", r.id}, {"verb", verb_name(r.verb)}};
  if (!r.path.empty()) j["path"] = r.path;
  if (!r.signal.empty()) j["signal"] = r.signal;
  if (r.verb == Verb::logs) {
    j["lines"] = r.lines;
    j["follow"] = r.follow;
  }
  if (!r.config_text.empty()) j["config_text"] = r.config_text;
  if (!r.config_file.empty()) j["config_file"] = r.config_file;
  if (r.cancels) j["cancels"] = r.cancels;
  return j.dump();
}

std::string encode(const Reply& r) {
  json j{{"id", r.id}, {"ok", r.ok}};
  if (!r.ok) j["error"] = r.error;
  if (r.status) j["status"] = node_json(*r.status);
  if (r.pid) j["pid"] = *r.pid;
  if (!r.lines.empty()) j["lines"] = r.lines;
  if (!r.note.empty()) j["note"] = r.note;
  if (r.more) j["more"] = true;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<Request> decode_request(std::string_view line, std::string& error) {
  const json j = json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    error = "malformed request: not a JSON object";
    return std::nullopt;
  }
  try {
    Request r;
    r.id = j.value("id", std::uint64_t{0});
    const auto verb = parse_verb(j.value("verb", ""));
    if (!verb) {
      error = "unknown verb '" + j.value("verb", "") + "'";
      return std::nullopt;
    }
    r.verb = *verb;
    r.path = j.value("path", "");
    r.signal = j.value("signal", "");
    r.lines = j.value("lines", 20);
    r.follow = j.value("follow", false);
    r.config_text = j.value("config_text", "");
    r.config_file = j.value("config_file", "");
    r.cancels = j.value("cancels", std::uint64_t{0});
    return r;
  } catch (const json::exception& e) {
    error = std::string("malformed request: ") + e.what();
    return std::nullopt;
  }
}

std::optional<Reply> decode_reply(std::string_view line, std::string& error) {
  const json j = json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    error = "malformed reply: not a JSON object";
    return std::nullopt;
  }
  try {
    Reply r;
    r.id = j.value("id", std::uint64_t{0});
    r.ok = j.value("ok", false);
    r.error = j.value("error", "");
    if (j.contains("status") && j["status"].is_object()) r.status = node_from(j["status"]);
    if (j.contains("pid") && j["pid"].is_number_integer()) r.pid = j["pid"].get<int>();
    if (j.contains("lines") && j["lines"].is_array())
      r.lines = j["lines"].get<std::vector<std::string>>();
    r.note = j.value("note", "");
    r.more = j.value("more", false);
    return r;
  } catch (const json::exception& e) {
    error = std::string("malformed reply: ") + e.what();
    return std::nullopt;
  }
}

std::string status_json(const StatusNode& tree) {
  json kids = json::array();
  for (const auto& c : tree.children) kids.push_back(node_json(c));
  json j{{"name", tree.name}, {"children", std::move(kids)}};
  return j.dump();
}

std::string node_status_json(const StatusNode& node) { return node_json(node).dump(); }

}  // namespace grove::control
