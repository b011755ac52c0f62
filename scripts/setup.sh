#!/usr/bin/env bash
# Create (or update) the project's virtualenv in .venv with the package, the
# Azure plugin and the development tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'
if [[ -f plugins/azure-blob/pyproject.toml ]]; then
  .venv/bin/python -m pip install --quiet -e plugins/azure-blob
fi
if [[ -f package.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
