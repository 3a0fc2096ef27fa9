#include "groved/output_ring.hpp"

#include <algorithm>

namespace grove::groved {

void OutputRing::feed(Stream stream, std::string_view bytes) {
  std::string split;
  splitters_[stream].feed(bytes, split);
  add(split);
}

void OutputRing::finish(Stream stream) {
  std::string split;
  splitters_[stream].finish(split);
  add(split);
}

void OutputRing::add(const std::string& split) {
  std::size_t start = 0;
  for (std::size_t nl; (nl = split.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines_.emplace_back(split, start, nl - start);
    fresh_.emplace_back(lines_.back());
    if (lines_.size() > capacity_) lines_.pop_front();
  }
  if (fresh_.size() > capacity_) fresh_.erase(fresh_.begin(), fresh_.end() - static_cast<std::ptrdiff_t>(capacity_));
}

std::vector<std::string> OutputRing::last(std::size_t n) const {
  const std::size_t k = std::min(n, lines_.size());
  return {lines_.end() - static_cast<std::ptrdiff_t>(k), lines_.end()};
}

std::vector<std::string> OutputRing::take_fresh() {
  std::vector<std::string> taken;
  taken.swap(fresh_);
  return taken;
}

}  // namespace grove::groved
