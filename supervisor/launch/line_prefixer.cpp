#include "line_prefixer.hpp"

#include <algorithm>

namespace grove::launch {

LinePrefixer::LinePrefixer(std::string_view path, std::size_t max_line)
    : prefix_(path.empty() ? std::string() : std::string(path) + " | "), max_line_(std::max<std::size_t>(max_line, 1)) {}

void LinePrefixer::emit(std::string_view line, std::string& out) {
  out.append(prefix_).append(line).push_back('\n');
}

void LinePrefixer::feed(std::string_view bytes, std::string& out) {
  while (!bytes.empty()) {
    const std::size_t room = max_line_ - partial_.size();
    // A '\n' right after max_line bytes still ends that line: no empty extra line.
    const std::size_t nl = bytes.substr(0, room + 1).find('\n');
    if (nl != std::string_view::npos) {
      if (partial_.empty()) {
        emit(bytes.substr(0, nl), out);
      } else {
        partial_.append(bytes.substr(0, nl));
        emit(partial_, out);
        partial_.clear();
      }
      bytes.remove_prefix(nl + 1);
    } else if (bytes.size() > room) {
      partial_.append(bytes.substr(0, room));
      emit(partial_, out);
      partial_.clear();
      bytes.remove_prefix(room);
    } else {
      partial_.append(bytes);
      return;
    }
  }
}

void LinePrefixer::finish(std::string& out) {
  if (partial_.empty()) return;
  emit(partial_, out);
  partial_.clear();
}

}  // namespace grove::launch
