"""SHACL validation of a built dataset, by one of two engines with the same API and the same results.

The shapes see the union of all named graphs, ontology included, so sh:targetClass follows
rdfs:subClassOf (a Session is validated as an AgendaItem too). Returns (conforms, report graph,
report text) as pySHACL does; tests assert on the report graph.

Two validators, chosen by ``validator=`` (``atdkg build --validator``), else $ATDKG_VALIDATOR, else
the default (README, "Libraries, and why"):

- ``turbo`` (the default): pyshacl-turbo, a Rust SHACL engine with pySHACL's API. On the mutation
  suite it reports the same results as pySHACL (tests/test_validator_agreement.py), 2-5x faster
  from 10^4 to 1.4·10^6 triples (``python -m atdkg.benchmarks.validators``; README, Performance).
  It is given the same rdflib union graph: its other input that skips rdflib (a pyoxigraph Store)
  comes with literals normalised by the store (a plain "count" then fails sh:in ( "count" )), and
  its report on the seed graph had 1,282 false violations.
- ``pyshacl``: pySHACL over rdflib, the reference the agreement test compares against.

What keeps pySHACL in step with the build as the corpus grows: pySHACL hands rdflib the text of a
SPARQL constraint once per focus node, and rdflib parses it every time (~15 ms of pyparsing each, a
third of all validation time); here each distinct text is parsed once — by a SPARQL processor
registered through rdflib's public plugin registry for the time of the validation, so no
dependency's private method is patched. And the data graph is validated in place, not copied
first: with no inference and no SHACL rules pySHACL does not change it, and the copy cost a fifth of
the time. Tried and dropped: splitting the shapes over two processes (pySHACL's ``use_shapes``) —
each half took longer than the whole, as restricting the shapes takes pySHACL off its fast path.
"""
from __future__ import annotations

import functools
import os
from contextlib import contextmanager

from rdflib import RDF, BNode, Dataset, Graph, plugin
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.query import Processor

from atdkg.ontology import SHAPES as SHAPES_FILE

VALIDATORS = ("turbo", "pyshacl")
DEFAULT_VALIDATOR = "turbo"  # same results on every mutation kind, and faster at every size measured (README)


def validator_name(flag: str | None = None) -> str:
    """--validator, else $ATDKG_VALIDATOR, else the default; anything else is a clear error."""
    name = flag or os.environ.get("ATDKG_VALIDATOR") or DEFAULT_VALIDATOR
    if name not in VALIDATORS:
        where = "--validator" if flag else "$ATDKG_VALIDATOR"
        raise ValueError(f"{where}={name!r}: expected one of {', '.join(VALIDATORS)}")
    return name


def load_shapes() -> Graph:
    g = Graph()
    g.parse(SHAPES_FILE, format="turtle")
    return g


def union_graph(ds: Dataset) -> Graph:
    """The triples of every graph of ``ds``, once each. Read from its store with no context (rdflib's Store API:
    each triple once, whatever graphs state it) rather than as quads: 5-22% faster at 1.5·10^5
    triples, the same triples (benchmarks.validators times the union)."""
    g = Graph()
    g.addN((s, p, o, g) for (s, p, o), _contexts in ds.store.triples((None, None, None), None))
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


def _run_pyshacl(graph: Graph, shapes: Graph) -> tuple[bool, Graph, str]:
    from pyshacl import validate as shacl_validate  # late, as turbo: only the engine asked for is loaded

    with _sparql_parsed_once():
        conforms, report_graph, report_text = shacl_validate(
            graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False,
            abort_on_first=False, inplace=True)
    return bool(conforms), report_graph, report_text


def _run_turbo(graph: Graph, shapes: Graph) -> tuple[bool, Graph, str]:
    import pyshacl_turbo  # late: a build that asks for pySHACL does not load the native engine

    # the same options as pySHACL's run; turbo compiles the shapes once per distinct shapes graph and
    # does not change the data graph (no inference, no rules, not in place)
    conforms, report_graph, report_text = pyshacl_turbo.validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False, abort_on_first=False)
    return bool(conforms), report_graph, report_text


def validate(data: Dataset | Graph, shapes: Graph | None = None,
             validator: str | None = None) -> tuple[bool, Graph, str]:
    """Validate ``data`` (a Dataset: the union of its graphs) against ``shapes`` (default: the
    installed shapes) with ``validator`` (see validator_name)."""
    name = validator_name(validator)
    graph = union_graph(data) if isinstance(data, Dataset) else data
    run = _run_turbo if name == "turbo" else _run_pyshacl
    return run(graph, shapes if shapes is not None else load_shapes())


# ------------------------------------------------------------------ comparing two validators' reports
def _steps(graph: Graph, path):
    """A path as a hashable value: an IRI as it is, a sequence path (an RDF list) as the tuple of its steps."""
    if isinstance(path, BNode) and graph.value(path, RDF.first) is not None:
        return tuple(_steps(graph, step) for step in Collection(graph, path))
    if isinstance(path, BNode):  # none in our shapes: say so rather than compare blank-node labels
        raise ValueError(f"a path other than an IRI or a sequence: {path}")
    return path


def _shape_key(shapes: Graph, shape):
    """A blank-node property shape as (the named shape holding it, its path); a named shape as it is."""
    if not isinstance(shape, BNode):
        return shape
    owners = list(shapes.subjects(SH.property, shape))
    if len(owners) != 1:
        raise ValueError(f"the property shape {shape} is not held by exactly one named shape: {owners}")
    path = _steps(shapes, shapes.value(shape, SH.path))
    # the key must not merge two property shapes: no other of the owner's has the same path
    same = [p for p in shapes.objects(owners[0], SH.property) if _steps(shapes, shapes.value(p, SH.path)) == path]
    if same != [shape]:
        raise ValueError(f"{owners[0]} has {len(same)} property shapes on {path}: the key would merge them")
    return ("property shape of", owners[0], path)


def comparable_results(report: Graph, shapes: Graph) -> set[tuple]:
    """A report's results as (focus node, result path, source constraint component, source shape, severity,
    value), for comparing two validators' reports (tests/test_validator_agreement.py, benchmarks.validators).

    Normalised, because they are representation rather than what was found: a source shape that is a blank
    node (a property shape of ``shapes``) is keyed by the named node shape holding it and its path — a blank
    node's label is no part of the result, and another engine may label it differently; a sequence result path
    (a blank-node RDF list) is its steps, in order. Messages are left out: a shape's own sh:message is copied by
    both engines, but a result with none gets the engine's wording."""
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        found.add((report.value(result, SH.focusNode),
                   None if path is None else _steps(report, path),
                   report.value(result, SH.sourceConstraintComponent),
                   _shape_key(shapes, report.value(result, SH.sourceShape)),
                   report.value(result, SH.resultSeverity),
                   report.value(result, SH.value)))
    return found
