// message.hpp — a move-only, type-erased message.
//
// Any movable C++ value can be sent; the receiver asks for its type. The
// value lives in one pooled block together with the mailbox link, so a send
// costs no malloc, and forwarding a received Message reuses its block.
//
//   grove::send(pid, Add{"jose"});
//   grove::Message m = co_await grove::receive();
//   if (Add* a = m.get<Add>()) ...;
//   grove::send(next, std::move(m));      // forwards the same block
//
// Contract: a Message owns its value (destroyed with it); get<T>() is exact
// on T (no conversions, no base classes). Not thread-safe: one owner.
#pragma once

#include <type_traits>
#include <utility>

#include "grove/detail/node.hpp"

namespace grove {

class Message {
 public:
  Message() = default;
  explicit Message(detail::Node* n) : node_(n) {}
  Message(Message&& o) noexcept : node_(std::exchange(o.node_, nullptr)) {}
  Message& operator=(Message&& o) noexcept {
    if (this != &o) {
      reset();
      node_ = std::exchange(o.node_, nullptr);
    }
    return *this;
  }
  ~Message() { reset(); }

  template <class T>
  static Message of(T&& value) {
    using V = std::decay_t<T>;
    return Message(detail::make_node<V>(detail::NodeKind::message, std::forward<T>(value)));
  }

  explicit operator bool() const { return node_ != nullptr; }
  template <class T>
  bool is() const {
    return node_ && node_->ops->type == detail::type_id<T>();
  }
  template <class T>
  T* get() {
    return is<T>() ? &detail::payload_of<T>(node_) : nullptr;
  }
  template <class T>
  const T* get() const {
    return is<T>() ? &detail::payload_of<T>(node_) : nullptr;
  }

  detail::Node* release() { return std::exchange(node_, nullptr); }
  detail::Node* node() const { return node_; }

 private:
  void reset() {
    if (node_) detail::destroy_node(std::exchange(node_, nullptr));
  }
  detail::Node* node_ = nullptr;
};

}  // namespace grove
