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


def practices_of(pd):
    return [(p.label, who(p.actor) if p.actor is not None else None) for p in pd.practices]


def test_a_sentence_reports_as_many_practices_as_its_clauses_do(parse):
    pd = parse("The Lowland Refugee Support Centre opened a family shelter in March; UNICEF trained 40 case "
               "workers in screening and referral.\n")
    assert practices_of(pd) == [("The Lowland Refugee Support Centre opened a family shelter in March",
                                 "Lowland Refugee Support Centre"),
                                ("UNICEF trained 40 case workers in screening and referral.", "UNICEF")]


def test_a_clause_that_continues_a_named_practice_takes_its_object(parse):
    """"…, which X has applied": the practice word is in the clause before; the doer is the clause's own."""
    pd = parse("Lowland builds on the Riverside Referral Mechanism, which the Lowland Migrant Council has applied "
               "since 2019.\n")
    assert practices_of(pd) == [("Lowland builds on the Riverside Referral Mechanism, which the Lowland Migrant "
                                 "Council has applied since 2019.", "Lowland Migrant Council")]


def test_what_is_yet_to_be_done_or_recommended_is_no_practice(parse):
    for text in ("The Lowland Migrant Council will train case workers in every district.",
                 "The Lowland Migrant Council plans to open two family shelters.",
                 "The meeting recommended that the Lowland Migrant Council train case workers.",
                 "The exchange was opened by the Lowland Migrant Council with a video on case management."):
        assert practices_of(parse(text + "\n")) == [], text


def test_a_practice_nobody_is_said_to_do_is_kept_unattributed_only_when_the_text_describes_it(parse):
    pd = parse("Each family is assigned a case worker who visits twice a month.\n")
    assert practices_of(pd) == [("Each family is assigned a case worker who visits twice a month.", None)]
    assert practices_of(parse("Unaccompanied children live in small group homes with a resident carer.\n")) == [
        ("Unaccompanied children live in small group homes with a resident carer.", None)]
    # a remark about States, or the progressive "is working", describes no practice
    assert practices_of(parse("However, many States have faced challenges in ensuring case management.\n")) == []
    assert practices_of(parse("Experts are working on the development of alternatives to detention.\n")) == []
    # a result told by its figures is a statistic, not a practice
    assert practices_of(parse("Of these, 87% were released within three days into community care.\n")) == []


def test_the_items_of_a_practices_label_are_practices_each_with_its_own_actor(parse):
    pd = parse("Similar practices: community housing in Riverside; the family-care pilot led by the Thai "
               "government; the Peruvian protocol on release of children.\n")
    found = practices_of(pd)
    assert [label for label, _ in found] == ["community housing in Riverside",
                                            "the family-care pilot led by the Thai government",
                                            "the Peruvian protocol on release of children"]
    assert found[0][1] is None and found[1][1] == "GOV-THA"


def test_a_heading_and_a_quotation_are_no_practices(parse):
    pd = parse("Detention and alternatives applied by the migration authority\n\n"
               "“What works is a trained social worker and a lawyer who answers the phone,” she said.\n")
    assert practices_of(pd) == []


def test_a_person_who_did_it_is_the_actor_when_the_text_names_no_organisation(parse):
    pd = parse("Mr. Tomas Okafor presented the new regional mapping of community-based programmes.\n")
    assert [(p.label, type(p.actor).__name__, p.actor.name) for p in pd.practices] == [
        ("the new regional mapping of community-based programmes", "PersonRef", "Tomas Okafor")]


def test_a_presented_practice_is_told_from_its_object_and_keeps_its_presenter_as_actor(parse):
    pd = parse("Ms. Ana Ruiz, Director of the Lowland Reception Agency, described a screening protocol introduced "
               "in 2024 at the port.\n"
               "The case worker described the first contact with a family as the moment that decides everything.\n")
    assert [(p.label, p.actor.name) for p in pd.practices] == [
        ("a screening protocol introduced in 2024 at the port", "Lowland Reception Agency")]


@pytest.mark.parametrize("text, done", [
    ("The Riverside Migrant Council provides information on asylum to adolescents and their relatives.", True),
    ("Lowland stopped placing families with children in closed centres in 2008.", True),
    ("The Harbour Council helps new arrivals find a room.", True),
    ("Children share the block with families and, when it is full, with single men.", False),
    ("Since 2021, 142 women and 97 children have been hosted.", False),
    ("What makes families stay in touch?", False),
])
def test_a_verb_of_doing_done_for_people_is_a_practice_without_a_practice_noun(parse, text, done):
    assert bool(parse(text + "\n").practices) is done


def test_an_organisation_the_text_leaves_unnamed_is_the_actor_of_what_it_did(parse):
    pd = parse("One national human rights institution said that it had visited 14 places of detention in 2025.\n")
    assert [(type(p.actor).__name__, p.actor.kind) for p in pd.practices] == [("Unnamed", "organisation")]


@pytest.mark.parametrize("text", [
    "The Lowland Immigration Service has run the tagging scheme since 2004 under contract with Harbour Tracking "
    "Incorporated.",
    "The pilot was conducted by the Lowland Immigration Service and the Riverside Migrant Council.",
    "The Lowland Asylum Agency (LAA) and the Riverside Migrant Council tested the new screening form in 2023.",
    "The evaluation was funded by Norway and Iceland through the Riverside Migrant Council.",
])
def test_more_partnerships(parse, text):
    pd = parse(text + "\n")
    assert len(pd.partnerships) == 1 and len(pd.partnerships[0].partners) >= 2, text


def test_two_bodies_in_one_sentence_are_no_partnership_without_a_cue_or_a_joint_subject(parse):
    pd = parse("The Lowland Asylum Agency reported that the Riverside Migrant Council trained 40 case workers.\n")
    assert pd.partnerships == []


def test_we_in_a_text_is_its_publisher(gazetteer, vocab, tmp_path):
    from atdkg.loaders.parse import parse_document
    from atdkg.loaders.sources import Source
    (tmp_path / "doc.txt").write_text("[Fictional.]\n\nBetween June and May 2023 we trained 40 volunteers in case "
                                      "management for families.\n", encoding="utf-8")
    src = Source("009", "doc.txt", "document", "", "2024-01-01", "t", "Harbour Legal Collective", "en", "0" * 64)
    pd = parse_document(tmp_path, src, gazetteer, vocab, set())
    assert [(p.actor.name, p.actor.span.end - p.actor.span.start) for p in pd.practices] == [
        ("Harbour Legal Collective", 2)]  # the evidence of who did it is the word "we"


@pytest.mark.parametrize(("text", "found"), [
    ("She highlighted the Lowland Report on detention which provides case management figures.", False),
    ("The new decree will allow families to live in community housing under supervision.", False),
    ("The Lowland Ombuds Council made 27 monitoring visits and had recommended release in half the cases.", True),
])
def test_what_a_thing_does_or_a_plan_allows_is_no_practice_but_a_past_recommendation_is_reported(parse, text, found):
    assert bool(parse(text + "\n").practices) == found, text


def test_a_speaker_with_an_affiliation_presents_the_bodys_practice(parse):
    pd = parse("Ms. Aroha Tane, Regional Coordinator of the Lowland Refugee Network, presented the network's new "
               "directory of community case management services.\n")
    assert [who(p.actor) for p in pd.practices] == ["Lowland Refugee Network"]


def test_the_publishers_head_word_names_the_publisher_only_when_no_other_actor_is_named(gazetteer, vocab, tmp_path):
    from atdkg.loaders.parse import parse_document
    from atdkg.loaders.sources import Source
    (tmp_path / "doc.txt").write_text(
        "[Fictional.]\n\nThe Office carried out 14 unannounced monitoring visits to holding rooms.\n\n"
        "The Office notes the reporting scheme adopted by the Lowland Migrant Council in 2022.\n", encoding="utf-8")
    src = Source("009", "doc.txt", "document", "", "2024-01-01", "t", "Office of the Lowland Ombudsperson", "en",
                 "0" * 64)
    pd = parse_document(tmp_path, src, gazetteer, vocab, set())
    assert [who(p.actor) for p in pd.practices] == ["Office of the Lowland Ombudsperson", "Lowland Migrant Council"]


def test_actors_joined_to_one_after_a_preposition_are_partners_not_the_doer(parse):
    pd = parse("A reporting framework was developed in collaboration with UNICEF and the Lowland Migrant Council.\n")
    assert [p.actor for p in pd.practices] == [None]


def _parse_published(gazetteer, vocab, tmp_path, body, publisher="Harbour Legal Collective"):
    from atdkg.loaders.parse import parse_document
    from atdkg.loaders.sources import Source
    (tmp_path / "doc.txt").write_text("[Fictional.]\n\n" + body, encoding="utf-8")
    src = Source("009", "doc.txt", "document", "", "2024-01-01", "t", publisher, "en", "0" * 64)
    return parse_document(tmp_path, src, gazetteer, vocab, set())


def test_the_author_who_works_with_others_is_a_partner_too(gazetteer, vocab, tmp_path):
    pd = _parse_published(gazetteer, vocab, tmp_path, "Closer to home, we run the visiting scheme together with "
                          "the Riverside Migrant Council and UNICEF.\n")
    assert [[who(a) for a in p.partners] for p in pd.partnerships] == [
        ["Harbour Legal Collective", "Riverside Migrant Council", "UNICEF"]]


def test_a_body_led_by_others_is_not_their_partner(gazetteer, vocab, tmp_path):
    pd = _parse_published(gazetteer, vocab, tmp_path, "The Collective is co-led by UNICEF and the Riverside "
                          "Migrant Council.\n")
    assert [[who(a) for a in p.partners] for p in pd.partnerships] == [["UNICEF", "Riverside Migrant Council"]]


def test_a_partners_field_is_one_partnership_across_its_semicolons(parse):
    pd = parse("Funding: Government of Lowland, through UNICEF; Riverside Migrant Council (in kind: schooling)\n")
    assert [[who(a) for a in p.partners] for p in pd.partnerships] == [
        ["GOV-LOW", "UNICEF", "Riverside Migrant Council"]] or len(pd.partnerships[0].partners) == 3


@pytest.mark.parametrize(("text", "labels"), [
    ("The Lowland Migrant Council has funded community case management in three towns.",
     ["The Lowland Migrant Council has funded community case management in three towns."]),
    ("The project is funded by the Lowland Migrant Council.", []),  # a partnership's side, not a practice
    ("One State reported that case managers now work alongside immigration officers in reception centres.",
     ["One State reported that case managers now work alongside immigration officers in reception centres."]),
    ("The shelter was set up with the support of UNICEF, and the Lowland Migrant Council provided technical "
     "support on case management.",
     ["The shelter was set up with the support of UNICEF", "Lowland Migrant Council provided technical "
      "support on case management"]),
])
def test_funding_alongside_and_a_second_subject_after_and_the(parse, text, labels):
    assert [p.label for p in parse(text + "\n").practices] == labels


def test_what_the_author_says_it_did_or_urges_is_its_practice(gazetteer, vocab, tmp_path):
    pd = _parse_published(gazetteer, vocab, tmp_path, "Between June and November 2023 we interviewed 62 people in "
                          "the programme.\n\nWe urge the Lowland Migrant Council to end the use of ankle monitors.\n")
    assert [(p.label[:16], who(p.actor)) for p in pd.practices] == [
        ("Between June and", "Harbour Legal Collective"), ("We urge the Lowl", "Harbour Legal Collective")]


def test_the_body_a_participle_names_did_the_practice_a_speaker_presents(parse):
    pd = parse("In the discussion, a researcher presented an evaluation commissioned by the Lowland Refugee Council "
               "of its case management programme.\n")
    assert [who(p.actor) for p in pd.practices] == ["Lowland Refugee Council"]
    # but inside an anonymous passage a government after "by" could name the speaker's State: not attributed to it
    pd = parse("One State described a reporting scheme run by the Government of Peru and case management.\n")
    assert [who(p.actor) for p in pd.practices] == ["unnamed"]


def test_a_states_name_before_a_body_qualifies_the_body(parse):
    pd = parse("The main scheme is the Harbour Tagging Programme, which U.S. Citizenship and Immigration Services "
               "has run since 2004 to supervise families.\n")
    assert [who(p.actor) for p in pd.practices] == ["Citizenship and Immigration Services"]


def test_a_which_clause_is_done_by_the_body_it_follows(parse):
    pd = parse("Children are referred to the Lowland Child Welfare Board, which places them with foster families "
               "or in community care.\n")
    assert [who(p.actor) for p in pd.practices][-1:] == ["Lowland Child Welfare Board"]


def test_a_speaker_whose_post_is_of_a_body_named_before_speaks_for_it(parse):
    pd = parse("The Director-General of the Lowland Immigration Service, Mrs. Ama Mensah, said that 180 officers "
               "had been trained in screening and case management.\n")
    assert [who(p.actor) for p in pd.practices] == ["Lowland Immigration Service"]


def test_the_bodys_possessive_names_the_body_a_speaker_presents_for(parse):
    pd = parse("The Harbour Platform on Community Alternatives met in May.\n\nMr. Tomas Okafor presented the "
               "platform's new regional mapping of community-based programmes.\n")
    assert [who(p.actor) for p in pd.practices][-1:] == ["Harbour Platform on Community Alternatives"]


def test_what_a_named_speaker_reports_of_another_actor_is_that_actors(parse):
    pd = parse("UNICEF noted that the Government of Peru has set up a case management programme for families.\n")
    assert [who(p.actor) for p in pd.practices] == ["GOV-PER"]
    # an anonymous speaker's report stays the speaker's (Chatham House Rule)
    pd = parse("One State noted that Peru's case management programme for families had inspired its own.\n")
    assert [who(p.actor) for p in pd.practices] == ["unnamed"]



def test_every_form_of_a_verb_of_doing_counts_but_not_the_forms_that_are_mostly_nouns(parse):
    pd = parse("The Harbour Refugee Council and UNHCR jointly monitor two immigration depots every month.\n\n"
               "The Lowland Agency funds twelve case managers employed by the Harbour Refugee Council.\n\n"
               "Families without an address were commonly held in closed centres during the procedure.\n")
    labels = [p.label for p in pd.practices]
    assert any(label.startswith("The Harbour Refugee Council and UNHCR jointly monitor") for label in labels), labels
    assert any(label.startswith("The Lowland Agency funds") for label in labels), labels
    assert not any("closed centres" in label for label in labels), labels


def test_a_present_that_is_also_a_plural_noun_is_the_verb_right_after_a_name(parse):
    pd = parse("The Harbour Child Rights Network (HCRN) places unaccompanied children with foster families.\n\n"
               "Lawyers for Harbour Justice (LHJ) challenges unlawful detention in the courts.\n\n"
               "The places and supports on offer were few in the region, the review said.\n")
    found = {p.label.split(" (")[0].split(" places")[0].split(" challenges")[0]: who(p.actor) for p in pd.practices}
    assert found.get("The Harbour Child Rights Network") == "Harbour Child Rights Network", found
    assert found.get("Lawyers for Harbour Justice") == "Lawyers for Harbour Justice", found
    assert not any("places and supports" in p.label for p in pd.practices)


def test_verb_forms_come_from_the_lemmas():
    from atdkg.loaders.relations import verb_forms
    assert verb_forms(["run", "carry out"]) >= {"ran", "runs", "run", "carried out", "carries out"}
    assert "support" not in verb_forms(["support"], base=False) and "supported" in verb_forms(["support"], base=False)


def test_what_happened_to_people_and_shares_achieved_are_outcomes_not_practices(parse):
    pd = parse("Every week, families are released from police custody in Lowtown with nowhere to sleep.\n\n"
               "She reported that 176 children had been released under the Memorandum in 2023.\n\n"
               "The Harbour Refugee Council said that 6 out of 10 of the people it meets are referred to legal aid "
               "within seven days.\n\n"
               "When a child wants to go home, the Harbour Refugee Council works with the Lowland Welfare Office on "
               "family tracing.\n")
    assert [p.label[:40] for p in pd.practices] == ["When a child wants to go home, the Harbo"]


def test_a_minister_acts_for_the_ministry_the_text_names_and_honorifics_end_no_sentence(parse):
    pd = parse("The Ministry of the Interior issued a statement.\n\nThe Minister for the Interior, Hon. Ama Owusu, MP, "
               "today launched the National Programme on Community Alternatives.\n")
    assert [(p.label[:30], who(p.actor)) for p in pd.practices] == [
        ("The Minister for the Interior,", "Ministry of the Interior")]



def test_partnerships_in_what_was_done_with_whom_and_who_was_only_led_or_funded(parse):
    pd = parse("UNICEF developed the toolkit with the Council of Europe in 2023.\n\n"
               "The Harbour Working Group is co-led by the Lowland Refugee Council and the Coastal Migrant Network.\n\n"
               "The Harbour Refugee Council and UNHCR jointly monitor two depots every month.\n")
    got = [sorted(who(p) for p in ps.partners) for ps in pd.partnerships]
    assert ["COE", "UNICEF"] in got, got
    assert ["Coastal Migrant Network", "Lowland Refugee Council"] in got, got  # not the group they lead
    assert ["Harbour Refugee Council", "UNHCR"] in got, got


def test_a_text_commissioned_by_a_body_is_its_authors_partnership_with_it(gazetteer, vocab, tmp_path):
    pd = _parse_published(gazetteer, vocab, tmp_path, "EVALUATION OF A PILOT\n\nCommissioned by the UNHCR "
                          "Representation in Bulgaria.\n\nThe Lowland Centre for Migration Studies evaluated the "
                          "pilot.\n", publisher="Lowland Centre for Migration Studies")
    got = [sorted(who(p) for p in ps.partners) for ps in pd.partnerships]
    assert got == [["Lowland Centre for Migration Studies", "UNHCR Representation in Bulgaria"]], got


def test_a_collaboration_a_next_step_plans_is_no_partnership(parse):
    pd = parse("Next steps\n\n1. The Harbour Working Group will circulate indicators, prepared with UNHCR and IOM, "
               "by June.\n")
    assert pd.partnerships == []


def test_a_decision_is_its_deciders_and_questions_jobs_and_noun_forms_are_no_practices(parse):
    pd = parse("The Office welcomes the decision of the Lowland Ministry of Labour to open two community "
               "reception houses in 2023.\n\n"
               "You asked how many foreigners were placed in custody and how often alternatives were ordered.\n\n"
               "A former detainee who now works as a peer mentor said that being called by name mattered.\n\n"
               "The government wants to add 1,200 detention places by the end of 2025.\n")
    assert [who(p.actor) for p in pd.practices] == ["Lowland Ministry of Labour"]


def test_we_in_the_answers_of_an_interview_is_the_interviewees_organisation(gazetteer, vocab, tmp_path):
    pd = _parse_published(
        gazetteer, vocab, tmp_path, "THE HARBOUR MAGAZINE\n\nOur editor spoke to Ana Lima, director of the Coastal "
        "Legal Aid Society, about families.\n\nQ: How did it start?\n\nA: Together with UNICEF we trained 58 border "
        "officials on case management in 2023.\n\nQ: And next?\n\nA: More of the same.\n",
        publisher="Harbour Foundation")
    assert [who(p.actor) for p in pd.practices] == ["Coastal Legal Aid Society"]


def test_what_a_practice_found_is_no_second_practice_but_what_a_body_does_is(parse):
    pd = parse("Mr. Tomas Okafor presented the Harbour Platform's new regional mapping, which identified 27 "
               "community-based programmes in 9 countries.\n\n"
               "Children are referred to the Lowland Child Welfare Board, which places them with foster families.\n")
    assert [p.label.split()[0] for p in pd.practices] == ["the", "places"]


def test_a_definite_body_the_text_names_no_other_way_is_its_author(gazetteer, vocab, tmp_path):
    pd = _parse_published(gazetteer, vocab, tmp_path, "ANNUAL RESULTS 2023\n\nTogether with the Lowland Refugee "
                          "Council, the Country Office launched a foster care programme in two districts.\n",
                          publisher="UNICEF Lowland")
    assert [who(p.actor) for p in pd.practices] == ["UNICEF Lowland"]


def test_a_practice_begun_and_a_passive_practice_with_its_practice_word(parse):
    pd = parse("In Lowland, families with children have for years been placed in open family units with a dedicated "
               "coach rather than in closed centres.\n\n"
               "The Harbour Refugee Council began accompanying clients to their detention review hearings in 2022.\n\n"
               "The border police kept stopping families at checkpoints.\n")
    assert [p.label.split()[0] for p in pd.practices] == ["In", "The"]


def test_what_succeeds_causes_or_frames_is_no_practice(parse):
    pd = parse("We know the model works because families keep showing up.\n\n"
               "Since it was signed, over 3,000 children have been released from detention.\n\n"
               "Caseloads of 30 children per worker made meaningful follow-up impossible.\n\n"
               "A participant urged Governments to fund community case management.\n\n"
               "The Harbour Refugee Council has worked since 2021 with the Lowland Border Police on screening.\n\n"
               "The Lowland Ombuds Office had made 27 monitoring visits to detention facilities in 2023.\n")
    assert [p.label.split()[0] for p in pd.practices] == ["The", "The"]


def test_who_presented_for_a_body_and_what_the_authors_own_programme_did(gazetteer, vocab, tmp_path):
    pd = _parse_published(
        gazetteer, vocab, tmp_path, "ANNUAL REPORT\n\nThe regional mapping was presented by Dr Ana Reis of the "
        "Lowland Institute for Migration Studies.\n\nIn 2023 our host programme housed 40 families in community "
        "accommodation.\n\nShe found that 6 of the 16 States prohibit the detention of children.\n",
        publisher="Harbour Aid")
    assert [who(p.actor) for p in pd.practices] == ["Lowland Institute for Migration Studies", "Harbour Aid"]


def test_questions_plans_and_speeches_are_no_partnerships_and_our_funders_are_the_authors(gazetteer, vocab,
                                                                                             tmp_path):
    pd = _parse_published(
        gazetteer, vocab, tmp_path, "Can you still work with the Lowland Border Police and UNHCR?\n\n"
        "The Home Office will pilot case management in two regions, working with UNHCR and IOM.\n\n"
        "Opening remarks were delivered by Ms Ana Lima, Director of the Child Welfare Department, Lowland Ministry of "
        "Human Security.\n\nThank you to our funders: Cedar Grove Foundation, the Pacific Legal Access Fund and "
        "UNICEF.\n", publisher="Harbour Aid")
    assert [sorted(who(p) for p in ps.partners) for ps in pd.partnerships] == [
        ["Cedar Grove Foundation", "Harbour Aid", "Pacific Legal Access Fund", "UNICEF"]]


def test_where_figures_came_from_and_what_a_thing_was_used_for_are_no_practices(parse):
    pd = parse("1.2 The figures below were provided by the Lowland Migration Inspectorate, which runs the centre.\n\n"
               "UNICEF developed a case management toolkit in 2023; it has since been used to train 2,000 workers.\n")
    assert [p.label.split()[0] for p in pd.practices] == ["UNICEF"]


@pytest.mark.parametrize(("text", "doers"), [
    # what a relative clause says its actor made is that actor's
    ("Dr. Lena Fox presented the draft guidelines on community placement, which the Lowland Social Welfare "
     "Department prepared with support from UNICEF.", ["Lowland Social Welfare Department"]),
    # a worker "on call for every child" is no call for action
    ("The Harbour Refugee Council has worked since 2021 with the Lowland Border Police at the airport, where a social "
     "worker is now on call for every child who arrives alone.", ["Harbour Refugee Council"]),
    # an office acts, not the body its name begins with
    ("UNICEF Mozambique shared its family case management model with the Lowland Welfare Office.",
     ["UNICEF Mozambique"]),
    # a funder is no doer; the body's possessive names the doer the text named last
    ("Ms Ana Lima spoke for the Lowland Ministry of Social Affairs. Under the ministry's community placement "
     "programme, run with financial support from the Harbour Foundation, children are placed with foster families.",
     ["Lowland Ministry of Social Affairs"]),
], ids=["relative clause", "on call", "office", "funder"])
def test_who_did_the_practice(parse, text, doers):
    assert [who(p.actor) for p in parse(text + "\n").practices] == doers


def test_the_author_is_a_partner_of_our_partner_and_of_what_it_supports(gazetteer, vocab, tmp_path):
    pd = _parse_published(gazetteer, vocab, tmp_path, "Our partner the Riverside Migrant Council runs a hotline. "
                          "The Lowland Asylum Agency (LAA), with our support, visits detention centres. "
                          "With UNICEF and IOM, we trained 60 border officials.\n")
    assert [[who(a) for a in p.partners] for p in pd.partnerships] == [
        ["Harbour Legal Collective", "Riverside Migrant Council"],
        ["Harbour Legal Collective", "Lowland Asylum Agency"], ["Harbour Legal Collective", "UNICEF", "IOM"]]


def test_a_states_authorities_act_and_what_was_coordinated_by_one_body_with_another(parse):
    pd = parse("UNICEF piloted the toolkit with the child protection authorities of Costa Rica and Panama. The "
               "mechanism is coordinated by the Riverside Migrant Council with IOM. A shelter run by a charity "
               "rather than by the police, with an average stay of 18 days, opened in Peru.\n")
    assert [[who(a) for a in p.partners] for p in pd.partnerships] == [["UNICEF", "CRI", "PAN"],
                                                                        ["Riverside Migrant Council", "IOM"]]


def test_what_a_list_introduced_by_agreed_to_commits_to_is_no_partnership_yet(parse):
    pd = parse("The participating States agreed to:\n\n1. launch pilots in at least three States, with the support "
               "of IOM and UNHCR;\n2. train 500 officers in consultation with UNICEF and IOM.\n")
    assert pd.partnerships == []


def test_a_collaboration_a_modal_governs_is_planned_however_far_the_participle(parse):
    pd = parse("The Lowland Immigration Service will pilot community case management for up to 400 people in two "
               "regions from April 2026, working with UNHCR and the Riverside Migrant Council.\n")
    assert pd.partnerships == []


def test_a_donors_line_and_a_line_under_a_partners_heading_are_the_authors_partnerships(gazetteer, vocab, tmp_path):
    # FICTIONAL donor update by an author that names itself; a practice entry's implementers are not its partners
    pd = _parse_published(gazetteer, vocab, tmp_path, "The Harbour Legal Collective ran a help desk this quarter."
                          "\n\nDonors: European Union, Switzerland, Kingdom of the Netherlands\n\nPARTNERS\n"
                          "Lowland Asylum Agency, Riverside Migrant Council, UNICEF\n\n"
                          "Implementing partners: IOM; Riverside Migrant Council\n")
    assert [[who(a) for a in p.partners] for p in pd.partnerships] == [
        ["Harbour Legal Collective", "EU", "CHE", "NLD"],
        ["Harbour Legal Collective", "Lowland Asylum Agency", "Riverside Migrant Council", "UNICEF"],
        ["IOM", "Riverside Migrant Council"]]


def test_a_speakers_introduction_and_a_count_of_what_was_done_are_no_practices(parse):
    # FICTIONAL: a webinar's speaker list, a result told by its figure, and the same figure as someone's practice
    pd = parse("- Tomás Echeverri (Lowland Institute for Migration), who leads our comparative study of case "
               "management;\n- Ruth Nakato (Riverside Migrant Council), a lawyer who has run a case management "
               "project.\n\nSince 2022, 187 children have been placed; a placement lasts seven months. The Riverside "
               "Migrant Council placed 74 unaccompanied children with foster families.\n")
    assert [p.label for p in pd.practices] == [
        "The Riverside Migrant Council placed 74 unaccompanied children with foster families."]


def test_where_a_practice_works_is_the_same_practice(parse):
    pd = parse("Peru presented the reception centre opened in Lima in 2024 together with IOM, where returned migrants "
               "are screened within 48 hours and referred to legal services.\n")
    assert [(p.label, who(p.actor)) for p in pd.practices] == [
        ("the reception centre opened in Lima in 2024 together with IOM, where returned migrants "
         "are screened within 48 hours and referred to legal services", "PER")]  # one practice, not two


def test_a_practice_named_by_its_owner_and_noun_without_a_verb(parse):
    # FICTIONAL sentences: an organisation's and a State's practice told by a noun; a comparison in passing is none
    pd = parse("Ms Brandt recalled that in OHCHR's visits to border facilities in 14 countries since 2023, few "
               "facilities had a referral procedure. She welcomed the new Italian guidelines on reception of "
               "unaccompanied children. Costs were lowest in the Colombian programme run by a civil society network. "
               "Speakers looked at the Belgian model as well.\n")
    assert [(p.label, who(p.actor) if p.actor else None) for p in pd.practices] == [
        ("OHCHR's visits to border facilities in 14 countries since 2023", "OHCHR"),
        ("She welcomed the new Italian guidelines on reception of unaccompanied children.", "ITA"),
        ("the Colombian programme run by a civil society network", None)]


def test_what_was_done_by_our_project_is_the_authors(gazetteer, vocab, tmp_path):
    pd = _parse_published(gazetteer, vocab, tmp_path, "Since 2021 families were housed and accompanied by our "
                          "Community Link project.\n")
    assert [who(p.actor) for p in pd.practices] == ["Harbour Legal Collective"]


def test_a_cue_ending_in_by_needs_someone_named_after_it(parse):
    pd = parse("The Lowland Ministry of the Interior launched a programme under which families wait in the "
               "community, supported by a case manager, instead of being held by the Lowland Migration Service. "
               "The series is supported by a grant from the Riverside Migrant Council and UNICEF.\n")
    assert [[who(a) for a in p.partners] for p in pd.partnerships] == [["Riverside Migrant Council", "UNICEF"]]


def test_what_a_subject_should_do_and_a_result_of_the_n_are_no_practices(parse):
    pd = parse("Recommendation 4: The Lowland Ministry of the Interior should extend the pilot to every family and "
               "fund it once the grant ends in 2026.\n\nOf the 38 families referred, 35 stayed in contact with the "
               "authorities. The Riverside Migrant Council ended the detention of children in 2023.\n")
    assert [p.label for p in pd.practices] == ["The Riverside Migrant Council ended the detention of children in 2023."]


def test_a_verb_after_a_name_and_an_adverb_and_a_possessed_practice_with_lowercase_modifiers(parse):
    pd = parse("Since 2024 the Lowland Migration Service now reviews every detention order after 30 days.\n\n"
               "Speakers compared the results with Canada's community case management programme.\n")
    assert [(who(p.actor), p.label[:24]) for p in pd.practices] == [
        ("Lowland Migration Service", "Since 2024 the Lowland M"), ("CAN", "Canada's community case ")]


def test_the_owner_of_a_practice_named_before_is_a_partner_of_whoever_funds_it(parse):
    pd = parse("The Lowland Ministry of Social Affairs opened two reception houses together with UNICEF. The project "
               "is funded by the Riverside Community Foundation.\n\nThe project is funded by the Harbour Trust.\n")
    assert [sorted(who(a) for a in p.partners) for p in pd.partnerships] == [
        ["Lowland Ministry of Social Affairs", "UNICEF"],
        ["Lowland Ministry of Social Affairs", "Riverside Community Foundation"]]  # a new paragraph names no owner


def test_two_bodies_that_have_agreed_on_something_are_partners(parse):
    pd = parse("UNHCR and the Lowland Migration Service have since agreed on a referral protocol for children.\n")
    assert [sorted(who(a) for a in p.partners) for p in pd.partnerships] == [["Lowland Migration Service", "UNHCR"]]


def test_a_body_that_trains_pays_or_helps_the_authors_people_is_the_authors_partner(gazetteer, vocab, tmp_path):
    pd = _parse_published(gazetteer, vocab, tmp_path, "The Riverside Migrant Council (RMC) trained our case workers "
                          "in 2024.\n\nUNICEF pays our host-family allowances.\n\nIn Harbour City, UNHCR helped us "
                          "adapt the form.\n\nThe Riverside Migrant Council trained 40 police officers.\n",
                          publisher="Harbour Aid")
    assert [sorted(who(a) for a in p.partners) for p in pd.partnerships] == [
        ["Harbour Aid", "Riverside Migrant Council"], ["Harbour Aid", "UNICEF"], ["Harbour Aid", "UNHCR"]]


def test_what_a_reporter_notes_was_adopted_by_the_body_after_adopted_by(gazetteer, vocab, tmp_path):
    text = ("Office of the Harbour Ombudsperson\n\nThe Office notes as a good practice the protocol adopted by the "
            "Costa Rican government in 2022, under which children are referred to a child welfare agency within 24 "
            "hours.\n")
    pd = _parse_published(gazetteer, vocab, tmp_path, text,
                          publisher="Office of the Harbour Ombudsperson")
    assert [who(p.actor) for p in pd.practices] == ["GOV-CRI"]  # not the Office that notes it


def test_a_clause_whose_subject_is_a_quantity_of_people_tells_how_they_fared_not_a_practice(parse):
    pd = parse("58 of the families were still in touch with their case worker when their procedure ended. Since the "
               "pilot began in March, 30 men, most of them Syrian nationals, have been released to the programme. In "
               "the pilot, fewer than 2 per cent failed to report to the case management team. Two NGOs have run "
               "shelters for children since 2020. In 2023, 212 migrant children were placed with foster families or in "
               "community-based care.\n")
    assert [p.label.split()[:2] for p in pd.practices] == [["Two", "NGOs"], ["In", "2023,"]]


def test_we_after_a_time_adverbial_is_the_publisher(gazetteer, vocab, tmp_path):
    pd = _parse_published(gazetteer, vocab, tmp_path, "This week we wrote to the Lowland Minister of the Interior, "
                          "together with 40 other organisations, to ask for a time limit on detention.\n",
                          publisher="Harbour Aid")
    assert [who(p.actor) for p in pd.practices] == ["Harbour Aid"]


@pytest.mark.parametrize("text", [
    "SOURCES [1] Lowland Immigration Agency, \"Detention and release\", figures published and monitored in 2025.",
    "[2] Riverside Migrant Council, annual report 2024, which trained 40 lawyers.",
    "Where a guardian is appointed quickly, detention becomes far less likely.",
])
def test_a_list_of_sources_and_a_condition_report_no_practice(parse, text):
    assert parse(text + "\n").practices == []


def test_a_verb_of_doing_in_its_plain_form_after_we_and_relying_on_a_measure_are_practices(gazetteer, vocab, tmp_path,
                                                                                          parse):
    pd = _parse_published(gazetteer, vocab, tmp_path, "Advocacy – we brief members of the Lowland parliament and "
                          "submit evidence to the treaty bodies.\n")
    assert [who(p.actor) for p in pd.practices] == ["Harbour Legal Collective"]
    pd = parse("The Riverside Migrant Council relies mainly on reporting and designated residence for families.\n")
    assert [who(p.actor) for p in pd.practices] == ["Riverside Migrant Council"]


def test_the_publisher_named_without_a_head_word_is_an_organisation_of_its_text(gazetteer, vocab, tmp_path):
    pd = _parse_published(gazetteer, vocab, tmp_path, "About us: Solidarity Bridge Lowland is a non-profit "
                          "organisation founded in 2016. It provides legal aid and case management to refugees.\n",
                          publisher="Solidarity Bridge Lowland")
    assert [m.actor.name for m in pd.mentions if m.recogniser == "publisher"] == ["Solidarity Bridge Lowland"]
    assert [who(p.actor) for p in pd.practices] == ["Solidarity Bridge Lowland"]


def test_her_organisation_is_the_body_of_the_person_the_paragraph_names(parse):
    pd = parse("Speakers:\n\n- Ruth Okello (Northtown Legal Centre), a lawyer;\n\n"
               "Ruth Okello explained how her centre meets people at the police station. Ms. Baek (Riverside Migrant "
               "Council) noted the cost. Since 2022 her organisation had provided housing to 212 persons. One "
               "participant said that her organisation had housed 40 families.\n")
    assert [who(p.actor) if p.actor and not isinstance(p.actor, Unnamed) else "unnamed" for p in pd.practices] == [
        "Northtown Legal Centre", "Riverside Migrant Council", "unnamed"]


@pytest.mark.parametrize("text, labels", [
    ("One delegation cautioned that daily reporting at a police station had produced more absconding.", []),
    ("Photo: Members of the Lowland group trained in 2025.", []),
    ("A mother who took part in the pilot, and who asked that her name not be published, spoke.", []),
    ("Lowland has housed families with children in open units since 2008, and she argued that the model shows "
     "what a programme can achieve.", ["Lowland has housed families with children in open units since 2008"]),
])
def test_an_opinion_a_caption_and_what_must_not_be_done_are_no_practices(parse, text, labels):
    assert [p.label for p in parse(text + "\n").practices] == labels


@pytest.mark.parametrize("text", [
    "Several participants noted that data on children in detention are rarely published.",
    "Of 140 families released, 131 remained in contact with the authorities.",
])
def test_what_is_seldom_done_and_a_part_of_a_whole_without_article_are_no_practices(parse, text):
    assert parse(text + "\n").practices == []
