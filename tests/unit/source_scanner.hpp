// source_scanner.hpp — C++ source read as text, for the tests that hold the
// man pages to the code (tests/man.cmake).
//
// Some of what a page must document is reachable only as source text: log
// events are literals at LogLine(...) calls, the status JSON keys are
// literals in node_json, the public names of worker-lib are declarations
// in its headers. This scanner blanks comments, records and masks string
// literals, matches brackets, and splits a range of code into declarations
// that it can name.
//
//   const Source s = scan(read_text(root / "worker-lib/include/grove/task.hpp"));
//   for (const Declaration& d : grove_scope(s))          // namespace grove, not detail
//     if (auto n = name_of(d.head)) use(n->kind, n->name);  // {function, "async"}, ...
//   s.braced_literals("kVerbs{");                        // {"status", "restart", ...}
//
// Contract: a heuristic, not a parser. It handles the code of this
// repository (templates, attributes, requires-clauses, raw strings, digit
// separators, ctor initialiser lists with parentheses). Callers that find
// nothing where they expect something should say "update the scanner".
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace grove::testing {

std::string read_text(const std::filesystem::path& path);

struct Literal {
  std::size_t at;  // position of the opening quote
  std::string text;
};

// A declaration or definition: the text before its ';' or its body.
struct Declaration {
  std::string head;
  std::size_t body_open = std::string::npos;   // the '{' of its body, if any
  std::size_t body_close = std::string::npos;  // the matching '}'
  bool has_body() const { return body_open != std::string::npos; }
};

struct Source {
  std::string masked;  // comments and literal contents replaced by spaces
  std::vector<Literal> literals;

  std::vector<std::string> literals_between(std::size_t from, std::size_t to) const;
  // The bracket ('(' or '{') closing the one opening at `open`, or npos.
  std::size_t closing(std::size_t open) const;
  // The literals inside the first {...} after `marker`.
  std::vector<std::string> braced_literals(std::string_view marker) const;
  // The literals inside the parentheses of every call `marker(...)`, one
  // vector per call ("env.set(" -> {{"GROVE_TREE", ...}, ...}).
  std::vector<std::vector<std::string>> call_literals(std::string_view marker) const;
  // The declarations in [from, to), which must not cut one in half.
  std::vector<Declaration> declarations(std::size_t from, std::size_t to) const;
};

Source scan(const std::string& code);

// The declarations directly inside `namespace grove { ... }` blocks (nested
// namespaces such as detail are skipped).
std::vector<Declaration> grove_scope(const Source& s);

struct DeclaredName {
  enum class Kind { type, function, variable, alias, other };
  Kind kind = Kind::other;
  std::string name;
};
// What a declaration's head declares: "template <class T> struct Task" ->
// {type, "Task"}; "Pid self()" -> {function, "self"}; "inline constexpr
// auto infinity = ..." -> {variable, "infinity"}. Operators, destructors and
// namespaces are `other`.
std::optional<DeclaredName> name_of(const std::string& head);

struct Member {
  DeclaredName declared;
  bool is_public = false;
  std::vector<std::string> enumerators;  // for a nested enum
};
// The members of the class, struct or enum declared by `type`.
std::vector<Member> members_of(const Source& s, const Declaration& type);

bool ident_char(char c);

}  // namespace grove::testing
