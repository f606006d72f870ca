#!/usr/bin/env bash
# Build the one-folder bundle (no Python needed where it runs): dist/counter-app/counter-app.
# Usage: scripts/build-bundle.sh [DIST_FOLDER]   (default: dist)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
dist="$(realpath -m "${1:-dist}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
.venv/bin/python -m pip install -q "pyinstaller>=6.10,<7"
cd packaging
../.venv/bin/pyinstaller --noconfirm --log-level ERROR --distpath "$dist" --workpath "$work" counter-app.spec
echo "bundle: $dist/counter-app/counter-app ($(du -sh "$dist/counter-app" | cut -f1))"
