#!/usr/bin/env bash
# Create (or update) the project's virtualenv in .venv with the package, the
# Azure plugin and the development tools. Safe to run again.
#   --with-emulator   also install the pinned Azure Storage emulator (Azurite, npm)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]' -e plugins/azure-blob
if [[ "${1:-}" == "--with-emulator" ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "setup: npm is needed for the Azurite emulator (install Node.js and npm)" >&2
    exit 1
  fi
  npm ci --no-audit --no-fund --loglevel=error
fi
