#include "grove/timer_heap.hpp"

namespace grove {

namespace {
constexpr std::uint32_t kUnarmed = ~std::uint32_t{0};
std::uint32_t slot_of(TimerId id) { return static_cast<std::uint32_t>(id.value & 0xffffffffu); }
std::uint32_t generation_of(TimerId id) { return static_cast<std::uint32_t>(id.value >> 32); }
}  // namespace

TimerId TimerHeap::add(SteadyTime when, Pid target, detail::Node* payload) {
  std::uint32_t s;
  if (!free_.empty()) {
    s = free_.back();
    free_.pop_back();
  } else {
    s = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[s];
  slot.when = when;
  slot.target = target;
  slot.payload = payload;
  heap_.push_back(s);
  slot.pos = static_cast<std::uint32_t>(heap_.size() - 1);
  sift_up(slot.pos);
  // Generations start at 1, so no id is 0 ("no timer").
  return TimerId{(std::uint64_t{slot.generation} << 32) | s};
}

detail::Node* TimerHeap::cancel(TimerId id) {
  if (!id) return nullptr;
  const std::uint32_t s = slot_of(id);
  if (s >= slots_.size()) return nullptr;
  const Slot& slot = slots_[s];
  if (slot.generation != generation_of(id) || slot.pos == kUnarmed) return nullptr;
  return take(s);
}

std::optional<SteadyTime> TimerHeap::next_deadline() const {
  if (heap_.empty()) return std::nullopt;
  return slots_[heap_.front()].when;
}

detail::Node* TimerHeap::take(std::uint32_t s) {
  Slot& slot = slots_[s];
  const std::uint32_t pos = slot.pos;
  const std::uint32_t last = heap_.back();
  heap_.pop_back();
  if (last != s) {
    place(pos, last);
    sift_down(pos);
    sift_up(slots_[last].pos);
  }
  detail::Node* payload = slot.payload;
  slot.payload = nullptr;
  slot.pos = kUnarmed;
  if (++slot.generation == 0) slot.generation = 1;
  free_.push_back(s);
  return payload;
}

void TimerHeap::place(std::uint32_t pos, std::uint32_t slot) {
  heap_[pos] = slot;
  slots_[slot].pos = pos;
}

void TimerHeap::sift_up(std::uint32_t pos) {
  const std::uint32_t s = heap_[pos];
  while (pos > 0) {
    const std::uint32_t parent = (pos - 1) / 2;
    if (!before(s, heap_[parent])) break;
    place(pos, heap_[parent]);
    pos = parent;
  }
  place(pos, s);
}

void TimerHeap::sift_down(std::uint32_t pos) {
  const std::uint32_t s = heap_[pos];
  const auto n = static_cast<std::uint32_t>(heap_.size());
  for (;;) {
    std::uint32_t child = 2 * pos + 1;
    if (child >= n) break;
    if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
    if (!before(heap_[child], s)) break;
    place(pos, heap_[child]);
    pos = child;
  }
  place(pos, s);
}

}  // namespace grove
