#include "config/tree_printer.hpp"

#include <algorithm>
#include <vector>

#include "config/duration.hpp"
#include "config/readiness_parser.hpp"
#include "policy/enum_names.hpp"

namespace grove::config {
namespace {

// One printed row before padding: the tree prefix is kept apart because its
// glyphs are 3 bytes but 1 column wide.
struct Row {
  std::string prefix;
  std::size_t prefix_columns = 0;
  std::string name;
  std::string_view type;
  std::string_view restart;
  std::string detail;
};

std::string supervisor_detail(const SupervisorPolicy& s) {
  std::string out = std::string(name_of(s.strategy)) + ", intensity " + std::to_string(s.intensity) +
                    " per " + format_duration(s.period);
  if (s.auto_shutdown != AutoShutdown::never) out += ", auto_shutdown " + std::string(name_of(s.auto_shutdown));
  return out;
}

std::string worker_detail(const ChildSpec& c) {
  std::string out = shell_quote_command(c.process.command);
  std::string notes;
  if (c.process.mailbox) notes = "mailbox";
  if (c.policy.ready.kind != Readiness::Kind::started)
    notes += (notes.empty() ? "ready " : ", ready ") + describe_readiness(c.policy.ready);
  if (!notes.empty()) out += "  (" + notes + ")";
  return out;
}

void collect(const std::vector<ChildSpec>& children, const std::string& indent, std::size_t indent_columns,
             std::vector<Row>& rows) {
  for (std::size_t i = 0; i < children.size(); ++i) {
    const ChildSpec& c = children[i];
    const bool last = i + 1 == children.size();
    Row row;
    row.prefix = indent + (last ? "└── " : "├── ");
    row.prefix_columns = indent_columns + 4;
    row.name = c.name;
    row.type = name_of(c.type);
    row.restart = name_of(c.policy.restart);
    row.detail = c.type == ChildType::supervisor ? supervisor_detail(c.supervisor) : worker_detail(c);
    rows.push_back(std::move(row));
    if (!c.children.empty())
      collect(c.children, indent + (last ? "    " : "│   "), indent_columns + 4, rows);
  }
}

bool needs_quotes(const std::string& arg) {
  if (arg.empty()) return true;
  return !std::all_of(arg.begin(), arg.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           std::string_view("_./:=@%+,-").find(ch) != std::string_view::npos;
  });
}

}  // namespace

std::string shell_quote_command(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& arg : argv) {
    if (!out.empty()) out += ' ';
    if (!needs_quotes(arg)) {
      out += arg;
      continue;
    }
    out += '\'';
    for (char ch : arg) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    out += '\'';
  }
  return out;
}

std::string print_tree(const TreeSpec& tree) {
  std::vector<Row> rows;
  rows.push_back({"", 0, tree.name, "supervisor", "-", supervisor_detail(tree.root)});
  collect(tree.children, "", 0, rows);
  std::size_t name_width = 0;
  for (const Row& r : rows) name_width = std::max(name_width, r.prefix_columns + r.name.size());
  constexpr std::size_t kTypeWidth = 10;    // "supervisor"
  constexpr std::size_t kRestartWidth = 9;  // "permanent", "transient", "temporary"
  std::string out;
  for (const Row& r : rows) {
    out += r.prefix + r.name + std::string(name_width - r.prefix_columns - r.name.size() + 2, ' ');
    out += std::string(r.type) + std::string(kTypeWidth - r.type.size() + 2, ' ');
    out += std::string(r.restart) + std::string(kRestartWidth - r.restart.size() + 2, ' ');
    out += r.detail;
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  }
  return out;
}

}  // namespace grove::config
