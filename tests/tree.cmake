# worker-lib as workers of a tree (grove::tree): unit tests of its pure
# parts, and real worker processes with the test playing groved's part.
foreach(_t tree_frame dead_letter tree_env)
  grove_test(worker_${_t}_test
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/${_t}_test.cpp
    LIBS grove::tree
    TIMEOUT 30
    LABELS unit)
  target_include_directories(worker_${_t}_test PRIVATE ${PROJECT_SOURCE_DIR}/worker-lib/src)
endforeach()

# tree_probe: a worker-lib program in roles (serve, call, cast), for both.
grove_executable(tree_probe SOURCES ${CMAKE_CURRENT_LIST_DIR}/helpers/tree_probe.cpp LIBS grove::tree)
grove_test(tree_pump_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/tree_pump_test.cpp
  LIBS grove::tree
  TIMEOUT 120
  LABELS integration tsan)
target_compile_definitions(tree_pump_test PRIVATE GROVE_TREE_PROBE="$<TARGET_FILE:tree_probe>")
add_dependencies(tree_pump_test tree_probe)

if(TARGET kvstore)
  grove_test(tree_worker_test
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/tree_worker_test.cpp
    LIBS grove_ipc
    TIMEOUT 180
    LABELS integration)
  target_compile_definitions(tree_worker_test PRIVATE
    GROVE_TREE_PROBE="$<TARGET_FILE:tree_probe>"
    GROVE_KVSTORE="$<TARGET_FILE:kvstore>"
    GROVE_KVCLIENT="$<TARGET_FILE:kvclient>")
  add_dependencies(tree_worker_test tree_probe kvstore kvclient)
endif()

# ... and under a real groved (needs groved's harness: not in the TSan build).
if(TARGET kvstore AND TARGET groved_harness)
  grove_test(groved_tree_test
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/groved_tree_test.cpp
    LIBS groved_harness nlohmann_json::nlohmann_json
    TIMEOUT 240
    LABELS integration)
  target_compile_definitions(groved_tree_test PRIVATE
    GROVE_TREE_PROBE="$<TARGET_FILE:tree_probe>"
    GROVE_KVSTORE="$<TARGET_FILE:kvstore>"
    GROVE_KVCLIENT="$<TARGET_FILE:kvclient>"
    GROVE_SPEAKERS_SERVICE="$<TARGET_FILE:speakers_service>"
    GROVE_SPEAKERS_CLIENT="$<TARGET_FILE:speakers_client>")
  add_dependencies(groved_tree_test tree_probe kvstore kvclient speakers_service speakers_client)
endif()
if(TARGET kvstore AND TARGET groved_harness)
  grove_test(tree_chaos_test
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/tree_chaos_test.cpp
    LIBS groved_harness nlohmann_json::nlohmann_json
    TIMEOUT 300
    LABELS integration)
  target_compile_definitions(tree_chaos_test PRIVATE
    GROVE_KVSTORE="$<TARGET_FILE:kvstore>" GROVE_KVCLIENT="$<TARGET_FILE:kvclient>")
  add_dependencies(tree_chaos_test kvstore kvclient)
endif()
