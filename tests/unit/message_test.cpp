// Message: type-erased, move-only, exact-type access, owns its value.
#include "grove/message.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace {
struct Add {
  std::string name;
};
}  // namespace

TEST(Message, GetIsExactOnTheType) {
  grove::Message m = grove::Message::of(Add{"ana"});
  EXPECT_TRUE(m.is<Add>());
  EXPECT_FALSE(m.is<std::string>());
  ASSERT_NE(m.get<Add>(), nullptr);
  EXPECT_EQ(m.get<Add>()->name, "ana");
  EXPECT_EQ(m.get<int>(), nullptr);
}

TEST(Message, MovingTransfersOwnershipAndDestroyingFreesTheValue) {
  auto counted = std::make_shared<int>(7);
  std::weak_ptr<int> watch = counted;
  {
    grove::Message a = grove::Message::of(std::move(counted));
    grove::Message b = std::move(a);
    EXPECT_FALSE(a);
    EXPECT_TRUE(b.is<std::shared_ptr<int>>());
    EXPECT_FALSE(watch.expired());
  }
  EXPECT_TRUE(watch.expired());
}
