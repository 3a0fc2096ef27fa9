# groved and grovectl with real processes: each file is one ctest entry, run
# against the binaries built here.
grove_library(groved_harness
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/groved_harness.cpp
  PUBLIC_INCLUDE ${CMAKE_CURRENT_LIST_DIR}/integration
  LIBS GTest::gtest)
target_compile_definitions(groved_harness PRIVATE
  GROVED_BIN_DEFAULT="$<TARGET_FILE:groved>"
  GROVECTL_BIN_DEFAULT="$<TARGET_FILE:grovectl>")
add_dependencies(groved_harness groved grovectl)

foreach(stem groved_strategy groved_restart_type groved_escalation groved_shutdown groved_hygiene
        groved_readiness groved_child_options groved_services grovectl grovectl_reload
        control_socket)
  grove_test(${stem}_test
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/${stem}_test.cpp
    LIBS groved_harness grove_control
    TIMEOUT 180
    LABELS integration)
endforeach()
find_package(nlohmann_json REQUIRED)
target_link_libraries(grovectl_test PRIVATE nlohmann_json::nlohmann_json)

grove_test(output_ring_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/output_ring_test.cpp
  LIBS grove_groved
  TIMEOUT 30
  LABELS unit)
