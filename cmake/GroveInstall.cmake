# What a program outside grove's build links: the libraries, their headers
# and a CMake package, so that
#   find_package(grove CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE grove::grove grove::tree)
# works after `cmake --install`, as it does with add_subdirectory (the same
# names exist in the build as aliases).
#
#   grove_install_library(TARGET EXPORT_NAME name [INCLUDE_ROOT dir])
#     installs the static library as grove::<name>; dir (under includedir,
#     default includedir itself) is the include root its users get.
#   grove_install_package()   the export set and groveConfig*.cmake, once.
include(CMakePackageConfigHelpers)

set(GROVE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/grove)

function(grove_install_library target)
  cmake_parse_arguments(A "" "EXPORT_NAME;INCLUDE_ROOT" "" ${ARGN})
  set(root ${CMAKE_INSTALL_INCLUDEDIR})
  if(A_INCLUDE_ROOT)
    set(root ${CMAKE_INSTALL_INCLUDEDIR}/${A_INCLUDE_ROOT})
  endif()
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${A_EXPORT_NAME})
  target_include_directories(${target} INTERFACE $<INSTALL_INTERFACE:${root}>)
  install(TARGETS ${target} EXPORT groveTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
endfunction()

function(grove_install_package)
  install(EXPORT groveTargets NAMESPACE grove:: DESTINATION ${GROVE_CMAKE_DIR})
  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/groveConfig.cmake.in
    ${PROJECT_BINARY_DIR}/groveConfig.cmake INSTALL_DESTINATION ${GROVE_CMAKE_DIR})
  write_basic_package_version_file(${PROJECT_BINARY_DIR}/groveConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
  install(FILES ${PROJECT_BINARY_DIR}/groveConfig.cmake ${PROJECT_BINARY_DIR}/groveConfigVersion.cmake
    DESTINATION ${GROVE_CMAKE_DIR})
endfunction()
