"""Mutation suite: each case plants ONE defect on ONE node of the built graph and checks that the SHACL
report names that node as sh:focusNode and the expected shape as the rule it broke.

The union graph is built once per session; each case applies its change to it, validates, and undoes the
change, so no case sees another's defect. The mutations and their runs live in tests/mutations.py (the
``mutation_runs`` fixture), shared with the validator-agreement test: each kind is validated once per
validator for both.
"""
from __future__ import annotations

import pytest
from mutations import MUTATIONS
from rdflib import RDF, BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from atdkg.loaders.validate import VALIDATORS

ATDSH = Namespace("https://w3id.org/atd-kg/shapes#")


# ---------------------------------------------------------------------------------------- the tests
def violations(report: Graph, shapes: Graph, focus) -> set[tuple[str, str, URIRef | None]]:
    """(named shape, constraint component, result path) for every result on `focus`; a property shape
    (a blank node) is credited to the named node shape that holds it via sh:property."""
    found = set()
    for result in report.subjects(SH.focusNode, focus):
        if (result, RDF.type, SH.ValidationResult) not in report:
            continue
        source = report.value(result, SH.sourceShape)
        component = str(report.value(result, SH.sourceConstraintComponent))
        component = component[len(str(SH)):].removesuffix("ConstraintComponent")
        owners = [source] if isinstance(source, URIRef) else list(shapes.subjects(SH.property, source))
        for owner in owners:
            if str(owner).startswith(str(ATDSH)):
                path = report.value(result, SH.resultPath)
                if isinstance(path, BNode):  # a sequence path: its steps, in order
                    path = tuple(Collection(report, path))
                found.add((str(owner)[len(ATDSH):], component, path))
    return found


# each validator on its own: the suite holds for the default (turbo) and for the reference (pySHACL)
@pytest.mark.parametrize("validator", VALIDATORS)
def test_unmutated_graph_conforms(mutation_runs, validator):
    run = mutation_runs.run(None, validator)
    assert run.conforms, run.text


@pytest.mark.parametrize("validator", VALIDATORS)
@pytest.mark.parametrize("kind, shape, component, path", [m[:4] for m in MUTATIONS], ids=[m[0] for m in MUTATIONS])
def test_defect_is_reported_on_its_node_and_shape(mutation_runs, kind, shape, component, path, validator):
    run = mutation_runs.run(kind, validator)
    assert run.change is not None
    assert not run.conforms, f"{shape} did not catch the defect on {run.change.focus}"
    found = violations(run.report, run.shapes, run.change.focus)
    assert (shape, component, path) in found, \
        f"expected {shape}/{component} on {path} for {run.change.focus}; got {found}\n{run.text}"
