// man_pages_test.cpp — every page in man/ lints clean, renders within 80
// columns and has its fixed sections; groved(8) and grove.toml(5) document
// everything the code accepts and logs. (grovectl(1) and grove(3) have
// their own files: grovectl_page_test.cpp, grove_page_test.cpp.)
//
// The lists checked against are the code's own, never copied here: the
// grove.toml keys come from config::allowed_keys(), the enum words from
// enum_names.hpp; what is reachable only as source text (log events at
// LogLine(...) calls, handled signals, exit codes, child environment) is
// read from the sources at test time with source_scanner.hpp. Adding any of
// them without documenting it fails this test, and so does documenting one
// that the code no longer has.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <sstream>

#include "config/allowed_keys.hpp"
#include "config/config_loader.hpp"
#include "man_page.hpp"
#include "policy/enum_names.hpp"
#include "policy/exit_kind.hpp"
#include "source_scanner.hpp"

namespace {

namespace fs = std::filesystem;
using namespace grove::testing;

const fs::path kRoot = GROVE_SOURCE_DIR;
const fs::path kGrovedPage = kRoot / "man/groved.8";
const fs::path kTomlPage = kRoot / "man/grove.toml.5";
const fs::path kGrovectlPage = kRoot / "man/grovectl.1";
const fs::path kGrovePage = kRoot / "man/grove.3";
const std::array<fs::path, 4> kPages{kGrovedPage, kTomlPage, kGrovectlPage, kGrovePage};

std::string page_name(const fs::path& p) { return p.filename().string(); }

Source scan_file(const std::string& relative) { return scan(read_text(kRoot / relative)); }

Words set_of(const std::vector<std::string>& v) { return Words(v.begin(), v.end()); }
Words set_of(std::span<const std::string_view> v) { return Words(v.begin(), v.end()); }

// One word list of a config reader, as its source spells it.
Words word_list(const std::string& file, std::string_view array) {
  Words words = set_of(scan_file(file).braced_literals(std::string(array) + "{"));
  EXPECT_FALSE(words.empty()) << "found no " << array << "{...} in " << file << ": update this test's scanner";
  return words;
}

struct ConfigKeys {
  const grove::config::AllowedKeys& all = grove::config::allowed_keys();
  Words top = set_of(all.top);
  Words root_supervisor = set_of(all.supervisor_table);
  Words worker = set_of(all.worker);
  Words supervisor_child = set_of(all.supervisor_child);
  Words limits = set_of(all.limits);
};

// event name -> every key any LogLine of that event writes.
std::map<std::string, Words> log_events_in_code() {
  std::map<std::string, Words> events;
  for (const auto& entry : fs::directory_iterator(kRoot / "supervisor/groved")) {
    if (entry.path().extension() != ".cpp") continue;
    const Source s = scan(read_text(entry.path()));
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

// ---- lint and rendering, every page

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

std::size_t columns(const std::string& utf8_line) {
  return static_cast<std::size_t>(std::count_if(utf8_line.begin(), utf8_line.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a continuation byte
  }));
}

TEST(ManPageLint, PagesHaveNoMandocWarnings) {
  ASSERT_TRUE(installed("mandoc")) << "mandoc is needed to lint the man pages (Debian package mandoc)";
  for (const fs::path& page : kPages) {
    const CommandResult r = run("mandoc -T lint -W warning '" + page.string() + "'");
    EXPECT_EQ(r.status, 0) << page_name(page);
    EXPECT_EQ(r.output, "") << page_name(page);
  }
}

TEST(ManPageLint, PagesHaveNoGroffWarnings) {
  if (!installed("groff")) GTEST_SKIP() << "groff is not installed: only mandoc linted the pages";
  for (const fs::path& page : kPages) {
    const CommandResult r = run("groff -man -ww -z '" + page.string() + "'");
    EXPECT_EQ(r.status, 0) << page_name(page);
    EXPECT_EQ(r.output, "") << page_name(page);
  }
}

TEST(ManPageLint, PagesRenderWithinEightyColumns) {
  if (!installed("man")) GTEST_SKIP() << "man is not installed: rendering not checked";
  for (const fs::path& page : kPages) {
    const CommandResult r = run("MANWIDTH=80 LANG=C.UTF-8 man -l '" + page.string() + "'");
    EXPECT_EQ(r.status, 0) << page_name(page) << "\n" << r.output;
    std::istringstream lines(r.output);
    int n = 0;
    for (std::string line; std::getline(lines, line); ++n)
      EXPECT_LE(columns(line), 80u) << page_name(page) << ", rendered line " << n << ": " << line;
    EXPECT_GT(n, 20) << page_name(page) << " rendered to almost nothing";
  }
}

TEST(ManPages, HaveTheFixedSectionsInOrder) {
  const std::vector<std::string> daemon_and_file{"NAME",        "SYNOPSIS", "DESCRIPTION", "EXIT STATUS",
                                                 "ENVIRONMENT", "FILES",    "EXAMPLES",    "SEE ALSO"};
  const std::vector<std::pair<fs::path, std::vector<std::string>>> fixed{
      {kGrovedPage, daemon_and_file},
      {kTomlPage, daemon_and_file},
      {kGrovectlPage,
       {"NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES",
        "SEE ALSO"}},
      {kGrovePage, {"NAME", "SYNOPSIS", "DESCRIPTION", "DESIGN", "EXAMPLES", "SEE ALSO"}},
  };
  for (const auto& [path, wanted] : fixed) {
    const ManPage page = read_page(path);
    std::vector<std::string> found;
    for (const std::string& s : page.sections)
      if (std::find(wanted.begin(), wanted.end(), s) != wanted.end()) found.push_back(s);
    EXPECT_EQ(found, wanted) << page_name(path);
  }
  const ManPage groved = read_page(kGrovedPage);
  for (const char* s : {"OPTIONS", "SIGNALS"})
    EXPECT_NE(std::find(groved.sections.begin(), groved.sections.end(), s), groved.sections.end()) << s;
}

// ---- grove.toml(5) against supervisor/config

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
  Words words = word_list("supervisor/config/process_def_reader.cpp", "kOutputWords");
  for (const char* list : {"kShutdownWords", "kReadyWords"}) {
    const Words more = word_list("supervisor/config/child_spec_reader.cpp", list);
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

// ---- groved(8) against supervisor/groved and supervisor/launch

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
  for (const auto& args : s.call_literals("env.set("))
    if (!args.empty()) given.insert(args.front());
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
  Words read;
  for (const auto& args : scan_file("supervisor/config/load_options.cpp").call_literals("env_or_empty("))
    if (!args.empty()) read.insert(args.front());
  ASSERT_GE(read.size(), 2u);
  for (const fs::path& path : {kGrovedPage, kTomlPage}) {
    const Words missing = minus(read, read_page(path).tags_under("ENVIRONMENT"));
    EXPECT_TRUE(missing.empty()) << page_name(path) << ", ENVIRONMENT: add " << join(missing);
  }
}

}  // namespace
