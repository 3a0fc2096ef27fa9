# Tests of supervisor/launch (grove_launch): one test file per source file,
# linked into one executable like the other components. The spawn and
# notify tests run real processes (hence "integration" too).
#
# The helpers under tests/helpers/ are plain C programs, deliberately built
# without sanitizers or the C++ warning set, so what they report about
# themselves (fds, signal masks, limits) is the launch kit's doing, not a
# runtime's.
set(_launch_tests_dir ${CMAKE_CURRENT_LIST_DIR})

add_executable(launch_report_helper ${_launch_tests_dir}/helpers/launch_report.c)
add_executable(notify_client_helper ${_launch_tests_dir}/helpers/notify_client.c)
foreach(_helper launch_report_helper notify_client_helper)
  target_compile_options(${_helper} PRIVATE -Wall -Wextra)
endforeach()

set(_launch_test_stems
  child_env child_pipe credentials env_file executable_path line_prefixer
  make_dirs notify_message notify_socket rlimit_plan rotating_log spawn tcp_probe)
list(TRANSFORM _launch_test_stems PREPEND ${_launch_tests_dir}/unit/)
list(TRANSFORM _launch_test_stems APPEND _test.cpp)

grove_test(launch_test
  SOURCES ${_launch_test_stems}
  LIBS grove_launch
  TIMEOUT 120
  LABELS unit integration)
target_compile_definitions(launch_test PRIVATE
  GROVE_LAUNCH_REPORT="$<TARGET_FILE:launch_report_helper>"
  GROVE_NOTIFY_CLIENT="$<TARGET_FILE:notify_client_helper>")
add_dependencies(launch_test launch_report_helper notify_client_helper)
