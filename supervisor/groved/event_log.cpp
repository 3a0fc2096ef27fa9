#include "groved/event_log.hpp"

#include "groved/own_output.hpp"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

namespace grove::groved {

LogLine::LogLine(std::string_view event) {
  line_.reserve(160);
  line_ += "groved: event=";
  line_ += event;
}

LogLine::~LogLine() {
  line_ += '\n';
  // One write (lines from several supervisor processes must not
  // interleave), never waiting for a reader: see own_output.hpp.
  write_own_output(2, line_);
}

LogLine& LogLine::kv(std::string_view key, std::string_view value) {
  line_ += ' ';
  line_ += key;
  line_ += '=';
  const bool quote = value.empty() || value.find_first_of(" \"=\t\n") != std::string_view::npos;
  if (!quote) {
    line_ += value;
    return *this;
  }
  line_ += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') line_ += '\\';
    line_ += c == '\n' ? ' ' : c;
  }
  line_ += '"';
  return *this;
}

LogLine& LogLine::kv(std::string_view key, std::int64_t value) {
  return kv(key, std::string_view(std::to_string(value)));
}

std::string describe_wait_status(int wait_status) {
  if (WIFEXITED(wait_status)) return "exit:" + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) return "signal:" + std::string(signal_name(WTERMSIG(wait_status)));
  return "unknown";
}

}  // namespace grove::groved
