#!/usr/bin/env bash
# Build the one-folder app into dist/gptdesk with PyInstaller, from the venv's installed
# gptdesk dependencies (llama-cpp-python with the venv's backend, PySide6, the starter model).
#
#   packaging/build.sh [VENV_PYTHON]        (make package does this)
#
# Prints the build time and the folder's size; packaging/selftest-dist.sh checks the result.
set -euo pipefail
cd "$(dirname "$0")/.."
py=${1:-.venv/bin/python}
start=$(date +%s)
"$py" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/gptdesk.spec
end=$(date +%s)
echo "Built dist/gptdesk in $((end - start)) s: $(du -sh dist/gptdesk | cut -f1)" \
  "($(find dist/gptdesk -type f | wc -l) files)"
