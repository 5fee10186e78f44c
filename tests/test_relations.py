"""The relation stage (loaders/relations.py): partnerships and practices from sentences anywhere, attributed only
as far as the text attributes them. All texts here are FICTIONAL."""
from __future__ import annotations

from pathlib import Path

import pytest

from atdkg.loaders.records import OrgRef, StateRef, Unnamed
from atdkg.loaders.relations import sentences

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def parse(parse_text):
    return parse_text


def who(actor) -> str:
    if isinstance(actor, StateRef):
        return actor.iso3
    if isinstance(actor, Unnamed):
        return "unnamed"
    if isinstance(actor, OrgRef):
        return actor.key or actor.name
    return repr(actor)


def test_sentences_split_before_a_capital_but_not_after_titles_or_initials():
    text = "Ms. Okafor spoke. J. Smith agreed; then No. 5 was read. It ended."
    assert [text[a:b] for a, b in sentences(text)] == [
        "Ms. Okafor spoke.", "J. Smith agreed; then No. 5 was read.", "It ended."]


def test_a_partnership_joins_the_organisations_a_cue_sentence_names(parse):
    pd = parse("The Lowland Refugee Support Centre runs the shelter in collaboration with UNICEF and the "
               "Riverside Migrant Council.\n")
    assert [[who(a) for a in p.partners] for p in pd.partnerships] == [
        ["Lowland Refugee Support Centre", "UNICEF", "Riverside Migrant Council"]]


def test_a_state_is_a_partner_only_as_the_subject_never_as_a_place(parse):
    pd = parse("Peru set up a reception scheme with the support of UNHCR. The Riverside Migrant Council works "
               "with IOM in Chile.\n")
    assert [[who(a) for a in p.partners] for p in pd.partnerships] == [["PER", "UNHCR"],
                                                                        ["Riverside Migrant Council", "IOM"]]


def test_a_sentence_without_a_cue_or_without_two_actors_is_no_partnership(parse):
    pd = parse("UNICEF and IOM attended the meeting. The shelter was funded by donors.\n")
    assert pd.partnerships == []


def test_practices_are_attributed_to_the_subject_or_carried_by_it_and_they(parse):
    pd = parse("The Riverside Migrant Council launched a foster care programme for unaccompanied children in 2021. "
               "It also trained twenty case workers.\n")
    assert [(who(p.actor), p.label.split()[0]) for p in pd.practices] == [
        ("Riverside Migrant Council", "The"), ("Riverside Migrant Council", "It")]


def test_under_the_chatham_house_rule_a_practice_is_the_anonymous_speakers_never_a_named_states(parse):
    pd = parse("Peru was discussed at length. One government explained that it had set up a case management "
               "programme in Peru with the support of UNHCR.\n")
    (practice,) = pd.practices
    assert who(practice.actor) == "unnamed"
    assert all(not isinstance(a, StateRef) for p in pd.partnerships for a in p.partners)
    assert [[who(a) for a in p.partners] for p in pd.partnerships] == [["unnamed", "UNHCR"]]
