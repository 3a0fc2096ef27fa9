// table_reader.hpp — typed, located reads from one toml++ table (internal to
// grove_config; nothing outside supervisor/config includes toml++).
//
// toml++ parses the syntax; everything above it is ours: which keys exist,
// what type each must have, what a word means. A Reporter collects every
// problem as a Diagnostic at the toml++ source() of the offending key or
// value; a TableReader reads one table's keys, reporting instead of throwing,
// so one pass finds all errors.
//
//   Reporter report("grove.toml");
//   TableReader r(table, "[supervisor]", report);
//   r.check_keys(allowed_keys().supervisor_table);   // unknown keys + hints
//   if (auto n = r.integer("intensity")) policy.intensity = ...;
//   if (auto s = r.word<Strategy>("strategy")) policy.strategy = *s;
//   if (auto p = r.duration("period")) policy.period = *p;
//   std::vector<Diagnostic> all = report.take();      // in file order
//
// Contract:
// - Every accessor returns nullopt both when the key is absent (nothing
//   reported) and when it is present but wrong (one diagnostic reported);
//   has(key) tells them apart.
// - Messages name the key in quotes and the TOML type found
//   ("'intensity' must be an integer, got a string").
// - The reader keeps a reference to the table: it must outlive the reader.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/peer_words.hpp"
#include "policy/child_spec.hpp"
#include "policy/enum_names.hpp"

namespace grove::config {

SourcePos pos_of(const toml::source_region& where);
std::string_view type_phrase(toml::node_type type);  // "an integer", "a string"
std::string quote(std::string_view text);            // "\"text\""

class Reporter {
 public:
  explicit Reporter(std::string file) : file_(std::move(file)) {}
  void error(SourcePos where, std::string message, std::string hint = {});
  void error(const toml::source_region& where, std::string message, std::string hint = {}) {
    error(pos_of(where), std::move(message), std::move(hint));
  }
  const std::string& file() const { return file_; }
  std::size_t count() const { return found_.size(); }
  std::vector<Diagnostic> take();  // sorted by position (stable), then cleared

 private:
  std::string file_;
  std::vector<Diagnostic> found_;
};

class TableReader {
 public:
  // `context` names the table in messages: "[[children]]", "[supervisor]".
  TableReader(const toml::table& table, std::string context, Reporter& report)
      : table_(table), context_(std::move(context)), report_(report) {}

  // Reports each key not in `allowed` (in file order) with the closest one.
  void check_keys(std::span<const std::string_view> allowed) const;
  void unknown_key(const toml::key& key, std::span<const std::string_view> allowed) const;
  // The table's keys in file order (toml++ iterates them sorted).
  std::vector<const toml::key*> keys_in_file_order() const;

  bool has(std::string_view key) const { return table_.contains(key); }
  const toml::node* node(std::string_view key) const { return table_.get(key); }
  SourcePos key_pos(std::string_view key) const;
  SourcePos value_pos(std::string_view key) const;
  SourcePos where() const { return pos_of(table_.source()); }
  const std::string& context() const { return context_; }
  Reporter& report() const { return report_; }

  std::optional<std::string> string(std::string_view key) const;
  std::optional<std::string> nonempty_string(std::string_view key) const;
  std::optional<std::int64_t> integer(std::string_view key) const;
  std::optional<int> int_at_least(std::string_view key, int min) const;
  std::optional<bool> boolean(std::string_view key) const;
  // A duration string or an integer of seconds; `min` is inclusive.
  std::optional<Duration> duration(std::string_view key, Duration min = Duration{0}) const;
  const toml::table* table(std::string_view key) const;
  const toml::array* array(std::string_view key) const;

  // One of E's words (enum_names.hpp); a peer's word gets a "did you mean".
  template <class E>
  std::optional<E> word(std::string_view key) const {
    const auto text = string(key);
    if (!text) return std::nullopt;
    if (auto value = parse_enum<E>(*text)) return value;
    std::vector<std::string_view> allowed;
    for (const auto& entry : names<E>()) allowed.push_back(entry.second);
    reject_word(key, *text, allowed);
    return std::nullopt;
  }

  // "\"always\" is not a valid 'restart'" + "did you mean ...? allowed: ...".
  void reject_word(std::string_view key, std::string_view text,
                   std::span<const std::string_view> allowed) const;
  void wrong_type(std::string_view key, std::string_view wanted) const;

 private:
  const toml::table& table_;
  std::string context_;
  Reporter& report_;
};

}  // namespace grove::config
