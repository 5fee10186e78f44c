"""Where things are: the data directory and the IRI base, in layers (flag > environment > default)."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE = "https://w3id.org/atd-kg/"


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


def base_iri(flag: str | None = None) -> str:
    base = flag or os.environ.get("ATDKG_BASE") or DEFAULT_BASE
    return base if base.endswith(("/", "#")) else base + "/"
