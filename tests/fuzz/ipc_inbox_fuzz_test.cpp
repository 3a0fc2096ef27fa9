// Replays the libFuzzer target on deterministic random inputs, so the g++
// build (and CI, without clang) runs the same checks on every test run.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

TEST(InboxFuzzReplay, RandomPatchesOverAValidInboxNeverCrashTheReceiver) {
  std::mt19937 rng(1234);
  for (int i = 0; i < 30000; ++i) {
    std::vector<std::uint8_t> input(3 * (1 + rng() % 24));
    for (auto& b : input) b = static_cast<std::uint8_t>(rng());
    if (input[0] == 0xFF) input[0] = 0;
    ASSERT_EQ(LLVMFuzzerTestOneInput(input.data(), input.size()), 0);
  }
}

TEST(InboxFuzzReplay, RawImagesNeverCrashTheReceiver) {
  std::mt19937 rng(99);
  for (int i = 0; i < 3000; ++i) {
    std::vector<std::uint8_t> input(1 + rng() % 9000);
    for (auto& b : input) b = static_cast<std::uint8_t>(rng());
    input[0] = 0xFF;
    ASSERT_EQ(LLVMFuzzerTestOneInput(input.data(), input.size()), 0);
  }
}

TEST(InboxFuzzReplay, EmptyInputIsTheUntouchedInbox) {
  EXPECT_EQ(LLVMFuzzerTestOneInput(nullptr, 0), 0);
}

}  // namespace
