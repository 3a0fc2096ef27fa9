// own_output.hpp — groved's own stdout and stderr (events, children's
// prefixed lines), which must never stop supervision: a reader that stops
// reading (a full pipe, a terminal after Ctrl-S, a stalled log shipper)
// costs at most lines, never the event loop.
//
//   setup_own_output("shop");               // once, in main, before any fork
//   write_own_output(1, "api: hello\n");    // whole lines, in order, never waits
//   on_own_output_pending([&](int fd) { loop.watch(fd, EPOLLOUT, ...); });
//   if (flush_own_output(fd)) loop.unwatch(fd);   // when fd takes writes again
//
// setup_own_output() gives fds 1 and 2 open file descriptions of groved's
// own, opened O_NONBLOCK through /proc/self/fd when they are a pipe, FIFO or
// terminal (the shell's description keeps its flags); a socket is written
// with MSG_DONTWAIT; a regular file as it is (no reader to wait for).
// Lines go out in chunks of whole lines of at most PIPE_BUF bytes, so lines
// of several supervisor processes sharing a pipe never interleave; fds 1
// and 2 on one file (`>log 2>&1`, a journal stream) share one queue, in
// order. What the stream does not take now waits in a buffer of up to
// 1 MiB per stream, flushed by the supervisor's event loop when the fd is writable;
// past that, lines are dropped and counted, and an output_dropped event
// on stderr says how many once the stream takes writes again. A nested
// supervisor starts with empty buffers (reset_own_output_after_fork()).
// Children never get these fds (their output comes through pipes). A closed
// fd 0-2 gets /dev/null, so no later socket or pipe takes its number.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace grove::groved {

void setup_own_output(std::string tree);
void write_own_output(int fd, std::string_view text);
// Called when fd's buffer stops being empty (and at once for a buffer that
// is not): watch fd for EPOLLOUT.
void on_own_output_pending(std::function<void(int fd)> watch);
// Writes what the buffer holds, as far as fd takes it; true once empty.
bool flush_own_output(int fd);
// In a forked supervisor: the parent's buffers and watcher are not ours.
void reset_own_output_after_fork();
// At exit: what still waits gets up to `budget` to be written.
void drain_own_output(std::chrono::milliseconds budget);

}  // namespace grove::groved
