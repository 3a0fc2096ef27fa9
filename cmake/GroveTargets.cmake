# One helper per target kind, so every target gets the same flags.
#   grove_library(NAME SOURCES ... [PUBLIC_INCLUDE dir] [LIBS ...])
#   grove_executable(NAME SOURCES ... [LIBS ...])
#   grove_test(NAME SOURCES ... [LIBS ...] [TIMEOUT s] [LABELS ...] [ENVIRONMENT ...])
#   grove_bench(NAME SOURCES ... [LIBS ...])   built, never run by ctest

set(GROVE_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion
    -Wno-sign-conversion $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor -Wold-style-cast>)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  # GCC 12 misreports -Wrestrict on "literal" + std::string at -O2 (GCC bug 105329).
  list(APPEND GROVE_WARNINGS -Wno-restrict)
endif()
if(GROVE_WERROR)
  list(APPEND GROVE_WARNINGS -Werror)
endif()

if(GROVE_SANITIZE STREQUAL "address")
  set(GROVE_SAN_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer
      -fno-sanitize-recover=undefined)
elseif(GROVE_SANITIZE STREQUAL "thread")
  set(GROVE_SAN_FLAGS -fsanitize=thread -fno-omit-frame-pointer)
else()
  set(GROVE_SAN_FLAGS "")
endif()

function(_grove_common target)
  target_compile_options(${target} PRIVATE ${GROVE_WARNINGS} ${GROVE_SAN_FLAGS})
  target_link_options(${target} PRIVATE ${GROVE_SAN_FLAGS})
endfunction()

function(grove_library name)
  cmake_parse_arguments(A "" "" "SOURCES;PUBLIC_INCLUDE;LIBS" ${ARGN})
  add_library(${name} STATIC ${A_SOURCES})
  _grove_common(${name})
  target_compile_options(${name} INTERFACE ${GROVE_SAN_FLAGS})
  target_link_options(${name} INTERFACE ${GROVE_SAN_FLAGS})
  if(A_PUBLIC_INCLUDE)
    # The source tree's headers while building; an installed library names
    # its own include directory (grove_install_library).
    target_include_directories(${name} PUBLIC $<BUILD_INTERFACE:${A_PUBLIC_INCLUDE}>)
  endif()
  target_link_libraries(${name} PUBLIC ${A_LIBS})
endfunction()

function(grove_executable name)
  cmake_parse_arguments(A "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${A_SOURCES})
  _grove_common(${name})
  target_link_libraries(${name} PRIVATE ${A_LIBS})
endfunction()

function(grove_test name)
  cmake_parse_arguments(A "" "TIMEOUT" "SOURCES;LIBS;LABELS;ENVIRONMENT" ${ARGN})
  add_executable(${name} ${A_SOURCES})
  _grove_common(${name})
  target_link_libraries(${name} PRIVATE ${A_LIBS} GTest::gtest GTest::gtest_main Threads::Threads)
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 60)
  endif()
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES TIMEOUT ${A_TIMEOUT}
    LABELS "${A_LABELS}" ENVIRONMENT "${A_ENVIRONMENT}")
endfunction()

function(grove_bench name)
  cmake_parse_arguments(A "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${A_SOURCES})
  _grove_common(${name})
  target_link_libraries(${name} PRIVATE ${A_LIBS})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)
endfunction()
