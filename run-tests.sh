#!/usr/bin/env bash
# The test command: installs what the tests need, then runs them (extra arguments go to pytest).
#   - Debian's chromium, which the browser tests drive with Playwright (no browser download);
#   - the explorer's front-end libraries from package-lock.json (YASGUI, Cytoscape.js);
#   - the package with its test extra, in .venv (pytest, hypothesis, the oxigraph server, playwright, …).
set -euo pipefail
cd "$(dirname "$0")"
if ! [ -x /usr/bin/chromium ]; then
  apt-get update && apt-get install -y chromium
fi
npm ci --no-audit --no-fund
ATDKG_EXTRAS=test . scripts/venv.sh
exec .venv/bin/python -m pytest "$@"
