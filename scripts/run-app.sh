#!/usr/bin/env bash
# Start the clerk application on its embedded default: a one-PC office with the demo data.
# Pass --db FILE to use another office database.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/counter-app "$@" demo --if-empty
exec .venv/bin/counter-app "$@" gui
