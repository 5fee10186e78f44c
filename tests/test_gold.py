"""The gold set (tests/gold) and `atdkg eval`: the annotations are well formed and exact, and the
measurement behaves — a perfect extraction scores 1.0, a missing or an extra item moves recall or
precision the way it should. No test asserts high scores: the extraction is being rebuilt."""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from atdkg import evaluate as ev
from atdkg.cli import main
from atdkg.queries.stores import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
DATA = ROOT / "data"
QUOTED = ("statistics", "practices", "partnerships", "list_items", "unnamed_actors", "chatham_house")


@pytest.fixture(scope="module")
def documents() -> list[ev.GoldDocument]:
    return ev.load_documents(GOLD)  # validates every file against the documented format


# -- the gold set itself --------------------------------------------------------------------------
def test_six_fictional_documents_in_other_styles(documents):
    assert len(documents) >= 6
    genres = {d.genre for d in documents}
    assert {"report", "news-article", "annual-report", "practice-entry", "pledge", "meeting-summary"} <= genres
    for d in documents:
        head = d.text[:300]
        assert "Fictional document written for testing atd-kg" in head or "FICTIONAL" in head, d.name
        assert 300 <= len(d.text.split()) <= 1200, (d.name, len(d.text.split()))


def test_every_quote_is_an_exact_substring_and_occurs_once(documents):
    problems = []
    for d in documents:
        for section in QUOTED:
            for i, item in enumerate(d.gold[section]):
                n = d.text.count(item["quote"])
                if n != 1:
                    problems.append(f"{d.gold_file.name}: {section}[{i}].quote occurs {n} times: "
                                    f"{item['quote'][:60]!r}")
    assert problems == []


def _flat(text: str) -> set[str]:
    """The text with line breaks undone, both ways a hyphen at a line end can be read."""
    return {" ".join(text.replace("-\n", joint).split()) for joint in ("", "-")}


def test_every_name_is_written_in_its_document(documents):
    missing = []
    for d in documents:
        flats = _flat(d.text)
        for section in ("organisations", "people"):
            for item in d.gold[section]:
                for name in [item["name"], item.get("acronym"), *item.get("also", [])]:
                    if name and not any(name in flat for flat in flats):
                        missing.append(f"{d.gold_file.name}: {section}: {name}")
    assert missing == []


def test_states_are_iso_codes_and_every_state_a_passage_forbids_is_in_the_list(documents):
    with (DATA / "reference" / "m49_countries.csv").open(encoding="utf-8") as f:
        codes = {row["ISO-alpha3 Code"] for row in csv.DictReader(f)}
    for d in documents:
        assert set(d.gold["states"]) <= codes, d.name
        for item in d.gold["chatham_house"]:
            forbidden = {x for x in item["must_not_link"] if re.fullmatch(r"[A-Z]{3}", x)}
            assert forbidden <= set(d.gold["states"]), d.name


def test_the_report_is_laid_out_as_pdf_text_and_the_pdf_matches_it(documents):
    report = next(d for d in documents if d.name == "euromed-exchange-report")
    pages = report.text.split("\f")
    assert len(pages) >= 3
    assert all(re.search(r"Page \d+ of \d+\s*$", p) for p in pages)
    assert all("Euro-Mediterranean Peer Learning Exchange on ATD – Report of the meeting" in p for p in pages)
    assert re.search(r"[a-z]-\n[a-z]", report.text)  # hyphenated line breaks
    pdf = (GOLD / "docs" / "euromed-exchange-report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) < 100_000
    assert len(re.findall(rb"/Type /Page\b", pdf)) == len(pages)
    pytest.importorskip("fpdf")
    import importlib.util
    spec = importlib.util.spec_from_file_location("make_pdfs", GOLD / "make_pdfs.py")
    make_pdfs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_pdfs)
    if not any(Path(p).is_file() for p in make_pdfs.FONT_CANDIDATES) and not os.environ.get("CI"):
        pytest.skip("no DejaVu Sans Mono font to re-render the PDF with")  # under CI a missing font fails
    assert make_pdfs.main(["--check"]) == 0  # the committed PDF is what its text gives


# -- the format is enforced, with the file, line and key -------------------------------------------
def _gold_dir(tmp_path: Path, gold_yaml: str, text: str = "One State said 3 things.\n") -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "documents.yaml").write_text(textwrap.dedent("""\
        documents:
          - name: a
            file: docs/a.txt
            genre: news-article
            loader_genre: report
            date: 2023-01-01
            title: A
            publisher: B
        """), encoding="utf-8")
    (tmp_path / "a.yaml").write_text(textwrap.dedent(gold_yaml), encoding="utf-8")
    return tmp_path


EMPTY = """\
    states: []
    organisations: []
    people: []
    statistics: []
    practices: []
    partnerships: []
    list_items: []
    unnamed_actors: []
    chatham_house: []
    """


@pytest.mark.parametrize(("replace", "expected"), [
    (("statistics: []", "statistics:\n  - {value: 3, unit: count, counted: things, quote: 'four things'}"),
     r"a\.yaml:5: statistics\[0\]\.quote: expected an exact substring of the document"),
    (("states: []", "states: [Thailand]"), r"a\.yaml:1: states\[0\]: expected an ISO 3166-1 alpha-3 code"),
    (("people: []\n", ""), r"a\.yaml:1: people: expected a list"),
    (("practices: []", "practices:\n  - {quote: 'One State', colour: red}"),
     r"a\.yaml:6: practices\[0\]\.colour: expected only the fields"),
    (("unnamed_actors: []", "unnamed_actors:\n  - {quote: 'One State', kind: country}"),
     r"a\.yaml:9: unnamed_actors\[0\]\.kind: expected State, person or organisation"),
    (("statistics: []", "statistics:\n  - {value: three, unit: count, counted: x, quote: '3'}"),
     r"statistics\[0\]\.value: expected a number"),
])
def test_a_malformed_gold_file_is_refused_naming_file_line_and_key(tmp_path, replace, expected):
    gold = _gold_dir(tmp_path, textwrap.dedent(EMPTY).replace(*replace))
    with pytest.raises(ev.GoldError, match=expected):
        ev.load_documents(gold)


def test_the_command_says_what_is_wrong_and_exits_2(tmp_path):
    gold = _gold_dir(tmp_path, EMPTY.replace("states: []", "states: [XX]"))
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold), "--data-dir", str(DATA)])
    assert result.exit_code == 2
    assert "a.yaml:1: states[0]: expected an ISO 3166-1 alpha-3 code" in result.output


# -- matching: the pieces ----------------------------------------------------------------------------
def test_overlap_is_a_share_of_the_shorter_span():
    assert ev.overlap((0, 10), (5, 100)) == 0.5
    assert ev.overlap((10, 20), (0, 100)) == 1.0
    assert ev.overlap((0, 10), (10, 20)) == 0.0


def test_counted_phrases_match_on_half_their_tokens():
    assert ev.counted_matches("police officers trained", "officers")
    assert ev.counted_matches("children released", "children")
    assert not ev.counted_matches("children released", "police officers")
    assert not ev.counted_matches("participants", "")


def test_matching_is_one_to_one_and_maximal():
    # gold 0 fits found 0 and 1, gold 1 only found 0: both are matched (0-1, 1-0), not just 0-0
    pairs = ev.best_matching(2, 2, lambda i, j: (i, j) in {(0, 0), (0, 1), (1, 0)})
    assert pairs == [(0, 1), (1, 0)]
    assert ev.best_matching(3, 1, lambda i, j: True) == [(0, 0)]


def test_figures_when_something_is_empty():
    assert ev.Score(gold=4, found=0).figures()["f1"] == 0.0
    assert ev.Score(gold=0, found=2).figures()["f1"] == 0.0
    assert ev.Score(gold=0, found=0).figures() == {"gold": 0, "found": 0, "correct": 0, "precision": None,
                                                  "recall": None, "f1": None}
    assert ev.Score(gold=4, found=2, correct=2).figures() == {"gold": 4, "found": 2, "correct": 2,
                                                             "precision": 1.0, "recall": 0.5, "f1": 0.667}


# -- matching: a real source where the answer is known ----------------------------------------------
REPORT_ID = "002"  # the Third Exchange's report: co-hosted by the Permanent Missions of COL, NGA, PRT and THA


@pytest.fixture(scope="module")
def real_report(tmp_path_factory):
    """A gold set of one of our own sources, and what the loaders find in it."""
    gold_dir = tmp_path_factory.mktemp("gold")
    source = next((DATA / "sources").glob(f"{REPORT_ID}_*.txt"))
    (gold_dir / "docs").mkdir()
    shutil.copyfile(source, gold_dir / "docs" / "third-report.txt")
    (gold_dir / "documents.yaml").write_text(textwrap.dedent("""\
        documents:
          - name: third-report
            file: docs/third-report.txt
            genre: report
            event: 2022-01-27
            date: 2022-01-27
            title: Report of Third Global Online Peer Learning Exchange
            publisher: UN Network on Migration Working Group on Alternatives to Detention
        """), encoding="utf-8")
    (gold_dir / "third-report.yaml").write_text(textwrap.dedent(EMPTY).replace(
        "states: []", "states: [COL, NGA, THA]"), encoding="utf-8")
    docs = ev.load_documents(gold_dir)
    builds, errors = ev.build(docs, DATA)
    assert errors == {}
    result, ids = builds[0]
    reader = ev.GraphReader(EmbeddedStore.from_nquads(result.nquads))
    graph, doc_iri = reader.graphs()[ids["third-report"]]
    return gold_dir, docs[0], reader.read(graph, doc_iri, docs[0].text)


def test_three_states_it_certainly_names_are_found_and_a_fourth_is_spurious(real_report):
    gold_dir, _, found = real_report
    report = ev.evaluate(gold_dir, DATA)
    states = report["micro"]["states"]
    assert {"COL", "NGA", "PRT", "THA"} <= set(found.states)  # the four co-hosts
    assert states["gold"] == 3 and states["correct"] == 3 and states["recall"] == 1.0
    assert states["found"] == len(found.states) and states["precision"] == round(3 / len(found.states), 3)
    assert "PRT" in report["per_document"]["third-report"]["states"]["spurious"]


def _perfect_gold(doc: ev.GoldDocument, found: ev.Found) -> dict:
    """The gold a perfect annotator would write if the extraction were perfect: made from what was found."""
    def quote(r: ev.Record) -> str:
        return doc.text[r.spans[0][0]:r.spans[0][1]]

    def spec(iri: str) -> str:
        a = found.actors[iri]
        return "unnamed" if a.kind == "unnamed" else sorted(a.states)[0] if a.kind == "state" else sorted(a.names)[0]

    return {
        "states": list(found.states),
        "organisations": [{"name": sorted(a.names)[0]} for a in found.organisations],
        "people": [{"name": sorted(a.names)[0]} for a in found.people],
        "statistics": [{"value": r.value, "unit": "count", "counted": r.counted or "-", "quote": quote(r)}
                       for r in found.statistics],
        "practices": [{"quote": quote(r), **({"actor": [spec(a) for a in r.links]} if r.links else {})}
                      for r in found.practices],
        "partnerships": [{"quote": quote(r), "partners": [spec(a) for a in r.links]} for r in found.partnerships],
        "list_items": [{"kind": "item", "quote": quote(r)} for r in found.list_items],
        "unnamed_actors": [{"quote": quote(r), "kind": "State"} for r in found.unnamed_actors],
        "chatham_house": [],
    }


def test_a_perfect_extraction_scores_one_on_every_type(real_report):
    _, doc, found = real_report
    for records in (found.statistics, found.practices, found.partnerships, found.list_items, found.unnamed_actors):
        assert all(r.spans for r in records)  # every record of our own sources carries evidence
    scores = ev.score_document(_perfect_gold(doc, found), found, doc.text)
    for kind, score in scores.items():
        figures = score.figures()
        if figures["gold"]:
            assert (figures["precision"], figures["recall"]) == (1.0, 1.0), (kind, figures)
    assert scores["states"].gold and scores["statistics"].gold and scores["list_items"].gold


def test_a_missing_record_lowers_recall_a_spurious_one_precision(real_report):
    _, doc, found = real_report
    perfect = _perfect_gold(doc, found)
    n = len(perfect["list_items"])
    # an item the gold has but the extraction missed (here: a gold item no record's evidence overlaps)
    extra_statement = {"kind": "finding", "quote": doc.text.strip().splitlines()[0]}
    worse = {**perfect, "list_items": [*perfect["list_items"], extra_statement]}
    figures = ev.score_document(worse, found, doc.text)["list_items"].figures()
    assert figures["recall"] == round(n / (n + 1), 3) and figures["precision"] == 1.0
    # a record the extraction made that the gold does not have
    fewer = {**perfect, "list_items": perfect["list_items"][1:]}
    figures = ev.score_document(fewer, found, doc.text)["list_items"].figures()
    assert figures["precision"] == round((n - 1) / n, 3) and figures["recall"] == 1.0
    # a statistic with the right number but another counted thing: right value, wrong "counted"
    stats = [{**s, "counted": "zebras"} for s in perfect["statistics"]]
    scores = ev.score_document({**perfect, "statistics": stats}, found, doc.text)
    assert scores["statistics"].figures()["recall"] == 1.0
    assert scores["statistics+counted"].figures()["recall"] == 0.0


def test_chatham_house_counts_a_link_to_a_forbidden_state(real_report):
    _, doc, found = real_report
    # the passages of our own report whose records are attributed to an unnamed actor: allowed
    unnamed = [r for r in found.practices if r.links and found.actors[r.links[0]].kind == "unnamed"]
    assert unnamed
    passage = {"quote": doc.text[unnamed[0].spans[0][0]:unnamed[0].spans[0][1]], "must_not_link": ["THA", "COL"]}
    assert ev.chatham_violations({"chatham_house": [passage]}, found, doc.text) == []
    # the same passage, had the extraction attributed it to Thailand's Permanent Mission: one violation
    thailand = next(iri for iri, a in found.actors.items() if a.kind == "organisation" and "THA" in a.states)
    leaked = ev.Found(evidenced=[ev.Record("x", unnamed[0].spans, links=[thailand])], actors=found.actors)
    assert len(ev.chatham_violations({"chatham_house": [passage]}, leaked, doc.text)) == 1


# -- the command, end to end -------------------------------------------------------------------------
def test_atdkg_eval_prints_a_figure_for_every_type():
    result = CliRunner().invoke(main, ["eval", "--gold", str(GOLD), "--data-dir", str(DATA)])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split()[1:] for line in result.output.splitlines() if line.strip()}
    for kind in ev.TYPES:
        gold, found, correct, precision, recall, f1 = rows[kind]
        assert int(gold) > 0 and int(found) >= 0 and int(correct) <= min(int(gold), int(found))
        assert re.fullmatch(r"[01]\.\d{3}|–", precision)  # "–": nothing found, so no precision
        assert re.fullmatch(r"[01]\.\d{3}", recall) and re.fullmatch(r"[01]\.\d{3}", f1)
    assert re.search(r"chatham_house\s+\d+ passages checked, \d+ violations", result.output)
    assert "conforms=" in result.output
    for name in ("euromed-exchange-report", "zambia-imrf-pledge"):
        assert name in result.output


def test_atdkg_eval_json_for_one_document():
    result = CliRunner().invoke(main, ["eval", "--gold", str(GOLD), "--data-dir", str(DATA), "--doc",
                                       "americas-network-meeting-summary", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["documents"] == ["americas-network-meeting-summary"]
    assert set(report["micro"]) == set(ev.TYPES)
    assert report["micro"]["states"]["gold"] == 7
    assert set(report["per_document"]["americas-network-meeting-summary"]) == {*ev.TYPES, "chatham_house_violations"}


def test_an_unknown_document_name_is_refused():
    result = CliRunner().invoke(main, ["eval", "--gold", str(GOLD), "--data-dir", str(DATA), "--doc", "nope"])
    assert result.exit_code == 2 and "no document named nope" in result.output


def test_an_actor_given_by_one_spelling_of_a_gold_organisation_matches_its_other_spellings():
    from atdkg.evaluate import Actor, actor_matches
    found = Actor("https://w3id.org/atd-kg/id/org/x", "organisation", {"colectivo camino seguro"}, set(), set())
    orgs = [{"name": "Colectivo Camino Seguro", "acronym": "CCS"}]
    assert actor_matches("CCS", found, orgs)
    assert not actor_matches("CCS", found)  # without the gold's list, an acronym matches only itself
    assert not actor_matches("UNHCR", found, orgs)
