# Tests of supervisor/config (grove_config): pure parsing and printing, no
# processes; one executable, a source per concept. Fixtures are grove.toml
# files under tests/fixtures/config/, found through GROVE_CONFIG_FIXTURES.
grove_test(config_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/unit/duration_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/byte_size_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/signal_name_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/readiness_parser_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/peer_words_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/diagnostic_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/load_options_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/config_loader_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/child_spec_reader_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/process_def_reader_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unit/tree_printer_test.cpp
  LIBS grove_config
  TIMEOUT 60
  LABELS unit)
target_compile_definitions(config_test PRIVATE
  GROVE_CONFIG_FIXTURES="${CMAKE_CURRENT_LIST_DIR}/fixtures/config")
