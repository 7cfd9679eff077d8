# Injected into llama-cpp-python's CMake project (CMAKE_PROJECT_llama_cpp_INCLUDE) by
# packaging/install-llama-cpp.sh when ggml is built with GGML_BACKEND_DL and
# GGML_CPU_ALL_VARIANTS. llama-cpp-python installs only the libraries it names (ggml-cpu among
# them); with one CPU module per instruction-set level those are called ggml-cpu-<variant> and
# would be left out of the wheel. This installs them next to libllama, with the same $ORIGIN
# rpath, once every target exists (a deferred call at the end of the top-level directory).
# gptdesk/core/inference/cpu_kernels.py then loads the best variant that survives a probe on this CPU.
cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL _gptdesk_install_backend_modules)

function(_gptdesk_install_backend_modules)
    set(ggml_src "${CMAKE_SOURCE_DIR}/vendor/llama.cpp/ggml/src")
    get_property(cpu_targets DIRECTORY "${ggml_src}" PROPERTY BUILDSYSTEM_TARGETS)
    get_property(sub_dirs DIRECTORY "${ggml_src}" PROPERTY SUBDIRECTORIES)
    foreach(dir IN LISTS sub_dirs)
        get_property(more DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
        list(APPEND cpu_targets ${more})
    endforeach()
    foreach(target IN LISTS cpu_targets)
        if(target MATCHES "^ggml-cpu-")
            message(STATUS "gptdesk: installing CPU backend variant ${target}")
            llama_cpp_python_install_target(${target})
        endif()
    endforeach()
endfunction()
