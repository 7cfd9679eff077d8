#!/usr/bin/env bash
# Install llama-cpp-python into a venv for one backend, building its wheel at most once.
#
#   packaging/install-llama-cpp.sh VENV_PYTHON BACKEND VERSION
#
# BACKEND: auto (Metal on Apple Silicon, else CPU) | cpu | cuda | metal | vulkan.
# llama-cpp-python is source-only on PyPI (about 8 minutes to compile on 2 cores). The built
# wheel is kept per backend in $GPTDESK_WHEEL_CACHE (default ~/.cache/gptdesk/wheels), because
# pip's own wheel cache is keyed by the source archive and would hand a CPU build to a CUDA
# request. Extra CMake flags can be added with CMAKE_ARGS.
#
# On x86-64 and ARM Linux the CPU code is built the way llama.cpp's own releases are: not for
# this machine's CPU (-march=native) but once per instruction-set level (GGML_BACKEND_DL +
# GGML_CPU_ALL_VARIANTS), each a libggml-cpu-<variant> module next to libllama. The same wheel
# then serves development, CI and the packaged app on any CPU of the architecture, and
# gptdesk/core/inference/cpu_kernels.py picks the best variant that survives a probe on the CPU it meets
# (a native build on a CPU with AMX crashes on the first prompt: llama.cpp#20824). Building
# every variant takes about 25 minutes on 2 cores, once per machine.
set -euo pipefail
py=$1 backend=$2 version=$3
here=$(cd "$(dirname "$0")" && pwd)

if [ "$backend" = auto ]; then
  if [ "$(uname -s)" = Darwin ] && [ "$(uname -m)" = arm64 ]; then backend=metal; else backend=cpu; fi
fi
case "$backend" in
  cpu)    flags="-DGGML_METAL=off" ;;
  cuda)   flags="-DGGML_CUDA=on" ;;
  metal)  flags="-DGGML_METAL=on" ;;
  vulkan) flags="-DGGML_VULKAN=on" ;;
  *) echo "GPTDESK_BACKEND must be auto, cpu, cuda, metal or vulkan, not '$backend'" >&2; exit 2 ;;
esac
flavour=native
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64|Linux-aarch64)
    flavour=variants
    flags="$flags -DGGML_NATIVE=OFF -DGGML_BACKEND_DL=ON -DGGML_CPU_ALL_VARIANTS=ON"
    flags="$flags -DCMAKE_PROJECT_llama_cpp_INCLUDE=$here/llama-cpp-cpu-variants.cmake" ;;
esac

pytag=$("$py" -c 'import sys, platform; print(f"cp{sys.version_info[0]}{sys.version_info[1]}-{platform.machine()}")')
cache=${GPTDESK_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gptdesk/wheels}/$backend-$flavour-$pytag
stamp=$(dirname "$(dirname "$py")")/.llama-cpp-backend
want="$version $backend $flavour"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$py" -c 'import llama_cpp' 2>/dev/null; then
  exit 0
fi
wheel=$(ls "$cache"/llama_cpp_python-"$version"-*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$wheel" ]; then
  echo "Building llama-cpp-python $version for $backend ($flavour; one time, several minutes)..." >&2
  mkdir -p "$cache"
  CMAKE_ARGS="$flags ${CMAKE_ARGS:-}" CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc 2>/dev/null || sysctl -n hw.ncpu)} \
    "$py" -m pip wheel --no-deps --no-cache-dir -w "$cache" "llama-cpp-python==$version"
  wheel=$(ls "$cache"/llama_cpp_python-"$version"-*.whl | head -n 1)
fi
"$py" -m pip install --force-reinstall --no-deps "$wheel"
# Its pure-Python needs (numpy, jinja2, diskcache, typing-extensions) come from PyPI as usual.
"$py" -m pip install "llama-cpp-python==$version" --find-links "$cache" --no-index 2>/dev/null \
  || "$py" -m pip install numpy jinja2 diskcache typing-extensions
echo "$want" > "$stamp"
