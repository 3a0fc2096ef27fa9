// kv_frame.hpp — the frames of the unix_socket peer of tree.call/tree.cast:
// the same logical messages as the BEAM peer's gen_server ({put,K,V},
// {get,K}, cast {put,K,V}), spelled as length-prefixed byte frames.
//
//   KvRequest r = put_request(KvOp::put_call, 7, value_for(41));
//   write_all(fd, r.bytes.data(), r.size);      // one write() per frame
//
// Request frame: u32 length (bytes after it) | u8 op | u32 key | 64-byte
// value (put only). Reply frame (calls only): u32 length | u8 status |
// 64-byte value (get of a present key only). Host byte order: both ends run
// on the same machine. The value's first 8 bytes carry a sequence number,
// so a get after casts proves which cast was handled last.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace grove::bench {

inline constexpr std::size_t kValueSize = 64;
using KvValue = std::array<std::byte, kValueSize>;

enum class KvOp : std::uint8_t { put_call = 1, get_call = 2, put_cast = 3 };
enum class KvStatus : std::uint8_t { ok = 0, not_found = 1 };

inline constexpr std::size_t kLengthSize = sizeof(std::uint32_t);
inline constexpr std::size_t kKeyOffset = 1;                    // after the op byte
inline constexpr std::size_t kValueOffset = kKeyOffset + sizeof(std::uint32_t);
inline constexpr std::size_t kPutBody = kValueOffset + kValueSize;  // 69
inline constexpr std::size_t kGetBody = kValueOffset;               // 5

// A frame ready to write: the first `size` bytes of `bytes`.
struct KvFrame {
  std::array<std::byte, kLengthSize + kPutBody> bytes{};
  std::size_t size = 0;
};

inline void store_u32(std::byte* at, std::uint32_t v) { std::memcpy(at, &v, sizeof v); }
inline std::uint32_t load_u32(const std::byte* at) {
  std::uint32_t v = 0;
  std::memcpy(&v, at, sizeof v);
  return v;
}

inline KvValue value_for(std::uint64_t sequence) {
  KvValue v{};
  std::memcpy(v.data(), &sequence, sizeof sequence);
  return v;
}
inline std::uint64_t sequence_of(const std::byte* value) {
  std::uint64_t s = 0;
  std::memcpy(&s, value, sizeof s);
  return s;
}

// op is put_call or put_cast.
inline KvFrame put_request(KvOp op, std::uint32_t key, const KvValue& value) {
  KvFrame f;
  store_u32(f.bytes.data(), static_cast<std::uint32_t>(kPutBody));
  f.bytes[kLengthSize] = static_cast<std::byte>(op);
  store_u32(f.bytes.data() + kLengthSize + kKeyOffset, key);
  std::memcpy(f.bytes.data() + kLengthSize + kValueOffset, value.data(), kValueSize);
  f.size = kLengthSize + kPutBody;
  return f;
}

inline KvFrame get_request(std::uint32_t key) {
  KvFrame f;
  store_u32(f.bytes.data(), static_cast<std::uint32_t>(kGetBody));
  f.bytes[kLengthSize] = static_cast<std::byte>(KvOp::get_call);
  store_u32(f.bytes.data() + kLengthSize + kKeyOffset, key);
  f.size = kLengthSize + kGetBody;
  return f;
}

// value is null for put's reply and for a missing key.
inline KvFrame reply(KvStatus status, const KvValue* value) {
  KvFrame f;
  const std::size_t body = 1 + (value != nullptr ? kValueSize : 0);
  store_u32(f.bytes.data(), static_cast<std::uint32_t>(body));
  f.bytes[kLengthSize] = static_cast<std::byte>(status);
  if (value != nullptr) std::memcpy(f.bytes.data() + kLengthSize + 1, value->data(), kValueSize);
  f.size = kLengthSize + body;
  return f;
}

}  // namespace grove::bench
