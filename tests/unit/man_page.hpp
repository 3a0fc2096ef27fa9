// man_page.hpp — a man(7) page read as data, for the tests that hold the
// pages in man/ to the code (tests/man.cmake).
//
//   const ManPage page = read_page(root / "man/grovectl.1");
//   page.sections;                       // {"NAME", "SYNOPSIS", ...}, in order
//   page.tags_under("COMMANDS", 0);      // first word of each top-level .TP tag
//   page.code.count("run_until_idle");   // identifiers in bold or in .nf blocks
//
// Contract: understands the subset of man(7) the pages use: .SH/.SS
// headings, .TP/.TQ tags, .RS/.RE nesting, .nf/.fi blocks, the font macros
// (.B .BR .BI .RB .IB ...) and inline \fB...\fR. Text is "plain": font
// escapes removed, \- \(dq \& \e \% and friends turned into what they print.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace grove::testing {

using Words = std::set<std::string>;

Words minus(const Words& a, const Words& b);
Words both(const Words& a, const Words& b);
std::string join(const Words& words);
std::vector<std::string> words_of(const std::string& text);
// "[[children]]" -> "children", "\"notify\"" -> "notify", "name=" -> "name".
std::string bare(std::string word);
// A troff line as plain text: font and other escapes out, quotes kept.
std::string plain(std::string line);

struct Tag {
  std::string heading;  // the innermost .SH or .SS title
  int depth = 0;        // .RS nesting inside that heading
  std::vector<std::string> words;
};

struct ManPage {
  std::vector<std::string> sections;                        // .SH titles, in order
  std::vector<Tag> tags;                                    // every .TP / .TQ tag
  std::vector<std::pair<std::string, std::string>> blocks;  // (.SH title, .nf text)
  std::string text;                                         // the whole page, plain
  Words code;  // identifiers set in bold or inside .nf blocks: names shown as code

  // bare(first word) of each tag under `heading`, at most `max_depth` deep.
  Words tags_under(const std::string& heading, int max_depth = 99) const;
  // Every word of those tags.
  std::vector<std::string> tag_words_under(const std::string& heading) const;
};

ManPage read_page(const std::filesystem::path& path);

}  // namespace grove::testing
