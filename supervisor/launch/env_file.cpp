#include "env_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "unique_fd.hpp"

namespace grove::launch {
namespace {

constexpr std::string_view spaces = " \t";

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(spaces);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(spaces) - b + 1);
}

bool valid_key(std::string_view k) {
  if (k.empty() || (k[0] >= '0' && k[0] <= '9')) return false;
  for (char c : k)
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
      return false;
  return true;
}

char unescape(char c) {
  switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    default: return c;  // \\ \" \$ and anything else: the character itself
  }
}

struct Parsed {
  std::string value;
  std::string_view rest;  // after the closing quote
};

// `s` starts with the opening quote. nullopt when it is never closed.
std::optional<Parsed> parse_quoted(std::string_view s) {
  const char quote = s[0];
  Parsed out;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] == quote) {
      out.rest = s.substr(i + 1);
      return out;
    }
    if (quote == '"' && s[i] == '\\' && i + 1 < s.size()) {
      const char next = s[++i];
      if (next != '\\' && next != '"' && next != 'n' && next != 't' && next != '$') out.value += '\\';
      out.value += unescape(next);
    } else {
      out.value += s[i];
    }
  }
  return std::nullopt;
}

EnvFileError error(EnvFileError::Code code, std::string_view file, int line, std::string_view detail) {
  return EnvFileError{code, std::string(file), line, 0, std::string(detail)};
}

}  // namespace

Result<EnvAssignments, EnvFileError> parse_env_file(std::string_view text, std::string_view file) {
  EnvAssignments out;
  int line_no = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.ends_with('\r')) line.remove_suffix(1);
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    if (line.starts_with("export ") || line.starts_with("export\t")) line = trim(line.substr(7));
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return error(valid_key(line) ? EnvFileError::Code::missing_equals : EnvFileError::Code::bad_key,
                   file, line_no, line);
    }
    const std::string_view key = trim(line.substr(0, eq));
    if (!valid_key(key)) return error(EnvFileError::Code::bad_key, file, line_no, key);
    const std::string_view raw = trim(line.substr(eq + 1));
    if (raw.empty() || (raw[0] != '\'' && raw[0] != '"')) {
      out.emplace_back(key, raw);
      continue;
    }
    std::optional<Parsed> q = parse_quoted(raw);
    if (!q) return error(EnvFileError::Code::unterminated_quote, file, line_no, key);
    const std::string_view rest = trim(q->rest);
    if (!rest.empty() && rest[0] != '#')
      return error(EnvFileError::Code::trailing_text, file, line_no, rest);
    out.emplace_back(key, std::move(q->value));
  }
  return out;
}

Result<EnvAssignments, EnvFileError> read_env_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return EnvFileError{EnvFileError::Code::unreadable, path, 0, errno, ""};
  std::string text;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return EnvFileError{EnvFileError::Code::unreadable, path, 0, errno, ""};
    }
    text.append(buf, static_cast<std::size_t>(n));
  }
  return parse_env_file(text, path);
}

std::string EnvFileError::describe() const {
  if (code == Code::unreadable) return "unable to read " + file + ": " + std::strerror(err);
  std::string where = file + ":" + std::to_string(line) + ": error: ";
  switch (code) {
    case Code::bad_key: return where + "invalid variable name '" + detail + "'";
    case Code::missing_equals: return where + "missing '=' after " + detail;
    case Code::unterminated_quote: return where + "unterminated quote in the value of " + detail;
    case Code::trailing_text: return where + "unexpected text after the closing quote: " + detail;
    case Code::unreadable: break;
  }
  return where + "invalid line";
}

}  // namespace grove::launch
