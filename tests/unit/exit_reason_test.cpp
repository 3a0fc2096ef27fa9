// ExitReason: description, the policy's ExitKind, reasons from exceptions.
#include "grove/exit_reason.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

using grove::ExitKind;
using grove::ExitReason;

TEST(ExitReason, DescribesKindAndDetail) {
  EXPECT_EQ(describe(ExitReason::normal()), "normal");
  EXPECT_EQ(describe(ExitReason::crash("boom")), "crash: boom");
  EXPECT_EQ(describe(ExitReason::killed()), "killed");
}

TEST(ExitReason, MapsOntoThePolicyEnginesExitKind) {
  EXPECT_EQ(grove::exit_kind(ExitReason::normal()), ExitKind::normal);
  EXPECT_EQ(grove::exit_kind(ExitReason::shutdown()), ExitKind::shutdown);
  EXPECT_EQ(grove::exit_kind(ExitReason::crash("x")), ExitKind::abnormal);
  EXPECT_EQ(grove::exit_kind(ExitReason::killed()), ExitKind::abnormal);
  EXPECT_EQ(grove::exit_kind(ExitReason::noproc()), ExitKind::abnormal);
}

TEST(ExitReason, AnExceptionBecomesACrashWithItsMessage) {
  auto from = [](auto thrown) {
    try {
      throw thrown;
    } catch (...) {
      return grove::reason_from_exception(std::current_exception());
    }
  };
  EXPECT_EQ(from(std::runtime_error("boom")), ExitReason::crash("boom"));
  EXPECT_EQ(from(42), ExitReason::crash("unknown exception"));
  EXPECT_EQ(from(grove::ExitRequest{ExitReason::shutdown()}), ExitReason::shutdown());
}
