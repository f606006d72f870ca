#!/usr/bin/env bash
# Set up a fresh Linux machine for the counter app: system libraries Qt needs, a virtual
# environment in .venv, and the project with its test extras. Safe to run again: it only
# does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt (PySide6) runtime libraries, fonts with Vietnamese coverage, the X11 bits for a real screen,
# PulseAudio's client library, which Qt Multimedia (the board's voice) loads, and what the printing
# tests read output back with: OCR with its Vietnamese model, a QR reader, PDF tools, socat, CUPS with
# cups-pdf (the A4 tests start a CUPS of their own whose queue keeps what it received); PostgreSQL,
# which the city server's tests start in a throwaway cluster of their own; and Debian's Chromium, which
# the city's web pages are tested in (driven headless by Playwright, which downloads no browser of its own).
SYSTEM_PACKAGES=(libgl1 libegl1 libglib2.0-0 libfontconfig1 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-render-util0 libxcb-image0
  libpulse0 fonts-dejavu-core fonts-noto-core
  tesseract-ocr tesseract-ocr-vie zbar-tools poppler-utils socat postgresql cups printer-driver-cups-pdf
  chromium)
if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    echo "setup: installing system packages: ${missing[*]}"
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [[ ! -f .venv/.setup-stamp || $(cat .venv/.setup-stamp) != "$stamp" ]]; then
  echo "setup: installing the project and its test tools into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test]'
  echo "$stamp" > .venv/.setup-stamp
fi
