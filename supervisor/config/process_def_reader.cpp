#include "config/process_def_reader.hpp"

#include <algorithm>
#include <array>

#include "config/allowed_keys.hpp"
#include "config/byte_size.hpp"

namespace grove::config {
namespace {

constexpr std::array<std::string_view, 3> kOutputWords{"inherit", "log", "null"};

std::string in_key(std::string_view key) { return "'" + std::string(key) + "'"; }

// The hint for `command = "redis-server --port 6390"`: the array it meant.
std::string command_hint(const toml::node& n) {
  const auto* s = n.as_string();
  if (s == nullptr) return "write command = [\"program\", \"arg\", ...]";
  const std::string& text = s->get();
  if (text.find_first_of("\"'$|&;<>*") != std::string::npos)
    return "write command = [\"sh\", \"-c\", " + quote(text) + "] to run it through a shell";
  std::string out = "write command = [";
  std::size_t start = 0;
  bool first = true;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find(' ', start), text.size());
    if (end > start) {
      out += (first ? "" : ", ") + quote(text.substr(start, end - start));
      first = false;
    }
    start = end + 1;
  }
  return out + "]";
}

std::vector<std::string> read_command(const TableReader& r) {
  const toml::node* n = r.node("command");
  if (n == nullptr) return {};
  const auto* array = n->as_array();
  if (array == nullptr) {
    r.report().error(n->source(),
                     "'command' must be an array of strings, got " + std::string(type_phrase(n->type())),
                     command_hint(*n));
    return {};
  }
  if (array->empty()) {
    r.report().error(n->source(), "'command' is empty", "write command = [\"program\", \"arg\", ...]");
    return {};
  }
  std::vector<std::string> argv;
  for (const toml::node& element : *array) {
    const auto* s = element.as_string();
    if (s == nullptr) {
      r.report().error(element.source(), "'command' must hold only strings, got " +
                                             std::string(type_phrase(element.type())),
                       "quote numbers: [\"--port\", \"6390\"]");
      return {};
    }
    argv.push_back(s->get());
  }
  if (argv.front().empty()) {
    r.report().error(array->get(0)->source(), "'command' has an empty program name");
    return {};
  }
  return argv;
}

std::vector<std::pair<std::string, std::string>> read_env(const TableReader& r) {
  const toml::table* env = r.table("env");
  if (env == nullptr) return {};
  std::vector<std::pair<std::string, std::string>> out;
  TableReader entries(*env, "env", r.report());
  for (const toml::key* key : entries.keys_in_file_order()) {
    const std::string name(key->str());
    const toml::node& value = *env->get(name);
    if (name.empty() || name.find('=') != std::string::npos) {
      r.report().error(key->source(), "environment variable name " + quote(name) + " is not valid",
                       "names are non-empty and contain no '='");
    } else if (const auto* s = value.as_string()) {
      out.emplace_back(name, s->get());
    } else {
      r.report().error(value.source(), "env '" + name + "' must be a string, got " +
                                           std::string(type_phrase(value.type())),
                       "quote it: " + name + " = \"...\"");
    }
  }
  return out;
}

std::optional<std::string> read_credential(const TableReader& r, std::string_view key,
                                           const LoadOptions& options) {
  auto name = r.nonempty_string(key);
  if (name && options.euid != 0) {
    r.report().error(r.key_pos(key), in_key(key) + " requires groved to run as root",
                     "groved runs as uid " + std::to_string(options.euid) +
                         "; remove 'user' and 'group', or run groved as root");
    return std::nullopt;
  }
  return name;
}

std::optional<std::uint32_t> parse_octal(std::string_view digits) {
  if (digits.empty() || digits.size() > 4) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '7') return std::nullopt;
    v = v * 8 + static_cast<std::uint32_t>(c - '0');
  }
  return v;
}

std::optional<std::uint32_t> read_umask(const TableReader& r) {
  const toml::node* n = r.node("umask");
  if (n == nullptr) return std::nullopt;
  const std::string hint = "write umask = \"022\" or umask = 0o022";
  if (const auto* s = n->as_string()) {
    std::string_view text = s->get();
    if (text.starts_with("0o")) text.remove_prefix(2);
    const auto value = parse_octal(text);
    if (value && *value <= 0777) return value;
    r.report().error(n->source(), quote(s->get()) + " is not an octal umask from 000 to 777", hint);
    return std::nullopt;
  }
  if (const auto* i = n->as_integer()) {
    const bool octal = (i->flags() & toml::value_flags::format_as_octal) != toml::value_flags::none;
    if (!octal && i->get() != 0) {
      r.report().error(n->source(), "'umask' = " + std::to_string(i->get()) + " is decimal; a umask is octal",
                       hint);
    } else if (i->get() < 0 || i->get() > 0777) {
      r.report().error(n->source(), "'umask' must be from 0o000 to 0o777", hint);
    } else {
      return static_cast<std::uint32_t>(i->get());
    }
    return std::nullopt;
  }
  r.wrong_type("umask", "an octal string (\"022\") or an octal integer (0o022)");
  return std::nullopt;
}

std::optional<std::uint64_t> read_limit(const TableReader& limits, std::string_view key) {
  const toml::node* n = limits.node(key);
  if (n == nullptr) return std::nullopt;
  const bool sized = key == "as" || key == "core";
  const std::string wanted = sized ? "an integer, a size (\"512M\") or \"infinity\"" : "an integer or \"infinity\"";
  if (const auto* i = n->as_integer()) {
    if (i->get() >= 0) return static_cast<std::uint64_t>(i->get());
    limits.report().error(n->source(), "limits." + std::string(key) + " must not be negative");
    return std::nullopt;
  }
  const auto* s = n->as_string();
  if (s == nullptr) {
    limits.report().error(n->source(), "limits." + std::string(key) + " must be " + wanted + ", got " +
                                           std::string(type_phrase(n->type())));
    return std::nullopt;
  }
  if (s->get() == "infinity" || s->get() == "unlimited") return kUnlimited;
  if (sized) {
    const ByteSizeResult size = parse_byte_size(s->get());
    if (size.ok()) return size.value;
  }
  limits.report().error(n->source(), "limits." + std::string(key) + ": " + quote(s->get()) + " is not " + wanted);
  return std::nullopt;
}

Limits read_limits(const TableReader& r) {
  const toml::table* table = r.table("limits");
  if (table == nullptr) return {};
  // "[[children.children]]" -> "[children.children.limits]", for messages.
  const std::string& owner = r.context();
  const std::string inner = owner.starts_with("[[") ? owner.substr(2, owner.size() - 4) : "children";
  TableReader limits(*table, "[" + inner + ".limits]", r.report());
  limits.check_keys(allowed_keys().limits);
  return {read_limit(limits, "as"), read_limit(limits, "nofile"), read_limit(limits, "nproc"),
          read_limit(limits, "core")};
}

Output read_output(const TableReader& r, std::string_view key) {
  const auto text = r.string(key);
  if (!text) return {};
  if (*text == "inherit") return {Output::Kind::inherit, {}};
  if (*text == "log") return {Output::Kind::log, {}};
  if (*text == "null") return {Output::Kind::null, {}};
  if (text->find('/') != std::string::npos) return {Output::Kind::file, *text};
  std::string hint;
  if (auto better = suggest_word(key, *text, kOutputWords)) hint = "did you mean '" + std::string(*better) + "'? ";
  r.report().error(r.value_pos(key), quote(*text) + " is not a valid " + in_key(key),
                   hint + "use \"inherit\", \"log\", \"null\" or a file path with a '/' (\"./" + *text + "\")");
  return {};
}

}  // namespace

ProcessDef read_process_def(const TableReader& r, const LoadOptions& options) {
  ProcessDef def;
  def.command = read_command(r);
  def.env = read_env(r);
  def.env_file = r.nonempty_string("env_file").value_or("");
  def.cwd = r.nonempty_string("cwd").value_or("");
  def.user = read_credential(r, "user", options).value_or("");
  def.group = read_credential(r, "group", options).value_or("");
  def.umask = read_umask(r);
  def.limits = read_limits(r);
  def.stdout_to = read_output(r, "stdout");
  def.stderr_to = read_output(r, "stderr");
  def.mailbox = r.boolean("mailbox").value_or(false);
  return def;
}

}  // namespace grove::config
