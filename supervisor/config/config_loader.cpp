#include "config/config_loader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <toml++/toml.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "config/allowed_keys.hpp"
#include "config/byte_size.hpp"
#include "config/child_spec_reader.hpp"
#include "config/table_reader.hpp"

namespace grove::config {
namespace {

bool valid_tree_name(std::string_view name) {
  if (name.empty() || name == "." || name == "..") return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void read_tree_name(const TableReader& top, TreeSpec& tree) {
  if (!top.has("name")) {
    top.report().error(SourcePos{1, 1}, "the tree has no 'name'", "add name = \"...\" at the top of the file");
    return;
  }
  const auto name = top.string("name");
  if (!name) return;
  if (!valid_tree_name(*name)) {
    top.report().error(top.value_pos("name"), "tree name " + quote(*name) + " is not valid",
                       "names use only letters, digits, '_', '.' and '-' (they form file names)");
    return;
  }
  tree.name = *name;
}

std::optional<std::uint64_t> read_log_max_bytes(const TableReader& top) {
  const toml::node* n = top.node("log_max_bytes");
  if (n == nullptr) return std::nullopt;
  ByteSizeResult size;
  if (const auto* i = n->as_integer()) {
    size = {static_cast<std::uint64_t>(i->get()), i->get() < 0 ? std::to_string(i->get()) + " is negative" : ""};
  } else if (const auto* s = n->as_string()) {
    size = parse_byte_size(s->get());
  } else {
    top.wrong_type("log_max_bytes", "an integer or a size (\"50M\")");
    return std::nullopt;
  }
  if (size.ok() && size.value == 0) size.error = "0 bytes leaves no room for a line";
  if (size.ok()) return size.value;
  top.report().error(n->source(), "'log_max_bytes': " + size.error, "write e.g. \"50M\"");
  return std::nullopt;
}

void read_root_supervisor(const TableReader& top, TreeSpec& tree) {
  const toml::table* table = top.table("supervisor");
  if (table == nullptr) return;
  const TableReader sup(*table, "[supervisor]", top.report());
  sup.check_keys(allowed_keys().supervisor_table);
  read_supervisor_policy(sup, tree.root);
}

void read_tree(const toml::table& doc, const LoadOptions& options, Reporter& report, TreeSpec& tree) {
  const TableReader top(doc, "the top level", report);
  top.check_keys(allowed_keys().top);
  read_tree_name(top, tree);
  tree.control = top.nonempty_string("control").value_or(default_control_path(tree.name, options));
  // sockaddr_un holds 107 bytes and a NUL: a longer path could never be bound.
  if (tree.control.size() > 107) {
    const SourcePos at = top.has("control") ? top.value_pos("control") : SourcePos{1, 1};
    report.error(at, "control socket path is " + std::to_string(tree.control.size()) +
                         " bytes; UNIX sockets allow at most 107",
                 "set a shorter 'control' path");
  }
  tree.log_dir = top.nonempty_string("log_dir").value_or(default_log_dir(tree.name, options));
  if (auto v = read_log_max_bytes(top)) tree.log_max_bytes = *v;
  if (auto v = top.int_at_least("log_backups", 0)) tree.log_backups = *v;
  read_root_supervisor(top, tree);
  const toml::node* children = top.node("children");
  if (children != nullptr) tree.children = read_children(*children, tree.root, options, report, 1);
  const bool empty_array = children != nullptr && children->is_array() && children->as_array()->empty();
  if (children == nullptr || empty_array) {
    report.error(SourcePos{1, 1}, "the tree has no children", "add [[children]] tables, one per program");
  }
}

// "Error while parsing array: expected ..." -> "syntax error in array: expected ...".
std::string syntax_message(std::string_view description) {
  constexpr std::string_view kPrefix = "Error while parsing ";
  if (description.starts_with(kPrefix)) return "syntax error in " + std::string(description.substr(kPrefix.size()));
  return "syntax error: " + std::string(description);
}

// 0, or the errno that stopped the read (EISDIR for a directory, ...).
int read_whole_file(const std::string& path, std::string& out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  std::array<char, 16384> buffer{};
  int err = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n > 0) {
      out.append(buffer.data(), static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      err = n == 0 ? 0 : errno;
      break;
    }
  }
  ::close(fd);
  return err;
}

}  // namespace

LoadResult load_config_string(std::string_view text, const std::string& file_name, const LoadOptions& options) {
  Reporter report(file_name);
  TreeSpec tree;
  tree.file = file_name;
  try {
    const toml::table doc = toml::parse(text, std::string_view{file_name});
    read_tree(doc, options, report, tree);
  } catch (const toml::parse_error& e) {
    report.error(e.source(), syntax_message(e.description()));
  }
  if (report.count() != 0) return {std::nullopt, report.take()};
  return {std::move(tree), {}};
}

LoadResult load_config_file(const std::string& path, const LoadOptions& options) {
  std::string text;
  if (const int err = read_whole_file(path, text); err != 0) {
    return {std::nullopt, {{path, 0, 0, "unable to read config: " + std::string(std::strerror(err)), {}}}};
  }
  return load_config_string(text, path, options);
}

}  // namespace grove::config
