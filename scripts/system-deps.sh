#!/usr/bin/env bash
# Install the system packages the test suite needs when they are missing (Debian/Ubuntu,
# as root): Node.js and npm for the pinned Azure Storage emulator, and Debian's Chromium
# for the dashboard's browser tests (never a browser downloaded by a test tool).
set -euo pipefail
missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
(( ${#missing[@]} )) || exit 0
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: the tests need ${missing[*]}; install them (Debian: apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "setup: installing ${missing[*]} with apt-get (once)" >&2
apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
