// libFuzzer target: arbitrary segment contents fed to the receiver (and a
// sender). The input patches a valid inbox holding a few messages:
//   byte 0 == 0xFF: the rest is a raw image copied over the segment's start;
//   otherwise: (offset lo, offset hi, value) triples patched one by one,
// so small inputs reach deep states. The receiver must never crash, hang or
// hand out a payload outside the segment (checked: abort() = finding).
//
// Build (clang): tests/ipc.cmake builds ipc_inbox_fuzz when clang++ exists;
// run: build-ipc/fuzz/ipc_inbox_fuzz -max_total_time=60
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "grove/ipc/inbox.hpp"

using namespace grove::ipc;

namespace {

bool inside(const Segment& seg, std::span<const std::byte> p) {
  return p.data() >= seg.data() && p.data() + p.size() <= seg.data() + seg.size();
}

Inbox& fuzz_inbox() {
  static std::optional<Inbox> inbox;
  if (!inbox) inbox.emplace(std::move(*Inbox::create_anonymous({.lanes = 2, .lane_bytes = 4096})));
  return *inbox;
}

void fill_valid(Inbox& inbox, std::byte* base, const layout::Geometry& geo) {
  std::memset(base, 0, geo.segment_bytes);
  layout::initialise(base, geo);
  auto w = inbox.writer({.sender = 5});
  if (!w) std::abort();
  for (std::uint32_t k = 0; k < 6; ++k) {
    const char text[] = "fuzz message";
    (void)w->try_send({.kind = k, .correlation = k}, std::as_bytes(std::span(text)).first(k * 2));
  }
}

void apply(std::byte* base, std::size_t size, const std::uint8_t* data, std::size_t n) {
  if (n > 0 && data[0] == 0xFF) {
    std::memcpy(base, data + 1, std::min(size, n - 1));
    return;
  }
  for (std::size_t i = 0; i + 3 <= n; i += 3) {
    const std::size_t at = (std::size_t{data[i]} | std::size_t{data[i + 1]} << 8) % size;
    base[at] = static_cast<std::byte>(data[i + 2]);
  }
}

void drive_receiver(Inbox& inbox) {
  auto reader = inbox.reader({.spin_for = std::chrono::nanoseconds::zero()});
  if (!reader) return;
  std::array<Message, 8> batch;
  for (int round = 0; round < 16; ++round) {
    const std::size_t n = reader->try_peek(batch);
    for (std::size_t i = 0; i < n; ++i)
      if (!inside(reader->segment(), batch[i].payload)) std::abort();
    if (n > 0) reader->release(batch[0]);
    reader->release_all();
    reader->recover();
    // Never sleeps: the deadline has passed.
    (void)reader->wait(grove::ipc::Clock::now(), std::chrono::nanoseconds::zero());
  }
  auto w = inbox.writer();
  if (w) (void)w->try_send({.kind = 1}, std::as_bytes(std::span("after")));
  if (reader->try_peek(batch) > batch.size()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Inbox& inbox = fuzz_inbox();
  static std::optional<Segment> view;
  if (!view) view.emplace(std::move(*Segment::open_fd(inbox.fd())));
  const auto geo = *layout::plan_geometry(2, 4096);
  fill_valid(inbox, view->data(), geo);
  apply(view->data(), geo.segment_bytes, data, size);
  drive_receiver(inbox);
  return 0;
}
