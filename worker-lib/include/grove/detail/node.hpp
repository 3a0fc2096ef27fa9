// node.hpp — the one heap shape that travels through mailboxes.
//
// Every message and every system signal (link, monitor, exit, reply,
// timeout) is a Node followed by its payload, allocated from the block pool.
// A Node is intrusive (its `next` link serves the MPSC signal queue and the
// private message list), so queuing never allocates.
//
//   Node* n = make_node<Payload>(NodeKind::message, Payload{...});
//   payload_of<Payload>(n).field ...;
//   destroy_node(n);
//
// Contract: a node has exactly one owner at a time (a queue, a Message, a
// timer); destroy_node runs the payload's destructor and frees the block.
#pragma once

#include <atomic>
#include <cstdint>
#include <new>
#include <utility>

#include "grove/detail/block_pool.hpp"

namespace grove::detail {

// Identifies a C++ type without RTTI: one address per type.
using TypeId = const void*;
template <class T>
struct TypeTag {
  static constexpr char id = 0;
};
template <class T>
constexpr TypeId type_id() {
  return &TypeTag<T>::id;
}

enum class NodeKind : std::uint8_t {
  message,    // user data, queued in order (includes GenServer envelopes)
  link,       // peer asks to be linked
  unlink,     // peer drops its link
  monitor,    // peer starts watching (aux = ref)
  demonitor,  // peer stops watching (aux = ref)
  exit,       // exit signal (payload ExitPayload)
  reply,      // answer to a wait (aux = ref)
  timeout,    // a timed wait expired (aux = ref)
  named,      // the process was given a registered name (register_name)
};

struct Link {
  std::atomic<Link*> next{nullptr};
};

struct Node;
struct NodeOps {
  TypeId type;
  std::uint32_t size;         // allocation size, for pool_free
  void (*destroy)(Node*);     // payload destructor (nullptr: trivial)
  const void* extra;          // behaviour-specific table (GenServer envelopes)
};

struct Node : Link {
  const NodeOps* ops = nullptr;
  NodeKind kind = NodeKind::message;
  std::uint32_t from_index = 0;   // sender pid, for signals
  std::uint32_t from_serial = 0;
  std::uint64_t aux = 0;          // ref of a reply/timeout/monitor
};

template <class T>
struct NodeOf : Node {
  T value;
  template <class... A>
  explicit NodeOf(A&&... a) : value(std::forward<A>(a)...) {}
};

template <class T>
void destroy_payload(Node* n) {
  static_cast<NodeOf<T>*>(n)->~NodeOf<T>();
}

template <class T>
inline constexpr NodeOps ops_of{type_id<T>(), sizeof(NodeOf<T>), &destroy_payload<T>, nullptr};

struct Empty {};

template <class T, class... A>
Node* make_node_with(const NodeOps* ops, NodeKind kind, A&&... a) {
  void* mem = pool_alloc(ops->size);
  auto* n = ::new (mem) NodeOf<T>(std::forward<A>(a)...);
  n->ops = ops;
  n->kind = kind;
  return n;
}

template <class T, class... A>
Node* make_node(NodeKind kind, A&&... a) {
  return make_node_with<T>(&ops_of<T>, kind, std::forward<A>(a)...);
}

inline Node* make_signal(NodeKind kind, std::uint64_t aux = 0) {
  Node* n = make_node<Empty>(kind);
  n->aux = aux;
  return n;
}

template <class T>
T& payload_of(Node* n) {
  return static_cast<NodeOf<T>*>(n)->value;
}

inline void destroy_node(Node* n) noexcept {
  const NodeOps* ops = n->ops;
  ops->destroy(n);
  pool_free(n, ops->size);
}

}  // namespace grove::detail
