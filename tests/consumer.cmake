# A program outside grove's build links grove::grove and grove::tree: after
# `cmake --install` through find_package(grove), and as a subproject through
# add_subdirectory (tests/consumer/check). Each configures and compiles a
# project of its own, hence the long timeouts.
foreach(mode installed subproject)
  add_test(NAME consumer_${mode}_test
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/consumer/check ${mode} ${CMAKE_BINARY_DIR}
            ${PROJECT_SOURCE_DIR} ${CMAKE_CXX_COMPILER})
  set_tests_properties(consumer_${mode}_test PROPERTIES TIMEOUT 900 LABELS integration)
endforeach()
