// block_pool.hpp — small fixed-size blocks for messages, coroutine frames
// and timer payloads, without a malloc per message.
//
// Sizes are rounded up to 16 bytes; each thread keeps one free list per size
// class (up to kMaxPooled bytes) and carves new blocks from 64 KiB chunks,
// so a block costs its rounded size and nothing else (no malloc header).
// Larger sizes go to operator new.
//
//   void* p = grove::detail::pool_alloc(48);
//   grove::detail::pool_free(p, 48);          // the same size, any thread
//
// Contract: thread-safe without locks (per-thread lists; a block freed on
// another thread joins that thread's list). Memory is reused, never handed
// back to the system while the program runs. Under AddressSanitizer the pool
// is bypassed so use-after-free is still caught.
#pragma once

#include <cstddef>

namespace grove::detail {

inline constexpr std::size_t kMaxPooled = 1024;

void* pool_alloc(std::size_t size);
void pool_free(void* block, std::size_t size) noexcept;

}  // namespace grove::detail
