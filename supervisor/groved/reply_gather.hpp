// reply_gather.hpp — one reply built from the answers of nested supervisors.
//
// A supervisor that forwards parts of a request (status, reload) to its
// nested supervisors answers once the last of them has: each forward adds
// one to `outstanding`, each answer (and the sender itself, last) calls
// done_one().
//
//   auto g = std::make_shared<ReplyGather>(id, respond);   // outstanding = 1
//   ++g->outstanding; forward(i, sub, [g](const Reply& r) { ...; g->done_one(); return true; });
//   g->done_one();                                          // the sender's own part
//
// Contract: single-threaded; shared by the callbacks that fill it.
#pragma once

#include <cstdint>
#include <utility>

#include "groved/child_process.hpp"

namespace grove::groved {

struct ReplyGather {
  ReplyGather(std::uint64_t id, Respond respond_to) : respond(std::move(respond_to)) { reply.id = id; }
  control::Reply reply;
  int outstanding = 1;
  Respond respond;
  void done_one() {
    if (--outstanding == 0) respond(reply);
  }
};

}  // namespace grove::groved
