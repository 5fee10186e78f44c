"""`atdkg build` and `atdkg add`: outputs, determinism, atomicity, clear errors on bad input."""
from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import XSD, Dataset, Graph, Literal
from rdflib.compare import isomorphic

from atdkg.build import build_graph
from atdkg.cli import main
from atdkg.layouts import pdf_layout
from atdkg.queries import PREFIXES

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def atdkg(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def built_copy(data_copy):
    """A copy of data/ with one successful build in it."""
    result = atdkg("build", "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    return data_copy


def test_build_writes_every_format_and_a_summary(built_copy):
    build = built_copy / "build"
    for name in ("graph.trig", "graph.nq", "graph.jsonld", "graph.ttl", "shacl-report.ttl", "summary.json"):
        assert (build / name).stat().st_size > 0, name
    ds = Dataset()
    ds.parse(build / "graph.trig", format="trig")
    ds_nq = Dataset()
    ds_nq.parse(build / "graph.nq", format="nquads")
    ds_jsonld = Dataset()
    ds_jsonld.parse(build / "graph.jsonld", format="json-ld")
    quads = lambda d: {(s, p, o, g.identifier if hasattr(g, "identifier") else g)  # noqa: E731
                       for s, p, o, g in d.quads((None, None, None, None))}
    # the same quads in every format, datatypes included (xsd:nonNegativeInteger is not xsd:integer)
    assert quads(ds) == quads(ds_nq) == quads(ds_jsonld) and len(quads(ds)) > 5000
    assert any(o.datatype == XSD.nonNegativeInteger for _, _, o, _ in quads(ds_nq) if isinstance(o, Literal))
    union = Graph()
    union.parse(build / "graph.ttl", format="turtle")
    assert set(union) == {(s, p, o) for s, p, o, _ in quads(ds_nq)}


def test_summary_names_documents_triples_classes_and_conformance(data_copy):
    result = atdkg("build", "--data-dir", data_copy)
    out = result.output
    assert result.exit_code == 0
    assert "documents: 4" in out and "conforms=True" in out
    assert "PeerLearningExchange" in out and "triples:" in out and "warnings:" in out


def test_rebuild_is_deterministic(data_copy):
    first, second = build_graph(data_copy), build_graph(data_copy)
    for g1 in first.dataset.graphs():
        g2 = second.dataset.graph(g1.identifier)
        assert isomorphic(g1, g2), g1.identifier
    subjects = lambda r: {s for s, *_ in r.dataset.quads((None, None, None, None))}  # noqa: E731
    assert subjects(first) == subjects(second)


def test_base_iri_is_configurable(data_copy):
    result = build_graph(data_copy, base="https://example.org/kg/")
    iris = {str(s) for s, *_ in result.dataset.quads((None, None, None, None))}
    assert "https://example.org/kg/id/person/carolina-gottardo" in iris
    assert not any(i.startswith("https://w3id.org/atd-kg/id/") for i in iris)


def _manifest_rows(data: Path) -> list[dict]:
    with (data / "sources" / "manifest.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _write_manifest(data: Path, rows: list[dict]) -> None:
    with (data / "sources" / "manifest.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _break_unlisted_file(data):
    (data / "sources" / "stray.txt").write_text("hello", encoding="utf-8")
    return "stray.txt", "not in"


def _break_checksum(data):
    path = data / "sources" / "001_6c0987914c27514b.txt"
    path.write_bytes(path.read_bytes() + b"\n")
    return "001_6c0987914c27514b.txt", "sha256"


def _break_genre(data):
    rows = _manifest_rows(data)
    rows[2]["genre"] = "minutes"
    _write_manifest(data, rows)
    return "manifest.csv:4", "unknown genre 'minutes'"


def _break_encoding(data):
    path = data / "sources" / "003_0e86d76b74893507.txt"
    raw = path.read_bytes().replace("Açı̇k".encode(), "A\xe7ik".encode("latin-1"))
    path.write_bytes(raw)
    rows = _manifest_rows(data)
    rows[3]["sha256"] = hashlib.sha256(raw).hexdigest()
    _write_manifest(data, rows)
    line = raw[:raw.index(b"A\xe7ik")].count(b"\n") + 1
    return f"003_0e86d76b74893507.txt:{line}:", "not valid UTF-8"


def _break_missing_file(data):
    (data / "sources" / "000_4f218dbe8077bf8e.txt").unlink()
    return "000_4f218dbe8077bf8e.txt", "listed but missing"


@pytest.mark.parametrize("breakage", [_break_unlisted_file, _break_checksum, _break_genre, _break_encoding,
                                      _break_missing_file], ids=lambda f: f.__name__.removeprefix("_break_"))
def test_bad_input_names_the_place_and_leaves_the_previous_build(built_copy, breakage):
    before = {p.name: digest(p) for p in (built_copy / "build").iterdir() if p.is_file()}
    target_before = os.readlink(built_copy / "build")
    where, what = breakage(built_copy)
    result = atdkg("build", "--data-dir", built_copy)
    assert result.exit_code == 2
    assert where in result.output and what in result.output, result.output
    assert "Traceback" not in result.output
    assert os.readlink(built_copy / "build") == target_before
    assert {p.name: digest(p) for p in (built_copy / "build").iterdir() if p.is_file()} == before


def test_a_graph_that_does_not_conform_fails_and_keeps_the_previous_build(built_copy):
    """A session the agenda puts at 18:30, after the exchange ends at 17:30: SHACL says no."""
    before = digest(built_copy / "build" / "graph.trig")
    path = built_copy / "sources" / "001_6c0987914c27514b.txt"
    text = path.read_text(encoding="utf-8").replace("17:20 Closing Remarks", "18:30 Closing Remarks")
    path.write_text(text, encoding="utf-8", newline="")
    rows = _manifest_rows(built_copy)
    rows[1]["sha256"] = digest(path)
    _write_manifest(built_copy, rows)
    result = atdkg("build", "--data-dir", built_copy)
    assert result.exit_code == 1
    assert "starts within its exchange" in result.output and "previous build is untouched" in result.output
    assert digest(built_copy / "build" / "graph.trig") == before


def test_unplaceable_agenda_line_is_reported_with_file_and_line(data_copy):
    path = data_copy / "sources" / "001_6c0987914c27514b.txt"
    text = path.read_text(encoding="utf-8").replace("Panel:\n\n- *Mr. Anderson", "Panel:\n\n???\n\n- *Mr. Anderson", 1)
    path.write_text(text, encoding="utf-8", newline="")
    rows = _manifest_rows(data_copy)
    rows[1]["sha256"] = digest(path)
    _write_manifest(data_copy, rows)
    lineno = text[:text.index("???")].count("\n") + 1
    quiet = atdkg("build", "--data-dir", data_copy)
    assert quiet.exit_code == 0 and "skipped lines: 1" in quiet.output
    verbose = atdkg("build", "--data-dir", data_copy, "--verbose")
    assert f"001:{lineno}" in verbose.output and "???" in verbose.output
    strict = atdkg("build", "--data-dir", data_copy, "--strict")
    assert strict.exit_code == 1 and f"001_6c0987914c27514b.txt:{lineno}" in strict.output


def test_add_a_new_report_in_pdf_layout(data_copy, tmp_path):
    """The fictional fourth-exchange report, re-laid as PDF-extracted text, builds without code
    changes; its people, organisations, States and numbered lists are in the graph."""
    new = tmp_path / "fourth-exchange-report.txt"
    new.write_text(pdf_layout((FIXTURES / "fourth-exchange-report.txt").read_text(encoding="utf-8"), pages=20))
    result = atdkg("add", new, "--genre", "report", "--event", "2023-06-15", "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    assert "documents: 5" in result.output and "conforms=True" in result.output
    ds = Dataset(default_union=True)
    ds.parse(data_copy / "build" / "graph.trig", format="trig")
    ask = lambda q: {tuple(str(v) for v in row) for row in ds.query(PREFIXES + q)}  # noqa: E731
    people = ask("""SELECT ?name ?org WHERE { ?p a foaf:Person ; rdfs:label ?name .
                    ?pos org:member ?p ; atd:asOf "2023-06-15"^^xsd:date ; org:organization/rdfs:label ?org }""")
    assert ("Amina Waweru", "Department of Immigration Services") in people
    assert ("Tomás Herrera Lozano", "Permanent Mission of Mexico to the UN in Geneva") in people
    assert ("Lena Vogel", "Refugee Law Clinic Network") in people
    assert ("Carolina Gottardo", "International Detention Coalition") in people  # same IRI as in 001/003
    states = ask("""SELECT ?iso WHERE { ?s a atd:State ; atd:iso3166Alpha3 ?iso }""")
    assert {("KEN",), ("MEX",), ("DEU",)} <= states
    hosts = ask("""SELECT ?iso WHERE { ?h atd:hostedEvent/dcterms:date "2023-06-15"^^xsd:date ;
                   atd:host/atd:ofState/atd:iso3166Alpha3 ?iso }""")
    assert hosts == {("KEN",), ("MEX",), ("PRT",)}
    parents = ask("""SELECT ?parent WHERE { ?o rdfs:label "Department of Immigration Services"@en ;
                     org:subOrganizationOf/atd:ofState/atd:iso3166Alpha3 ?parent }""")
    assert parents == {("KEN",)}
    minted = ask("""SELECT ?o WHERE { ?o rdfs:label "Refugee Law Clinic Network"@en ; atd:mintedFromText true ;
                    atd:acronym "RLCN" ; atd:basedIn/atd:iso3166Alpha3 "DEU" }""")
    assert len(minted) == 1
    lists = ask("""SELECT ?kind (COUNT(?i) AS ?n) WHERE { ?l atd:listKind/rdfs:label ?kind ; atd:hasItem ?i ;
                   prov:wasDerivedFrom/oa:hasSource/dcterms:identifier "004" } GROUP BY ?kind""")
    assert lists == {("findings", "3"), ("recommendations", "4")}
    objectives = ask("""SELECT ?n WHERE { ?i a atd:Recommendation ; atd:itemNumber 4 ;
                        atd:gcmObjective/atd:objectiveNumber ?n ;
                        atd:inList/prov:wasDerivedFrom/oa:hasSource/dcterms:identifier "004" }""")
    assert objectives == {("13",), ("23",)}
    figures = ask("""SELECT ?what ?v WHERE { ?s atd:period/dcterms:date "2023-06-15"^^xsd:date ;
                     atd:countedThing ?what ; atd:value ?v }""")
    assert {what: float(v) for what, v in figures}.items() >= {"participants": 95, "officials": 61, "governments": 27,
                                                      "compliance rates": 90}.items()
    follows = ask("""SELECT ?d WHERE { ?e dcterms:date "2023-06-15"^^xsd:date ; atd:follows/dcterms:date ?d }""")
    assert follows == {("2022-01-27",)}


def test_add_refuses_what_would_not_build_and_leaves_the_corpus(data_copy, tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Rapport d'\xe9change".encode("latin-1"))
    before = (data_copy / "sources" / "manifest.csv").read_bytes()
    result = atdkg("add", bad, "--genre", "report", "--event", "2023-06-15", "--data-dir", data_copy)
    assert result.exit_code == 2 and "latin1.txt:1:" in result.output and "UTF-8" in result.output
    assert (data_copy / "sources" / "manifest.csv").read_bytes() == before
    bogus_genre = atdkg("add", bad, "--genre", "minutes", "--event", "2023-06-15", "--data-dir", data_copy)
    assert bogus_genre.exit_code == 2 and "concept-note" in bogus_genre.output


def test_add_rolls_back_when_the_rebuild_fails(data_copy, tmp_path, monkeypatch):
    """A document whose build does not conform (here: the validator refuses it) is taken out again. (An
    exchange whose text states no title no longer fails: it is named after its document.)"""
    from atdkg import build as build_module
    monkeypatch.setattr(build_module, "validate", lambda ds, **_: (False, __import__("rdflib").Graph(), "refused"))
    stub = tmp_path / "stub.txt"
    stub.write_text("\n\nNotes\n\n1. One.\n2. Two.\n", encoding="utf-8")
    before = (data_copy / "sources" / "manifest.csv").read_bytes()
    files_before = sorted(p.name for p in (data_copy / "sources").iterdir())
    result = atdkg("add", stub, "--genre", "report", "--event", "2030-01-01", "--data-dir", data_copy)
    assert result.exit_code == 1 and "nothing was changed" in result.output
    assert (data_copy / "sources" / "manifest.csv").read_bytes() == before
    assert sorted(p.name for p in (data_copy / "sources").iterdir()) == files_before


def test_console_script_exit_codes_without_traceback(data_copy):
    (data_copy / "sources" / "stray.txt").write_text("x", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "atdkg.cli", "build", "--data-dir", str(data_copy)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "stray.txt" in proc.stderr and "Traceback" not in proc.stderr + proc.stdout


def test_two_builds_by_one_process_within_a_second_get_two_folders(built, tmp_path, monkeypatch):
    """Build folders are named by the second and the process id: the second build of one process (the Python
    API; an edit right after a build in the same process) took the first one's name and failed."""
    from atdkg import build as build_module
    from atdkg.build import write_build
    monkeypatch.setattr(build_module.time, "strftime", lambda fmt: "20260101T000000")
    first = write_build(built, tmp_path / "build")
    second = write_build(built, tmp_path / "build")
    assert second.name == f"{first.name}-1"
    assert (tmp_path / "build").resolve() == second.resolve()
