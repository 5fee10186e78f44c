"""Where things are: the data directory and the IRI base, in layers (flag > environment > default)."""
from __future__ import annotations

import os
from pathlib import Path

from .terms import DEFAULT_BASE

ROOT = Path(__file__).resolve().parent.parent


def data_dir(flag: str | None = None) -> Path:
    """--data-dir, else $ATDKG_DATA, else ./data when it has sources, else the repository's data/."""
    if flag:
        return Path(flag)
    if env := os.environ.get("ATDKG_DATA"):
        return Path(env)
    here = Path.cwd() / "data"
    if (here / "sources" / "manifest.csv").exists():
        return here
    return ROOT / "data"


def number(flag, env: str, default, cast=float):
    """A numeric setting: the flag, else $env, else the default (a bad $env value is a clear error)."""
    if flag is not None:
        return flag
    raw = os.environ.get(env)
    if not raw:
        return default
    try:
        return cast(raw)
    except ValueError:
        raise ValueError(f"${env}={raw!r}: expected a number like {default}") from None


def base_iri(flag: str | None = None) -> str:
    base = flag or os.environ.get("ATDKG_BASE") or DEFAULT_BASE
    return base if base.endswith(("/", "#")) else base + "/"


def config_file() -> Path | None:
    """./atdkg.toml, else ~/.config/atdkg/config.toml (or $ATDKG_CONFIG)."""
    for candidate in (os.environ.get("ATDKG_CONFIG"), Path.cwd() / "atdkg.toml",
                      Path.home() / ".config" / "atdkg" / "config.toml"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def _from_file(key: str) -> str | None:
    import tomllib
    path = config_file()
    if path is None:
        return None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")).get(key)
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"{path}: not valid TOML: {e}") from None


def endpoint(flag: str | None = None) -> str | None:
    """The SPARQL endpoint: --endpoint, else $ATDKG_ENDPOINT, else `endpoint` in the config file;
    None means the embedded store."""
    return flag or os.environ.get("ATDKG_ENDPOINT") or _from_file("endpoint")


def graph_store(flag: str | None = None) -> str | None:
    return flag or os.environ.get("ATDKG_GRAPH_STORE") or _from_file("graph_store")
