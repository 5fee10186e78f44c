"""The Chatham House policy component (loaders/anonymous.py): speakers a text leaves unnamed, wherever they
speak, recorded as unnamed actors and linked to nothing named. All texts here are FICTIONAL."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from rdflib import URIRef

from atdkg.loaders.gazetteer import Gazetteer
from atdkg.loaders.parse import parse_document
from atdkg.loaders.sources import Source
from atdkg.loaders.vocab import Vocabulary

ROOT = Path(__file__).resolve().parents[1]
HEAD = "Notes of a fictional exchange\n\nSummary\n\n"


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(ROOT / "data")


@pytest.fixture(scope="module")
def vocab():
    return Vocabulary()


@pytest.fixture
def unnamed(gazetteer, vocab, tmp_path):
    def read(body: str):
        path = tmp_path / "doc.txt"
        path.write_text(HEAD + body, encoding="utf-8")
        src = Source("009", path.name, "report", "2024-03-05", "2024-03-05", "t", "", "en", "0" * 64)
        return [(u.kind, u.description) for u in parse_document(tmp_path, src, gazetteer, vocab, set()).unnamed]
    return read


def test_anonymous_speakers_anywhere_in_a_paragraph(unnamed):
    assert unnamed("The session was lively. Two governments noted that screening had improved, and one of the "
                   "delegations taking part explained its reform. A lawyer from a legal aid network in Peru "
                   "warned that costs rose; another participant, a former detainee, said that trust mattered.\n") == [
        ("State", "Two governments"), ("State", "One of the delegations taking part"),
        ("person", "A lawyer from a legal aid network in Peru"), ("person", "Another participant")]


def test_a_person_who_asked_not_to_be_named_stays_unnamed_though_the_body_is_named(unnamed):
    assert unnamed("Funding was short, according to an official at the Lowland Council, who asked not to be "
                   "named.\n") == [("person", "An official at the Lowland Council")]


def test_a_representative_of_a_named_body_is_that_body_speaking_not_an_anonymous_actor(unnamed):
    assert unnamed("Funding was short. Later, a representative of the Lowland Council said so.\n") == []


def test_a_verb_that_belongs_to_another_subject_makes_no_speaker(unnamed):
    assert unnamed("\"It works when a social worker is present,\" said Amara Okafor. One person left early; "
                   "several participants agreed.\n") == []


def test_an_anonymous_passage_links_no_state_and_no_named_person(tmp_path):
    data = tmp_path / "data"
    for d in ("reference", "gazetteer"):
        shutil.copytree(ROOT / "data" / d, data / d)
    (data / "sources").mkdir()
    text = ("[Fictional report written for testing atd-kg.]\n\nReport of the Lowland exchange\n\n5 March 2024\n\n"
            "Summary\n\nThe meeting was opened by Amara Okafor of the Lowland Refugee Support Centre (LRSC). "
            "Later, one government described how it ended child detention in 2022 with UNICEF, and a case worker "
            "from a shelter in Chile said that 40 families were housed.\n")
    (data / "sources" / "000_fictional.txt").write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    (data / "sources" / "manifest.csv").write_text(
        "id,file,genre,event,date,title,publisher,language,sha256\n"
        f"000,000_fictional.txt,report,2024-03-05,2024-03-05,Report of the Lowland exchange,Test,en,{digest}\n",
        encoding="utf-8")
    from atdkg.build import build_graph
    result = build_graph(data, "https://example.org/")
    assert result.conforms, result.report_text
    g = next(g for g in result.dataset.graphs() if str(g.identifier).endswith("/doc/000"))
    rdf_type = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    unnamed = set(g.subjects(rdf_type, URIRef("https://w3id.org/atd-kg/ontology#UnnamedActor")))
    assert len(unnamed) == 2
    named = {URIRef("https://example.org/id/state/CHL"), URIRef("https://example.org/id/person/amara-okafor"),
             URIRef("https://example.org/id/org/government/CHL")}
    for u in unnamed:  # nothing links an unnamed actor to a named one, in either direction
        assert not {o for o in g.objects(u, None)} & named
        assert not {s for s in g.subjects(None, u)} & named
    schema_mentions = URIRef("https://schema.org/mentions")
    assert URIRef("https://example.org/id/state/CHL") in set(g.objects(None, schema_mentions))  # a place, named
