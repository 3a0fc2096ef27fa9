// barriers.hpp (private) — the two CPU-level primitives the rings need.
//
// cpu_relax(): the spin-wait hint, so a polling loop yields the core's
// pipeline (and its sibling hyperthread) while it waits.
//
// store_load_fence(): the full fence of the Dekker pairs ("publish my word,
// fence, read the other side's word"); a release store followed by a
// seq_cst load alone lost a wake-up here. ThreadSanitizer does not model
// std::atomic_thread_fence (GCC refuses it under -Werror=tsan), so the TSan
// build uses a seq_cst read-modify-write instead: a locked instruction, the
// same full barrier on x86. TSan never relied on the fence: the data itself
// travels through release/acquire on tail and acked.
#pragma once

#include <atomic>

namespace grove::ipc::detail {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

#if defined(__SANITIZE_THREAD__)
#define GROVE_IPC_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GROVE_IPC_TSAN 1
#endif
#endif

inline void store_load_fence() {
#if defined(GROVE_IPC_TSAN)
  static std::atomic<int> dummy{0};
  dummy.fetch_add(0, std::memory_order_seq_cst);
#else
  std::atomic_thread_fence(std::memory_order_seq_cst);
#endif
}

}  // namespace grove::ipc::detail
