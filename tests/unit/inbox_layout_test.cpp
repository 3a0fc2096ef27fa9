// The binary layout, spelled again in literal numbers: if one of these
// changes, kLayoutVersion must change too.
#include "grove/ipc/inbox_layout.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

namespace grove::ipc::layout {
namespace {

TEST(InboxLayout, MessageHeaderIsThirtyTwoBytesAtFixedOffsets) {
  EXPECT_EQ(sizeof(MessageHeader), 32u);
  EXPECT_EQ(offsetof(MessageHeader, length), 0u);
  EXPECT_EQ(offsetof(MessageHeader, kind), 4u);
  EXPECT_EQ(offsetof(MessageHeader, correlation), 8u);
  EXPECT_EQ(offsetof(MessageHeader, sender), 16u);
  EXPECT_EQ(offsetof(MessageHeader, flags), 20u);
  EXPECT_EQ(offsetof(MessageHeader, deliveries), 22u);
  EXPECT_EQ(offsetof(MessageHeader, seal), 24u);
  EXPECT_EQ(offsetof(MessageHeader, marks), 28u);
}

TEST(InboxLayout, HeaderIsThreeCacheLinesAtFixedOffsets) {
  EXPECT_EQ(sizeof(InboxHeader), 192u);
  EXPECT_EQ(alignof(InboxHeader), 64u);
  EXPECT_EQ(offsetof(InboxHeader, magic), 0u);
  EXPECT_EQ(offsetof(InboxHeader, version), 8u);
  EXPECT_EQ(offsetof(InboxHeader, lanes), 12u);
  EXPECT_EQ(offsetof(InboxHeader, lane_bytes), 16u);
  EXPECT_EQ(offsetof(InboxHeader, max_message), 24u);
  EXPECT_EQ(offsetof(InboxHeader, lanes_offset), 32u);
  EXPECT_EQ(offsetof(InboxHeader, lane_stride), 40u);
  EXPECT_EQ(offsetof(InboxHeader, segment_bytes), 48u);
  EXPECT_EQ(offsetof(InboxHeader, receiver), 64u);
  EXPECT_EQ(offsetof(InboxHeader, wake_seq), 72u);
  EXPECT_EQ(offsetof(InboxHeader, receiver_sleeping), 76u);
  EXPECT_EQ(offsetof(InboxHeader, notify_nonce), 80u);
  EXPECT_EQ(offsetof(InboxHeader, receiver_cpu), 88u);
  EXPECT_EQ(offsetof(InboxHeader, heartbeat), 96u);
  EXPECT_EQ(offsetof(InboxHeader, processes), 104u);
  EXPECT_EQ(offsetof(InboxHeader, corrupt_events), 128u);
  EXPECT_EQ(offsetof(InboxHeader, lanes_reclaimed), 136u);
  EXPECT_EQ(offsetof(InboxHeader, lanes_reset), 144u);
  EXPECT_EQ(offsetof(InboxHeader, redelivered), 152u);
  EXPECT_EQ(offsetof(InboxHeader, receiver_sleeps), 160u);
  EXPECT_EQ(offsetof(InboxHeader, sender_sleeps), 168u);
  EXPECT_EQ(offsetof(InboxHeader, handled), 176u);
  EXPECT_EQ(offsetof(InboxHeader, dead_letters), 184u);
}

TEST(InboxLayout, LaneControlKeepsSenderAndReceiverWordsOnSeparateLines) {
  EXPECT_EQ(sizeof(LaneControl), 128u);
  EXPECT_EQ(offsetof(LaneControl, owner), 0u);
  EXPECT_EQ(offsetof(LaneControl, tail), 8u);
  EXPECT_EQ(offsetof(LaneControl, sender_cpu), 16u);
  EXPECT_EQ(offsetof(LaneControl, acked), 64u);
  EXPECT_EQ(offsetof(LaneControl, read), 72u);
  EXPECT_EQ(offsetof(LaneControl, space_seq), 80u);
  EXPECT_EQ(offsetof(LaneControl, sender_waiting), 84u);
  EXPECT_EQ(offsetof(LaneControl, state), 88u);
}

TEST(InboxLayout, MagicAndVersionArePinned) {
  EXPECT_EQ(kMagic, 0x31584F424E495647ULL);
  const std::uint64_t magic = kMagic;
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(&magic), 8), "GVINBOX1");
  EXPECT_EQ(kLayoutVersion, 4u);
}

TEST(InboxLayout, RecordsArePaddedToThirtyTwoBytes) {
  EXPECT_EQ(record_size(0), 32u);
  EXPECT_EQ(record_size(1), 64u);
  EXPECT_EQ(record_size(32), 64u);
  EXPECT_EQ(record_size(64), 96u);
  EXPECT_EQ(record_size(4096), 4128u);
}

TEST(InboxLayout, OwnerWordPacksPidAndStartTime) {
  const ProcessIdentity who{4194303, 123456789};
  const std::uint64_t word = pack_owner(who);
  EXPECT_EQ(word, (std::uint64_t{123456789} << 22) | 4194303u);
  EXPECT_EQ(unpack_owner(word), who);
  EXPECT_NE(pack_owner(ProcessIdentity{1, 0}), kFree);
  EXPECT_NE(pack_owner(ProcessIdentity{1, 0}), kResetting);
}

TEST(InboxLayout, SealChangesWhenAnySealedFieldChanges) {
  const std::uint32_t base = seal_of(64, 7, 1000, 0);
  EXPECT_NE(base, seal_of(65, 7, 1000, 0));
  EXPECT_NE(base, seal_of(64, 8, 1000, 0));
  EXPECT_NE(base, seal_of(64, 7, 1001, 0));
  EXPECT_NE(base, seal_of(64, 7, 1000, kFlagPadding));
}

TEST(InboxLayout, PlanPlacesLanesAfterTheHeader) {
  auto g = plan_geometry(4, 4096);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->lanes_offset, 192u);
  EXPECT_EQ(g->lane_stride, 128u + 4096u);
  EXPECT_EQ(g->segment_bytes, 192u + 4u * (128u + 4096u));
  EXPECT_EQ(g->max_message, 2048u - 32u);
}

TEST(InboxLayout, PlanRejectsBadLaneCountsAndSizes) {
  EXPECT_EQ(plan_geometry(0, 4096).error().code, IpcError::invalid_argument);
  EXPECT_EQ(plan_geometry(257, 4096).error().code, IpcError::invalid_argument);
  EXPECT_EQ(plan_geometry(1, 2048).error().code, IpcError::invalid_argument);
  EXPECT_EQ(plan_geometry(1, 6000).error().code, IpcError::invalid_argument);
}

class InboxHeaderCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    geo = *plan_geometry(2, 4096);
    bytes.assign(geo.segment_bytes + 64, std::byte{0});
    base = bytes.data() + (64 - reinterpret_cast<std::uintptr_t>(bytes.data()) % 64) % 64;
    initialise(base, geo);
  }
  InboxHeader& header() { return *header_at(base); }
  Geometry geo;
  std::vector<std::byte> bytes;
  std::byte* base = nullptr;
};

TEST_F(InboxHeaderCheck, AcceptsWhatInitialiseWrote) {
  auto seen = check_header(header(), geo.segment_bytes);
  ASSERT_TRUE(seen);
  EXPECT_EQ(*seen, geo);
}

TEST_F(InboxHeaderCheck, WrongMagicIsBadMagic) {
  header().magic.store(0x1234);
  EXPECT_EQ(check_header(header(), geo.segment_bytes).error().code, IpcError::bad_magic);
}

TEST_F(InboxHeaderCheck, OtherVersionIsVersionMismatch) {
  for (const std::uint32_t other : {3u, 5u}) {  // 3: the layout before the record marks
    header().version = other;
    EXPECT_EQ(check_header(header(), geo.segment_bytes).error().code, IpcError::version_mismatch);
  }
}

TEST_F(InboxHeaderCheck, MappingSmallerThanTheGeometryIsBadGeometry) {
  EXPECT_EQ(check_header(header(), geo.segment_bytes - 1).error().code, IpcError::bad_geometry);
}

TEST_F(InboxHeaderCheck, InconsistentFieldsAreBadGeometry) {
  header().lane_stride += 64;
  EXPECT_EQ(check_header(header(), geo.segment_bytes).error().code, IpcError::bad_geometry);
}

}  // namespace
}  // namespace grove::ipc::layout
