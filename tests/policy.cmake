# The pure OTP policy: table-driven, no processes, no sleeps.
grove_test(policy_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/unit/restart_intensity_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/backoff_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/exit_kind_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/reload_plan_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/strategy_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/supervision_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/supervision_matrix_test.cpp
  LIBS grove_policy
  TIMEOUT 60
  LABELS unit tsan)
