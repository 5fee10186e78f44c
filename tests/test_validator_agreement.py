"""The two SHACL validators the build can use (loaders/validate.py: pyshacl-turbo, the default, and pySHACL, the
reference) report the same thing: on the unmutated graph of the real corpus and on every kind of the mutation suite
(tests/mutations.py), the same conformance and the same set of validation results.

A result is compared as (focus node, result path, source constraint component, source shape, severity, value)
by loaders.validate.comparable_results, which normalises only what is representation rather than what was found
(and says why there): a blank-node property shape is keyed by its named shape and path, a sequence path by its
steps, and messages are left out (a result without sh:message gets the engine's own wording). Nothing else is: a
kind on which the validators differ fails here with what each reported alone.
"""
from __future__ import annotations

import pytest
from mutations import MUTATIONS
from rdflib import RDF, Graph
from rdflib.namespace import SH

from atdkg.loaders.validate import comparable_results as results

REFERENCE, CANDIDATE = "pyshacl", "turbo"


def _compare(mutation_runs, kind: str | None) -> None:
    reference, candidate = mutation_runs.run(kind, REFERENCE), mutation_runs.run(kind, CANDIDATE)
    assert reference.shapes is candidate.shapes  # the same property-shape nodes, so _shape reads one graph
    assert reference.conforms == candidate.conforms, \
        f"{REFERENCE} conforms={reference.conforms}, {CANDIDATE} conforms={candidate.conforms}"
    expected, got = results(reference.report, reference.shapes), results(candidate.report, candidate.shapes)
    assert got == expected, (f"{REFERENCE} alone: {sorted(map(str, expected - got))}\n"
                             f"{CANDIDATE} alone: {sorted(map(str, got - expected))}")
    # the report graph's own conformance says the same (the build writes it to shacl-report.ttl)
    for run in (reference, candidate):
        report_node = next(run.report.subjects(RDF.type, SH.ValidationReport))
        assert run.report.value(report_node, SH.conforms).toPython() is run.conforms


def test_both_validators_find_nothing_on_the_unmutated_graph(mutation_runs):
    _compare(mutation_runs, None)
    assert not results(mutation_runs.run(None, CANDIDATE).report, mutation_runs.run(None, CANDIDATE).shapes)


@pytest.mark.parametrize("kind", [m[0] for m in MUTATIONS])
def test_both_validators_report_the_same_results(mutation_runs, kind):
    _compare(mutation_runs, kind)
    assert not mutation_runs.run(kind, REFERENCE).conforms  # a mutation the reference misses compares nothing


def test_the_comparison_sees_a_difference(mutation_runs):
    """The comparison is not blind: a result dropped from a report, or one with another source shape, differs."""
    run = mutation_runs.run("evidence-without-quote-selector", REFERENCE)
    found = results(run.report, run.shapes)
    assert found
    fewer = Graph()
    for t in run.report:
        fewer.add(t)
    dropped = next(run.report.subjects(RDF.type, SH.ValidationResult))
    fewer.remove((dropped, RDF.type, SH.ValidationResult))
    assert results(fewer, run.shapes) != found
    other = Graph()
    for t in run.report:
        other.add(t)
    other.set((dropped, SH.sourceShape, SH.Violation))
    assert results(other, run.shapes) != found


# -- choosing the validator --------------------------------------------------------------------------------------
def test_a_build_with_either_validator_writes_the_same_report(small):
    """`atdkg build --validator V`: the report the build writes (shacl-report.ttl) conforms either way."""
    from click.testing import CliRunner

    from atdkg.cli import main
    for validator in ("pyshacl", "turbo"):
        result = CliRunner().invoke(main, ["build", "--data-dir", str(small), "--validator", validator])
        assert result.exit_code == 0, result.output
        report = Graph().parse(small / "build" / "shacl-report.ttl", format="turtle")
        assert report.value(next(report.subjects(RDF.type, SH.ValidationReport)), SH.conforms).toPython() is True
        assert "Conforms: True" in (small / "build" / "shacl-report.txt").read_text(encoding="utf-8")


def test_an_unknown_validator_is_a_clear_error_before_any_work(small, monkeypatch):
    from click.testing import CliRunner

    from atdkg.cli import main
    before = (small / "build").resolve()
    monkeypatch.setenv("ATDKG_VALIDATOR", "jena")
    result = CliRunner().invoke(main, ["build", "--data-dir", str(small)])
    assert result.exit_code == 2, result.output
    assert "$ATDKG_VALIDATOR='jena': expected one of turbo, pyshacl" in result.output
    assert (small / "build").resolve() == before  # the previous build is still the one in place
    result = CliRunner().invoke(main, ["build", "--data-dir", str(small), "--validator", "jena"])
    assert result.exit_code == 2 and "--validator" in result.output, result.output
