"""Reading the cue files of data/gazetteer/ (YAML): errors name the file, the key and the item.

YAML 1.1 reads a bare ``on``, ``off``, ``yes`` or ``no`` as a boolean, so a word list that holds one says to
quote it rather than failing later with a confusing pattern.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .sources import SourceError


def read(path: Path, error: type[SourceError]) -> dict[str, Any]:
    """The mapping a cue file holds; ``error`` (naming the file) if it cannot be read or is not a mapping."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise error(f"{path}: cannot read the cue file ({e})") from None
    if not isinstance(raw, dict):
        raise error(f"{path}: expected a mapping of cue lists, found {type(raw).__name__}")
    return raw


def words(raw: dict[str, Any], key: str, path: Path, error: type[SourceError]) -> list[str]:
    """The list of words (or phrases, or patterns) under ``key``, stripped; ``error`` naming key and item."""
    value = raw.get(key)
    if not isinstance(value, list):
        raise error(f"{path}: {key!r} must be a list of words (found {type(value).__name__})")
    for k, x in enumerate(value):
        if not isinstance(x, str) or not x.strip():
            raise error(f"{path}: {key!r} item {k + 1} must be a word, found {x!r} (quote it)")
    return [x.strip() for x in value]
