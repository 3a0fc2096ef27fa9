#include "config/diagnostic.hpp"

#include <algorithm>
#include <numeric>

namespace grove::config {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = d.file;
  if (d.line > 0) {
    out += ':' + std::to_string(d.line) + ':' + std::to_string(d.column);
  }
  out += ": error: " + d.message + '\n';
  if (!d.hint.empty()) out += "  hint: " + d.hint + '\n';
  return out;
}

std::string format_diagnostics(std::span<const Diagnostic> all) {
  std::string out;
  for (const Diagnostic& d : all) out += format_diagnostic(d);
  return out;
}

std::ostream& operator<<(std::ostream& out, const Diagnostic& d) {
  return out << format_diagnostic(d);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus adjacent transposition, the
  // commonest typo ("restrat"). Three rolling rows of the table.
  std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), row(b.size() + 1);
  std::iota(prev.begin(), prev.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same = lower(a[i - 1]) == lower(b[j - 1]);
      row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
        row[j] = std::min(row[j], before[j - 2] + 1);
    }
    std::swap(before, prev);
    std::swap(prev, row);
  }
  return prev[b.size()];
}

namespace {

// The first candidate at the smallest distance, if it is at most `limit`.
std::optional<std::string_view> nearest(std::string_view word, std::span<const std::string_view> candidates,
                                        std::size_t limit) {
  std::optional<std::string_view> best;
  std::size_t best_distance = limit + 1;
  for (std::string_view candidate : candidates) {
    if (candidate == word) continue;
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

// A decorated name ("restart_policy", "env_vars") contains the key it meant.
std::optional<std::string_view> stem(std::string_view word, std::span<const std::string_view> candidates) {
  if (word.size() < 3) return std::nullopt;
  for (std::string_view candidate : candidates) {
    if (candidate.size() < 3 || candidate == word) continue;
    if (word.find(candidate) != std::string_view::npos || candidate.find(word) != std::string_view::npos)
      return candidate;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates) {
  const std::size_t budget = std::max<std::size_t>(1, word.size() / 3);
  if (auto close = nearest(word, candidates, std::min<std::size_t>(2, budget))) return close;
  if (auto contained = stem(word, candidates)) return contained;
  return nearest(word, candidates, budget);
}

std::optional<std::string_view> closest_match(std::string_view word,
                                              std::initializer_list<std::string_view> candidates) {
  return closest_match(word, std::span{candidates.begin(), candidates.size()});
}

std::string join_words(std::span<const std::string_view> words) {
  std::string out;
  for (std::string_view w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

}  // namespace grove::config
