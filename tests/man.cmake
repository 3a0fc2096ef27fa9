# The man pages (man/): lint clean with mandoc (and groff when installed),
# and complete against the code's own lists: grove.toml keys and words, log
# events and their keys, handled signals, exit codes, child environment.
# The test reads the sources and pages under GROVE_SOURCE_DIR at run time.
grove_test(man_pages_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/man_pages_test.cpp
  LIBS grove_config
  TIMEOUT 60
  LABELS unit)
target_compile_definitions(man_pages_test PRIVATE GROVE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
