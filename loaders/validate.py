"""SHACL validation of a built dataset with pySHACL.

The shapes see the union of all named graphs, ontology included, so sh:targetClass follows
rdfs:subClassOf (a Session is validated as an AgendaItem too). Returns pySHACL's triple:
(conforms, report graph, report text); tests assert on the report graph.

Two things keep it in step with the build as the corpus grows (see README, Performance):
- pySHACL hands rdflib the text of a SPARQL constraint once per focus node, and rdflib parses it
  every time (~15 ms of pyparsing each); here each distinct text is parsed once;
- on a large graph the node shapes are split into groups of similar cost, validated in forked
  processes (one per core; the graph is shared copy-on-write), and the reports merged.
"""
from __future__ import annotations

import functools
import multiprocessing as mp
import os
from contextlib import contextmanager
from pathlib import Path

from pyshacl import validate as shacl_validate
from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint
from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery

SHAPES_FILE = Path(__file__).resolve().parent.parent / "ontology" / "shapes.ttl"
PARALLEL_FROM = 100_000  # triples; below, one process is faster than forking


def load_shapes() -> Graph:
    g = Graph()
    g.parse(SHAPES_FILE, format="turtle")
    return g


def union_graph(ds: Dataset) -> Graph:
    g = Graph()
    g.addN((s, p, o, g) for s, p, o, _ in ds.quads((None, None, None, None)))
    return g


@functools.lru_cache(maxsize=256)
def _prepared(text: str):
    return prepareQuery(text)


@contextmanager
def _sparql_parsed_once():
    original = SPARQLBasedConstraint._validate_sparql_query

    def validate_prepared(self, query, init_binds, target_graph):
        return original(self, _prepared(query) if isinstance(query, str) else query, init_binds, target_graph)
    SPARQLBasedConstraint._validate_sparql_query = validate_prepared
    try:
        yield
    finally:
        SPARQLBasedConstraint._validate_sparql_query = original


def _run(graph: Graph, shapes: Graph, use_shapes=None) -> tuple[bool, Graph, str]:
    with _sparql_parsed_once():
        conforms, report_graph, report_text = shacl_validate(
            graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False,
            abort_on_first=False, inplace=True, use_shapes=use_shapes)
    return bool(conforms), report_graph, report_text


def shape_groups(graph: Graph, shapes: Graph, n: int) -> list[list]:
    """Node shapes with targets, in ``n`` groups of about equal cost (focus nodes × constraints),
    greedily, largest first."""
    def instances(cls) -> int:
        classes = {cls} | set(graph.transitive_subjects(RDFS.subClassOf, cls))
        return sum(1 for c in classes for _ in graph.subjects(RDF.type, c))
    costs = []
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        targets = [instances(c) for c in shapes.objects(shape, SH.targetClass)]
        targets += [sum(1 for _ in graph.subject_objects(p)) for p in shapes.objects(shape, SH.targetSubjectsOf)]
        targets += [1 for _ in shapes.objects(shape, SH.targetNode)]
        if targets:
            # a nested shape (sh:or, sh:node, qualified) runs a whole shape per value: count it 5 times
            nested = (SH["or"], SH.node, SH.qualifiedValueShape, SH["not"], SH["and"], SH.xone)
            constraints = 1 + sum(1 for _ in shapes.objects(shape, SH.sparql)) + sum(
                5 if any(True for q in nested for _ in shapes.objects(prop, q)) else 1
                for prop in shapes.objects(shape, SH.property))
            costs.append((sum(targets) * constraints, str(shape), shape))
    groups: list[tuple[int, list]] = [(0, []) for _ in range(n)]
    for cost, _, shape in sorted(costs, reverse=True):
        groups.sort(key=lambda g: g[0])
        groups[0] = (groups[0][0] + cost, groups[0][1] + [shape])
    return [g for _, g in groups if g]


def _child(graph, shapes, group, conn) -> None:
    try:
        conforms, report, text = _run(graph, shapes, group)
        # as pickled rdflib terms, not N-Triples: blank nodes keep their ids, so a result's
        # sh:sourceShape still names the property shape in the parent's shapes graph
        conn.send(("ok", conforms, list(report), text))
    except BaseException as e:  # noqa: BLE001 - reported to the parent, which raises it
        conn.send(("error", repr(e), [], ""))
    conn.close()


def _merge(parts: list[tuple[bool, list, str]]) -> tuple[bool, Graph, str]:
    """One sh:ValidationReport with every part's results."""
    merged = Graph()
    merged.bind("sh", SH)
    report = BNode()
    conforms = all(c for c, _, _ in parts)
    merged.add((report, RDF.type, SH.ValidationReport))
    merged.add((report, SH.conforms, Literal(conforms)))
    for _, triples, _ in parts:
        for s, p, o in triples:
            if p == SH.result:
                merged.add((report, p, o))
            elif not (p == SH.conforms or (p == RDF.type and o == SH.ValidationReport)):
                merged.add((s, p, o))
    results = sum(1 for _ in merged.objects(report, SH.result))
    text = f"Validation Report\nConforms: {conforms}\n" + (f"Results ({results}):\n" if results else "")
    text += "".join(t.split("\n", 3)[3] if t.count("\n") >= 3 and "Results (" in t else "" for _, _, t in parts)
    return conforms, merged, text


def validate(data: Dataset | Graph, shapes: Graph | None = None,
             processes: int | None = None) -> tuple[bool, Graph, str]:
    graph = union_graph(data) if isinstance(data, Dataset) else data
    shapes = shapes if shapes is not None else load_shapes()
    if processes is None:
        processes = min(os.cpu_count() or 1, 4) if len(graph) >= PARALLEL_FROM else 1
    if processes <= 1:
        return _run(graph, shapes)
    ctx = mp.get_context("fork")
    running = []
    for group in shape_groups(graph, shapes, processes):
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(graph, shapes, group, child))
        proc.start()
        child.close()
        running.append((proc, parent))
    parts = []
    for proc, conn in running:
        status, conforms, data, text = conn.recv()
        proc.join()
        if status == "error":
            raise RuntimeError(f"SHACL validation failed in a worker: {conforms}")
        parts.append((conforms, data, text))
    return _merge(parts)
