// grove_page_test.cpp — man/grove.3 shows, as code, every public name of
// worker-lib.
//
// The rule, applied to worker-lib/include/grove/*.hpp (detail/ is the
// runtime's, not the user's):
// - every type, function, variable and alias declared directly in
//   namespace grove (not in a nested namespace);
// - every public member of the classes and structs declared there:
//   functions (not constructors, destructors, operators, nor the coroutine
//   protocol: await_*, promise_type and its members), data members, aliases, and
//   the enumerators of their nested enums (nested classes are not named);
// - and, because SupervisorSpec is built from them, the fields of the
//   policy types the in-worker supervisor reads (policy/child_spec.hpp:
//   SupervisorPolicy, ChildPolicy, Shutdown), the words of its enums, and
//   the states of ChildState.
// "Shown as code" means set in bold or written in an .nf example block, so
// a name that only appears in prose does not count. A new public function
// without documentation fails here.
#include <gtest/gtest.h>

#include <map>

#include "man_page.hpp"
#include "policy/enum_names.hpp"
#include "source_scanner.hpp"

namespace {

namespace fs = std::filesystem;
using namespace grove::testing;
using Kind = DeclaredName::Kind;

const fs::path kRoot = GROVE_SOURCE_DIR;

const ManPage& page() {
  static const ManPage p = read_page(kRoot / "man/grove.3");
  return p;
}

std::vector<fs::path> public_headers() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(kRoot / "worker-lib/include/grove"))
    if (entry.is_regular_file() && entry.path().extension() == ".hpp") out.push_back(entry.path());
  return out;
}

// A public name, with where it comes from for the failure message.
using Names = std::map<std::string, std::string>;

bool coroutine_protocol(const std::string& name) {
  static const Words kProtocol{"await_ready",   "await_suspend",   "await_resume",    "get_return_object",
                               "initial_suspend", "final_suspend", "return_value",    "return_void",
                               "unhandled_exception", "yield_value", "promise_type"};
  return kProtocol.count(name) != 0;
}

void add_members(const Source& s, const Declaration& d, const std::string& owner, const std::string& where,
                 Names& out) {
  for (const Member& m : members_of(s, d)) {
    if (!m.is_public) continue;
    const std::string& name = m.declared.name;
    const bool data = (m.declared.kind == Kind::variable || m.declared.kind == Kind::alias) && !coroutine_protocol(name);
    const bool function = m.declared.kind == Kind::function && name != owner && !coroutine_protocol(name);
    if (data || function) out.emplace(name, where + ": " + owner + "::" + name);
    for (const std::string& e : m.enumerators) out.emplace(e, where + ": " + owner + "::" + name + "::" + e);
  }
}

Names worker_lib_names() {
  Names out;
  for (const fs::path& header : public_headers()) {
    const Source s = scan(read_text(header));
    const std::string where = header.filename().string();
    for (const Declaration& d : grove_scope(s)) {
      const auto declared = name_of(d.head);
      if (!declared || declared->kind == Kind::other || declared->name.empty()) continue;
      out.emplace(declared->name, where);
      if (declared->kind == Kind::type) add_members(s, d, declared->name, where, out);
    }
  }
  return out;
}

// The data members of `type` in policy/child_spec.hpp.
Names policy_fields(const std::string& type) {
  const Source s = scan(read_text(kRoot / "supervisor/policy/child_spec.hpp"));
  Names out;
  for (const Declaration& d : grove_scope(s)) {
    const auto declared = name_of(d.head);
    if (!declared || declared->name != type) continue;
    out.emplace(type, "child_spec.hpp");
    for (const Member& m : members_of(s, d)) {
      if (m.declared.kind == Kind::variable) out.emplace(m.declared.name, "child_spec.hpp: " + type + "::" + m.declared.name);
      for (const std::string& e : m.enumerators) out.emplace(e, "child_spec.hpp: " + type + "::" + e);
    }
  }
  return out;
}

template <class E>
void add_enum_words(const std::string& type, Names& out) {
  out.emplace(type, "child_spec.hpp");
  for (const auto& entry : grove::names<E>()) out.emplace(std::string(entry.second), "enum_names.hpp: " + type);
}

std::string missing_from_page(const Names& names) {
  std::string out;
  for (const auto& [name, where] : names)
    if (page().code.count(name) == 0) out += "\n  " + name + "  (" + where + ")";
  return out;
}

TEST(GrovePage, ShowsEveryNameWorkerLibDeclaresInNamespaceGrove) {
  Names names;
  for (const auto& [name, where] : worker_lib_names())
    if (where.find("::") == std::string::npos) names.emplace(name, where);
  ASSERT_GE(names.size(), 60u) << "found few names in worker-lib's headers: update this test's scanner";
  const std::string missing = missing_from_page(names);
  EXPECT_TRUE(missing.empty()) << "grove.3: show these as code (bold, or in an example):" << missing;
}

TEST(GrovePage, ShowsEveryPublicMemberOfThoseTypes) {
  Names members;
  for (const auto& [name, where] : worker_lib_names())
    if (where.find("::") != std::string::npos) members.emplace(name, where);
  ASSERT_GE(members.size(), 40u) << "found few members in worker-lib's headers: update this test's scanner";
  const std::string missing = missing_from_page(members);
  EXPECT_TRUE(missing.empty()) << "grove.3: show these as code (bold, or in an example):" << missing;
}

TEST(GrovePage, ShowsThePolicyAnInWorkerSupervisorIsGiven) {
  Names names;
  for (const char* type : {"SupervisorPolicy", "ChildPolicy", "Shutdown"}) {
    const Names fields = policy_fields(type);
    EXPECT_GE(fields.size(), 3u) << "found no fields of " << type << ": update this test";
    names.insert(fields.begin(), fields.end());
  }
  add_enum_words<grove::Strategy>("Strategy", names);
  add_enum_words<grove::RestartType>("RestartType", names);
  add_enum_words<grove::ChildType>("ChildType", names);
  add_enum_words<grove::AutoShutdown>("AutoShutdown", names);
  const std::string missing = missing_from_page(names);
  EXPECT_TRUE(missing.empty()) << "grove.3: show these as code (bold, or in an example):" << missing;
}

TEST(GrovePage, ShowsEveryChildState) {
  const Source s = scan(read_text(kRoot / "supervisor/policy/supervision.hpp"));
  Names states{{"ChildState", "supervision.hpp"}};
  for (const Declaration& d : grove_scope(s)) {
    const auto declared = name_of(d.head);
    if (!declared || declared->name != "ChildState" || !d.has_body()) continue;
    for (const std::string& state : words_of(s.masked.substr(d.body_open + 1, d.body_close - d.body_open - 1)))
      states.emplace(state.substr(0, state.find(',')), "supervision.hpp: ChildState");
  }
  ASSERT_GE(states.size(), 6u) << "update this test: where is ChildState?";
  const std::string missing = missing_from_page(states);
  EXPECT_TRUE(missing.empty()) << "grove.3: show these as code:" << missing;
}

}  // namespace
