// A sender that writes garbage into the shared segment never makes the
// receiver crash, loop forever or read outside the segment: it detects the
// damage, reports it, and recovers the lanes it can.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <random>
#include <set>
#include <vector>

#include "child_process.hpp"
#include "grove/ipc/inbox.hpp"

namespace grove::ipc {
namespace {

using testing::ChildProcess;
using namespace std::chrono_literals;

struct Numbered {
  std::uint32_t seq;
  std::uint32_t check;
};

bool inside(const Segment& seg, std::span<const std::byte> payload) {
  return payload.data() >= seg.data() && payload.data() + payload.size() <= seg.data() + seg.size();
}

TEST(InboxGarbage, AScribbledLaneIsQuarantinedWhileOtherLanesFlowThenReset) {
  const SegmentName name{static_cast<std::uint32_t>(::getuid()), "ipc-garbage",
                         ProcessIdentity::self(), "lane"};
  auto inbox = Inbox::create(name, {.lanes = 4, .lane_bytes = 4096});
  ASSERT_TRUE(inbox) << describe(inbox.error());
  std::vector<CorruptionReport> reports;
  auto reader = inbox->reader({.spin_for = 1us, .on_corruption = [&](const CorruptionReport& r) {
                                 reports.push_back(r);
                               }});
  ASSERT_TRUE(reader);
  constexpr std::uint32_t kGood = 20000;
  ChildProcess good = ChildProcess::spawn([&](ChildProcess::Channel&) {
    auto w = InboxWriter::open(inbox->name(), {.sender = 1});
    if (!w) return 2;
    for (std::uint32_t i = 0; i < kGood; ++i) {
      const Numbered n{i, ~i};
      if (!w->send({.kind = 1}, std::as_bytes(std::span(&n, 1)), Clock::now() + 20s)) return 3;
    }
    return 0;
  });
  // The scribbler claims a lane, sends a few real messages, then writes
  // random bytes over its lane's tail, acked, read and ring (headers and
  // lengths), and ends with a tail no valid lane can have. Exit code: 10 + lane.
  ChildProcess scribbler = ChildProcess::spawn([&](ChildProcess::Channel& ch) {
    auto w = InboxWriter::open(inbox->name(), {.sender = 2});
    auto seg = Segment::open(inbox->name());
    if (!w || !seg) return 2;
    for (int i = 0; i < 50; ++i) (void)w->try_send({.kind = 2}, std::as_bytes(std::span("real")));
    auto geo = layout::check_header(*layout::header_at(seg->data()), seg->size());
    std::byte* lane = reinterpret_cast<std::byte*>(layout::lane_at(seg->data(), *geo, w->lane()));
    std::mt19937_64 rng(42);
    for (int i = 0; i < 20000; ++i) {
      // From tail (offset 8) to the ring's end; the owner word stays ours.
      const std::uint64_t span = geo->lane_stride - 8;
      const std::uint64_t at = 8 + rng() % span;
      const std::uint64_t len = std::min<std::uint64_t>(1 + rng() % 16, geo->lane_stride - at);
      for (std::uint64_t k = 0; k < len; ++k) lane[at + k] = static_cast<std::byte>(rng());
      if (i % 64 == 0) (void)w->try_send({.kind = 2}, std::as_bytes(std::span("more")));
    }
    layout::lane_at(seg->data(), *geo, w->lane())->tail.store(0xDEADBEEF);
    ch.signal_ready();
    return 10 + static_cast<int>(w->lane());
  });
  ASSERT_TRUE(good.started() && scribbler.started());

  std::array<Message, 64> batch;
  std::uint32_t next = 0;
  bool scribbler_done = false;
  while (next < kGood || !scribbler_done) {
    if (!scribbler_done) scribbler_done = scribbler.wait_ready(Clock::now());
    auto n = reader->receive(batch, Clock::now() + 20s);
    ASSERT_TRUE(n || next == kGood) << describe(n.error());
    for (std::size_t i = 0; n && i < *n; ++i) {
      ASSERT_TRUE(inside(reader->segment(), batch[i].payload));
      if (batch[i].sender != 1) continue;  // whatever survives of the scribbler's
      Numbered got;
      ASSERT_EQ(batch[i].payload.size(), sizeof got);
      std::memcpy(&got, batch[i].payload.data(), sizeof got);
      ASSERT_EQ(got.seq, next++);
      ASSERT_EQ(got.check, ~got.seq);
    }
    reader->release_all();
  }
  (void)reader->try_peek(batch);  // sees the final bad tail at the latest now
  reader->release_all();
  EXPECT_TRUE(good.exited_cleanly(Clock::now() + 20s));
  const auto status = scribbler.wait_exit(Clock::now() + 20s);
  ASSERT_TRUE(status && WIFEXITED(*status));
  const auto bad_lane = static_cast<std::uint32_t>(WEXITSTATUS(*status) - 10);

  ASSERT_FALSE(reports.empty());
  for (const auto& r : reports) EXPECT_EQ(r.lane, bad_lane) << r.what;
  EXPECT_EQ(inbox->stats().corrupt_events, reports.size());

  // Its owner is gone: the lane is wiped (by wait() already, or now) and
  // serves a new sender.
  reader->recover();
  EXPECT_EQ(inbox->stats().lanes_reset, 1u);
  std::vector<InboxWriter> writers;
  for (int i = 0; i < 4; ++i) {
    auto w = inbox->writer({.sender = static_cast<std::uint32_t>(100 + i)});
    ASSERT_TRUE(w) << describe(w.error());
    ASSERT_TRUE(w->try_send({.kind = 9}, {}));
    writers.push_back(std::move(*w));
  }
  std::set<std::uint32_t> lanes_heard;
  for (int got = 0; got < 4;) {
    auto n = reader->receive(batch, Clock::now() + 5s);
    ASSERT_TRUE(n);
    for (std::size_t i = 0; i < *n; ++i, ++got) lanes_heard.insert(batch[i].lane);
  }
  EXPECT_EQ(lanes_heard.size(), 4u);
}

// Random bytes anywhere (header, lane controls, rings), over and over, while
// a receiver keeps receiving, re-attaching and recovering: nothing it hands
// out lies outside the segment and no call outlives its deadline by much.
TEST(InboxGarbage, RandomBytesAnywhereNeverCrashOrHangTheReceiver) {
  auto inbox = Inbox::create_anonymous({.lanes = 4, .lane_bytes = 4096});
  ASSERT_TRUE(inbox);
  auto geo = *layout::plan_geometry(4, 4096);
  // A forked child shares the memfd mapping: it scribbles while we read.
  auto shared = Segment::open_fd(inbox->fd());
  ASSERT_TRUE(shared);
  std::byte* base = shared->data();
  ChildProcess scribbler = ChildProcess::spawn([&](ChildProcess::Channel&) {
    std::mt19937_64 rng(7);
    auto w = inbox->writer({.sender = 3});
    const auto stop = Clock::now() + 1500ms;
    for (int i = 0; Clock::now() < stop; ++i) {
      const std::uint64_t at = rng() % geo.segment_bytes;
      const std::uint64_t len = std::min<std::uint64_t>(1 + rng() % 24, geo.segment_bytes - at);
      for (std::uint64_t k = 0; k < len; ++k) base[at + k] = static_cast<std::byte>(rng());
      if (i % 997 == 0) layout::initialise(base, geo);  // a fresh start to damage again
      if (w && i % 5 == 0) (void)w->try_send({.kind = 3}, std::as_bytes(std::span("payload")));
    }
    return 0;
  });
  ASSERT_TRUE(scribbler.started());
  std::array<Message, 32> batch;
  std::uint64_t delivered = 0;
  int attaches = 0;
  bool done = false;
  const auto stop = Clock::now() + 5s;
  while (!done && Clock::now() < stop) {
    done = scribbler.wait_exit(Clock::now()).has_value();
    auto reader = inbox->reader({.spin_for = 1us});
    if (!reader) {
      const auto code = reader.error().code;
      EXPECT_TRUE(code == IpcError::bad_magic || code == IpcError::version_mismatch ||
                  code == IpcError::bad_geometry || code == IpcError::receiver_busy)
          << describe(reader.error());
      continue;
    }
    ++attaches;
    auto writer = inbox->writer({.sender = 4});
    for (int i = 0; i < 20; ++i) {
      if (writer) (void)writer->try_send({.kind = 4}, std::as_bytes(std::span("ok")));
      const auto deadline = Clock::now() + 1ms;
      auto n = reader->receive(batch, deadline);
      ASSERT_LT(Clock::now(), deadline + 1s);
      for (std::size_t k = 0; n && k < *n; ++k, ++delivered)
        ASSERT_TRUE(inside(reader->segment(), batch[k].payload));
      reader->release_all();
      reader->recover();
    }
  }
  EXPECT_GT(attaches, 0);
  std::printf("attaches %d, messages delivered %llu, corrupt events %llu\n", attaches,
              static_cast<unsigned long long>(delivered),
              static_cast<unsigned long long>(inbox->stats().corrupt_events));
}

}  // namespace
}  // namespace grove::ipc
