#!/usr/bin/env bash
# Run the built app's self-test (dist/gptdesk) the way a user's machine would: from another
# folder, with a clean environment (no venv, no PYTHONPATH, an empty home), no display.
#
#   packaging/selftest-dist.sh [APP]     (default: dist/gptdesk/gptdesk; make package runs it)
#
# Prints the self-test's one line; the exit status is the self-test's.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
app=${1:-$root/dist/gptdesk/gptdesk}
case "$app" in /*) ;; *) app=$PWD/$app ;; esac
if [ ! -x "$app" ]; then
  echo "selftest-dist: $app does not exist; build it with make package" >&2
  exit 2
fi
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
cd "$home"
env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 \
  timeout 300 "$app" --self-test
