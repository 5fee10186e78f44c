"""Normalisation keeps offsets; names resolve to one identity; the ontology documents itself."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, Graph
from rdflib.namespace import SKOS

from atdkg.loaders.gazetteer import Gazetteer
from atdkg.loaders.names import clean, fold, slug, split_honorific
from atdkg.loaders.text import keep_hyphen, normalise

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.mark.parametrize("raw, honorific, name", [
    ("Rev. Dr. Comfort Asare", "Rev. Dr.", "Comfort Asare"),
    ("H.E. Mrs. María Juliana Ruiz Sandoval", "H.E. Mrs.", "María Juliana Ruiz Sandoval"),
    ("Ms Jessica Bither", "Ms", "Jessica Bither"),
    ("Professor Cristina Blasi Casagran", "Professor", "Cristina Blasi Casagran"),
    ("Carolina Gottardo", None, "Carolina Gottardo"),
    ("Mrs. Msimang", "Mrs.", "Msimang"),
])
def test_honorifics_are_split_off(raw, honorific, name):
    assert split_honorific(raw) == (honorific, name)


def test_stray_combining_mark_is_removed_and_accents_fold():
    assert clean("Demet Açı̇k") == "Demet Açık"
    assert fold("Mário Martins") == fold("Mario Martins") == "mario martins"
    assert slug("Açı̇k") == slug("Acik") == "acik"
    assert clean("Mário") == "Mário"  # a composed accent is not stray


def test_organisations_resolve_by_name_acronym_and_alias():
    gz = Gazetteer(DATA)
    assert gz.resolve_org("UN Refugee Agency") == gz.resolve_org("UNHCR") == "UNHCR"
    assert gz.resolve_org("International Detention Coalition (IDC)") == "IDC"
    assert gz.resolve_org("the International Committee of the Red Cross") == "ICRC"
    assert gz.resolve_org("Government of United Kingdom") == "GOV-GBR"
    assert gz.resolve_org("Permanent Mission of Thailand to the UN in Geneva") == "PM-THA"
    assert gz.resolve_org("Permanent Mission of Portugal in Geneva") == "PM-PRT"
    assert gz.resolve_org("Nonexistent Agency of Nowhere") is None
    assert gz.org("PM-THA").parent == "GOV-THA" and gz.org("PM-THA").state == "THA"


@pytest.mark.parametrize("left, right, keep", [
    ("whole-of", "government", True), ("pre", "COVID", True), ("Director", "General", True),
    ("organi", "sations", False), ("co", "hosted", True), ("community", "based", True),
])
def test_line_end_hyphens(left, right, keep):
    assert keep_hyphen(left, right, {"organisations"}) is keep


def test_normalised_spans_map_back_to_the_original():
    original = "Title\n\n- *Mr. A. Person*, Head of\n  Unit, [Org](#) \\(X\\)\n\n1. First call and the\nsecond half.\n"
    norm = normalise(original)
    for line in norm.lines:
        start, end = line.span()
        assert original[start:end].replace("*", "").startswith(line.text.split()[0][:2])
    bullet = next(ln for ln in norm.lines if ln.kind == "bullet")
    assert bullet.text == "Mr. A. Person, Head of Unit, Org (X)"
    i = bullet.text.index("Org")
    assert original[slice(*bullet.span(i, i + 3))] == "Org"
    numbered = next(ln for ln in norm.lines if ln.kind == "number")
    assert (numbered.number, numbered.text) == (1, "First call and the second half.")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40), max_size=12))
def test_every_clean_character_comes_from_the_original(parts):
    """Property: whatever the input, each span of clean text points inside the original."""
    original = "\n".join(parts)
    for line in normalise(original).lines:
        assert len(line.starts) == len(line.ends) == len(line.text)
        for s, e in zip(line.starts, line.ends):
            assert 0 <= s < e <= len(original)


def test_every_ontology_term_has_a_label_and_a_definition():
    g = Graph()
    g.parse(ROOT / "ontology" / "atd.ttl")
    g.parse(ROOT / "ontology" / "vocabularies.ttl")
    terms = {s for s in g.subjects() if str(s).startswith(("https://w3id.org/atd-kg/ontology#",
                                                           "https://w3id.org/atd-kg/vocab/"))}
    assert len(terms) > 150
    for t in terms:
        assert g.value(t, RDFS.label) is not None, t
        assert g.value(t, SKOS.definition) is not None, t


def test_organisation_classes_are_org_organizations(dataset):
    from atdkg.loaders.emit import ATD, ORG
    for cls in set(dataset.objects(None, RDF.type)):
        if str(cls).startswith(str(ATD)) and (cls, RDFS.subClassOf, ORG.Organization) in dataset:
            for s in dataset.subjects(RDF.type, cls):
                assert (s, RDF.type, ORG.Organization) in dataset


def test_each_entity_has_one_english_label(dataset):
    from atdkg.queries import PREFIXES
    rows = list(dataset.query(PREFIXES + """
        SELECT ?s (COUNT(DISTINCT ?l) AS ?n) WHERE {
          ?s a ?c . FILTER (?c IN (foaf:Person, org:Organization, atd:State, atd:PeerLearningExchange, atd:Practice))
          OPTIONAL { ?s rdfs:label ?l FILTER (LANG(?l) = "en") }
        } GROUP BY ?s HAVING (COUNT(DISTINCT ?l) != 1)"""))
    assert rows == []


def test_one_iri_per_person_across_documents(dataset):
    from atdkg.queries import PREFIXES
    people = {str(r.label): str(r.p)
              for r in dataset.query(PREFIXES + "SELECT ?p ?label { ?p a foaf:Person ; rdfs:label ?label }")}
    assert people["Mário Martins"].endswith("/person/mario-martins")
    assert "Mario Martins" not in people
    assert people["Demet Açık"].endswith("/person/demet-acik")
    positions = list(dataset.query(PREFIXES + """SELECT ?date ?title {
                                             ?pos org:member ?p ; atd:asOf ?date ; atd:positionTitle ?title .
                                             ?p rdfs:label "Verena Knaus"@en } ORDER BY ?date"""))
    assert [str(r.title) for r in positions] == ["Chief of Migration and Displacement",
                                                 "Global Lead, Migration and Displacement"]


@pytest.mark.parametrize("markers", [
    ("1.", "2.", "3."), ("(1)", "(2)", "(3)"), ("1)", "2)", "3)"), ("1-", "2-", "3-"), ("1 –", "2 –", "3 –"),
    ("a)", "b)", "c)"), ("(a)", "(b)", "(c)"), ("a.", "b.", "c."), ("i.", "ii.", "iii."), ("(i)", "(ii)", "(iii)"),
    ("R1 ", "R2 ", "R3 "), ("A1.", "A2.", "A3."),
])
def test_lists_are_read_by_their_numbering(markers):
    """Fictional text. Whatever the numbering, three items numbered 1, 2, 3 under their intro, each one line."""
    items = ["Screening within three days", "Case workers for every family", "Yearly figures on detention"]
    text = "The meeting agreed on the following:\n" + "".join(f"{m} {t}\n" for m, t in zip(markers, items))
    lines = normalise(text).lines
    assert [(ln.kind, ln.number, ln.text) for ln in lines[1:]] == [("number", n, t) for n, t in enumerate(items, 1)]
    for ln in lines[1:]:  # the marker is not part of the item, and the offsets still point at the item's words
        start, end = ln.span()
        assert text[start:end] == ln.text


@pytest.mark.parametrize("line", ["3 – 12 months was the usual stay.", "2023 - a year of change.", "e.g. this one.",
                                  "I. Introduction of the topic.", "A. Background to it."])
def test_what_only_looks_like_numbering_stays_text(line):
    assert [ln.kind for ln in normalise("Intro:\n\n" + line + "\n").lines] == ["text", "text"]


def test_a_numbered_heading_above_a_paragraph_is_a_heading_not_a_list():
    text = ("2. Opening session\n\nThe chair opened the meeting and welcomed all delegations.\n\n"
            "3. Case management\n\nThree governments presented their programmes.\n")
    lines = normalise(text).lines
    assert [(ln.kind, ln.number, ln.text) for ln in lines] == [
        ("text", 2, "Opening session"), ("text", None, "The chair opened the meeting and welcomed all delegations."),
        ("text", 3, "Case management"), ("text", None, "Three governments presented their programmes.")]


def test_a_numbered_heading_above_bullets_between_headings_of_its_series_is_a_heading_too():
    text = ("2. Objectives\n\nThe exchange will compare practice.\n\n3. Expected outcomes\n\n- A summary report.\n"
            "- A guidance note.\n\n4. Format\n\nThe exchange will last two hours.\n")
    kinds = [(ln.kind, ln.number, ln.text) for ln in normalise(text).lines]
    assert ("text", 3, "Expected outcomes") in kinds
    assert [k for k, _, t in kinds if t.startswith("A ")] == ["bullet", "bullet"]
    # a numbered item with bullets under it, in a list of items, stays an item
    text = "Actions:\n\n1. Train officers\n- in screening\n- in referral\n2. Publish data\n"
    assert [ln.kind for ln in normalise(text).lines][1] == "number"


def test_a_figure_on_its_own_line_over_its_label_is_content_not_a_page_number():
    text = ("IN NUMBERS\n\n312\npeople supported through case\nmanagement\n\n38\nchildren kept out of detention\n\n"
            "Text at the foot of the page.\n\n7\n\fNext page.\n")
    norm = normalise(text)
    assert [ln.text for ln in norm.lines][1:3] == ["312 people supported through case management",
                                                  "38 children kept out of detention"]
    assert norm.furniture == [(12, "7")]  # a bare number before a page break stays a page number


def test_page_numbers_set_between_dashes_are_page_furniture():
    text = "First page text that runs on.\n\n— 84 —\n\fSecond page text.\n"
    norm = normalise(text)
    assert [ln.text for ln in norm.lines] == ["First page text that runs on.", "Second page text."]
    assert norm.furniture == [(3, "— 84 —")]


def test_a_numbered_heading_above_a_list_numbered_afresh_is_a_heading():
    text = "4. RECOMMENDATIONS\n\nR1  Make case management the default.\nR2  Publish the data.\n"
    assert [(ln.kind, ln.number, ln.text) for ln in normalise(text).lines] == [
        ("text", 4, "RECOMMENDATIONS"), ("number", 1, "Make case management the default."),
        ("number", 2, "Publish the data.")]


def test_short_lines_of_an_address_or_signature_stand_alone_and_a_wrapped_title_goes_on():
    # FICTIONAL letter: lines of names, posts and labels are lines of their own, not one run-on sentence
    text = ("MINISTRY OF COASTAL AFFAIRS\nOffice of the Minister\n\nMs Ana Lima\nMember of Parliament\n\n"
            "Yours faithfully,\n\nTomas Berg\nMinister of Coastal Affairs\n\n"
            "Copy: Harbour Legal Aid Society; Border Police\nContact: Ivo Kern, Head, Asylum Unit\n\n"
            "A review of reception practice across the Lowland\nIslands Forum region\n\n"
            "This paragraph of running text is long enough to be wrapped at the margin by the\n"
            "layout, and it goes on here.\n")
    assert [ln.text for ln in normalise(text).lines] == [
        "MINISTRY OF COASTAL AFFAIRS", "Office of the Minister", "Ms Ana Lima", "Member of Parliament",
        "Yours faithfully,", "Tomas Berg", "Minister of Coastal Affairs",
        "Copy: Harbour Legal Aid Society; Border Police", "Contact: Ivo Kern, Head, Asylum Unit",
        "A review of reception practice across the Lowland Islands Forum region",
        "This paragraph of running text is long enough to be wrapped at the margin by the layout, and it goes on "
        "here."]


def test_each_speaker_and_label_of_an_agenda_block_is_an_entry_of_its_own():
    # FICTIONAL agenda with wrapped continuation lines: an honorific or a "Label:" opens the next entry
    text = ("14:20 – 15:05   Session 1. Screening at arrival\n"
            "                Moderator: Ms. Ana Lima, Programme Manager, Lowland\n"
            "                Refugee Council\n"
            "                Ms. Joana Reis, Head of Reception, Harbour Agency\n"
            "                Mr. Ivo Kern, Peer Mentor, Coastal Voices\n")
    assert [ln.text for ln in normalise(text).lines] == [
        "Session 1. Screening at arrival", "Moderator: Ms. Ana Lima, Programme Manager, Lowland Refugee Council",
        "Ms. Joana Reis, Head of Reception, Harbour Agency", "Mr. Ivo Kern, Peer Mentor, Coastal Voices"]


def test_a_table_of_contents_is_furniture_and_labelled_findings_are_a_numbered_list():
    text = ("CONTENTS\n1. Background ........................ 1\n2. Summary of the talks .............. 2\n\n"
            "Finding 1: Compliance was high.\nFinding 2: Costs were low.\n\nTable 1. Costs per day\n")
    norm = normalise(text)
    assert [(ln.kind, ln.number, ln.text) for ln in norm.lines] == [
        ("text", None, "CONTENTS"), ("number", 1, "Compliance was high."), ("number", 2, "Costs were low."),
        ("text", None, "Table 1. Costs per day")]
    assert [t for _, t in norm.furniture] == ["1. Background ........................ 1",
                                              "2. Summary of the talks .............. 2"]


def test_a_box_drawn_in_text_is_layout_and_its_check_marks_are_bullets():
    text = ("┌──────────────────────────┐\n│ KEY MESSAGES             │\n│                          │\n"
            "│ ✓ Ending detention is    │\n│   within reach.          │\n│ » Children first.        │\n"
            "└──────────────────────────┘\n")
    norm = normalise(text)
    assert [(ln.kind, ln.text) for ln in norm.lines] == [
        ("text", "KEY MESSAGES"), ("bullet", "Ending detention is within reach."), ("bullet", "Children first.")]
    first = norm.lines[1]
    assert text[first.starts[0]:first.ends[-1]].startswith("Ending detention is")  # offsets stay exact


def test_capital_letters_in_order_before_sentences_are_a_list_but_a_lettered_heading_is_not():
    text = ("A. Background\n\nThe exchange met online.\n\n"
            "A. Prohibit the detention of children in law.\nB. Fund case management for every family.\n")
    assert [(ln.kind, ln.number, ln.text) for ln in normalise(text).lines] == [
        ("text", None, "A. Background"), ("text", None, "The exchange met online."),
        ("number", 1, "Prohibit the detention of children in law."),
        ("number", 2, "Fund case management for every family.")]


def test_after_two_short_lines_that_stood_alone_a_third_does_too_whatever_its_first_letter():
    text = ("A paragraph of running text that is long enough to set the width of this document's lines, as prose "
            "does.\n\nHarbour Support Foundation (Lowland)\nRed Puentes Network (Upland)\n"
            "Terre des amis International Federation\nAsia Pacific Friends Network\n"
            "and four other organisations\n")
    assert [ln.text for ln in normalise(text).lines[1:]] == [
        "Harbour Support Foundation (Lowland)", "Red Puentes Network (Upland)",
        "Terre des amis International Federation", "Asia Pacific Friends Network", "and four other organisations"]


def test_lessons_after_a_dash_are_a_numbered_list_but_sessions_after_one_are_headings():
    text = ("Lesson 1 — Start before release. Engagement is built early.\n\nLesson 2 — People, not devices. None "
            "used monitoring.\n\nSession 1 – Regional mapping of shelters\n\nSession 2 – Case management\n")
    assert [(ln.kind, ln.number, ln.text[:20]) for ln in normalise(text).lines] == [
        ("number", 1, "Start before release"), ("number", 2, "People, not devices."),
        ("text", None, "Session 1 – Regional"), ("text", None, "Session 2 – Case man")]


def test_a_dash_bullet_under_a_heading_line_is_an_item_not_the_headings_continuation():
    text = "CHALLENGES\n- The shortfall puts the desk at risk.\n- Few interpreters are available.\n\nNext steps\n" \
           "- Open a second desk.\n- Train 60 more guardians.\n"
    assert [(ln.kind, ln.text[:14]) for ln in normalise(text).lines] == [
        ("text", "CHALLENGES"), ("bullet", "The shortfall "), ("bullet", "Few interprete"),
        ("text", "Next steps"), ("bullet", "Open a second "), ("bullet", "Train 60 more ")]


def test_a_line_opened_by_a_triangle_is_a_bullet():
    text = "WHAT'S ON\n\n▸ Saturday 14 March – Open house.\n▸ Tuesday 24 March – Information evening.\n"
    lines = normalise(text).lines
    assert [ln.kind for ln in lines] == ["text", "bullet", "bullet"]


def test_numbered_paragraphs_that_run_on_across_headings_are_paragraphs_and_a_footer_with_its_page_number_goes():
    # FICTIONAL report laid out as a PDF's text: paragraphs numbered on through lettered sections
    text = ("A.  THE VISIT\n\n1.   The delegation visited the centre on two days with five staff members.\n\n"
            "2.   The centre is run by the border guard under the ministry.\n\nB.  CAPACITY\n\n"
            "3.   The centre held 117 foreigners:\n\n     (a) 84 adult men;\n     (b) 19 adult women.\n\n"
            "Lowland Office  ·  Harbour                          1 (2)\n\f"
            "C.  HEALTH\n\n4.   One nurse is on duty during the day.\n\n"
            "Lowland Office  ·  Harbour                          2 (2)\n")
    norm = normalise(text)
    assert [(ln.kind, ln.number) for ln in norm.lines if ln.number is not None] == [
        ("text", 1), ("text", 2), ("text", 3), ("number", 1), ("number", 2), ("text", 4)]
    assert [t for _, t in norm.furniture] == ["Lowland Office  ·  Harbour                          1 (2)",
                                              "Lowland Office  ·  Harbour                          2 (2)"]


def test_a_trie_of_names_matches_what_their_alternation_longest_first_matches():
    import re as _re
    from pathlib import Path as _Path

    from atdkg.loaders.names import trie_alternation
    names = [row.split(",")[1] for row in (_Path(__file__).parents[1] / "data" / "gazetteer" / "state_names.csv")
             .read_text(encoding="utf-8").splitlines()[1:] if row.split(",")[1]]
    names = sorted({n for cell in names for n in cell.split(";") if n} | {"Niger", "Nigeria", "Guinea",
                                                                         "Guinea-Bissau", "Mali", "Malta"})
    plain = _re.compile(r"(?<![\w-])(?:" + "|".join(_re.escape(n) for n in sorted(names, key=len, reverse=True))
                        + r")(?![\w-])")
    trie = _re.compile(r"(?<![\w-])(?:" + trie_alternation(names) + r")(?![\w-])")
    text = " ".join(sorted(names)) + " Nigeria's Guinea-Bissau, Niger. Malta and Mali; Guinea"
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]
