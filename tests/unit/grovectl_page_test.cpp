// grovectl_page_test.cpp — man/grovectl.1 documents exactly the commands,
// options, exit codes, status states and status JSON keys that grovectl
// and the control protocol have.
//
// Sources of truth: grove::control::verb_names() (linked), and, read as
// text with source_scanner.hpp, supervisor/grovectl/main.cpp (CLI11's
// add_option/add_flag names, enum Exit, getenv), control_message.cpp
// (node_json's keys), groved/node_control.cpp (state_name, notes) and
// config/load_options.cpp (the variable that moves the default socket).
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "control/control_message.hpp"
#include "man_page.hpp"
#include "source_scanner.hpp"

namespace {

namespace fs = std::filesystem;
using namespace grove::testing;

const fs::path kRoot = GROVE_SOURCE_DIR;

const ManPage& page() {
  static const ManPage p = read_page(kRoot / "man/grovectl.1");
  return p;
}

const Source& source(const std::string& relative) {
  static std::map<std::string, Source> cache;
  auto it = cache.find(relative);
  if (it == cache.end()) it = cache.emplace(relative, scan(read_text(kRoot / relative))).first;
  return it->second;
}

Words verbs() {
  Words out;
  for (std::string_view v : grove::control::verb_names()) out.emplace(v);
  return out;
}

// "--socket", "-f", "--follow", ... as CLI11 is told them in main.cpp.
Words options_in_code() {
  Words out;
  for (const char* call : {"add_option(", "add_flag("}) {
    for (const auto& args : source("supervisor/grovectl/main.cpp").call_literals(call)) {
      if (args.empty()) continue;
      std::istringstream names(args.front());
      for (std::string name; std::getline(names, name, ',');)
        if (name.starts_with('-')) out.insert(name);
    }
  }
  return out;
}

// Every option a tag under OPTIONS or COMMANDS names.
Words options_on_page() {
  static const std::regex kOption("(^|[^A-Za-z0-9-])(--?[A-Za-z][A-Za-z0-9-]*)");
  Words out;
  for (const char* heading : {"OPTIONS", "COMMANDS"}) {
    for (const std::string& word : page().tag_words_under(heading))
      for (auto it = std::sregex_iterator(word.begin(), word.end(), kOption); it != std::sregex_iterator(); ++it)
        out.insert((*it)[2].str());
  }
  return out;
}

// The literals in the body of the function defined as `signature`.
Words literals_of_function(const std::string& file, const std::string& signature) {
  const Source& s = source(file);
  const std::size_t at = s.masked.find(signature);
  if (at == std::string::npos) return {};
  const std::size_t open = s.masked.find('{', at);
  const std::vector<std::string> found = s.literals_between(open, s.closing(open));
  return Words(found.begin(), found.end());
}

TEST(GrovectlPage, ListsEveryCommandUnderCommands) {
  const Words missing = minus(verbs(), page().tags_under("COMMANDS", 0));
  EXPECT_TRUE(missing.empty()) << "grovectl.1, COMMANDS: add a .TP entry for " << join(missing);
}

TEST(GrovectlPage, ListsOnlyRealCommandsUnderCommands) {
  const Words extra = minus(page().tags_under("COMMANDS", 0), verbs());
  EXPECT_TRUE(extra.empty()) << "grovectl.1, COMMANDS documents what is no verb of control_message.cpp: "
                             << join(extra);
}

TEST(GrovectlPage, DocumentsEveryOptionOfMain) {
  const Words options = options_in_code();
  ASSERT_GE(options.size(), 5u) << "found few options in grovectl/main.cpp: update this test's scanner";
  const Words missing = minus(options, options_on_page());
  EXPECT_TRUE(missing.empty()) << "grovectl.1: add a tag under OPTIONS or COMMANDS for " << join(missing);
}

TEST(GrovectlPage, DocumentsOnlyOptionsThatExist) {
  Words real = options_in_code();
  real.insert({"-h", "--help"});  // CLI11 adds them to the app and every command
  const Words extra = minus(options_on_page(), real);
  EXPECT_TRUE(extra.empty()) << "grovectl.1 documents options main.cpp does not have: " << join(extra);
}

TEST(GrovectlPage, ListsEveryExitCode) {
  const Source& s = source("supervisor/grovectl/main.cpp");
  const std::size_t at = s.masked.find("enum class Exit");
  ASSERT_NE(at, std::string::npos) << "update this test: where are grovectl's exit codes?";
  const std::size_t open = s.masked.find('{', at);
  Words codes;
  std::istringstream body(s.masked.substr(open + 1, s.closing(open) - open - 1));
  for (std::string item; std::getline(body, item, ',');)
    if (const std::size_t eq = item.find('='); eq != std::string::npos) codes.insert(words_of(item.substr(eq + 1)).at(0));
  ASSERT_GE(codes.size(), 3u);
  EXPECT_EQ(join(page().tags_under("EXIT STATUS")), join(codes));
}

TEST(GrovectlPage, ListsExactlyTheKeysOfStatusJson) {
  const Words keys = literals_of_function("supervisor/control/control_message.cpp", "json node_json(");
  ASSERT_GE(keys.size(), 8u) << "found few keys in node_json: update this test";
  const Words documented = page().tags_under("JSON output");
  EXPECT_EQ(join(documented), join(keys)) << "grovectl.1, JSON output: one tag per key of node_json";
  const Words top = literals_of_function("supervisor/control/control_message.cpp", "std::string status_json(");
  EXPECT_TRUE(minus(top, keys).empty()) << "status_json has keys of its own: " << join(minus(top, keys));
}

TEST(GrovectlPage, ListsExactlyTheStatesOfStatus) {
  Words states = literals_of_function("supervisor/groved/node_control.cpp", "const char* state_name(");
  states.erase("?");
  ASSERT_GE(states.size(), 5u) << "update this test: where does groved name the states?";
  EXPECT_EQ(join(page().tags_under("States")), join(states));
}

TEST(GrovectlPage, QuotesEveryStatusNote) {
  const Source& s = source("supervisor/groved/node_control.cpp");
  int found = 0;
  for (std::size_t at = s.masked.find(".note = "); at != std::string::npos; at = s.masked.find(".note = ", at + 1)) {
    const auto literals = s.literals_between(at, s.masked.find(';', at));
    for (const std::string& note : literals) {
      // A note ending in ": " is a prefix: the reason follows it.
      const std::string quoted = note.ends_with(": ") ? "\"" + note : "\"" + note + "\"";
      EXPECT_NE(page().text.find(quoted), std::string::npos) << "grovectl.1 never quotes " << quoted;
      ++found;
    }
  }
  EXPECT_GE(found, 2) << "update this test: where does groved set a status note?";
}

TEST(GrovectlPage, ListsTheVariablesThatFindTheSocket) {
  Words vars;
  for (const auto& args : source("supervisor/grovectl/main.cpp").call_literals("getenv("))
    if (!args.empty()) vars.insert(args.front());
  const Source& options = source("supervisor/config/load_options.cpp");
  const std::size_t at = options.masked.find("xdg_runtime_dir = env_or_empty(");
  ASSERT_NE(at, std::string::npos) << "update this test: which variable moves the default socket?";
  vars.insert(options.literals_between(at, options.masked.find(';', at)).at(0));
  ASSERT_GE(vars.size(), 2u);
  const Words missing = minus(vars, page().tags_under("ENVIRONMENT"));
  EXPECT_TRUE(missing.empty()) << "grovectl.1, ENVIRONMENT: add " << join(missing);
}

// Not the page, but the same promise to users: completion knows every verb.
TEST(GrovectlCompletion, OffersEveryCommand) {
  const std::string script = read_text(kRoot / "supervisor/grovectl/grovectl.bash");
  const std::smatch match = [&] {
    std::smatch m;
    std::regex_search(script, m, std::regex("local verbs=\"([^\"]*)\""));
    return m;
  }();
  ASSERT_FALSE(match.empty()) << "update this test: where does grovectl.bash list the verbs?";
  const std::vector<std::string> offered = words_of(match[1].str());
  EXPECT_EQ(join(Words(offered.begin(), offered.end())), join(verbs()));
}

}  // namespace
