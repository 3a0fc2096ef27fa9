#include "control/status_table.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <vector>

namespace grove::control {

namespace {

using Row = std::vector<std::string>;

std::string last_exit_text(const StatusNode& n) {
  if (!n.last_exit) return "-";
  if (n.last_exit->signal) return *n.last_exit->signal;
  if (n.last_exit->code) return "exit " + std::to_string(*n.last_exit->code);
  return "-";
}

bool any_mailbox(const StatusNode& n) {
  return std::any_of(n.children.begin(), n.children.end(),
                     [](const StatusNode& c) { return c.mailbox || any_mailbox(c); });
}

std::string rate_text(double per_s) {  // one decimal, whatever the size: a column reads alike
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", per_s);
  return buf;
}

void add_mailbox_cells(const StatusNode& c, Row& row) {
  if (!c.mailbox) {
    row.insert(row.end(), {"-", "-", "-", "-"});
    return;
  }
  const MailboxStatus& m = *c.mailbox;
  row.insert(row.end(), {std::to_string(m.depth), rate_text(m.handled_per_s),
                         std::to_string(m.dead_letters), std::to_string(m.processes)});
}

void collect(const StatusNode& n, bool mailboxes, std::vector<Row>& rows, std::vector<std::string>& states,
             std::vector<std::string>& notes) {
  for (const StatusNode& c : n.children) {
    Row row{c.path, c.type, c.state, c.pid ? std::to_string(c.pid) : "-",
            c.pid ? format_uptime(c.uptime_s) : "-", std::to_string(c.restarts), last_exit_text(c)};
    if (mailboxes) add_mailbox_cells(c, row);
    rows.push_back(std::move(row));
    states.push_back(c.state);
    notes.push_back(c.note);
    collect(c, mailboxes, rows, states, notes);
  }
}

const char* colour_of(const std::string& state) {
  if (state == "running") return "\033[32m";
  if (state == "failed") return "\033[31m";
  if (state == "starting" || state == "restarting" || state == "stopping") return "\033[33m";
  return "\033[2m";
}

}  // namespace

std::string format_uptime(double seconds) {
  const long s = static_cast<long>(seconds);
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%lds", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%ldm%lds", s / 60, s % 60);
  else if (s < 86400) std::snprintf(buf, sizeof buf, "%ldh%ldm", s / 3600, (s % 3600) / 60);
  else std::snprintf(buf, sizeof buf, "%ldd%ldh", s / 86400, (s % 86400) / 3600);
  return buf;
}

std::string render_status_table(const StatusNode& tree, bool colour) {
  const bool mailboxes = any_mailbox(tree);
  Row header{"PATH", "TYPE", "STATE", "PID", "UPTIME", "RESTARTS", "LAST EXIT"};
  if (mailboxes) header.insert(header.end(), {"DEPTH", "HANDLED/S", "DEAD", "PROCS"});
  std::vector<Row> rows{header};
  std::vector<std::string> states{""};
  std::vector<std::string> notes{""};
  collect(tree, mailboxes, rows, states, notes);
  std::vector<std::size_t> width(header.size(), 0);
  for (const Row& r : rows)
    for (std::size_t k = 0; k < r.size(); ++k) width[k] = std::max(width[k], r[k].size());
  std::string out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::string line;
    for (std::size_t k = 0; k < rows[i].size(); ++k) {
      std::string cell = rows[i][k];
      const std::size_t pad = width[k] - cell.size();
      if (colour && k == 2 && i > 0) cell = colour_of(states[i]) + cell + "\033[0m";
      line += cell;
      if (k + 1 < rows[i].size()) line += std::string(pad + 2, ' ');
    }
    if (!notes[i].empty()) line += "  (" + notes[i] + ")";
    out += line + "\n";
  }
  return out;
}

}  // namespace grove::control
