// output_ring.hpp — the last lines a child wrote, for `grovectl logs`.
//
// groved reads every child output that goes through a pipe (stdout/stderr
// "inherit" or "log"); it keeps the most recent lines of each child here so
// `grovectl logs PATH -n N` answers without touching files, and hands each
// new line to the clients following it (`logs -f`).
//
//   OutputRing ring;                       // keeps the last 1000 lines
//   ring.feed(OutputRing::out, bytes);     // what read(2) returned on stdout
//   for (auto& line : ring.take_fresh()) notify(line);
//   auto tail = ring.last(20);
//
// Contract: bounded memory (capacity lines of at most 4 KiB each); pure.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "launch/line_prefixer.hpp"

namespace grove::groved {

class OutputRing {
 public:
  // stdout and stderr are split into lines apart, so a partial line of one
  // is never glued to a line of the other.
  enum Stream { out = 0, err = 1 };

  explicit OutputRing(std::size_t capacity = 1000)
      : capacity_(capacity), splitters_{launch::LinePrefixer(""), launch::LinePrefixer("")} {}

  void feed(Stream stream, std::string_view bytes);
  void finish(Stream stream);  // the stream ended: a last partial line counts
  std::vector<std::string> last(std::size_t n) const;
  // The lines completed since the last call.
  std::vector<std::string> take_fresh();

 private:
  void add(const std::string& split);
  std::size_t capacity_;
  launch::LinePrefixer splitters_[2];
  std::deque<std::string> lines_;
  std::vector<std::string> fresh_;
};

}  // namespace grove::groved
