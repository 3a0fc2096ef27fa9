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
        groved_readiness groved_child_options groved_services groved_output grovectl grovectl_reload
        control_socket)
  grove_test(${stem}_test
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/${stem}_test.cpp
    LIBS groved_harness grove_control
    TIMEOUT 180
    LABELS integration)
endforeach()
find_package(nlohmann_json REQUIRED)
target_link_libraries(grovectl_test PRIVATE nlohmann_json::nlohmann_json)
target_link_libraries(groved_output_test PRIVATE nlohmann_json::nlohmann_json)

# Mailbox workers (issue 6): mailbox_probe stands in for a worker-lib
# program, linking grove_ipc only, so these tests pin groved's side of the
# tree contract whatever worker-lib does.
grove_executable(mailbox_probe
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/helpers/mailbox_probe.cpp
  LIBS grove_ipc)
grove_test(groved_mailbox_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/groved_mailbox_test.cpp
  LIBS groved_harness grove_control grove_ipc nlohmann_json::nlohmann_json
  TIMEOUT 180
  LABELS integration)
target_compile_definitions(groved_mailbox_test PRIVATE GROVE_MAILBOX_PROBE="$<TARGET_FILE:mailbox_probe>")
add_dependencies(groved_mailbox_test mailbox_probe)

grove_test(output_ring_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/output_ring_test.cpp
  LIBS grove_groved
  TIMEOUT 30
  LABELS unit)
grove_test(mailbox_names_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/mailbox_names_test.cpp
  LIBS grove_groved
  TIMEOUT 30
  LABELS unit)
grove_test(dead_letter_table_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/dead_letter_table_test.cpp
  LIBS grove_control
  TIMEOUT 30
  LABELS unit)
