#include "process_table.hpp"

namespace grove::detail {

ProcessTable::ProcessTable() : dir_(new std::atomic<ProcessCore*>[kMaxChunks]) {
  for (std::uint32_t i = 0; i < kMaxChunks; ++i) dir_[i].store(nullptr, std::memory_order_relaxed);
}

ProcessTable::~ProcessTable() {
  for (std::uint32_t i = 0; i < kMaxChunks; ++i) delete[] dir_[i].load(std::memory_order_relaxed);
}

ProcessCore* ProcessTable::acquire() {
  std::lock_guard lock(mu_);
  if (!free_.empty()) {
    const std::uint32_t i = free_.back();
    free_.pop_back();
    return at(i);
  }
  const std::uint32_t i = next_.load(std::memory_order_relaxed);
  if (i >= kChunk * kMaxChunks) return nullptr;
  if ((i & (kChunk - 1)) == 0) {
    auto* chunk = new ProcessCore[kChunk];
    for (std::uint32_t k = 0; k < kChunk; ++k) chunk[k].index = i + k;
    dir_[i >> kChunkBits].store(chunk, std::memory_order_release);  // → at()'s acquire
  }
  next_.store(i + 1, std::memory_order_release);
  return at(i);
}

void ProcessTable::release(ProcessCore* core) {
  std::lock_guard lock(mu_);
  free_.push_back(core->index);
}

}  // namespace grove::detail
