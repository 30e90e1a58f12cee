# Finds the Debian packages Resound builds on (installed by scripts/bootstrap.sh).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

pkg_check_modules(SNDFILE REQUIRED IMPORTED_TARGET sndfile)
pkg_check_modules(SOXR REQUIRED IMPORTED_TARGET soxr)
pkg_check_modules(FFTW3F REQUIRED IMPORTED_TARGET fftw3f)
pkg_check_modules(VORBISFILE REQUIRED IMPORTED_TARGET vorbisfile)

# moodycamel's header-only lock-free queues (Debian: libreaderwriterqueue-dev, libconcurrentqueue-dev).
find_path(READERWRITERQUEUE_INCLUDE_DIR readerwriterqueue/readerwriterqueue.h REQUIRED)
find_path(CONCURRENTQUEUE_INCLUDE_DIR concurrentqueue/concurrentqueue.h REQUIRED)

# JSON lives in the outer layers (host, apps, python) and track/schema, which every build has.
find_package(nlohmann_json 3.10 REQUIRED)
if(RESOUND_APPS)
  find_package(CLI11 REQUIRED)
endif()
if(RESOUND_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
if(RESOUND_BENCH)
  find_package(benchmark REQUIRED)
endif()
if(RESOUND_PYTHON)
  # Debian's interpreter, never a pyenv shim: only it has NumPy and pytest (see shared ENVIRONMENT.md §1).
  if(NOT DEFINED Python_EXECUTABLE)
    set(Python_EXECUTABLE /usr/bin/python3)
  endif()
  find_package(Python 3.11 REQUIRED COMPONENTS Interpreter Development.Module)
  set(PYBIND11_FINDPYTHON ON)
  find_package(pybind11 2.10 CONFIG REQUIRED)
endif()

# resound_add_module(NAME SOURCES… DEPENDS …): one static library per architecture box, resound::NAME.
function(resound_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPENDS;PRIVATE_DEPENDS" ${ARGN})
  add_library(resound_${name} STATIC ${ARG_SOURCES})
  add_library(resound::${name} ALIAS resound_${name})
  target_include_directories(resound_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_link_libraries(resound_${name} PUBLIC ${ARG_PUBLIC_DEPENDS} PRIVATE resound::warnings ${ARG_PRIVATE_DEPENDS})
endfunction()

# resound_add_unit_test(NAME SOURCES… DEPENDS …): a GoogleTest executable registered with ctest.
function(resound_add_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPENDS} resound::warnings GTest::gtest GTest::gtest_main Threads::Threads)
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/tests/support)
  target_compile_definitions(${name} PRIVATE RESOUND_SHARED_DIR="${CMAKE_SOURCE_DIR}/../shared")
  # One label per test (gtest_discover_tests splits list values): the module name, e.g. "core".
  if(NOT ARG_LABELS)
    set(ARG_LABELS ${name})
  endif()
  list(GET ARG_LABELS 0 module_label)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${module_label})
endfunction()
