"""SHACL validation of a built dataset with pySHACL.

The shapes see the union of all named graphs, ontology included, so sh:targetClass follows
rdfs:subClassOf (a Session is validated as an AgendaItem too). Returns pySHACL's triple:
(conforms, report graph, report text); tests assert on the report graph.
"""
from __future__ import annotations

from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph

SHAPES_FILE = Path(__file__).resolve().parent.parent / "ontology" / "shapes.ttl"


def load_shapes() -> Graph:
    g = Graph()
    g.parse(SHAPES_FILE, format="turtle")
    return g


def union_graph(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def validate(data: Dataset | Graph, shapes: Graph | None = None) -> tuple[bool, Graph, str]:
    graph = union_graph(data) if isinstance(data, Dataset) else data
    conforms, report_graph, report_text = shacl_validate(
        graph, shacl_graph=shapes if shapes is not None else load_shapes(), inference="none",
        advanced=True, allow_warnings=False, abort_on_first=False)
    return bool(conforms), report_graph, report_text
