# Tests of ipc/ (grove_ipc). Labels: unit | fault, plus tsan for the
# multi-threaded ones the thread-sanitizer build runs. The fault tests fork
# real processes and kill them; they stay out of TSan (fork + TSan).
set(IPC_TESTS ${CMAKE_CURRENT_LIST_DIR})

function(ipc_test name source)
  grove_test(${name} SOURCES ${IPC_TESTS}/${source} LIBS grove_ipc ${ARGN})
endfunction()

ipc_test(ipc_inbox_layout_test unit/inbox_layout_test.cpp TIMEOUT 30 LABELS unit)
ipc_test(ipc_segment_name_test unit/segment_name_test.cpp TIMEOUT 30 LABELS unit)
ipc_test(ipc_process_identity_test unit/process_identity_test.cpp TIMEOUT 30 LABELS unit)
ipc_test(ipc_segment_test unit/segment_test.cpp TIMEOUT 30 LABELS unit)
ipc_test(ipc_futex_test unit/futex_test.cpp TIMEOUT 30 LABELS unit)
ipc_test(ipc_spin_wait_test unit/spin_wait_test.cpp TIMEOUT 30 LABELS unit)
ipc_test(ipc_tree_directory_test unit/tree_directory_test.cpp TIMEOUT 60 LABELS unit tsan)
ipc_test(ipc_inbox_writer_test unit/inbox_writer_test.cpp TIMEOUT 30 LABELS unit)
ipc_test(ipc_inbox_reader_test unit/inbox_reader_test.cpp TIMEOUT 30 LABELS unit)
ipc_test(ipc_inbox_threads_test unit/inbox_threads_test.cpp TIMEOUT 120 LABELS unit tsan)
ipc_test(ipc_inbox_stress_test fault/inbox_stress_test.cpp TIMEOUT 120 LABELS fault)
ipc_test(ipc_inbox_sender_crash_test fault/inbox_sender_crash_test.cpp TIMEOUT 60 LABELS fault)
ipc_test(ipc_inbox_receiver_crash_test fault/inbox_receiver_crash_test.cpp TIMEOUT 60 LABELS fault)
ipc_test(ipc_inbox_garbage_test fault/inbox_garbage_test.cpp TIMEOUT 120 LABELS fault)
grove_test(ipc_inbox_fuzz_test
  SOURCES ${IPC_TESTS}/fuzz/ipc_inbox_fuzz_test.cpp ${IPC_TESTS}/fuzz/ipc_inbox_fuzz.cpp
  LIBS grove_ipc TIMEOUT 120 LABELS fault)

# The libFuzzer binary needs clang (-fsanitize=fuzzer); g++ builds skip it.
# It compiles grove_ipc's sources itself, so the whole path is instrumented.
find_program(GROVE_CLANGXX NAMES clang++-14 clang++)
if(GROVE_CLANGXX AND NOT DEFINED GROVE_CLANG_HAS_FUZZER)
  # clang without libclang-rt (the fuzzer runtime) cannot link it: skip then.
  file(WRITE ${CMAKE_BINARY_DIR}/fuzz_probe.cpp
    "#include <cstddef>\n#include <cstdint>\nextern \"C\" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }\n")
  execute_process(COMMAND ${GROVE_CLANGXX} -fsanitize=fuzzer ${CMAKE_BINARY_DIR}/fuzz_probe.cpp
                          -o ${CMAKE_BINARY_DIR}/fuzz_probe
                  RESULT_VARIABLE _probe OUTPUT_QUIET ERROR_QUIET)
  if(_probe EQUAL 0)
    set(GROVE_CLANG_HAS_FUZZER ON CACHE INTERNAL "")
  else()
    set(GROVE_CLANG_HAS_FUZZER OFF CACHE INTERNAL "")
  endif()
endif()
if(GROVE_CLANGXX AND GROVE_CLANG_HAS_FUZZER AND NOT GROVE_SANITIZE STREQUAL "thread")
  get_target_property(_ipc_sources grove_ipc SOURCES)
  get_target_property(_ipc_dir grove_ipc SOURCE_DIR)
  list(TRANSFORM _ipc_sources PREPEND ${_ipc_dir}/)
  set(_fuzz_out ${CMAKE_BINARY_DIR}/fuzz/ipc_inbox_fuzz)
  add_custom_command(OUTPUT ${_fuzz_out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/fuzz
    COMMAND ${GROVE_CLANGXX} -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined
            -I${_ipc_dir}/include ${_ipc_sources} ${IPC_TESTS}/fuzz/ipc_inbox_fuzz.cpp
            -lrt -pthread -o ${_fuzz_out}
    DEPENDS ${_ipc_sources} ${IPC_TESTS}/fuzz/ipc_inbox_fuzz.cpp
    COMMENT "Building libFuzzer target ipc_inbox_fuzz with ${GROVE_CLANGXX}")
  add_custom_target(ipc_inbox_fuzz ALL DEPENDS ${_fuzz_out})
  # A short run on every ctest: new crashes show up without a fuzzing campaign.
  add_test(NAME ipc_inbox_fuzz_run COMMAND ${_fuzz_out} -runs=20000 -seed=1)
  set_tests_properties(ipc_inbox_fuzz_run PROPERTIES TIMEOUT 120 LABELS fault)
endif()
