# Tests of supervisor/: one file per concern, owned with it.
include(${CMAKE_CURRENT_LIST_DIR}/config.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/launch.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/groved.cmake OPTIONAL)
