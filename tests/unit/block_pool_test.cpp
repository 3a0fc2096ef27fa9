// block_pool: blocks are usable, distinct, reused, and may be freed on
// another thread.
#include "grove/detail/block_pool.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <thread>
#include <vector>

using grove::detail::pool_alloc;
using grove::detail::pool_free;

TEST(BlockPool, BlocksAreDistinctAndWritable) {
  std::set<void*> seen;
  std::vector<void*> blocks;
  for (int i = 0; i < 1000; ++i) {
    void* b = pool_alloc(48);
    std::memset(b, 0xab, 48);
    EXPECT_TRUE(seen.insert(b).second);
    blocks.push_back(b);
  }
  for (void* b : blocks) pool_free(b, 48);
}

TEST(BlockPool, LargeSizesGoToTheHeap) {
  void* b = pool_alloc(grove::detail::kMaxPooled + 1);
  std::memset(b, 1, grove::detail::kMaxPooled + 1);
  pool_free(b, grove::detail::kMaxPooled + 1);
}

TEST(BlockPool, ABlockFreedOnAnotherThreadIsReusable) {
  void* b = pool_alloc(64);
  std::thread([b] { pool_free(b, 64); }).join();
  void* c = pool_alloc(64);
  std::memset(c, 0, 64);
  pool_free(c, 64);
}
