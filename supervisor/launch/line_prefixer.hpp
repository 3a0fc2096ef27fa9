// line_prefixer.hpp — a child's raw output as whole lines tagged with its path.
//
//   LinePrefixer web("api/web");
//   std::string out;
//   web.feed("hello\nwor", out);   // out == "api/web | hello\n"
//   web.feed("ld\n", out);         // out += "api/web | world\n"
//   web.finish(out);               // EOF: a partial last line gets its '\n'
//   write(1, out.data(), out.size());
//
// Contract: pure, no system calls. Bytes pass through unchanged (no
// decoding; '\r' kept). A line longer than max_line bytes (default 4 KiB)
// is cut into pieces of max_line bytes, each emitted as its own prefixed
// line, so a child that never writes '\n' cannot make groved buffer without
// bound; at most max_line bytes are held between calls.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace grove::launch {

class LinePrefixer {
 public:
  static constexpr std::size_t default_max_line = 4096;

  // An empty path means no prefix: the prefixer then only splits lines.
  explicit LinePrefixer(std::string_view path, std::size_t max_line = default_max_line);

  // Appends every line completed by `bytes` to `out`, prefixed.
  void feed(std::string_view bytes, std::string& out);
  // End of stream: appends the held partial line (if any) with a '\n'.
  void finish(std::string& out);
  // Bytes held back waiting for their '\n'.
  std::size_t pending() const { return partial_.size(); }

 private:
  void emit(std::string_view line, std::string& out);

  std::string prefix_;  // "api/web | "
  std::size_t max_line_;
  std::string partial_;
};

}  // namespace grove::launch
