# Script behind the install.package test (see CMakeLists.txt for the -D
# arguments). Fails with the output of the first command that fails.
cmake_minimum_required(VERSION 3.20)

foreach(var BUILD_DIR CONSUMER_DIR WORK_DIR LIBDIR INCLUDEDIR CXX GENERATOR PKG_CONFIG)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "install_package.cmake: -D${var}=... is required")
  endif()
endforeach()

# Runs a command; on failure stops the test with its output. The standard
# output is returned in `run_output`.
function(run)
  string(JOIN " " shown ${ARGN})
  message(STATUS "$ ${shown}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${shown}\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

function(expect_consumer_output output what)
  if(NOT output STREQUAL "SELECT 1 = 1\n")
    message(FATAL_ERROR "${what} printed \"${output}\", expected \"SELECT 1 = 1\"")
  endif()
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# The library must be current before it is installed (a no-op after a build).
run(${CMAKE_COMMAND} --build ${BUILD_DIR} --target junction)
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

foreach(file
    ${INCLUDEDIR}/junction/value.hpp
    ${INCLUDEDIR}/junction/connection.hpp
    ${INCLUDEDIR}/junction/dialects.hpp
    ${INCLUDEDIR}/junction/sql/compiler.hpp
    ${LIBDIR}/libjunction.a
    ${LIBDIR}/cmake/junction/junctionConfig.cmake
    ${LIBDIR}/cmake/junction/junctionConfigVersion.cmake
    ${LIBDIR}/cmake/junction/junctionTargets.cmake
    ${LIBDIR}/pkgconfig/junction.pc)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "cmake --install did not install ${file} under ${prefix}")
  endif()
endforeach()

# ---- CMake package: find_package(junction) -> junction::junction ----
set(cmake_build ${WORK_DIR}/cmake_consumer)
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${cmake_build} -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
# The package must be the one just installed, not one found elsewhere.
file(STRINGS ${cmake_build}/CMakeCache.txt junction_dir REGEX "^junction_DIR:")
string(REGEX REPLACE "^junction_DIR:[A-Z]+=" "" junction_dir "${junction_dir}")
file(REAL_PATH "${junction_dir}" junction_dir)
file(REAL_PATH "${prefix}/${LIBDIR}/cmake/junction" expected_dir)
if(NOT junction_dir STREQUAL expected_dir)
  message(FATAL_ERROR "find_package(junction) used ${junction_dir}, not ${expected_dir}")
endif()
run(${CMAKE_COMMAND} --build ${cmake_build})
run(${cmake_build}/junction_consumer)
expect_consumer_output("${run_output}" "the find_package consumer")

# ---- pkg-config: the flags alone must compile and link a program ----
set(ENV{PKG_CONFIG_PATH} ${prefix}/${LIBDIR}/pkgconfig)
run(${PKG_CONFIG} --variable=includedir junction)
string(STRIP "${run_output}" pc_includedir)
file(REAL_PATH "${pc_includedir}" pc_includedir)
file(REAL_PATH "${prefix}/${INCLUDEDIR}" expected_includedir)
if(NOT pc_includedir STREQUAL expected_includedir)
  message(FATAL_ERROR
    "junction.pc points at ${pc_includedir}, not the install prefix (${expected_includedir})")
endif()
run(${PKG_CONFIG} --cflags --libs junction)
string(STRIP "${run_output}" pc_flags)
separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
run(${CXX} -O1 ${CONSUMER_DIR}/main.cpp ${pc_flags} -o ${WORK_DIR}/pkgconfig_consumer)
run(${WORK_DIR}/pkgconfig_consumer)
expect_consumer_output("${run_output}" "the pkg-config consumer")

message(STATUS "install.package: both consumers ran")
