#include "grove/detail/block_pool.hpp"

#include <array>
#include <mutex>
#include <new>
#include <vector>

namespace grove::detail {

#if defined(__SANITIZE_ADDRESS__)

void* pool_alloc(std::size_t size) { return ::operator new(size); }
void pool_free(void* block, std::size_t) noexcept { ::operator delete(block); }

#else

namespace {

constexpr std::size_t kGrain = 16;
constexpr std::size_t kClasses = kMaxPooled / kGrain;
constexpr std::size_t kChunk = 64 * 1024;

struct FreeBlock {
  FreeBlock* next;
};

// Chunks stay reachable for the program's life (blocks migrate between
// threads, so no thread can own a chunk).
std::mutex chunks_mu;
std::vector<void*>& chunks() {
  static auto* all = new std::vector<void*>;
  return *all;
}

struct ThreadPool {
  std::array<FreeBlock*, kClasses> free{};
  char* carve = nullptr;
  std::size_t carve_left = 0;

  void* refill(std::size_t bytes) {
    if (carve_left < bytes) {
      carve = static_cast<char*>(::operator new(kChunk));
      carve_left = kChunk;
      std::lock_guard lock(chunks_mu);
      chunks().push_back(carve);
    }
    void* out = carve;
    carve += bytes;
    carve_left -= bytes;
    return out;
  }
};

thread_local ThreadPool tls_pool;

std::size_t class_of(std::size_t size) { return (size + kGrain - 1) / kGrain - 1; }

}  // namespace

void* pool_alloc(std::size_t size) {
  if (size > kMaxPooled || size == 0) return ::operator new(size);
  ThreadPool& tp = tls_pool;
  const std::size_t c = class_of(size);
  if (FreeBlock* b = tp.free[c]) {
    tp.free[c] = b->next;
    return b;
  }
  return tp.refill((c + 1) * kGrain);
}

void pool_free(void* block, std::size_t size) noexcept {
  if (size > kMaxPooled || size == 0) {
    ::operator delete(block);
    return;
  }
  ThreadPool& tp = tls_pool;
  const std::size_t c = class_of(size);
  auto* b = static_cast<FreeBlock*>(block);
  b->next = tp.free[c];
  tp.free[c] = b;
}

#endif

}  // namespace grove::detail
