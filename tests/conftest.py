"""Shared fixtures: the graph built from data/ (once per session) and throw-away copies of data/."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from loaders.build import build_graph
from loaders.sources import read_text

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def built():
    """The BuildResult of the real corpus (in memory; data/build is not touched)."""
    result = build_graph(DATA)
    assert result.conforms, result.report_text
    return result


@pytest.fixture(scope="session")
def dataset(built):
    return built.dataset


@pytest.fixture(scope="session")
def originals():
    """Document id → original text, read the one way offsets are defined."""
    from loaders.sources import load_manifest
    return {s.id: read_text(DATA / "sources" / s.file) for s in load_manifest(DATA / "sources")}


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of data/ (sources, reference, gazetteer) without any build."""
    target = tmp_path / "data"
    for part in ("sources", "reference", "gazetteer"):
        shutil.copytree(DATA / part, target / part)
    return target
