#!/usr/bin/env bash
# The main job: set up .venv (once), build the graph from data/sources, serve the explorer and its
# SPARQL endpoint on the embedded store at http://127.0.0.1:8000/ (extra arguments go to `atdkg serve`).
# The SPARQL editor and the network graph also need `npm ci` (Node.js); without it those pages fall
# back to plain HTML forms and tables.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/venv.sh
# npm ci when node_modules is absent, or older than package-lock.json (npm writes node_modules/.package-lock.json
# at each install): a front-end package added since the last install then arrives without a manual step
if command -v npm >/dev/null && { [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  npm ci --no-audit --no-fund --loglevel=error || echo "note: npm ci failed; the editor and the network graph fall back to plain HTML" >&2
elif ! command -v npm >/dev/null && [ ! -d node_modules ]; then
  echo "note: npm (Node.js) is not installed; the SPARQL editor and the network graph fall back to plain HTML" >&2
fi
.venv/bin/atdkg build
exec .venv/bin/atdkg serve "$@"
