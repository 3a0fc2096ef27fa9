#include "config/table_reader.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "config/duration.hpp"
#include "config/peer_words.hpp"

namespace grove::config {

SourcePos pos_of(const toml::source_region& where) {
  return {static_cast<int>(where.begin.line), static_cast<int>(where.begin.column)};
}

std::string_view type_phrase(toml::node_type type) {
  switch (type) {
    case toml::node_type::none: return "nothing";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
  }
  return "an unknown value";
}

std::string quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

void Reporter::error(SourcePos where, std::string message, std::string hint) {
  found_.push_back({file_, where.line, where.column, std::move(message), std::move(hint)});
}

std::vector<Diagnostic> Reporter::take() {
  std::stable_sort(found_.begin(), found_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  return std::exchange(found_, {});
}

std::vector<const toml::key*> TableReader::keys_in_file_order() const {
  std::vector<const toml::key*> keys;
  for (auto&& [key, value] : table_) keys.push_back(&key);
  std::stable_sort(keys.begin(), keys.end(), [](const toml::key* a, const toml::key* b) {
    const SourcePos pa = pos_of(a->source());
    const SourcePos pb = pos_of(b->source());
    return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
  });
  return keys;
}

void TableReader::check_keys(std::span<const std::string_view> allowed) const {
  for (const toml::key* key : keys_in_file_order())
    if (std::find(allowed.begin(), allowed.end(), key->str()) == allowed.end()) unknown_key(*key, allowed);
}

void TableReader::unknown_key(const toml::key& key, std::span<const std::string_view> allowed) const {
  const std::string_view name = key.str();
  std::string hint;
  if (auto close = suggest_key(name, allowed)) hint = "did you mean '" + std::string(*close) + "'? ";
  report_.error(key.source(), "unknown key '" + std::string(name) + "' in " + context_,
                hint + "allowed: " + join_words(allowed));
}

SourcePos TableReader::key_pos(std::string_view key) const {
  const auto it = table_.find(key);
  return it == table_.end() ? where() : pos_of(it->first.source());
}

SourcePos TableReader::value_pos(std::string_view key) const {
  const toml::node* n = node(key);
  return n == nullptr ? where() : pos_of(n->source());
}

void TableReader::wrong_type(std::string_view key, std::string_view wanted) const {
  const toml::node* n = node(key);
  report_.error(value_pos(key),
                "'" + std::string(key) + "' must be " + std::string(wanted) + ", got " +
                    std::string(type_phrase(n == nullptr ? toml::node_type::none : n->type())));
}

std::optional<std::string> TableReader::string(std::string_view key) const {
  const toml::node* n = node(key);
  if (n == nullptr) return std::nullopt;
  if (const auto* s = n->as_string()) return s->get();
  wrong_type(key, "a string");
  return std::nullopt;
}

std::optional<std::string> TableReader::nonempty_string(std::string_view key) const {
  auto s = string(key);
  if (s && s->empty()) {
    report_.error(value_pos(key), "'" + std::string(key) + "' must not be empty");
    return std::nullopt;
  }
  return s;
}

std::optional<std::int64_t> TableReader::integer(std::string_view key) const {
  const toml::node* n = node(key);
  if (n == nullptr) return std::nullopt;
  if (const auto* i = n->as_integer()) return i->get();
  wrong_type(key, "an integer");
  return std::nullopt;
}

std::optional<int> TableReader::int_at_least(std::string_view key, int min) const {
  const auto n = integer(key);
  if (!n) return std::nullopt;
  if (*n < min) {
    report_.error(value_pos(key), "'" + std::string(key) + "' must be " + std::to_string(min) +
                                      " or more, got " + std::to_string(*n));
    return std::nullopt;
  }
  if (*n > std::numeric_limits<int>::max()) {
    report_.error(value_pos(key), "'" + std::string(key) + "' is too large: " + std::to_string(*n));
    return std::nullopt;
  }
  return static_cast<int>(*n);
}

std::optional<bool> TableReader::boolean(std::string_view key) const {
  const toml::node* n = node(key);
  if (n == nullptr) return std::nullopt;
  if (const auto* b = n->as_boolean()) return b->get();
  wrong_type(key, "a boolean (true or false)");
  return std::nullopt;
}

std::optional<Duration> TableReader::duration(std::string_view key, Duration min) const {
  const toml::node* n = node(key);
  if (n == nullptr) return std::nullopt;
  DurationResult d;
  if (const auto* s = n->as_string()) d = parse_duration(s->get());
  else if (const auto* i = n->as_integer()) d = duration_from_seconds(i->get());
  else {
    wrong_type(key, "a duration (\"5s\") or an integer of seconds");
    return std::nullopt;
  }
  const std::string k = "'" + std::string(key) + "'";
  if (!d.ok()) {
    report_.error(n->source(), k + ": " + d.error,
                  "durations look like \"250ms\", \"5s\", \"2m\", \"1h\", \"1m30s\" or an integer of seconds");
    return std::nullopt;
  }
  if (d.value < min) {
    const std::string least = min.count() == 1 ? "longer than 0" : "at least " + format_duration(min);
    report_.error(n->source(), k + " must be " + least + ", got " + format_duration(d.value));
    return std::nullopt;
  }
  return d.value;
}

const toml::table* TableReader::table(std::string_view key) const {
  const toml::node* n = node(key);
  if (n == nullptr) return nullptr;
  if (const auto* t = n->as_table()) return t;
  wrong_type(key, "a table");
  return nullptr;
}

const toml::array* TableReader::array(std::string_view key) const {
  const toml::node* n = node(key);
  if (n == nullptr) return nullptr;
  if (const auto* a = n->as_array()) return a;
  wrong_type(key, "an array");
  return nullptr;
}

void TableReader::reject_word(std::string_view key, std::string_view text,
                              std::span<const std::string_view> allowed) const {
  std::string hint;
  if (auto better = suggest_word(key, text, allowed)) hint = "did you mean '" + std::string(*better) + "'? ";
  report_.error(value_pos(key), quote(text) + " is not a valid '" + std::string(key) + "'",
                hint + "allowed: " + join_words(allowed));
}

}  // namespace grove::config
