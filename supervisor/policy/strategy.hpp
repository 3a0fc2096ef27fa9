// strategy.hpp — which children a failure takes down, per OTP strategy.
//
//   one_for_one:  only the failed child
//   one_for_all:  every child
//   rest_for_one: the failed child and every child started after it
//
//   RestartGroup g = restart_group(Strategy::rest_for_one, 2, 5);  // [2, 5)
//
// Contract: pure; children are indexed in start (file) order.
#pragma once

#include <cstddef>

#include "policy/child_spec.hpp"

namespace grove {

struct RestartGroup {
  std::size_t first = 0;  // inclusive
  std::size_t last = 0;   // exclusive
  bool contains(std::size_t i) const { return i >= first && i < last; }
};

constexpr RestartGroup restart_group(Strategy strategy, std::size_t failed, std::size_t count) {
  switch (strategy) {
    case Strategy::one_for_one: return {failed, failed + 1};
    case Strategy::one_for_all: return {0, count};
    case Strategy::rest_for_one: return {failed, count};
  }
  return {failed, failed + 1};
}

}  // namespace grove
