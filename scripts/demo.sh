#!/usr/bin/env bash
# Quick start 1: set up, then run the main job on a copy of the bundled sample site.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/publisher-restore demo "$@"
