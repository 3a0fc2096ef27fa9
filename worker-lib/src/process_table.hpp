// process_table.hpp — the slots that hold process control blocks.
//
// Control blocks live in 4096-slot chunks that are never freed while the
// scheduler lives (type-stable memory), so a sender holding a stale Pid
// may always read the slot's `word` and find out that the serial moved on.
// A Pid is resolved in two loads (directory, slot).
//
// Contract: acquire/release are thread-safe (one mutex; spawn and exit are
// not the per-message path); at() is lock-free and safe on any thread for
// any index below capacity().
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "grove/detail/process_core.hpp"

namespace grove::detail {

class ProcessTable {
 public:
  static constexpr std::uint32_t kChunkBits = 12;
  static constexpr std::uint32_t kChunk = 1u << kChunkBits;
  static constexpr std::uint32_t kMaxChunks = 4096;  // 16.7 M processes

  ProcessTable();
  ~ProcessTable();
  ProcessTable(const ProcessTable&) = delete;
  ProcessTable& operator=(const ProcessTable&) = delete;

  // A free slot (its serial already fresh), or nullptr when full.
  ProcessCore* acquire();
  void release(ProcessCore* core);

  ProcessCore* at(std::uint32_t index) const {
    if (index >= kChunk * kMaxChunks) return nullptr;
    ProcessCore* chunk = dir_[index >> kChunkBits].load(std::memory_order_acquire);
    return chunk ? &chunk[index & (kChunk - 1)] : nullptr;
  }
  std::uint32_t high_water() const { return next_.load(std::memory_order_acquire); }

 private:
  std::mutex mu_;
  std::unique_ptr<std::atomic<ProcessCore*>[]> dir_;
  std::vector<std::uint32_t> free_;
  std::atomic<std::uint32_t> next_{0};
};

}  // namespace grove::detail
