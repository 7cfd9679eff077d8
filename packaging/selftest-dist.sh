#!/usr/bin/env bash
# Run the built app's self-test (dist/gptdesk) the way a user's machine would: from another
# folder, with a clean environment (no venv, no PYTHONPATH, an empty home), no display.
#
#   packaging/selftest-dist.sh [--cpu MODEL] [APP]   (default APP: dist/gptdesk/gptdesk)
#
# --cpu MODEL runs the app under QEMU's user-mode emulator as that CPU (Debian's qemu-user;
# Linux x86-64 only), e.g. --cpu Haswell: AVX2 without AVX-512, the oldest CPU the release
# build is meant to be fast on. The app must pick its llama.cpp CPU variant from what the
# (emulated) CPU reports, not from the build machine. make package runs it natively and so.
# Prints the self-test's one line; the exit status is the self-test's.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cpu=
if [ "${1:-}" = --cpu ]; then cpu=$2; shift 2; fi
app=${1:-$root/dist/gptdesk/gptdesk}
case "$app" in /*) ;; *) app=$PWD/$app ;; esac
if [ ! -x "$app" ]; then
  echo "selftest-dist: $app does not exist; build it with make package" >&2
  exit 2
fi
run=("$app")
child_env=()
limit=300
if [ -n "$cpu" ]; then
  if ! command -v qemu-x86_64 >/dev/null; then
    echo "selftest-dist: --cpu needs qemu-x86_64 (Debian: apt-get install qemu-user)" >&2
    exit 2
  fi
  # PyInstaller's bootloader restarts itself (execvp) to set LD_LIBRARY_PATH, and QEMU's
  # user mode does not follow an exec: the app would run on the real CPU. Given the variables
  # that restart sets, the bootloader goes straight on, inside the emulator (-E sets them for
  # the emulated program only, not for qemu itself).
  internal=$(dirname "$app")/_internal
  emulate=(qemu-x86_64 -cpu "$cpu" -E "LD_LIBRARY_PATH=$internal" -E "_PYI_ARCHIVE_FILE=$app"
           -E "_PYI_PARENT_PROCESS_LEVEL=-1" -E "_PYI_LINUX_PROCESS_NAME=$(basename "$app")")
  run=("${emulate[@]}" "$app")
  # The engine runs in a child process (and probes CPU kernels in others): started through
  # the same emulator, or llama.cpp would run on the real CPU.
  child_env=(GPTDESK_ENGINE_LAUNCHER="$(printf '%q ' "${emulate[@]}")")
  limit=1800  # an emulated CPU is 10-50x slower
fi
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
cd "$home"
# QEMU warns once per CPUID feature its TCG lacks (pcid, x2apic...): not the app's output.
env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 GPTDESK_SELF_TEST_TIMEOUT=$((limit - 60)) \
  "${child_env[@]}" \
  timeout "$limit" "${run[@]}" --self-test 2> >(grep -v "TCG doesn't support requested feature" >&2)
