# worker-lib (grove): unit tests, all also run by the TSan build.
set(_grove_worker_tests
  block_pool message exit_reason signal_queue timer_heap
  process receive links scheduler idle_source gen_server agent task supervisor)
foreach(_t IN LISTS _grove_worker_tests)
  set(_timeout 60)
  if(_t STREQUAL "process" OR _t STREQUAL "scheduler")
    set(_timeout 180)  # a million processes; the thread pool under TSan
  endif()
  # Prefixed target names: other components have tests with these stems.
  grove_test(worker_${_t}_test
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/${_t}_test.cpp
    LIBS grove::grove
    TIMEOUT ${_timeout}
    LABELS unit tsan)
endforeach()

# The examples run as tests (they exit 0 when they behaved).
foreach(_e speakers_process speakers_server supervised)
  if(TARGET ${_e})
    add_test(NAME example_${_e} COMMAND ${_e})
    set_tests_properties(example_${_e} PROPERTIES TIMEOUT 30 LABELS unit)
  endif()
endforeach()
