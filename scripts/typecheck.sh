#!/usr/bin/env bash
# mypy over the package as it installs: the folders are mapped into atdkg by setuptools' package-dir,
# which mypy cannot follow through an editable install, so it checks a tree of symbolic links that has
# the installed shape (build/typecheck/atdkg/{loaders,queries,…}). Extra arguments go to mypy.
set -euo pipefail
cd "$(dirname "$0")/.."
tree=build/typecheck
rm -rf "$tree"
mkdir -p "$tree/atdkg"
for f in atdkg/*.py; do ln -s "../../../$f" "$tree/atdkg/"; done
for pkg in loaders queries network webapp ontology benchmarks; do ln -s "../../../$pkg" "$tree/atdkg/$pkg"; done
python=${PYTHON:-.venv/bin/python}
if [ -x "$python" ]; then python=$(cd "$(dirname "$python")" && pwd)/$(basename "$python"); else python=python3; fi
cd "$tree"
exec "$python" -m mypy --config-file ../../pyproject.toml -p atdkg "$@"
