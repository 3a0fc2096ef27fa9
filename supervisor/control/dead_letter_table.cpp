#include "control/dead_letter_table.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace grove::control {

namespace {

using nlohmann::json;
using Row = std::array<std::string, 7>;

constexpr std::size_t kPayloadColumns = 40;

std::string text_of(const json& j, const char* key) {
  if (!j.contains(key)) return "-";
  const json& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return v.dump();
  return "-";
}

std::string payload_of(const json& j) {
  std::string shown;
  if (j.contains("text") && j["text"].is_string()) shown = "\"" + j["text"].get<std::string>() + "\"";
  else if (j.contains("payload_hex") && j["payload_hex"].is_string()) shown = j["payload_hex"].get<std::string>();
  else return "-";
  if (shown.size() > kPayloadColumns) shown = shown.substr(0, kPayloadColumns - 3) + "...";
  return shown;
}

}  // namespace

std::string render_dead_letters(const std::vector<std::string>& lines) {
  std::vector<Row> rows{{"TIME", "REASON", "DELIVERIES", "TYPE", "TARGET", "BYTES", "PAYLOAD"}};
  std::vector<std::string> raw(1);  // per row: the line itself when it did not parse
  for (const std::string& line : lines) {
    const json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      rows.push_back({});
      raw.push_back(line);
      continue;
    }
    std::string type = text_of(j, "type");
    if (type == "-" || type.empty()) type = "kind " + text_of(j, "kind");
    rows.push_back({text_of(j, "time"), text_of(j, "reason"), text_of(j, "deliveries"), type,
                    text_of(j, "target"), text_of(j, "bytes"), payload_of(j)});
    raw.emplace_back();
  }
  std::array<std::size_t, 7> width{};
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (raw[i].empty())
      for (std::size_t k = 0; k < width.size(); ++k) width[k] = std::max(width[k], rows[i][k].size());
  std::string out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!raw[i].empty()) {
      out += raw[i] + "\n";
      continue;
    }
    std::string line;
    for (std::size_t k = 0; k < width.size(); ++k) {
      line += rows[i][k];
      if (k + 1 < width.size()) line += std::string(width[k] - rows[i][k].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace grove::control
