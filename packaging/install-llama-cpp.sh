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
set -euo pipefail
py=$1 backend=$2 version=$3

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

pytag=$("$py" -c 'import sys, platform; print(f"cp{sys.version_info[0]}{sys.version_info[1]}-{platform.machine()}")')
cache=${GPTDESK_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gptdesk/wheels}/$backend-$pytag
stamp=$(dirname "$(dirname "$py")")/.llama-cpp-backend
want="$version $backend"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$py" -c 'import llama_cpp' 2>/dev/null; then
  exit 0
fi
wheel=$(ls "$cache"/llama_cpp_python-"$version"-*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$wheel" ]; then
  echo "Building llama-cpp-python $version for $backend (one time, several minutes)..." >&2
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
