"""The Chatham House policy component (loaders/anonymous.py): speakers a text leaves unnamed, wherever they
speak, recorded as unnamed actors and linked to nothing named. All texts here are FICTIONAL."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def unnamed(parse_text):
    return lambda body: [(u.kind, u.description) for u in parse_text(body).unnamed]


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


def test_an_anonymous_passage_links_no_state_and_no_named_person(one_document_corpus):
    text = ("[Fictional report written for testing atd-kg.]\n\nReport of the Lowland exchange\n\n5 March 2024\n\n"
            "Summary\n\nThe meeting was opened by Amara Okafor of the Lowland Refugee Support Centre (LRSC). "
            "Later, one government described how it ended child detention in 2022 with UNICEF, and a case worker "
            "from a shelter in Chile said that 40 families were housed.\n")
    from atdkg.build import build_graph
    result = build_graph(one_document_corpus(text), "https://example.org/")
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


@pytest.mark.parametrize(("text", "description", "kind"), [
    ("A government representative from South Asia explained that bail is rare.\n",
     "A government representative from South Asia", "person"),  # the longer phrase: a person, not "a government"
    ("One case manager explained that families keep their appointments.\n", "One case manager", "person"),
    ("A mother interviewed in Harbourtown said that her children slept again.\n",
     "A mother interviewed in Harbourtown", "person"),
    ("An ICE deportation officer in Lowtown, who asked us not to use his name, said the numbers rose.\n",
     "An ICE deportation officer in Lowtown", "person"),
    ("A participant with lived experience, who had spent almost three years in a detention centre far from "
     "any family or lawyer, described the first night.\n", "A participant with lived experience", "person"),
])
def test_more_anonymous_speakers(parse_text, text, description, kind):
    pd = parse_text("In the discussion, " + text[:1].lower() + text[1:])  # mid-paragraph: the policy stage's
    assert [(u.description, u.kind) for u in pd.unnamed] == [(description, kind)]


def test_a_representative_of_a_named_body_speaks_for_it_but_one_from_a_region_stays_anonymous(parse_text):
    assert parse_text("Then a representative of the Lowland Refugee Council explained the scheme.\n").unnamed == []
    assert len(parse_text("Then a representative from Southern Europe explained the scheme.\n").unnamed) == 1


def test_organisations_left_unnamed_as_doers_or_partners_are_unnamed_organisations(parse_text):
    pd = parse_text("The programme is run by a civil society network with UNHCR support. Children live in foster "
                    "care with the support of UNICEF and a faith-based organisation. We wrote to the minister, "
                    "together with 40 other organisations. Another participant, from an international "
                    "organisation, said that a former detainee who now works as a peer mentor had spoken.\n\n"
                    "A former detainee who now works as a peer mentor said that being called by name mattered.\n")
    kinds = sorted((u.kind, u.description) for u in pd.unnamed)
    assert ("organisation", "A civil society network") in kinds
    assert ("organisation", "A faith-based organisation") in kinds
    assert ("organisation", "40 other organisations") in kinds
    assert not any("international organisation" in d for _, d in kinds), kinds  # the participant's, a person
    assert ("person", "A former detainee") in kinds


def test_an_anonymous_institution_or_a_diplomat_of_a_region_speaks_unnamed(parse_text):
    pd = parse_text("One national human rights institution reported visits to nine facilities. A European diplomat, "
                    "speaking on condition of anonymity, said the plan was costed.\n")
    assert sorted((u.kind, u.description) for u in pd.unnamed) == [
        ("organisation", "One national human rights institution"), ("person", "A European diplomat")]


def test_a_person_named_only_by_nationality_and_a_long_relative_clause_stays_unnamed(parse_text):
    # FICTIONAL news sentence
    pd = parse_text("A Venezuelan mother of three who took part in the pilot, and who asked that her name not be "
                    "published, spoke at the ceremony.\n")
    assert [(u.kind, u.description) for u in pd.unnamed] == [("person", "A Venezuelan mother of three")]


def test_several_states_are_an_unnamed_group_but_several_participants_are_the_meeting(parse_text):
    pd = parse_text("Several Member States noted that screening was slow. Several participants said it worked.\n")
    assert [(u.kind, u.description) for u in pd.unnamed] == [("State", "Several Member States")]


def test_a_person_left_unnamed_after_an_aside_or_by_a_pseudonym(unnamed):
    assert unnamed("The Committee heard a statement read for a former detainee, a national of Nepal who asked that his "
                   "name not be recorded. \"Now I go on my own.\" – a client from Sri Lanka, 41, released in 2024 "
                   "(name withheld at his request). One of its clients, whom we call Daniel, arrived in 2023.\n") == [
        ("person", "A former detainee"), ("person", "A client from Sri Lanka"), ("person", "One of its clients")]
    assert unnamed("A client of the Lowland Council left early.\n") == []  # nothing says she is left unnamed
