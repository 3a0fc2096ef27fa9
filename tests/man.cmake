# The man pages (man/): lint clean with mandoc (and groff when installed),
# render within 80 columns, and are complete against the code's own lists:
# grove.toml keys and words, log events and their keys, handled signals,
# exit codes, child environment (groved.8, grove.toml.5); grovectl's
# commands, options, exit codes, states and status JSON keys (grovectl.1);
# worker-lib's public names (grove.3). The tests read the sources and pages
# under GROVE_SOURCE_DIR at run time; source_scanner and man_page are their
# helpers.
grove_test(man_pages_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/unit/man_pages_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/grovectl_page_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/grove_page_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/source_scanner_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/source_scanner.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/man_page.cpp
  LIBS grove_config grove_control
  TIMEOUT 60
  LABELS unit)
target_compile_definitions(man_pages_test PRIVATE GROVE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
