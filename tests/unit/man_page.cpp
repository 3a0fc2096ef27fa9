#include "man_page.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <regex>
#include <sstream>
#include <string_view>

#include "source_scanner.hpp"

namespace grove::testing {

namespace {

std::string macro_args(const std::string& line) {
  std::string args = line.substr(std::min(line.find(' '), line.size()));
  args.erase(std::remove(args.begin(), args.end(), '"'), args.end());
  return args;
}

// A font macro's arguments, split as troff does (double quotes group).
std::vector<std::string> split_args(const std::string& line) {
  std::vector<std::string> out;
  std::string current;
  bool quoted = false, any = false;
  for (std::size_t i = line.find(' '); i != std::string::npos && i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      quoted = !quoted;
      any = true;
    } else if (c == ' ' && !quoted) {
      if (any) out.push_back(current);
      current.clear();
      any = false;
    } else {
      current += c;
      any = true;
    }
  }
  if (any) out.push_back(current);
  return out;
}

// The text a line sets in bold: font-macro arguments and \fB spans.
std::string bold_text(const std::string& line) {
  std::string out;
  if (line.starts_with('.')) {
    const std::string macro = line.substr(1, line.find(' ') - 1);
    const std::vector<std::string> args = split_args(line);
    if (macro == "B") {
      for (const auto& a : args) out += a + " ";
    } else if (macro == "BR" || macro == "BI" || macro == "RB" || macro == "IB") {
      const std::size_t first = macro[0] == 'B' ? 0 : 1;
      for (std::size_t i = first; i < args.size(); i += 2) out += args[i] + " ";
    }
  }
  for (std::size_t at = line.find("\\fB"); at != std::string::npos; at = line.find("\\fB", at + 3)) {
    const std::size_t end = line.find("\\f", at + 3);
    out += line.substr(at + 3, end == std::string::npos ? end : end - at - 3) + " ";
  }
  return out;
}

void add_identifiers(const std::string& text, Words& into) {
  static const std::regex kIdentifier("[A-Za-z_][A-Za-z0-9_]*");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kIdentifier); it != std::sregex_iterator(); ++it)
    into.insert(it->str());
}

}  // namespace

Words minus(const Words& a, const Words& b) {
  Words out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

Words both(const Words& a, const Words& b) {
  Words out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

std::string join(const Words& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::vector<std::string> words_of(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string bare(std::string word) {
  word = word.substr(0, word.find('='));
  const auto keep = [](char c) { return c != '[' && c != ']' && c != '"'; };
  std::string out;
  std::copy_if(word.begin(), word.end(), std::back_inserter(out), keep);
  return out;
}

std::string plain(std::string line) {
  static const std::array<std::pair<std::string_view, std::string_view>, 9> kEscapes{
      {{"\\(dq", "\""}, {"\\-", "-"}, {"\\&", ""}, {"\\%", ""}, {"\\e", "\\"}, {"\\(>=", ">="}, {"\\(<=", "<="},
       {"\\(lq", "\""}, {"\\(rq", "\""}}};
  for (const auto& [from, to] : kEscapes)
    for (std::size_t at = line.find(from); at != std::string::npos; at = line.find(from, at + to.size()))
      line.replace(at, from.size(), to);
  for (std::size_t at = line.find("\\f"); at != std::string::npos; at = line.find("\\f", at)) {
    const std::size_t length = line[at + 2] == '(' ? 5 : 3;
    line.erase(at, length);
  }
  return line;
}

Words ManPage::tags_under(const std::string& heading, int max_depth) const {
  Words out;
  for (const Tag& t : tags)
    if (t.heading == heading && t.depth <= max_depth && !t.words.empty()) out.insert(bare(t.words[0]));
  return out;
}

std::vector<std::string> ManPage::tag_words_under(const std::string& heading) const {
  std::vector<std::string> out;
  for (const Tag& t : tags)
    if (t.heading == heading) out.insert(out.end(), t.words.begin(), t.words.end());
  return out;
}

ManPage read_page(const std::filesystem::path& path) {
  ManPage page;
  std::istringstream in(read_text(path));
  std::string heading, section, block;
  int depth = 0;
  bool tag_next = false, in_block = false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(".\\\"")) continue;
    const bool request = line.starts_with('.');
    if (line.starts_with(".SH ") || line.starts_with(".SS ")) {
      heading = macro_args(line).substr(1);
      if (line[2] == 'H') page.sections.push_back(section = heading);
      depth = 0;
    } else if (line == ".RS" || line.starts_with(".RS ")) {
      ++depth;
    } else if (line == ".RE") {
      --depth;
    } else if (line == ".TP" || line == ".TQ") {
      tag_next = true;
      continue;
    } else if (line == ".nf" || line == ".fi") {
      if (line == ".fi") page.blocks.emplace_back(section, block);
      in_block = line == ".nf";
      block.clear();
    } else if (in_block) {
      block += plain(line) + "\n";
      add_identifiers(plain(request ? macro_args(line) : line), page.code);
    }
    add_identifiers(plain(bold_text(line)), page.code);
    const std::string text = plain(request ? macro_args(line) : line);
    if (tag_next) page.tags.push_back({heading, depth, words_of(text)});
    tag_next = false;
    page.text += text + "\n";
  }
  return page;
}

}  // namespace grove::testing
