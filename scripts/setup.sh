#!/usr/bin/env bash
# Create (or update) the project's virtualenv in .venv with the package, the
# Azure plugin and the development tools. Safe to run again: pip runs only when
# .venv is missing or what it was built from changed (a stamp in .venv holds a
# hash of the pyproject.toml files and this script); npm ci likewise only when
# package-lock.json changed.
#   --with-emulator   also install the pinned Azure Storage emulator (Azurite, npm)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV_STAMP=.venv/.publisher-restore-setup
NPM_STAMP=node_modules/.publisher-restore-setup

fingerprint() {
  cat "$@" | sha256sum | cut -d' ' -f1
}

# pip's own chatter (index locations it cannot use, build back-end notices) is not the
# project's output: keep pip's errors only (-qq), and show everything if it fails.
quiet_pip() {
  local log
  log=$(mktemp)
  if ! .venv/bin/python -m pip "$@" -qq --disable-pip-version-check >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "setup: pip $1 failed (its full output is above)" >&2
    exit 1
  fi
  rm -f "$log"
}

python_wanted=$(fingerprint pyproject.toml plugins/azure-blob/pyproject.toml scripts/setup.sh)
if [[ ! -x .venv/bin/python || "$(cat "$VENV_STAMP" 2>/dev/null)" != "$python_wanted" ]]; then
  echo "setup: installing the package and its tools into .venv (once; later runs skip this)" >&2
  [[ -x .venv/bin/python ]] || "$PYTHON" -m venv .venv
  quiet_pip install --upgrade pip
  quiet_pip install -e '.[dev]' -e plugins/azure-blob
  echo "$python_wanted" >"$VENV_STAMP"
fi

if [[ "${1:-}" == "--with-emulator" ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "setup: npm is needed for the Azurite emulator (install Node.js and npm)" >&2
    exit 1
  fi
  npm_wanted=$(fingerprint package.json package-lock.json)
  if [[ "$(cat "$NPM_STAMP" 2>/dev/null)" != "$npm_wanted" ]]; then
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
    echo "$npm_wanted" >"$NPM_STAMP"
  fi
fi
