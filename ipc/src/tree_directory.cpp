#include "grove/ipc/tree_directory.hpp"

#include <atomic>
#include <chrono>
#include <cstring>
#include <new>
#include <thread>
#include <utility>

#include "grove/ipc/inbox_layout.hpp"
#include "grove/ipc/process_identity.hpp"

namespace grove::ipc {

namespace {

constexpr std::uint64_t kDirectoryMagic = 0x3153'454D'414E'5647ULL;  // "GVNAMES1"
constexpr std::uint32_t kDirectoryVersion = 1;

// Entry states. Open addressing with linear probing from the name's hash:
// a name's entry is the first published one with that name on its probe
// sequence, and registrations of one name meet at the same first free entry.
constexpr std::uint32_t kFree = 0;       // ends a probe sequence
constexpr std::uint32_t kWriting = 1;    // claimed, name and path being written
constexpr std::uint32_t kPublished = 2;
constexpr std::uint32_t kWithdrawn = 3;  // dropped or abandoned: probes go on, never reused

struct alignas(64) DirectoryHeader {
  std::atomic<std::uint64_t> magic;
  std::uint32_t version;
  std::uint32_t capacity;
  std::uint64_t reserved[6];
};
static_assert(sizeof(DirectoryHeader) == 64);

constexpr std::size_t kField = TreeDirectory::kMaxKey + 1;

std::uint64_t hash_of(std::string_view s) {  // FNV-1a
  std::uint64_t h = 0xCBF2'9CE4'8422'2325ULL;
  for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100'0000'01B3ULL;
  return h;
}

bool valid_key(std::string_view s) {
  return !s.empty() && s.size() <= TreeDirectory::kMaxKey && s.find('\0') == std::string_view::npos;
}

std::size_t bytes_for(std::uint32_t capacity);

}  // namespace

struct TreeDirectory::Entry {
  std::atomic<std::uint32_t> state;
  std::uint32_t reserved;
  std::atomic<std::uint64_t> writer;  // owner word of the process that claimed it
  char name[kField];
  char path[kField];

  // A bounded copy: a scribbled field without NUL still ends at kField.
  static std::string_view field(const char (&f)[kField], char (&copy)[kField]) {
    std::memcpy(copy, f, kField);
    return std::string_view(copy, strnlen(copy, kField - 1));
  }
};
static_assert(sizeof(TreeDirectory::Entry) == 256);
static_assert(std::atomic<std::uint32_t>::is_always_lock_free);

namespace {
std::size_t bytes_for(std::uint32_t capacity) {
  return sizeof(DirectoryHeader) + std::size_t{capacity} * sizeof(TreeDirectory::Entry);
}
DirectoryHeader* header_of(const Segment& s) { return reinterpret_cast<DirectoryHeader*>(s.data()); }
}  // namespace

Result<TreeDirectory> TreeDirectory::create(std::string_view segment_name, std::uint32_t capacity) {
  if (capacity == 0 || capacity > (1u << 20)) return Error{IpcError::invalid_argument, 0, "create tree directory"};
  auto seg = Segment::create(segment_name, bytes_for(capacity));
  if (!seg) return seg.error();
  auto* h = new (seg->data()) DirectoryHeader{};
  h->version = kDirectoryVersion;
  h->capacity = capacity;
  for (std::uint32_t i = 0; i < capacity; ++i)
    new (seg->data() + sizeof(DirectoryHeader) + std::size_t{i} * sizeof(Entry)) Entry{};
  h->magic.store(kDirectoryMagic, std::memory_order_release);  // pairs with open()'s acquire
  return TreeDirectory(std::move(*seg), capacity, true);
}

Result<TreeDirectory> TreeDirectory::open(std::string_view segment_name) {
  constexpr const char* what = "attach tree directory";
  auto seg = Segment::open(segment_name);
  if (!seg) return seg.error();
  if (seg->size() < sizeof(DirectoryHeader)) return Error{IpcError::bad_geometry, 0, what};
  const DirectoryHeader* h = header_of(*seg);
  if (h->magic.load(std::memory_order_acquire) != kDirectoryMagic) return Error{IpcError::bad_magic, 0, what};
  if (h->version != kDirectoryVersion) return Error{IpcError::version_mismatch, 0, what};
  const std::uint32_t capacity = h->capacity;  // read once: the geometry we keep
  if (capacity == 0 || bytes_for(capacity) > seg->size()) return Error{IpcError::bad_geometry, 0, what};
  return TreeDirectory(std::move(*seg), capacity, false);
}

TreeDirectory::~TreeDirectory() {
  if (owner_ && segment_.data() != nullptr) (void)Segment::unlink(segment_.name());
}

TreeDirectory::Entry* TreeDirectory::entry(std::uint32_t i) const {
  return reinterpret_cast<Entry*>(segment_.data() + sizeof(DirectoryHeader) + std::size_t{i} * sizeof(Entry));
}

namespace {

// Waits (bounded) for a claimed entry to be published. An entry whose
// writer is dead, or that stays claimed for a whole second, is withdrawn:
// it will never be finished. Returns the state seen last.
std::uint32_t settle(std::atomic<std::uint32_t>& state, const std::atomic<std::uint64_t>& writer) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  for (;;) {
    std::uint32_t s = state.load(std::memory_order_acquire);
    if (s != kWriting) return s;
    const std::uint64_t w = writer.load(std::memory_order_acquire);
    const bool dead = w != 0 && !is_alive(layout::unpack_owner(w));
    if (dead || std::chrono::steady_clock::now() > give_up) {
      state.compare_exchange_strong(s, kWithdrawn, std::memory_order_acq_rel);
      return state.load(std::memory_order_acquire);
    }
    std::this_thread::yield();
  }
}

void write_field(char (&f)[kField], std::string_view s) {
  std::memset(f, 0, kField);
  std::memcpy(f, s.data(), s.size());
}

}  // namespace

Status TreeDirectory::register_name(std::string_view name, std::string_view path) {
  constexpr const char* what = "register name";
  if (!valid_key(name) || !valid_key(path)) return Error{IpcError::invalid_argument, 0, what};
  const std::uint64_t start = hash_of(name) % capacity_;
  for (std::uint32_t k = 0; k < capacity_;) {
    Entry& e = *entry(static_cast<std::uint32_t>((start + k) % capacity_));
    std::uint32_t s = settle(e.state, e.writer);
    if (s == kFree) {
      if (!e.state.compare_exchange_strong(s, kWriting, std::memory_order_acq_rel)) continue;  // look again
      e.writer.store(layout::pack_owner(ProcessIdentity::self()), std::memory_order_release);
      write_field(e.name, name);
      write_field(e.path, path);
      // A CAS, not a store: a waiter that took us for dead (settle()) may
      // have withdrawn the entry meanwhile; then we look again.
      std::uint32_t writing = kWriting;
      if (e.state.compare_exchange_strong(writing, kPublished, std::memory_order_acq_rel)) return {};
      continue;
    }
    if (s == kPublished) {
      char copy[kField];
      if (Entry::field(e.name, copy) == name) {
        char where[kField];
        if (Entry::field(e.path, where) == path) return {};
        return Error{IpcError::already_exists, 0, what};
      }
    }
    ++k;
  }
  return Error{IpcError::full, 0, what};
}

std::optional<std::uint32_t> TreeDirectory::find(std::string_view name) const {
  if (!valid_key(name)) return std::nullopt;
  const std::uint64_t start = hash_of(name) % capacity_;
  for (std::uint32_t k = 0; k < capacity_; ++k) {
    const std::uint32_t i = static_cast<std::uint32_t>((start + k) % capacity_);
    Entry& e = *entry(i);
    const std::uint32_t s = e.state.load(std::memory_order_acquire);
    if (s == kFree) return std::nullopt;
    char copy[kField];
    if (s == kPublished && Entry::field(e.name, copy) == name) return i;
  }
  return std::nullopt;
}

std::optional<std::string> TreeDirectory::lookup(std::string_view name) const {
  const auto i = find(name);
  if (!i) return std::nullopt;
  char copy[kField];
  std::string path(Entry::field(entry(*i)->path, copy));
  if (path.empty()) return std::nullopt;
  return path;
}

std::size_t TreeDirectory::drop_path(std::string_view path) {
  std::size_t dropped = 0;
  for (std::uint32_t i = 0; i < capacity_; ++i) {
    Entry& e = *entry(i);
    std::uint32_t s = e.state.load(std::memory_order_acquire);
    char copy[kField];
    if (s == kPublished && Entry::field(e.path, copy) == path &&
        e.state.compare_exchange_strong(s, kWithdrawn, std::memory_order_acq_rel))
      ++dropped;
  }
  return dropped;
}

}  // namespace grove::ipc
