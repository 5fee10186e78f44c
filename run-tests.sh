#!/usr/bin/env bash
# The test command: installs what the tests need, then runs them (extra arguments go to pytest).
#   - Debian's chromium, which the browser tests drive with Playwright (no browser download), and the DejaVu fonts;
#   - the explorer's front-end libraries from package-lock.json (YASGUI, Cytoscape.js);
#   - the package with its test extra, in .venv (pytest, hypothesis, the oxigraph server, playwright, …);
#   - then ruff and mypy (pyproject's [tool.ruff] and [tool.mypy]), then pytest.
set -euo pipefail
cd "$(dirname "$0")"
if ! [ -x /usr/bin/chromium ]; then
  apt-get update && apt-get install -y chromium
fi
# the font the PDF tests and the gold PDF are set in (chromium's dependencies usually bring it along)
if ! [ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ]; then
  apt-get update && apt-get install -y fonts-dejavu-core
fi
npm ci --no-audit --no-fund
ATDKG_EXTRAS=test . scripts/venv.sh
# lint and types first, on every run (a second or two for ruff, ~20 s for mypy); ATDKG_LINT=0 skips them
# when you are iterating on one test
if [ "${ATDKG_LINT:-1}" != 0 ]; then
  .venv/bin/python -m ruff check .
  PYTHON=.venv/bin/python scripts/typecheck.sh --no-error-summary | { grep -v ': note: ' || true; }
fi
exec .venv/bin/python -m pytest "$@"
