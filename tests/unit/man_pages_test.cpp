// man_pages_test.cpp — man/groved.8 and man/grove.toml.5 lint clean and
// document everything the code accepts and logs.
//
// The lists checked against are the code's own, read from the sources at
// test time, never copied here: adding a grove.toml key, a log event, a
// handled signal, an exit code or a child environment variable without
// documenting it fails this test, and so does documenting one that the code
// no longer has.
//
// Why the sources are read as text: the config allow-lists live in
// anonymous namespaces of supervisor/config/*.cpp (kTopKeys, kWorkerKeys,
// ...) and the log events are string literals at the LogLine(...) calls of
// supervisor/groved/*.cpp; neither is reachable from a test. A small
// exported accessor in supervisor/config (allowed_keys()) would let this
// test read the lists directly; until then they are parsed from the source
// text by the scanner below (comments and literals handled, structure found
// on a copy with literals masked).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <sys/wait.h>

#include "config/config_loader.hpp"
#include "policy/enum_names.hpp"
#include "policy/exit_kind.hpp"

namespace {

namespace fs = std::filesystem;
using Words = std::set<std::string>;

const fs::path kRoot = GROVE_SOURCE_DIR;
const fs::path kGrovedPage = kRoot / "man/groved.8";
const fs::path kTomlPage = kRoot / "man/grove.toml.5";

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string join(const Words& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

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

// ---- C++ sources: comments blanked, literals masked, structure searched ----

struct Literal {
  std::size_t at;  // position of the opening quote
  std::string text;
};

struct Source {
  std::string masked;  // comments and literal contents replaced by spaces
  std::vector<Literal> literals;

  std::vector<std::string> literals_between(std::size_t from, std::size_t to) const {
    std::vector<std::string> out;
    for (const Literal& l : literals)
      if (l.at >= from && l.at < to) out.push_back(l.text);
    return out;
  }
  // [open, close] of the bracket pair opening at `open`, or npos.
  std::size_t closing(std::size_t open) const {
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
  // The literals inside the first {...} after `marker`.
  std::vector<std::string> braced_literals(std::string_view marker) const {
    const std::size_t at = masked.find(marker);
    if (at == std::string::npos) return {};
    const std::size_t open = masked.find('{', at);
    const std::size_t close = open == std::string::npos ? open : closing(open);
    if (close == std::string::npos) return {};
    return literals_between(open, close);
  }
};

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Each helper starts at `i` on its opening characters, blanks what it
// covers in `s.masked` (keeping newlines and the quote characters) and
// returns the position just after it.
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

Source scan_file(const std::string& relative) { return scan(slurp(kRoot / relative)); }

Words set_of(const std::vector<std::string>& v) { return Words(v.begin(), v.end()); }

// One grove.toml allow-list, as the config reader stores it.
Words allow_list(const std::string& file, std::string_view array) {
  Words words = set_of(scan_file(file).braced_literals(std::string(array) + "{"));
  EXPECT_FALSE(words.empty()) << "found no " << array << "{...} in " << file << ": update this test's scanner";
  return words;
}

struct ConfigKeys {
  Words top = allow_list("supervisor/config/config_loader.cpp", "kTopKeys");
  Words root_supervisor = allow_list("supervisor/config/config_loader.cpp", "kSupervisorKeys");
  Words worker = allow_list("supervisor/config/child_spec_reader.cpp", "kWorkerKeys");
  Words supervisor_child = allow_list("supervisor/config/child_spec_reader.cpp", "kSupervisorKeys");
  Words limits = allow_list("supervisor/config/process_def_reader.cpp", "kLimitKeys");
};

// event name -> every key any LogLine of that event writes.
std::map<std::string, Words> log_events_in_code() {
  std::map<std::string, Words> events;
  for (const auto& entry : fs::directory_iterator(kRoot / "supervisor/groved")) {
    if (entry.path().extension() != ".cpp") continue;
    const Source s = scan(slurp(entry.path()));
    for (std::size_t at = s.masked.find("LogLine("); at != std::string::npos;
         at = s.masked.find("LogLine(", at + 1)) {
      if (at > 0 && ident_char(s.masked[at - 1])) continue;
      const std::size_t open = at + 7;
      const std::size_t close = s.closing(open);
      const std::vector<std::string> names = s.literals_between(open, close);  // a ?: gives two
      if (names.empty()) continue;                                             // LogLine's own definition
      const std::size_t end = s.masked.find(';', close);
      Words keys;
      for (std::size_t kv = s.masked.find(".kv(", close); kv < end; kv = s.masked.find(".kv(", kv + 1)) {
        const auto args = s.literals_between(kv, s.closing(kv + 3));
        if (!args.empty()) keys.insert(args.front());
      }
      for (const std::string& name : names) events[name].insert(keys.begin(), keys.end());
    }
  }
  EXPECT_GE(events.size(), 10u) << "found few LogLine events: update this test's scanner";
  return events;
}

// ---- man(7) pages: headings, .TP tags, .nf blocks ----

// A troff line as plain text: font and other escapes out, quotes kept.
std::string plain(std::string line) {
  static const std::array<std::pair<std::string_view, std::string_view>, 6> kEscapes{
      {{"\\(dq", "\""}, {"\\-", "-"}, {"\\&", ""}, {"\\e", "\\"}, {"\\(>=", ">="}, {"\\(<=", "<="}}};
  for (const auto& [from, to] : kEscapes)
    for (std::size_t at = line.find(from); at != std::string::npos; at = line.find(from, at + to.size()))
      line.replace(at, from.size(), to);
  for (std::size_t at = line.find("\\f"); at != std::string::npos; at = line.find("\\f", at)) {
    const std::size_t length = line[at + 2] == '(' ? 5 : 3;
    line.erase(at, length);
  }
  return line;
}

std::vector<std::string> words_of(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// "[[children]]" -> "children", "\"notify\"" -> "notify", "name=" -> "name".
std::string bare(std::string word) {
  word = word.substr(0, word.find('='));
  const auto keep = [](char c) { return c != '[' && c != ']' && c != '"'; };
  std::string out;
  std::copy_if(word.begin(), word.end(), std::back_inserter(out), keep);
  return out;
}

struct Tag {
  std::string heading;  // the innermost .SH or .SS title
  int depth = 0;        // .RS nesting inside that heading
  std::vector<std::string> words;
};

struct ManPage {
  std::vector<std::string> sections;                          // .SH titles, in order
  std::vector<Tag> tags;                                      // every .TP / .TQ tag
  std::vector<std::pair<std::string, std::string>> blocks;    // (.SH title, .nf text)
  std::string text;                                           // the whole page, plain

  Words tags_under(const std::string& heading, int max_depth = 99) const {
    Words out;
    for (const Tag& t : tags)
      if (t.heading == heading && t.depth <= max_depth && !t.words.empty()) out.insert(bare(t.words[0]));
    return out;
  }
};

std::string macro_args(const std::string& line) {
  std::string args = line.substr(std::min(line.find(' '), line.size()));
  args.erase(std::remove(args.begin(), args.end(), '"'), args.end());
  return args;
}

ManPage read_page(const fs::path& path) {
  ManPage page;
  std::istringstream in(slurp(path));
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
    }
    const std::string text = plain(request ? macro_args(line) : line);
    if (tag_next) page.tags.push_back({heading, depth, words_of(text)});
    tag_next = false;
    page.text += text + "\n";
  }
  return page;
}

std::string page_name(const fs::path& p) { return p.filename().string(); }

// ---- lint ----

struct CommandResult {
  int status = -1;
  std::string output;
};

CommandResult run(const std::string& command) {
  CommandResult r;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 4096> buf{};
  for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0;) r.output.append(buf.data(), n);
  const int status = ::pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

bool installed(const std::string& program) { return run("command -v " + program).status == 0; }

TEST(ManPageLint, PagesHaveNoMandocWarnings) {
  ASSERT_TRUE(installed("mandoc")) << "mandoc is needed to lint the man pages (Debian package mandoc)";
  for (const fs::path& page : {kGrovedPage, kTomlPage}) {
    const CommandResult r = run("mandoc -T lint -W warning '" + page.string() + "'");
    EXPECT_EQ(r.status, 0) << page_name(page);
    EXPECT_EQ(r.output, "") << page_name(page);
  }
}

TEST(ManPageLint, PagesHaveNoGroffWarnings) {
  if (!installed("groff")) GTEST_SKIP() << "groff is not installed: only mandoc linted the pages";
  for (const fs::path& page : {kGrovedPage, kTomlPage}) {
    const CommandResult r = run("groff -man -ww -z '" + page.string() + "'");
    EXPECT_EQ(r.status, 0) << page_name(page);
    EXPECT_EQ(r.output, "") << page_name(page);
  }
}

TEST(ManPages, HaveTheFixedSectionsInOrder) {
  const std::vector<std::string> fixed{"NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS", "ENVIRONMENT",
                                       "FILES", "EXAMPLES", "SEE ALSO"};
  for (const fs::path& path : {kGrovedPage, kTomlPage}) {
    const ManPage page = read_page(path);
    std::vector<std::string> found;
    for (const std::string& s : page.sections)
      if (std::find(fixed.begin(), fixed.end(), s) != fixed.end()) found.push_back(s);
    EXPECT_EQ(found, fixed) << page_name(path);
  }
  const ManPage groved = read_page(kGrovedPage);
  for (const char* s : {"OPTIONS", "SIGNALS"})
    EXPECT_NE(std::find(groved.sections.begin(), groved.sections.end(), s), groved.sections.end()) << s;
}

// ---- grove.toml(5) against supervisor/config ----

TEST(GroveTomlPage, DocumentsEveryKeyUnderTheSectionOfItsLevel) {
  const ConfigKeys keys;
  const ManPage page = read_page(kTomlPage);
  const Words common = both(keys.worker, keys.supervisor_child);
  const std::vector<std::pair<std::string, Words>> expected{
      {"TOP-LEVEL KEYS", keys.top},
      {"SUPERVISOR KEYS", keys.root_supervisor},
      {"SUPERVISOR KEYS", minus(keys.supervisor_child, keys.worker)},
      {"CHILD KEYS", common},
      {"WORKER KEYS", minus(keys.worker, keys.supervisor_child)},
      {"WORKER KEYS", keys.limits},
  };
  for (const auto& [heading, wanted] : expected) {
    const Words missing = minus(wanted, page.tags_under(heading));
    EXPECT_TRUE(missing.empty()) << "grove.toml.5, " << heading << ": add a .TP entry for: " << join(missing);
  }
}

TEST(GroveTomlPage, DocumentsOnlyKeysTheConfigAcceptsThere) {
  const ConfigKeys keys;
  const ManPage page = read_page(kTomlPage);
  Words supervisor = keys.root_supervisor;
  supervisor.insert(keys.supervisor_child.begin(), keys.supervisor_child.end());
  const std::vector<std::pair<std::string, Words>> allowed{
      {"TOP-LEVEL KEYS", keys.top},
      {"SUPERVISOR KEYS", minus(supervisor, keys.worker)},
      {"CHILD KEYS", both(keys.worker, keys.supervisor_child)},
      {"WORKER KEYS", minus(keys.worker, keys.supervisor_child)},
  };
  for (const auto& [heading, ok] : allowed) {
    const Words extra = minus(page.tags_under(heading, 0), ok);
    EXPECT_TRUE(extra.empty()) << "grove.toml.5, " << heading << " documents keys the config does not accept there: "
                               << join(extra);
  }
}

template <class E>
void expect_quoted_words(const std::string& text) {
  for (const auto& entry : grove::names<E>()) {
    const std::string quoted = "\"" + std::string(entry.second) + "\"";
    EXPECT_NE(text.find(quoted), std::string::npos) << "grove.toml.5 never writes " << quoted;
  }
}

TEST(GroveTomlPage, SpellsEveryWordTheConfigAccepts) {
  const std::string text = read_page(kTomlPage).text;
  expect_quoted_words<grove::Strategy>(text);
  expect_quoted_words<grove::RestartType>(text);
  expect_quoted_words<grove::ChildType>(text);
  expect_quoted_words<grove::AutoShutdown>(text);
  Words words = allow_list("supervisor/config/process_def_reader.cpp", "kOutputWords");
  for (const char* list : {"kShutdownWords", "kReadyWords"}) {
    const Words more = allow_list("supervisor/config/child_spec_reader.cpp", list);
    words.insert(more.begin(), more.end());
  }
  for (const std::string& w : words)
    EXPECT_NE(text.find("\"" + w + "\""), std::string::npos) << "grove.toml.5 never writes \"" << w << "\"";
}

TEST(GroveTomlPage, ExamplesAreValidConfigs) {
  const ManPage page = read_page(kTomlPage);
  const grove::config::LoadOptions root{0, "/run/user/0", "", "/root"};
  int checked = 0;
  for (const auto& [section, block] : page.blocks) {
    if (section != "EXAMPLES" || block.find("[[children]]") == std::string::npos) continue;
    // A fragment (only [[children]] tables) gets a tree name to stand alone.
    const std::string text = block.starts_with("name") ? block : "name = \"example\"\n" + block;
    const auto result = grove::config::load_config_string(text, "example", root);
    EXPECT_TRUE(result.ok()) << text << grove::config::format_diagnostics(result.errors);
    ++checked;
  }
  EXPECT_GE(checked, 1);
}

// ---- groved(8) against supervisor/groved and supervisor/launch ----

TEST(GrovedPage, ListsEveryLogEventWithExactlyItsKeys) {
  std::map<std::string, Words> documented;
  for (const Tag& t : read_page(kGrovedPage).tags) {
    if (t.heading != "Events" || t.depth != 0 || t.words.empty()) continue;
    Words keys;
    for (std::size_t i = 1; i < t.words.size(); ++i) keys.insert(bare(t.words[i]));
    documented[t.words[0]] = keys;
  }
  for (const auto& [event, keys] : log_events_in_code()) {
    const auto doc = documented.find(event);
    if (doc == documented.end()) {
      ADD_FAILURE() << "groved.8, Events: add " << event << " " << join(keys);
      continue;
    }
    EXPECT_EQ(join(doc->second), join(keys)) << "groved.8, Events: the keys of " << event;
    documented.erase(doc);
  }
  for (const auto& entry : documented) ADD_FAILURE() << "groved.8 lists " << entry.first << ", which no code logs";
}

TEST(GrovedPage, ListsEverySignalGrovedHandles) {
  const Source s = scan_file("supervisor/groved/supervisor_process.cpp");
  const std::size_t at = s.masked.find("on_signals(");
  ASSERT_NE(at, std::string::npos) << "update this test: where does groved choose its signals?";
  const std::size_t open = s.masked.find('{', at);
  Words handled;
  for (const std::string& w : words_of(s.masked.substr(open + 1, s.closing(open) - open - 1)))
    handled.insert(w.substr(0, w.find(',')));
  ASSERT_GE(handled.size(), 3u);
  const Words missing = minus(handled, read_page(kGrovedPage).tags_under("SIGNALS"));
  EXPECT_TRUE(missing.empty()) << "groved.8, SIGNALS: add " << join(missing);
}

TEST(GrovedPage, ListsEveryExitCode) {
  const Source s = scan_file("supervisor/groved/groved_exit.hpp");
  const std::size_t at = s.masked.find("enum class GrovedExit");
  ASSERT_NE(at, std::string::npos);
  const std::size_t open = s.masked.find('{', at);
  Words codes;
  std::istringstream body(s.masked.substr(open + 1, s.closing(open) - open - 1));
  for (std::string item; std::getline(body, item, ',');) {
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos) continue;
    const std::string value = words_of(item.substr(eq + 1)).at(0);
    if (value == "kSupervisorGaveUpCode") codes.insert(std::to_string(grove::kSupervisorGaveUpCode));
    else if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) codes.insert(value);
    else ADD_FAILURE() << "groved_exit.hpp: teach this test the value of " << value;
  }
  EXPECT_EQ(join(read_page(kGrovedPage).tags_under("EXIT STATUS")), join(codes));
}

TEST(GrovedPage, ListsEveryVariableGivenToChildren) {
  const Source s = scan_file("supervisor/launch/child_env.cpp");
  Words given;
  for (std::size_t at = s.masked.find("env.set("); at != std::string::npos; at = s.masked.find("env.set(", at + 1)) {
    const auto args = s.literals_between(at, s.closing(at + 7));
    if (!args.empty()) given.insert(args.front());
  }
  ASSERT_GE(given.size(), 4u);
  const Words withheld = set_of(s.braced_literals("belongs_to_our_manager("));
  ASSERT_FALSE(withheld.empty());
  const ManPage page = read_page(kGrovedPage);
  const Words missing = minus(given, page.tags_under("ENVIRONMENT"));
  EXPECT_TRUE(missing.empty()) << "groved.8, ENVIRONMENT: add " << join(missing);
  for (const std::string& v : withheld)
    EXPECT_NE(page.text.find(v), std::string::npos) << "groved.8 should say that children do not inherit " << v;
}

TEST(ManPages, ListEveryVariableThatChangesADefault) {
  const Source s = scan_file("supervisor/config/load_options.cpp");
  Words read;
  for (std::size_t at = s.masked.find("env_or_empty("); at != std::string::npos;
       at = s.masked.find("env_or_empty(", at + 1)) {
    const auto args = s.literals_between(at, s.closing(at + 12));
    if (!args.empty()) read.insert(args.front());
  }
  ASSERT_GE(read.size(), 2u);
  for (const fs::path& path : {kGrovedPage, kTomlPage}) {
    const Words missing = minus(read, read_page(path).tags_under("ENVIRONMENT"));
    EXPECT_TRUE(missing.empty()) << page_name(path) << ", ENVIRONMENT: add " << join(missing);
  }
}

}  // namespace
