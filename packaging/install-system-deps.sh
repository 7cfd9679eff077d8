#!/usr/bin/env bash
# The system packages the app's window and the test suite need, beside Python's: Qt's
# libraries (offscreen too), the xcb libraries of its X11 plugin (a release build bundles them),
# a font, and desktop-file-validate (tests/test_desktop_entry.py checks the launcher entry).
#
#   packaging/install-system-deps.sh [--package]
#
# make install and make test run it once per venv; make package with --package, which adds
# QEMU's user-mode emulator on x86-64 Linux (packaging/selftest-dist.sh --cpu Haswell runs the
# built app as an AVX2-only CPU).
#
# Debian/Ubuntu: installs what is missing, as root or with `sudo -n` (sudo that needs no
# password); when neither can, prints the one command to run and exits 1.
# Other Linux: names what is missing (Debian's names; install your distribution's equivalents)
# and exits 1 if anything the tests need is. macOS and Windows: Qt brings its own libraries and
# the desktop-entry tests are Linux-only, so there is nothing to install.
set -euo pipefail

# Debian package, and what shows it is installed elsewhere: a command or a shared library.
packages=(
  "libegl1 lib:libEGL.so.1"
  "libgl1 lib:libGL.so.1"
  "libfontconfig1 lib:libfontconfig.so.1"
  "libxkbcommon0 lib:libxkbcommon.so.0"
  "libdbus-1-3 lib:libdbus-1.so.3"
  "fonts-dejavu-core font:"
  "desktop-file-utils cmd:desktop-file-validate"
  "libxcb-cursor0 x11:libxcb-cursor.so.0"
  "libxcb-icccm4 x11:libxcb-icccm.so.4"
  "libxcb-keysyms1 x11:libxcb-keysyms.so.1"
  "libxcb-image0 x11:libxcb-image.so.0"
  "libxcb-render-util0 x11:libxcb-render-util.so.0"
  "libxkbcommon-x11-0 x11:libxkbcommon-x11.so.0"
)
if [ "${1:-}" = --package ] && [ "$(uname -sm)" = "Linux x86_64" ]; then
  packages+=("qemu-user cmd:qemu-x86_64")
fi
say() { echo "install-system-deps: $*" >&2; }

case "$(uname -s)" in
  Linux) ;;
  *) exit 0 ;;  # macOS, Windows: nothing from the system
esac

if command -v apt-get >/dev/null && command -v dpkg-query >/dev/null; then
  missing=()
  for entry in "${packages[@]}"; do
    name=${entry%% *}
    dpkg-query -W -f='${Status}\n' "$name" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$name")
  done
  [ ${#missing[@]} -eq 0 ] && exit 0

  if [ "$(id -u)" = 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    say "missing system packages; run: sudo apt-get install ${missing[*]}"
    exit 1
  fi
  say "installing ${missing[*]}"
  # DPkg::Lock::Timeout: wait for an apt run already in progress (older apt ignores it)
  if ! { ${as_root[@]+"${as_root[@]}"} apt-get update -qq &&
         ${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive \
           apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null; }; then
    say "could not install them (see above); run: sudo apt-get install ${missing[*]}"
    exit 1
  fi
  exit 0
fi

# Not Debian/Ubuntu: look for each piece by what it provides.
libraries=""
if command -v ldconfig >/dev/null; then
  libraries=$(ldconfig -p 2>/dev/null || true)
elif [ -x /sbin/ldconfig ]; then
  libraries=$(/sbin/ldconfig -p 2>/dev/null || true)
fi
has_library() { [ -z "$libraries" ] || grep -q "^[[:space:]]*$1 " <<<"$libraries"; }
required=()
x11=()
for entry in "${packages[@]}"; do
  name=${entry%% *}
  check=${entry#* }
  kind=${check%%:*}
  what=${check#*:}
  case "$kind" in
    cmd) command -v "$what" >/dev/null || required+=("$name ($what)") ;;
    lib) has_library "$what" || required+=("$name ($what)") ;;
    x11) has_library "$what" || x11+=("$name ($what)") ;;
    font) { ! command -v fc-list >/dev/null || [ -n "$(fc-list 2>/dev/null)" ]; } ||
            required+=("$name (any font)") ;;
  esac
done
[ -n "$libraries" ] || say "could not list the shared libraries (no ldconfig); Qt needs" \
  "libEGL, libGL, fontconfig, xkbcommon and D-Bus's libdbus-1"
if [ ${#x11[@]} -gt 0 ]; then
  say "for the window under X11 also install (Debian names): ${x11[*]}"
fi
if [ ${#required[@]} -gt 0 ]; then
  say "missing system packages (Debian names; install your distribution's equivalents):" \
    "${required[*]}"
  exit 1
fi
