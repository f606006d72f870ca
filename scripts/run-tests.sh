#!/usr/bin/env bash
# Run the whole test suite (and the linter) on a fresh or an already set-up machine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check counter_app ui printers sync tests benchmarks
# Two test processes (TEST_WORKERS=0 for one): each starts its own PostgreSQL, CUPS and hubs on free ports.
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-2}" "$@"
