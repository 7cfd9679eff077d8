#!/usr/bin/env bash
# Build llama.cpp's own llama-server once and print its path (the last line on stdout).
#
#   packaging/build-llama-server.sh VENV_PYTHON VERSION
#
# The tests run it as a real OpenAI-compatible server that is not gptdesk (tests/servers.py).
# It is built from the llama.cpp that llama-cpp-python VERSION vendors, so it speaks the same
# GGUF and chat templates as the engine. The binary is kept in
# $GPTDESK_WHEEL_CACHE/../llama-server/VERSION-MACHINE (default ~/.cache/gptdesk/llama-server/…)
# next to install-llama-cpp.sh's wheels: a later run only prints the path. About 5 minutes to
# compile on 2 cores, once per machine. Extra CMake flags can be added with CMAKE_ARGS.
#
# Not built for this machine's CPU (-march=native): a native build on a CPU with AMX crashes on
# the first prompt (llama.cpp#20824), and a cached binary must run on any CPU the cache folder
# meets. On x86-64 it targets x86-64-v3 (AVX2, FMA, F16C, BMI2: Haswell and later), with the
# CPU backend and llama linked in statically (one file, no libllama to find at run time).
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 VENV_PYTHON VERSION" >&2
  exit 2
fi
py=$1 version=$2
machine=$(uname -m)
wheels=${GPTDESK_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gptdesk/wheels}
dest=$(dirname "$wheels")/llama-server/$version-$machine
binary=$dest/llama-server

if [ -x "$binary" ]; then
  echo "$binary"
  exit 0
fi

flags="-DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF"
# Only the server: no tests, examples or other tools to compile.
flags="$flags -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=ON"
flags="$flags -DLLAMA_BUILD_SERVER=ON"
# No libcurl or OpenSSL (loopback HTTP only, nothing to download; LLAMA_CURL is the older
# versions' switch), and no web UI: with it llama.cpp would fetch the UI from Hugging Face
# while building, which a machine without internet cannot, and the tests need no UI.
flags="$flags -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF"
flags="$flags -DGGML_NATIVE=OFF"
case "$machine" in
  x86_64|amd64)
    if [ -r /proc/cpuinfo ] && ! grep -qw avx2 /proc/cpuinfo; then
      echo "llama-server for the tests needs a CPU with AVX2 (x86-64-v3); this one lacks it." >&2
      exit 1
    fi
    flags="$flags -DGGML_SSE42=ON -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
    flags="$flags -DGGML_BMI2=ON -DGGML_AVX512=OFF"
    flags="$flags -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF" ;;
esac

# The tools pip's build of the same sources uses (install-llama-cpp.sh): a C++ compiler from
# the system, CMake from the system or else from PyPI into the venv (as pip's build
# isolation would fetch it), Ninja when there is one.
cxx=${CXX:-c++}
if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "No C++ compiler ($cxx) found: install build-essential (Debian/Ubuntu), gcc-c++ (Fedora) or the Xcode command line tools (macOS), then run this again." >&2
  exit 1
fi
venv_bin=$(dirname "$py")
if command -v cmake >/dev/null 2>&1; then
  cmake=cmake
elif [ -x "$venv_bin/cmake" ]; then
  cmake=$venv_bin/cmake
else
  echo "CMake not found: installing it from PyPI into the venv..." >&2
  "$py" -m pip install --quiet "cmake>=3.18" >&2 || {
    echo "Could not install CMake: install it (apt install cmake, brew install cmake) and run this again." >&2
    exit 1
  }
  cmake=$venv_bin/cmake
fi
generator=()
if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
jobs=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc 2>/dev/null || sysctl -n hw.ncpu)}

work=$(mktemp -d "${TMPDIR:-/tmp}/gptdesk-llama-server.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "Building llama-server from llama-cpp-python $version (one time, about 5 minutes on 2 cores)..." >&2
start=$(date +%s)
"$py" -m pip download --quiet --no-deps --no-binary :all: -d "$work" "llama-cpp-python==$version" >&2
tar -xzf "$work"/llama_cpp_python-"$version".tar.gz -C "$work"
src=$work/llama_cpp_python-$version/vendor/llama.cpp
# shellcheck disable=SC2086  # flags and CMAKE_ARGS are word lists
"$cmake" -S "$src" -B "$work/build" "${generator[@]}" $flags ${CMAKE_ARGS:-} >&2
"$cmake" --build "$work/build" --config Release --target llama-server --parallel "$jobs" >&2
built=$work/build/bin/llama-server
"$built" --version >&2  # it starts on this machine (a broken link would show here, not in a test)

# Atomic: a test never sees half a file, and a build cut short leaves nothing behind.
mkdir -p "$dest"
cp "$built" "$dest/.llama-server.$$"
mv -f "$dest/.llama-server.$$" "$binary"
echo "llama-server built in $(( $(date +%s) - start )) s" >&2
echo "$binary"
