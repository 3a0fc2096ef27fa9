// line_channel.hpp — one nonblocking NDJSON connection: lines in, lines out.
//
// Used by groved for each grovectl connection and for the channel between
// a supervisor and each nested supervisor, and (blocking, with a deadline)
// by the client side.
//
//   LineChannel ch(std::move(fd));
//   std::vector<std::string> lines;
//   if (ch.read_lines(lines) != LineChannel::Read::ok) close it;
//   ch.send(encode(reply));          // queued
//   if (!ch.flush()) close it;       // writes what the socket takes now
//   watch EPOLLOUT while ch.wants_write()
//
// Contract: never blocks on a nonblocking fd. A line longer than max_line
// (a peer that never sends a newline) is `too_long`: the caller drops the
// connection, so a hostile client costs at most max_line bytes of memory.
// Output is bounded too: more than max_queued unsent bytes (a client that
// stopped reading) makes flush() report failure.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "launch/unique_fd.hpp"

namespace grove::control {

class LineChannel {
 public:
  enum class Read { ok, eof, too_long, error };

  explicit LineChannel(launch::UniqueFd fd, std::size_t max_line = 1 << 20,
                       std::size_t max_queued = 64u << 20);

  // Appends every complete line that is available now to `out`.
  Read read_lines(std::vector<std::string>& out);
  void send(std::string line);  // adds the '\n'
  // Writes queued output until the socket would block. False: peer gone or
  // too far behind.
  bool flush();
  bool wants_write() const { return sent_ < out_.size(); }
  int fd() const { return fd_.get(); }

 private:
  launch::UniqueFd fd_;
  std::size_t max_line_;
  std::size_t max_queued_;
  std::string in_;
  std::string out_;
  std::size_t sent_ = 0;
};

}  // namespace grove::control
