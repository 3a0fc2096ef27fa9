#include "policy/exit_kind.hpp"

#include <sys/wait.h>

#include <gtest/gtest.h>

using namespace grove;

namespace {
int exited(int code) { return (code & 0xff) << 8; }  // the W_EXITCODE layout
int signaled(int sig) { return sig; }
}  // namespace

TEST(ExitKind, ExitCodeZeroIsNormal) {
  EXPECT_EQ(classify_wait_status(exited(0), {}, ChildType::worker), ExitKind::normal);
}

TEST(ExitKind, NonZeroExitCodeIsAbnormal) {
  EXPECT_EQ(classify_wait_status(exited(1), {}, ChildType::worker), ExitKind::abnormal);
}

TEST(ExitKind, ListedSuccessCodeIsNormal) {
  ChildPolicy p;
  p.success_exit_codes = {2, 7};
  EXPECT_EQ(classify_wait_status(exited(7), p, ChildType::worker), ExitKind::normal);
}

TEST(ExitKind, DeathBySignalIsAbnormal) {
  EXPECT_TRUE(WIFSIGNALED(signaled(SIGKILL)));
  EXPECT_EQ(classify_wait_status(signaled(SIGKILL), {}, ChildType::worker), ExitKind::abnormal);
}

TEST(ExitKind, SupervisorThatGaveUpEndedWithShutdown) {
  EXPECT_EQ(classify_wait_status(exited(kSupervisorGaveUpCode), {}, ChildType::supervisor),
            ExitKind::shutdown);
  EXPECT_EQ(classify_wait_status(exited(kSupervisorGaveUpCode), {}, ChildType::worker),
            ExitKind::abnormal);
}

TEST(ExitKind, RestartTypeDecidesAsOtpDoes) {
  EXPECT_TRUE(restarts_after(RestartType::permanent, ExitKind::normal));
  EXPECT_TRUE(restarts_after(RestartType::permanent, ExitKind::shutdown));
  EXPECT_TRUE(restarts_after(RestartType::transient, ExitKind::abnormal));
  EXPECT_FALSE(restarts_after(RestartType::transient, ExitKind::normal));
  EXPECT_FALSE(restarts_after(RestartType::transient, ExitKind::shutdown));
  EXPECT_FALSE(restarts_after(RestartType::temporary, ExitKind::abnormal));
}
