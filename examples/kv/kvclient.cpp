// kvclient — the kv example's client: streams `count` numbered writes to
// "kv" (at most `rate` per second, 0 = as fast as the inbox takes them),
// then waits until the store has applied all of them and checks their sum.
// Exit 0: every write applied exactly once; 1: something was lost.
//
//   kvclient COUNT [RATE]
//
// Restarted mid-stream (SIGKILL), it asks the store where its stream stands
// and goes on from there: writes still queued from its previous life are
// skipped by the store as duplicates.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "grove/grove.hpp"
#include "grove/tree.hpp"
#include "kv_messages.hpp"

using namespace std::chrono_literals;

namespace {

grove::Async<ClientState> progress(ClientName me) {
  for (;;) {  // the store may be restarting: ask again
    auto r = co_await grove::tree_call<ClientState>("kv", Progress{me}, {.timeout = 2s});
    if (r) co_return *r;
    std::fprintf(stderr, "kvclient: progress: %s (retrying)\n", describe(r.error()).c_str());
    co_await grove::sleep_for(100ms);
  }
}

grove::Process client(grove::Tree* tree, std::uint64_t count, std::uint64_t rate, int* exit_code) {
  tree->ready();
  const ClientName me(tree->path().empty() ? "client" : tree->path());
  const ClientState start = co_await progress(me);
  std::fprintf(stderr, "kvclient %s: writing %llu..%llu\n", std::string(me.view()).c_str(),
               static_cast<unsigned long long>(start.next), static_cast<unsigned long long>(count));
  constexpr std::uint64_t kBurst = 100;
  for (std::uint64_t seq = start.next; seq < count; ++seq) {
    if (auto sent = grove::tree_cast("kv", Put{me, seq, value_of(seq)}, {.timeout = 10s}); !sent) {
      std::fprintf(stderr, "kvclient: write %llu refused: %s\n", static_cast<unsigned long long>(seq),
                   std::string(describe(sent.error())).c_str());
      *exit_code = 1;
      co_return;
    }
    if (rate != 0 && seq % kBurst == kBurst - 1) co_await grove::sleep_for(std::chrono::nanoseconds(1'000'000'000ull * kBurst / rate));
  }
  ClientState done = co_await progress(me);
  for (int i = 0; i < 300 && done.next < count; ++i) {
    co_await grove::sleep_for(20ms);
    done = co_await progress(me);
  }
  std::uint64_t expected = 0;
  for (std::uint64_t s = 0; s < count; ++s) expected += value_of(s);
  const bool ok = done.next == count && done.sum == expected && done.gaps == 0;
  std::printf("kvclient %s: %llu writes, store applied %llu (sum %s), %llu duplicates skipped, %llu gaps: %s\n",
              std::string(me.view()).c_str(), static_cast<unsigned long long>(count),
              static_cast<unsigned long long>(done.next), done.sum == expected ? "ok" : "WRONG",
              static_cast<unsigned long long>(done.duplicates), static_cast<unsigned long long>(done.gaps),
              ok ? "nothing lost" : "LOST WRITES");
  std::fflush(stdout);
  *exit_code = ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: kvclient COUNT [RATE]\n");
    return 2;
  }
  const std::uint64_t count = std::strtoull(argv[1], nullptr, 10);
  const std::uint64_t rate = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 0;
  grove::Scheduler sched;
  grove::Tree tree(sched);
  int exit_code = 1;
  sched.run_until_exit(sched.spawn(client, &tree, count, rate, &exit_code));
  return exit_code;
}
