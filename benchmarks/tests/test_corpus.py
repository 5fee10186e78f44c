"""The benchmark corpus generator (benchmarks/corpus.py): eight documents — the originals and one
renamed, date-shifted variant in PDF layout — build with the normal pipeline, conform, and resolve
as the real corpus does."""
from __future__ import annotations

import csv
import itertools
import re
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import FOAF, RDF
from test_chatham_house import ANONYMOUS_STATEMENTS_LINKED_TO_NAMED

from atdkg.benchmarks.corpus import make_corpus, plan
from atdkg.build import build_graph
from atdkg.layouts import pdf_layout
from atdkg.loaders.emit import SCHEMA
from atdkg.loaders.gazetteer import Gazetteer
from atdkg.loaders.names import slug
from atdkg.loaders.parse import parse_document
from atdkg.loaders.records import what_it_states
from atdkg.loaders.sources import load_manifest, read_text
from atdkg.loaders.text import vocabulary
from atdkg.loaders.vocab import Vocabulary
from atdkg.queries import PREFIXES
from atdkg.queries.stores import EmbeddedStore

ROOT = Path(__file__).resolve().parents[2]

ID = "https://w3id.org/atd-kg/id/"
GRAPH = "https://w3id.org/atd-kg/graph/doc/"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    target = make_corpus(8, tmp_path_factory.mktemp("corpus") / "data", seed=0)
    return target, build_graph(target)


@pytest.fixture(scope="module")
def variant():
    return plan(0).variant(1)


def org_iri(key: str) -> URIRef:
    return URIRef(ID + "org/" + "/".join(slug(part) for part in key.split("/")))


def doc_graph(ds, doc: str):
    return ds.graph(URIRef(GRAPH + doc))


def test_the_corpus_is_a_data_directory_that_builds_and_conforms(corpus):
    target, result = corpus
    assert {p.name for p in target.iterdir()} >= {"sources", "gazetteer", "reference"}
    manifest = load_manifest(target / "sources")
    assert [s.id for s in manifest] == [f"{k:03d}" for k in range(8)]
    assert result.conforms, result.report_text
    assert result.summary()["documents"] == 8
    assert sum(len(d.skipped) for d in result.documents) == 0
    # variant 0 is the originals, byte for byte; variant 1 moved three years, in PDF layout
    real = load_manifest(ROOT / "data" / "sources")
    assert [s.sha256 for s in manifest[:4]] == [s.sha256 for s in real]
    assert [s.event for s in manifest[4:]] == ["2023-11-17", "2024-06-29", "2025-01-27", "2025-01-27"]
    assert [s.genre for s in manifest[4:]] == [s.genre for s in real]
    assert all("\f" in read_text(target / "sources" / s.file) for s in manifest[4:])


def test_each_variant_document_states_as_much_as_its_original(corpus):
    _, result = corpus
    ds = result.dataset
    pages = {SCHEMA.pageStart, SCHEMA.pageEnd}  # where a passage stands in the PDF layout's pages: layout, not content
    sizes = {f"{k:03d}": sum(p not in pages for _, p, _ in doc_graph(ds, f"{k:03d}")) for k in range(8)}
    assert [sizes[f"{k:03d}"] for k in range(4)] == [sizes[f"{k:03d}"] for k in range(4, 8)]
    assert all(any(doc_graph(ds, f"{k:03d}").triples((None, SCHEMA.pageStart, None))) for k in range(4, 8))


def test_renamed_people_states_and_organisations_are_in_the_graph(corpus, variant):
    target, result = corpus
    ds = result.dataset
    base = plan(0).base
    gz = base.gz
    people = set(ds.subjects(RDF.type, FOAF.Person))
    assert {URIRef(ID + "person/" + slug(n)) for n in variant.people.values()} <= people
    states = {str(o) for o in ds.objects(None, URIRef("https://w3id.org/atd-kg/ontology#iso3166Alpha3"))}
    assert set(variant.states.values()) <= states
    rows = {r["key"]: r for r in csv.DictReader((target / "gazetteer" / "organisations.csv").open(encoding="utf-8"))}
    for key, syn in variant.orgs.items():
        assert rows[syn.key]["class"] == gz.orgs[key].cls and rows[syn.key]["label"] == syn.label
    labels = {str(o) for o in ds.objects(None, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert {variant.orgs[k].label for k in ("IDC", "UCLG", "SUKA", "CBSA", "GAO", "HOME_OFFICE")} <= labels
    # the variant's documents name none of the originals' renamed people, States or organisations
    renamed_iris = ({URIRef(ID + "person/" + pid) for pid in base.people}
                    | {URIRef(f"{ID}{kind}/{iso}") for iso in base.states
                       for kind in ("state", "org/government", "org/permanent-mission")}
                    | {org_iri(k) for k in base.renamed})
    for doc in ("004", "005", "006", "007"):
        g = doc_graph(ds, doc)
        used = set(g.subjects()) | {o for o in g.objects() if isinstance(o, URIRef)}
        assert not used & renamed_iris, (doc, used & renamed_iris)
    names = set(base.spellings) | {gz.states[iso].label for iso in base.states} | {
        n for k in base.renamed for n in gz.orgs[k].names if len(n) > 3}
    for k in range(4, 8):  # the texts before PDF re-layout (which breaks names across lines)
        text = plan(0).text(k, "original")
        assert not [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text)], k


def test_agenda_and_report_of_one_exchange_resolve_to_the_same_actors(corpus, variant):
    """Report 006 names its speaking organisations; the agenda of the same exchange (007) gives
    them as its speakers' affiliations: one IRI each. Agendas 005 and 007 share people."""
    _, result = corpus
    ds = result.dataset
    shared = {row.org for row in ds.query(PREFIXES + f"""
        SELECT DISTINCT ?org WHERE {{
          GRAPH <{GRAPH}006> {{ ?part atd:participant ?org ; atd:role ?role }}
          GRAPH <{GRAPH}007> {{ ?pos org:member ?person ; org:organization ?org }}
        }}""")}
    assert {org_iri(variant.orgs["IDC"].key), org_iri(variant.orgs["UCLG-AFRICA"].key)} <= shared
    gottardo = URIRef(ID + "person/" + slug(variant.people["carolina-gottardo"]))
    assert all((gottardo, RDF.type, FOAF.Person) in doc_graph(ds, doc) for doc in ("005", "007"))
    # "Mário"/"Mario" Martins: the renamed person is spelled both ways, one IRI
    martins = variant.people["mario-martins"]
    node = URIRef(ID + "person/" + slug(martins))
    written = {str(o) for o in ds.objects(node, URIRef("https://w3id.org/atd-kg/ontology#nameAsWritten"))}
    assert len(written) == 2 and martins in written


def test_dates_moved_with_the_text(corpus):
    _, result = corpus
    ds = result.dataset
    dates = {str(r.date) for r in
             ds.query(PREFIXES + "SELECT ?date WHERE { ?e a atd:PeerLearningExchange ; dcterms:date ?date }")}
    assert dates == {"2020-11-17", "2021-06-29", "2022-01-27", "2023-11-17", "2024-06-29", "2025-01-27"}
    follows = {(str(r.a), str(r.b)) for r in ds.query(PREFIXES + """
        SELECT ?a ?b WHERE { ?x atd:follows ?y . ?x dcterms:date ?a . ?y dcterms:date ?b }""")}
    assert ("2025-01-27", "2024-06-29") in follows and ("2024-06-29", "2023-11-17") in follows
    assert not any(a >= "2023" > b for a, b in follows)  # no variant follows another's exchange
    assert "Friday, 17 November 2023" in " ".join(plan(0).text(4, "original").split())  # weekday recomputed


def test_chatham_house_rule_holds_in_the_generated_build(corpus):
    _, result = corpus
    store = EmbeddedStore.from_nquads(result.dataset.serialize(format="nquads", encoding="utf-8"))  # rdflib: 30 s
    assert store.query(ANONYMOUS_STATEMENTS_LINKED_TO_NAMED).rows == []
    kinds = [str(r["kind"]) for r in
             store.query(PREFIXES + "SELECT ?a ?kind WHERE { ?a a atd:UnnamedActor ; atd:actorKind ?kind }").rows]
    assert kinds.count("State") == 4 and kinds.count("person") == 4


def test_a_document_in_pdf_layout_parses_like_its_original_layout_twin(corpus, tmp_path):
    target, _ = corpus
    manifest = load_manifest(target / "sources")
    texts = {s.id: read_text(target / "sources" / s.file) for s in manifest}
    words = set().union(*(vocabulary(t) for t in texts.values()))
    gz, vocab, events = Gazetteer(target), Vocabulary(), {s.event for s in manifest}
    report = manifest[6]
    assert plan(0).layout(6) == "pdf" and report.genre == "report"
    (tmp_path / report.file).write_text(plan(0).text(6, "original"), encoding="utf-8", newline="")
    pdf = parse_document(target / "sources", report, gz, vocab, events, words)
    twin = parse_document(tmp_path, report, gz, vocab, events, words)
    assert what_it_states(pdf) == what_it_states(twin)
    assert len(pdf.lists) == len(twin.lists) > 0 and len(pdf.unnamed) == len(twin.unnamed) == 4
    assert pdf.furniture and not twin.furniture and not pdf.skipped


def test_clear_breaks_keeps_unreadable_line_breaks_out():
    """A wrapped line that starts like a list item ("- on …"), or a break at the space after a
    hyphen ("Information-" / "Lebanese"), is moved a word on; the words stay the same."""
    text = ("- Mr. Bassam Kantar - Commissioner of International Relations and Information- Lebanese National "
            "Commission on Human Rights - on how its national preventive mechanism works in practice\n")
    item = re.compile(r"^\s*(?:[-–*o]\s|\d{1,2}[.)]\s)")

    def hazards(out: str) -> list[str]:
        lines = out.splitlines()
        return [b for a, b in itertools.pairwise(lines) if item.match(b) or a.endswith("Information-")]
    seen = set()
    for width in range(30, 90):
        plain, clear = (pdf_layout(text, width=width, pages=None, hyphenate=False, clear_breaks=c)
                        for c in (False, True))
        seen.update(("item" if item.match(b) else "hyphen") for b in hazards(plain))
        assert not hazards(clear), (width, clear)
        assert clear.split() == plain.split()
    assert seen == {"item", "hyphen"}  # without clear_breaks, some widths do break there
