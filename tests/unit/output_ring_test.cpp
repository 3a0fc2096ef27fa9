#include "groved/output_ring.hpp"

#include <gtest/gtest.h>

using grove::groved::OutputRing;

TEST(OutputRing, KeepsTheLastLinesUpToItsCapacity) {
  OutputRing ring(3);
  ring.feed(OutputRing::out, "a\nb\nc\nd\n");
  EXPECT_EQ(ring.last(10), (std::vector<std::string>{"b", "c", "d"}));
  EXPECT_EQ(ring.last(1), (std::vector<std::string>{"d"}));
}

TEST(OutputRing, APartialLineWaitsForItsEnd) {
  OutputRing ring;
  ring.feed(OutputRing::out, "hel");
  EXPECT_TRUE(ring.last(5).empty());
  ring.feed(OutputRing::out, "lo\n");
  EXPECT_EQ(ring.last(5), (std::vector<std::string>{"hello"}));
}

TEST(OutputRing, StdoutAndStderrAreNeverGlued) {
  OutputRing ring;
  ring.feed(OutputRing::out, "part");
  ring.feed(OutputRing::err, "whole\n");
  ring.feed(OutputRing::out, "ial\n");
  EXPECT_EQ(ring.last(5), (std::vector<std::string>{"whole", "partial"}));
}

TEST(OutputRing, FinishFlushesAPartialLine) {
  OutputRing ring;
  ring.feed(OutputRing::err, "no newline");
  ring.finish(OutputRing::err);
  EXPECT_EQ(ring.last(5), (std::vector<std::string>{"no newline"}));
}

TEST(OutputRing, FreshLinesAreHandedOutOnce) {
  OutputRing ring;
  ring.feed(OutputRing::out, "x\ny\n");
  EXPECT_EQ(ring.take_fresh(), (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(ring.take_fresh().empty());
}
