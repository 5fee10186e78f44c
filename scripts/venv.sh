# Sourced by ./run.sh and ./run-tests.sh: make sure .venv exists and holds the package with the extras
# in $ATDKG_EXTRAS. Nothing is installed system-wide (PEP 668: Debian and Ubuntu refuse `pip install`
# outside a virtual environment). Where Debian's python3 lacks venv (the python3-venv package) and we
# are root, it is installed with apt-get; otherwise the message says what to install.
set -eu
python="${PYTHON:-python3}"  # which Python makes the environment (CI tries Debian's own, /usr/bin/python3)
if [ ! -x .venv/bin/python ]; then
  if ! "$python" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      py=$("$python" -c 'import sys; print(f"python{sys.version_info[0]}.{sys.version_info[1]}")')
      apt-get update -qq && apt-get install -y -qq python3-venv "$py-venv" >/dev/null
      "$python" -m venv .venv
    else
      echo "error: python3 cannot create a virtual environment; install Debian's python3-venv (sudo apt-get install python3-venv) and run this again" >&2
      exit 2
    fi
  fi
fi
# reinstall only when pyproject.toml or the extras changed
stamp=".venv/.installed-$( (cat pyproject.toml; echo "${ATDKG_EXTRAS:-}") | sha256sum | cut -c1-16)"
if [ ! -e "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".${ATDKG_EXTRAS:+[$ATDKG_EXTRAS]}"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
