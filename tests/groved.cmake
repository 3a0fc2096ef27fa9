# groved with real processes: each file is one ctest entry, run against the
# groved binary built here.
grove_library(groved_harness
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/groved_harness.cpp
  PUBLIC_INCLUDE ${CMAKE_CURRENT_LIST_DIR}/integration
  LIBS GTest::gtest)
target_compile_definitions(groved_harness PRIVATE GROVED_BIN_DEFAULT="$<TARGET_FILE:groved>")
add_dependencies(groved_harness groved)

foreach(stem strategy restart_type escalation shutdown hygiene readiness child_options services)
  grove_test(groved_${stem}_test
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/groved_${stem}_test.cpp
    LIBS groved_harness
    TIMEOUT 180
    LABELS integration)
endforeach()
