# weft's test suite under CTest: the same tests as Bazel's, from the lists
# in sources.cmake (generated from the BUILD files). Each test runs in the
# build folder, where the programs it runs and the corpora it reads sit at
# the same relative paths as in Bazel's runfiles.

# A test's dependencies, by the names the generator writes.
function(weft_link target)
  foreach(dependency ${ARGN})
    if(dependency STREQUAL "runtime")
      target_link_libraries(${target} PRIVATE weft_runtime)
    elseif(dependency STREQUAL "sim")
      target_link_libraries(${target} PRIVATE weft_sim_core)
    elseif(dependency STREQUAL "sim_gtest")
      target_link_libraries(${target} PRIVATE weft_sim)
    elseif(dependency STREQUAL "props")
      target_link_libraries(${target} PRIVATE weft_props)
    elseif(dependency STREQUAL "gtest")
      target_link_libraries(${target} PRIVATE GTest::gtest GTest::gmock)
    elseif(dependency STREQUAL "gtest_main")
      target_link_libraries(${target} PRIVATE GTest::gtest_main)
    elseif(dependency STREQUAL "cli11")
      find_package(CLI11 CONFIG REQUIRED)
      target_link_libraries(${target} PRIVATE CLI11::CLI11)
    elseif(dependency STREQUAL "json")
      target_link_libraries(${target} PRIVATE nlohmann_json::nlohmann_json)
    elseif(dependency STREQUAL "benchmark")
      find_package(benchmark REQUIRED)
      target_link_libraries(${target} PRIVATE benchmark::benchmark)
    endif()
  endforeach()
endfunction()

# weft_binary(<path> SOURCES ... LINKS ...): a program a test runs, built
# at <path> under the build folder.
function(weft_binary path)
  cmake_parse_arguments(ARG "" "" "SOURCES;LINKS" ${ARGN})
  string(REPLACE "/" "_" target "bin_${path}")
  add_executable(${target} ${ARG_SOURCES})
  get_filename_component(folder ${path} DIRECTORY)
  get_filename_component(name ${path} NAME)
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${name}
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/${folder})
  target_compile_options(${target} PRIVATE ${WEFT_WARNINGS})
  weft_link(${target} ${ARG_LINKS})
endfunction()

# weft_test(<name> SOURCES ... LINKS ... [DATA programs] [ARGS ...]).
function(weft_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LINKS;DATA;ARGS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${WEFT_WARNINGS})
  weft_link(${name} ${ARG_LINKS})
  foreach(program ${ARG_DATA})
    string(REPLACE "/" "_" program_target "bin_${program}")
    add_dependencies(${name} ${program_target})
  endforeach()
  add_test(NAME ${name} COMMAND ${name} ${ARG_ARGS}
           WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "TEST_TMPDIR=${CMAKE_BINARY_DIR}/test_tmp;TEST_SRCDIR=${CMAKE_BINARY_DIR};TEST_SOURCE_ROOT=${CMAKE_SOURCE_DIR}"
    TIMEOUT 900)
endfunction()

file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/test_tmp ${CMAKE_BINARY_DIR}/fuzz)
file(CREATE_LINK ${CMAKE_SOURCE_DIR}/fuzz/corpus ${CMAKE_BINARY_DIR}/fuzz/corpus
     SYMBOLIC)

include(cmake/test_list.cmake)
