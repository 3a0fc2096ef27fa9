// env_file.hpp — a child's `env_file`: KEY=VALUE lines, as assignments.
//
//   # database settings
//   export DB_HOST=db.local
//   DB_PASSWORD='s3cr#t'          # single quotes: literal
//   GREETING="hello\n\"world\""   # double quotes: \\ \" \n \t \$ escapes
//
//   auto vars = read_env_file("/etc/shop/web.env");
//   if (!vars) report(vars.error().describe());   // "web.env:3: error: ..."
//
// Rules: blank lines and lines starting with '#' (after spaces) are skipped;
// an `export ` prefix is tolerated; KEY is [A-Za-z_][A-Za-z0-9_]*; spaces
// around KEY and around an unquoted value are trimmed; an unquoted value is
// taken verbatim otherwise ('#' inside it is data: URLs have fragments);
// after a closing quote only spaces or a `# comment` may follow. CRLF line
// ends are accepted. One value per line (no multi-line quotes).
// Contract: parse_env_file is pure; read_env_file does one blocking read of
// a small local file (call it while preparing a spawn).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "result.hpp"

namespace grove::launch {

using EnvAssignments = std::vector<std::pair<std::string, std::string>>;

struct EnvFileError {
  enum class Code { unreadable, bad_key, missing_equals, unterminated_quote, trailing_text };
  Code code;
  std::string file;
  int line = 0;   // 1-based; 0 for unreadable
  int err = 0;    // errno for unreadable
  std::string detail;            // the offending key or text, for describe()
  std::string describe() const;  // "web.env:3: error: missing '=' after DB_HOST"
};

Result<EnvAssignments, EnvFileError> parse_env_file(std::string_view text, std::string_view file);
Result<EnvAssignments, EnvFileError> read_env_file(const std::string& path);

}  // namespace grove::launch
