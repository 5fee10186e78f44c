"""The ontology, its SKOS vocabularies and the SHACL shapes, as files shipped with the package."""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
ONTOLOGY = HERE / "atd.ttl"
VOCABULARIES = HERE / "vocabularies.ttl"
SHAPES = HERE / "shapes.ttl"
FILES = {"atd.ttl": ONTOLOGY, "vocabularies.ttl": VOCABULARIES, "shapes.ttl": SHAPES}
