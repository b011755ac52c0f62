#!/usr/bin/env bash
# Quick start 2: set up (system packages, .venv, the emulator), lint (ruff, mypy), then run
# the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-deps.sh
scripts/setup.sh --with-emulator
.venv/bin/ruff check publisher_restore plugins tests benchmarks
.venv/bin/ruff format --check .
.venv/bin/mypy
exec .venv/bin/python -m pytest -n 2 "$@"
