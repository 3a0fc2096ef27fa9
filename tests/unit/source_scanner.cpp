#include "source_scanner.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <sstream>

namespace grove::testing {

namespace {

// Each take_/skip_ helper starts at `i` on its opening characters, blanks
// what it covers in `s.masked` (keeping newlines and the quote characters)
// and returns the position just after it.
std::size_t skip_line_comment(Source& s, std::size_t i) {
  for (; i < s.masked.size() && s.masked[i] != '\n'; ++i) s.masked[i] = ' ';
  return i;
}

std::size_t skip_block_comment(Source& s, std::size_t i) {
  const std::size_t end = std::min(s.masked.find("*/", i + 2), s.masked.size() - 2) + 2;
  for (; i < end; ++i)
    if (s.masked[i] != '\n') s.masked[i] = ' ';
  return end;
}

// R"delim( ... )delim"
std::size_t take_raw_string(Source& s, const std::string& code, std::size_t i) {
  const std::size_t paren = code.find('(', i);
  const std::string close = ")" + code.substr(i + 2, paren - i - 2) + "\"";
  const std::size_t end = code.find(close, paren) + close.size();
  s.literals.push_back({i + 1, code.substr(paren + 1, end - close.size() - paren - 1)});
  for (std::size_t k = i + 2; k + 1 < end; ++k) s.masked[k] = ' ';
  return end;
}

// "..." (recorded) or '...' (only masked).
std::size_t take_quoted(Source& s, const std::string& code, std::size_t i) {
  const char quote = code[i];
  std::string text;
  std::size_t k = i + 1;
  for (; k < code.size() && code[k] != quote; ++k) {
    if (code[k] == '\\' && k + 1 < code.size()) ++k;  // the escaped character, as is
    text += code[k];
  }
  if (quote == '"') s.literals.push_back({i, text});
  for (std::size_t j = i + 1; j < k; ++j) s.masked[j] = ' ';
  return k + 1;
}

// ---- declaration heads

std::string trim(std::string_view text) {
  const std::size_t a = text.find_first_not_of(" \t\n");
  if (a == std::string_view::npos) return {};
  const std::size_t b = text.find_last_not_of(" \t\n");
  return std::string(text.substr(a, b - a + 1));
}

bool starts_with_word(const std::string& text, std::string_view word) {
  return text.starts_with(word) && (text.size() == word.size() || !ident_char(text[word.size()]));
}

// Position after the bracket pair opening at `open` (any of ( < [), or npos.
std::size_t after_pair(const std::string& text, std::size_t open) {
  const char o = text[open];
  const char c = o == '(' ? ')' : o == '<' ? '>' : ']';
  int depth = 0;
  for (std::size_t i = open; i < text.size(); ++i) {
    if (text[i] == o) ++depth;
    if (text[i] == c && !(c == '>' && i > 0 && text[i - 1] == '-') && --depth == 0) return i + 1;
  }
  return std::string::npos;
}

// Whitespace collapsed; preprocessor lines, attributes, template and
// requires prefixes and leading specifiers removed.
std::string normalize(const std::string& raw) {
  std::string text;
  std::istringstream lines(raw);
  for (std::string line; std::getline(lines, line);)
    if (!trim(line).starts_with('#')) text += line + " ";
  for (std::size_t at = text.find("[["); at != std::string::npos; at = text.find("[[", at)) {
    const std::size_t end = text.find("]]", at);
    text.erase(at, end == std::string::npos ? std::string::npos : end + 2 - at);
  }
  std::string out;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
    else if (!out.empty() && out.back() != ' ') out += ' ';
  }
  out = trim(out);
  static constexpr std::array<std::string_view, 9> kSpecifiers{
      "inline", "constexpr", "static", "extern", "friend", "explicit", "virtual", "consteval", "constinit"};
  for (bool again = true; again;) {
    again = false;
    for (std::string_view prefix : {std::string_view("template"), std::string_view("requires")}) {
      if (!starts_with_word(out, prefix)) continue;
      const std::size_t open = out.find_first_of(prefix == "template" ? "<" : "(", prefix.size());
      const std::size_t end = open == std::string::npos ? open : after_pair(out, open);
      if (end == std::string::npos) return out;
      out = trim(out.substr(end));
      again = true;
    }
    for (std::string_view word : kSpecifiers)
      if (starts_with_word(out, word)) out = trim(out.substr(word.size())), again = true;
  }
  return out;
}

std::string identifier_at(const std::string& text, std::size_t from) {
  std::size_t end = from;
  while (end < text.size() && ident_char(text[end])) ++end;
  return text.substr(from, end - from);
}

// The identifier ending just before `end` (spaces skipped), and where it starts.
std::pair<std::string, std::size_t> identifier_before(const std::string& text, std::size_t end) {
  while (end > 0 && text[end - 1] == ' ') --end;
  std::size_t begin = end;
  while (begin > 0 && ident_char(text[begin - 1])) --begin;
  return {text.substr(begin, end - begin), begin};
}

// First '(' and first '=' (an initialiser, not ==, <=, >=, != or operator=)
// outside any brackets.
std::pair<std::size_t, std::size_t> first_paren_and_equals(const std::string& text) {
  std::size_t paren = std::string::npos, equals = std::string::npos;
  int angle = 0, round = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char before = i > 0 ? text[i - 1] : ' ';
    const char after = i + 1 < text.size() ? text[i + 1] : ' ';
    if (c == '(') {
      if (angle == 0 && round == 0 && paren == std::string::npos) paren = i;
      ++round;
    } else if (c == ')') {
      --round;
    } else if (round > 0) {
      continue;
    } else if (c == '<') {
      ++angle;
    } else if (c == '>' && before != '-' && angle > 0) {
      --angle;
    } else if (c == '=' && angle == 0 && equals == std::string::npos) {
      const bool comparison = after == '=' || before == '=' || before == '!' || before == '<' || before == '>';
      if (!comparison && !identifier_before(text, i).first.ends_with("operator")) equals = i;
    }
  }
  return {paren, equals};
}

std::optional<DeclaredName> name_of_type(const std::string& head) {
  std::size_t at = head.find(' ');
  if (starts_with_word(head, "enum") && (head.find("enum class") == 0 || head.find("enum struct") == 0))
    at = head.find(' ', at + 1);
  if (at == std::string::npos) return std::nullopt;
  const std::string name = identifier_at(head, at + 1);
  if (name.empty()) return std::nullopt;
  return DeclaredName{DeclaredName::Kind::type, name};
}

std::optional<DeclaredName> name_of_function(const std::string& head, std::size_t paren) {
  const auto [name, begin] = identifier_before(head, paren);
  if (name.empty() || name == "operator") return DeclaredName{DeclaredName::Kind::other, name};
  const auto [previous, ignored] = identifier_before(head, begin);
  std::size_t k = begin;
  while (k > 0 && head[k - 1] == ' ') --k;
  const bool destructor = k > 0 && head[k - 1] == '~';
  if (previous == "operator" || destructor) return DeclaredName{DeclaredName::Kind::other, name};
  return DeclaredName{DeclaredName::Kind::function, name};
}

std::optional<DeclaredName> name_of_variable(const std::string& head, std::size_t end) {
  std::string text = trim(head.substr(0, end));
  if (!text.empty() && text.back() == '>') {  // a variable template's specialisation
    int depth = 0;
    std::size_t i = text.size();
    while (i > 0) {
      --i;
      if (text[i] == '>') ++depth;
      if (text[i] == '<' && --depth == 0) break;
    }
    text = trim(text.substr(0, i));
  }
  const std::string name = identifier_before(text, text.size()).first;
  if (name.empty()) return std::nullopt;
  return DeclaredName{DeclaredName::Kind::variable, name};
}

enum class Access { is_public, not_public };

// Takes "public:" / "private:" / "protected:" labels off the front of a
// member's head, updating `access`.
std::string take_access_labels(const std::string& raw, Access& access) {
  std::string head = trim(raw);
  for (bool again = true; again;) {
    again = false;
    for (std::string_view label : {"public", "private", "protected"}) {
      if (!starts_with_word(head, label)) continue;
      const std::string rest = trim(head.substr(label.size()));
      if (!rest.starts_with(':') || rest.starts_with("::")) continue;
      access = label == "public" ? Access::is_public : Access::not_public;
      head = trim(rest.substr(1));
      again = true;
    }
  }
  return head;
}

std::vector<std::string> enumerators(const Source& s, const Declaration& d) {
  std::vector<std::string> out;
  std::istringstream body(s.masked.substr(d.body_open + 1, d.body_close - d.body_open - 1));
  for (std::string item; std::getline(body, item, ',');) {
    const std::string name = trim(item.substr(0, item.find('=')));
    if (!name.empty()) out.push_back(name);
  }
  return out;
}

}  // namespace

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Source::literals_between(std::size_t from, std::size_t to) const {
  std::vector<std::string> out;
  for (const Literal& l : literals)
    if (l.at >= from && l.at < to) out.push_back(l.text);
  return out;
}

std::size_t Source::closing(std::size_t open) const {
  if (open >= masked.size()) return std::string::npos;
  const char o = masked[open];
  const char c = o == '(' ? ')' : '}';
  int depth = 0;
  for (std::size_t i = open; i < masked.size(); ++i) {
    if (masked[i] == o) ++depth;
    if (masked[i] == c && --depth == 0) return i;
  }
  return std::string::npos;
}

std::vector<std::string> Source::braced_literals(std::string_view marker) const {
  const std::size_t at = masked.find(marker);
  if (at == std::string::npos) return {};
  const std::size_t open = masked.find('{', at);
  const std::size_t close = open == std::string::npos ? open : closing(open);
  if (close == std::string::npos) return {};
  return literals_between(open, close);
}

std::vector<std::vector<std::string>> Source::call_literals(std::string_view marker) const {
  std::vector<std::vector<std::string>> out;
  for (std::size_t at = masked.find(marker); at != std::string::npos; at = masked.find(marker, at + 1)) {
    if (at > 0 && ident_char(masked[at - 1])) continue;  // a longer name ending in marker
    const std::size_t open = at + marker.size() - 1;
    if (masked[open] != '(') continue;
    out.push_back(literals_between(open, closing(open)));
  }
  return out;
}

std::vector<Declaration> Source::declarations(std::size_t from, std::size_t to) const {
  std::vector<Declaration> out;
  std::string head;
  int round = 0;
  for (std::size_t i = from; i < to && i < masked.size(); ++i) {
    const char c = masked[i];
    if (c == '(') ++round;
    if (c == ')') --round;
    if (round == 0 && (c == ';' || c == '{')) {
      Declaration d{head};
      if (c == '{') {
        d.body_open = i;
        d.body_close = std::min(closing(i), to);
        i = d.body_close;
      }
      if (!trim(head).empty()) out.push_back(std::move(d));
      head.clear();
      continue;
    }
    head += c;
  }
  return out;
}

Source scan(const std::string& code) {
  Source s{code, {}};
  for (std::size_t i = 0; i < code.size();) {
    const char c = code[i];
    const char before = i == 0 ? ' ' : code[i - 1];
    if (code.compare(i, 2, "//") == 0) i = skip_line_comment(s, i);
    else if (code.compare(i, 2, "/*") == 0) i = skip_block_comment(s, i);
    else if (code.compare(i, 2, "R\"") == 0 && !ident_char(before)) i = take_raw_string(s, code, i);
    else if (c == '"') i = take_quoted(s, code, i);
    // A quote after a hex digit is a digit separator (1'000'000), not a char.
    else if (c == '\'' && !std::isxdigit(static_cast<unsigned char>(before))) i = take_quoted(s, code, i);
    else ++i;
  }
  return s;
}

std::vector<Declaration> grove_scope(const Source& s) {
  std::vector<Declaration> out;
  for (const Declaration& d : s.declarations(0, s.masked.size())) {
    if (!d.has_body() || normalize(d.head) != "namespace grove") continue;
    for (Declaration inner : s.declarations(d.body_open + 1, d.body_close))
      if (!starts_with_word(normalize(inner.head), "namespace")) out.push_back(std::move(inner));
  }
  return out;
}

std::optional<DeclaredName> name_of(const std::string& raw) {
  const std::string head = normalize(raw);
  if (head.empty() || starts_with_word(head, "namespace")) return DeclaredName{DeclaredName::Kind::other, {}};
  if (starts_with_word(head, "using")) {
    const std::string name = identifier_at(head, 6);
    if (head.find('=') == std::string::npos || name.empty()) return DeclaredName{DeclaredName::Kind::other, {}};
    return DeclaredName{DeclaredName::Kind::alias, name};
  }
  for (std::string_view key : {"class", "struct", "union", "enum"})
    if (starts_with_word(head, key)) return name_of_type(head);
  const auto [paren, equals] = first_paren_and_equals(head);
  if (paren != std::string::npos && (equals == std::string::npos || paren < equals))
    return name_of_function(head, paren);
  return name_of_variable(head, equals == std::string::npos ? head.size() : equals);
}

std::vector<Member> members_of(const Source& s, const Declaration& type) {
  std::vector<Member> out;
  if (!type.has_body()) return out;
  const std::string head = normalize(type.head);
  if (starts_with_word(head, "enum")) return out;
  Access access = starts_with_word(head, "class") ? Access::not_public : Access::is_public;
  for (const Declaration& d : s.declarations(type.body_open + 1, type.body_close)) {
    const std::string member_head = take_access_labels(d.head, access);
    if (member_head.empty()) continue;
    const auto declared = name_of(member_head);
    if (!declared) continue;
    Member m{*declared, access == Access::is_public, {}};
    if (starts_with_word(normalize(member_head), "enum") && d.has_body()) m.enumerators = enumerators(s, d);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace grove::testing
