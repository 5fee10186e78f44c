"""SHACL validation of a built dataset with pySHACL.

The shapes see the union of all named graphs, ontology included, so sh:targetClass follows
rdfs:subClassOf (a Session is validated as an AgendaItem too). Returns pySHACL's triple:
(conforms, report graph, report text); tests assert on the report graph.

What keeps it in step with the build as the corpus grows (see README, Performance): pySHACL hands
rdflib the text of a SPARQL constraint once per focus node, and rdflib parses it every time (~15 ms
of pyparsing each, a third of all validation time); here each distinct text is parsed once — by a
SPARQL processor registered through rdflib's public plugin registry for the time of the validation,
so no dependency's private method is patched. And the data graph is validated in place, not copied
first: with no inference and no SHACL rules pySHACL does not change it, and the copy cost a fifth of
the time.

Tried and dropped: splitting the shapes over two processes (pySHACL's ``use_shapes``) — each half
took longer than the whole, as restricting the shapes takes pySHACL off its fast path.
"""
from __future__ import annotations

import functools
from contextlib import contextmanager

from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph, plugin
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.query import Processor

from atdkg.ontology import SHAPES as SHAPES_FILE


def load_shapes() -> Graph:
    g = Graph()
    g.parse(SHAPES_FILE, format="turtle")
    return g


def union_graph(ds: Dataset) -> Graph:
    g = Graph()
    g.addN((s, p, o, g) for s, p, o, _ in ds.quads((None, None, None, None)))
    return g


@functools.lru_cache(maxsize=256)
def _prepared(text: str, namespaces: frozenset, base: str | None):
    return prepareQuery(text, initNs=dict(namespaces), base=base)


class PreparedSPARQLProcessor(SPARQLProcessor):
    """rdflib's SPARQL processor, parsing each distinct query text once (the same answers: a
    prepared query is what rdflib would otherwise build on every call)."""

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # rdflib's names
        if isinstance(strOrQuery, str):
            strOrQuery = _prepared(strOrQuery, frozenset((initNs or {}).items()), base)
        return super().query(strOrQuery, initBindings, None, base, DEBUG)


@contextmanager
def _sparql_parsed_once():
    plugin.register("sparql", Processor, __name__, "PreparedSPARQLProcessor")
    try:
        yield
    finally:
        plugin.register("sparql", Processor, "rdflib.plugins.sparql.processor", "SPARQLProcessor")


def _run(graph: Graph, shapes: Graph) -> tuple[bool, Graph, str]:
    with _sparql_parsed_once():
        conforms, report_graph, report_text = shacl_validate(
            graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False,
            abort_on_first=False, inplace=True)
    return bool(conforms), report_graph, report_text


def validate(data: Dataset | Graph, shapes: Graph | None = None) -> tuple[bool, Graph, str]:
    graph = union_graph(data) if isinstance(data, Dataset) else data
    return _run(graph, shapes if shapes is not None else load_shapes())
