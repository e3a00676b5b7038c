#!/bin/sh
# The Debian/Ubuntu packages that `make run` (run) and `make test` (test) need, installed when
# missing. Without root, sudo or apt-get it stops at once, naming what to install, and exits 1:
# it never half-installs and never hangs on a prompt nobody can answer.
#
# A word "a|b" is one need met by either package: Debian 13 and Ubuntu 24.04 renamed several
# libraries for the 64-bit time_t transition (libglib2.0-0 became libglib2.0-0t64).
set -u

# Python's venv (ensurepip), the CJK TrueType font and its fallback for CJK Extensions A–F
# (HanaMinA/B), Xvfb, and the libraries Qt's widgets, its xcb and offscreen platforms and its
# EGL/GLX integrations load (found with ldd over PySide6).
RUN="python3-venv fonts-wqy-microhei fonts-hanazono xvfb xauth
libglib2.0-0t64|libglib2.0-0 libfontconfig1 libfreetype6 libpng16-16t64|libpng16-16
libdbus-1-3 libegl1 libgl1 libglx0 libdrm2 libgssapi-krb5-2 libwayland-client0
libxkbcommon0 libxkbcommon-x11-0 libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0
libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0
libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1"
# pdftotext/pdffonts/pdftoppm/pdfsig, certutil (to trust a certificate for pdfsig), zbarimg
# (to read the QR code back), makensis (the Windows installer script compiles), and the validators
# of the Linux desktop entry and AppStream metainfo; PostgreSQL, whose throwaway server the
# institution's tests also run on (tests/support/postgres.py starts and removes it); faketime,
# to run the program with its clock years ahead (an archived report read as a reader would).
TEST="poppler-utils poppler-data libnss3-tools zbar-tools nsis desktop-file-utils appstream
postgresql faketime"

case "${1:-}" in
  run) wanted=$RUN ;;
  test) wanted="$RUN $TEST" ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

installed() {
  dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q "install ok installed"
}

readable() {  # "a|b" as "a (or b)" for a person to read
  for need in "$@"; do
    case "$need" in
      *"|"*) printf '%s (or %s)\n' "${need%%|*}" "$(echo "${need#*|}" | sed 's/|/ or /g')" ;;
      *) printf '%s\n' "$need" ;;
    esac
  done
}

stop() {  # $1: why; the rest: the needs still missing
  why=$1; shift
  {
    echo "Cannot install the system packages Proctor Desk needs: $why."
    echo "Install these, then run make again:"
    readable "$@" | sed 's/^/  /'
  } >&2
  exit 1
}

if ! command -v dpkg-query >/dev/null 2>&1; then
  # shellcheck disable=SC2086
  stop "this is not a Debian or Ubuntu system (no dpkg-query); install their equivalents" $wanted
fi

missing=""
for need in $wanted; do
  met=""
  for package in $(echo "$need" | tr '|' ' '); do
    if installed "$package"; then met=1; break; fi
  done
  [ -n "$met" ] || missing="$missing $need"
done
[ -z "$missing" ] && exit 0

# shellcheck disable=SC2086
command -v apt-get >/dev/null 2>&1 || stop "apt-get is not on this system" $missing
if [ "$(id -u)" = 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  # shellcheck disable=SC2086
  stop "not running as root and sudo is not available" $missing
fi

echo "Installing Debian packages:$missing"
# shellcheck disable=SC2086
$sudo apt-get update -qq || stop "apt-get update failed" $missing
packages=""
for need in $missing; do
  choice=""
  for package in $(echo "$need" | tr '|' ' '); do
    # The first name this release's archive has a candidate for.
    if apt-cache policy "$package" 2>/dev/null | grep -q 'Candidate: [^(]'; then
      choice=$package; break
    fi
  done
  # shellcheck disable=SC2086
  [ -n "$choice" ] || stop "the package archive has no $(readable "$need")" $missing
  packages="$packages $choice"
done
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $packages \
  || stop "apt-get install failed" $missing
