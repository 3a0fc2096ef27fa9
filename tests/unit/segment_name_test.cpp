#include "grove/ipc/segment_name.hpp"

#include <gtest/gtest.h>

namespace grove::ipc {
namespace {

SegmentName sample() { return SegmentName{1000, "shop", ProcessIdentity{4242, 889911}, "api/web"}; }

TEST(SegmentName, FormatsUidTreeOwnerAndEscapedInbox) {
  EXPECT_EQ(format(sample()), "grove.u1000.shop.p4242-889911.api%2Fweb");
}

TEST(SegmentName, ParsesWhatItFormats) {
  const auto back = parse_segment_name(format(sample()));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, sample());
}

TEST(SegmentName, EscapingKeepsDotsAndSlashesApart) {
  SegmentName a = sample();
  SegmentName b = sample();
  a.inbox = "a.b";
  b.inbox = "a/b";
  EXPECT_NE(format(a), format(b));
  SegmentName c = sample();
  c.tree = "x.p1-1.y";  // looks like a field separator once unescaped
  EXPECT_EQ(*parse_segment_name(format(c)), c);
}

TEST(SegmentName, DifferentUsersTreesAndOwnersNeverCollide) {
  SegmentName u = sample(), t = sample(), o = sample(), s = sample();
  u.uid = 1001;
  t.tree = "shop2";
  o.owner.pid = 4243;
  s.owner.start_ticks = 889912;
  for (const auto& other : {u, t, o, s}) EXPECT_NE(format(other), format(sample()));
}

TEST(SegmentName, RefusesEmptyPartsAndOverlongNames) {
  SegmentName n = sample();
  n.inbox.clear();
  EXPECT_EQ(format(n), "");
  n.inbox = std::string(300, 'x');
  EXPECT_EQ(format(n), "");
}

TEST(SegmentName, ParseRejectsForeignNames) {
  for (const char* text : {"", "sem.foo", "grove.u1000.shop", "grove.uX.shop.p1-1.a",
                           "grove.u1000.shop.p0-1.a", "grove.u1000.shop.p1-1.", "grove.u1000.shop.p1-1.a%2",
                           "grove.u1000.shop.p1-1.a%41", "grove.u1000.sh.op.p1-1.a", "grove.u01.s.p1-1.a"})
    EXPECT_FALSE(parse_segment_name(text)) << text;
}

}  // namespace
}  // namespace grove::ipc
