#include "control/line_channel.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>

namespace grove::control {

LineChannel::LineChannel(launch::UniqueFd fd, std::size_t max_line, std::size_t max_queued)
    : fd_(std::move(fd)), max_line_(max_line), max_queued_(max_queued) {}

LineChannel::Read LineChannel::read_lines(std::vector<std::string>& out) {
  std::array<char, 65536> buf{};
  for (;;) {
    const ssize_t n = ::read(fd_.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK ? Read::ok : Read::error;
    if (n == 0) return Read::eof;
    in_.append(buf.data(), static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (std::size_t nl; (nl = in_.find('\n', start)) != std::string::npos; start = nl + 1)
      out.emplace_back(in_, start, nl - start);
    in_.erase(0, start);
    if (in_.size() > max_line_) return Read::too_long;
    if (static_cast<std::size_t>(n) < buf.size()) return Read::ok;
  }
}

void LineChannel::send(std::string line) {
  if (sent_ == out_.size()) {
    out_.clear();
    sent_ = 0;
  }
  out_ += line;
  out_ += '\n';
}

bool LineChannel::flush() {
  while (sent_ < out_.size()) {
    const ssize_t n = ::send(fd_.get(), out_.data() + sent_, out_.size() - sent_, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n <= 0) return false;
    sent_ += static_cast<std::size_t>(n);
  }
  if (sent_ == out_.size()) {
    out_.clear();
    sent_ = 0;
  }
  return out_.size() - sent_ <= max_queued_;
}

}  // namespace grove::control
