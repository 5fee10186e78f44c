"""The genre registry (loaders/genres/registry.yaml): one table from which the `add` choices, the reader, the
SKOS concept and the SHACL checks follow; a genre that describes no exchange; a genre added as configuration.

Every text here is FICTIONAL, written for these tests."""
from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from atdkg.build import build_graph
from atdkg.cli import main
from atdkg.loaders.genres import REGISTRY, REGISTRY_FILE, GenreError, load_registry
from atdkg.terms import ATD, V

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
GOLD = ROOT / "tests" / "gold" / "docs"
DOC = "https://w3id.org/atd-kg/id/document/"

ARTICLE = """[Fictional text written for testing atd-kg.]

Harbour town opens a family support centre

The Ministry of Social Affairs of Portugal opened a family support centre in the port district in March, in
partnership with the Jesuit Refugee Service. Caseworkers met 45 families in the first month.

Next steps:
(a) extend the centre's hours to weekends;
(b) publish a first evaluation by the end of the year.
"""


def corpus(tmp_path: Path, rows: list[tuple[str, str, str, str, str]]) -> Path:
    """A data directory with the given documents: (file, text, genre, event, title)."""
    data = tmp_path / "data"
    for part in ("reference", "gazetteer"):
        shutil.copytree(DATA / part, data / part)
    (data / "sources").mkdir()
    lines = ["id,file,genre,event,date,title,publisher,language,sha256"]
    for n, (name, text, genre, event, title) in enumerate(rows):
        (data / "sources" / name).write_text(text, encoding="utf-8")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        lines.append(f"{n:03d},{name},{genre},{event},{event or '2024-05-02'},{title},Test,en,{digest}")
    (data / "sources" / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data


def test_every_genre_of_the_registry_is_a_choice_of_add_and_a_concept_of_the_graph(built):
    runner = CliRunner()
    help_text = runner.invoke(main, ["add", "--help"]).output
    union = built.dataset
    for key, genre in REGISTRY.genres.items():
        assert key in help_text
        concept = V[f"genre-{genre.concept}"]
        assert (concept, SKOS.inScheme, V["genres"]) in union
        assert (concept, ATD.genreDescribesExchange, Literal(REGISTRY[genre.concept].describes_event)) in union
    for kind in REGISTRY.list_kinds:
        assert (V[f"list-{kind}"], SKOS.inScheme, V["list-kinds"]) in union


def test_a_document_that_describes_no_exchange_needs_no_event_and_no_title(tmp_path):
    data = corpus(tmp_path, [("000_article.txt", ARTICLE, "document", "", "")])
    result = build_graph(data)
    assert result.conforms, result.report_text
    g = result.dataset
    doc = URIRef(DOC + "000")
    assert (doc, ATD.genre, V["genre-document"]) in g
    assert not list(g.objects(doc, ATD.describes))
    assert not list(g.subjects(RDF.type, ATD.PeerLearningExchange))  # no exchange is invented
    # what it says is still read: the State, the organisations, the number, the lettered list
    mentioned = {str(o) for o in g.objects(doc, URIRef("https://schema.org/mentions"))}
    assert "https://w3id.org/atd-kg/id/state/PRT" in mentioned
    items = sorted(str(t) for s in g.subjects(RDF.type, ATD.ListItem) for t in g.objects(s, ATD.text))
    assert items == ["extend the centre's hours to weekends", "publish a first evaluation by the end of the year."]


def test_a_report_whose_text_states_no_title_is_named_after_its_document_with_a_warning(tmp_path):
    text = "[Fictional.]\n\nThe meeting heard from the Ministry of Social Affairs of Portugal on case management.\n"
    data = corpus(tmp_path, [("000_r.txt", text, "report", "2024-03-05", "Notes from the spring exchange")])
    result = build_graph(data)
    assert result.conforms, result.report_text
    event = URIRef("https://w3id.org/atd-kg/id/event/2024-03-05")
    assert str(result.dataset.value(event, URIRef("https://schema.org/name"))) == "Notes from the spring exchange"
    assert any("2024-03-05: no document states its title" in w for w in result.warnings)


def test_shacl_refuses_a_document_of_an_exchange_genre_that_describes_none(built):
    from atdkg.loaders.validate import union_graph, validate
    g = union_graph(built.dataset)
    doc = URIRef(DOC + "002")
    g.remove((doc, ATD.describes, None))
    conforms, report, _ = validate(g)
    assert not conforms
    assert any("says which exchange" in str(m) for m in report.objects(None, URIRef("http://www.w3.org/ns/shacl#resultMessage")))


def test_the_pledge_statement_genre_is_configuration_only_and_reads_pledger_objectives_actions_status(tmp_path):
    # the genre lives in the registry and uses the generic reader: no module of its own
    assert REGISTRY["pledge-statement"].reader == "generic"
    assert not list((ROOT / "loaders").rglob("*pledge*.py"))
    text = (GOLD / "zambia-imrf-pledge.txt").read_text(encoding="utf-8")
    data = corpus(tmp_path, [("000_pledge.txt", text, "pledge-statement", "", "IMRF pledge of Zambia")])
    result = build_graph(data)
    assert result.conforms, result.report_text
    g = result.dataset
    lists = {str(g.value(lst, ATD.listKind)).rsplit("/", 1)[-1]: lst for lst in g.subjects(RDF.type, ATD.ItemList)}
    assert {"list-pledge", "list-pledge-action", "list-pledge-status"} <= set(lists)
    pledge = lists["list-pledge"]
    assert str(g.value(pledge, ATD.reportedBy)) == "https://w3id.org/atd-kg/id/state/ZMB"
    items = list(g.objects(pledge, ATD.hasItem))
    assert len(items) == 1
    assert {str(o).rsplit("-", 1)[-1] for o in g.objects(items[0], ATD.gcmObjective)} == {"7", "13", "23"}
    assert (items[0], RDF.type, ATD.Commitment) in g
    assert g.value(lists["list-pledge-action"], URIRef("https://schema.org/numberOfItems")).toPython() == 5
    assert g.value(lists["list-pledge-status"], URIRef("https://schema.org/numberOfItems")).toPython() == 5


def test_a_new_genre_is_an_entry_of_the_registry(tmp_path, monkeypatch):
    """A position paper, declared in a registry file and nowhere else, is read by the generic reader with its
    own list kind; the same text added as a plain document has no such list."""
    registry = tmp_path / "registry.yaml"
    raw = REGISTRY_FILE.read_text(encoding="utf-8").replace("\nlist_kinds:\n", """
  position-paper:
    label: position paper
    definition: A paper setting out an organisation's positions.
    reader: generic
    describes_event: false
    title_rank: 5
    lists:
      - {intro: 'next steps', kind: position-paper-list}

list_kinds:
  position-paper-list:
    label: positions
    definition: What a position paper asks for.
    item_class: Recommendation
""", 1)
    registry.write_text(raw, encoding="utf-8")
    extended = load_registry(registry)
    assert "position-paper" in extended
    monkeypatch.setitem(REGISTRY.genres, "position-paper", extended.genres["position-paper"])
    monkeypatch.setitem(REGISTRY.list_kinds, "position-paper-list", extended.list_kinds["position-paper-list"])
    data = corpus(tmp_path, [("000_a.txt", ARTICLE, "position-paper", "", "A position")])
    result = build_graph(data)
    assert result.conforms, result.report_text
    g = result.dataset
    assert (V["genre-position-paper"], SKOS.inScheme, V["genres"]) in g
    kinds = {g.value(lst, ATD.listKind) for lst in g.subjects(RDF.type, ATD.ItemList)}
    assert kinds == {V["list-position-paper-list"]}
    assert len(list(g.subjects(RDF.type, ATD.Recommendation))) == 2


@pytest.mark.parametrize(("change", "message"), [
    (("reader: generic", "reader: magic"), r"genres\.document: reader 'magic'; expected one of agenda, report"),
    (("kind: pledge-action}", "kind: nonsense}"), r"genres\.pledge-statement: list kind 'nonsense'"),
    (("describes_event: false", "describes_event: sometimes"), r"describes_event must be true or false"),
    (("item_class: Commitment", "item_class: Banana"), r"list_kinds\.pledge: item_class 'Banana'"),
    (("intro: '^(?:", "intro: '^(?:("), r"lists\[1\]\.intro: not a regular expression"),
])
def test_a_bad_registry_is_refused_naming_the_file_and_key(tmp_path, change, message):
    path = tmp_path / "registry.yaml"
    path.write_text(REGISTRY_FILE.read_text(encoding="utf-8").replace(*change, 1), encoding="utf-8")
    with pytest.raises(GenreError, match=re.escape(str(path)) + ".*" + message):
        load_registry(path)


def test_add_needs_an_event_only_for_a_genre_that_describes_one(tmp_path):
    data = corpus(tmp_path, [])
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(main, ["add", str(article), "--genre", "report", "--data-dir", str(data)])
    assert refused.exit_code == 2
    assert "missing event" in refused.output and "document" in refused.output
    added = runner.invoke(main, ["add", str(article), "--genre", "document", "--data-dir", str(data)])
    assert added.exit_code == 0, added.output
    manifest = (data / "sources" / "manifest.csv").read_text(encoding="utf-8").splitlines()
    row = manifest[-1].split(",")
    assert row[2:4] == ["document", ""]
    assert row[5] == "Harbour town opens a family support centre"  # the first heading, as no --title was given


def test_registry_file_is_what_the_package_loads():
    assert dataclasses.asdict(load_registry())["genres"].keys() == REGISTRY.genres.keys()


def test_a_document_is_dated_by_its_text_unless_told_and_a_wrong_date_is_refused(tmp_path):
    data = corpus(tmp_path, [])
    article = tmp_path / "article.txt"
    article.write_text("[Fictional.]\n\nHARBOURTOWN, 14 September 2023 — The Lowland Migrant Council opened a "
                       "family support centre.\n", encoding="utf-8")
    runner = CliRunner()
    wrong = runner.invoke(main, ["add", str(article), "--genre", "document", "--date", "2020-01-01",
                                 "--data-dir", str(data)])
    assert wrong.exit_code == 2 and "--date 2023-09-14" in wrong.output
    added = runner.invoke(main, ["add", str(article), "--genre", "document", "--data-dir", str(data)])
    assert added.exit_code == 0, added.output
    row = (data / "sources" / "manifest.csv").read_text(encoding="utf-8").splitlines()[-1].split(",")
    assert row[3:5] == ["", "2023-09-14"]  # no event; the date the text states


def test_any_text_can_be_added_as_a_document_whatever_it_looks_like(tmp_path):
    """A research brief with findings and recommendations headings looks like a report; as `document` (the genre
    any text may be added as) it is still taken — what its reader cannot place is coverage, not a refusal."""
    data = corpus(tmp_path, [])
    brief = tmp_path / "brief.txt"
    brief.write_text("[Fictional.]\n\nPOLICY BRIEF No. 2 | May 2024\n\nKEY FINDINGS\n\n"
                     "Finding 1: Compliance was high.\n\nKEY RECOMMENDATIONS\n\nR1. Fund case management.\n\n"
                     "SUMMARY OF CONCLUSIONS\n\nIt works.\n",
                     encoding="utf-8")
    runner = CliRunner()
    looks = runner.invoke(main, ["add", str(brief), "--genre", "pledge-statement", "--data-dir", str(data)])
    assert looks.exit_code == 2 and "does not look like a pledge-statement" in looks.output
    added = runner.invoke(main, ["add", str(brief), "--genre", "document", "--data-dir", str(data)])
    assert added.exit_code == 0, added.output


REPORT_WITH_PLEDGE_IDEAS = """[Fictional report written for testing atd-kg.]

Report of the Lowland peer-learning exchange

5 March 2024

{intro_section}

Participants suggested that States consider pledges to:

- end the detention of children by 2030;
- train 300 officers in case management.
"""


@pytest.mark.parametrize("section, objectives, kind", [
    # the section heading names the objective, in capitals
    ("7   IDEAS FOR PLEDGES AT THE FORUM (GCM OBJECTIVE 13)", {"13"}, "list-pledge-idea"),
    # no heading names it, but the document names one objective only
    ("The exchange served Objective 13 of the Global Compact.\n\nIdeas for pledges", {"13"}, "list-pledge-idea"),
    # the document names several: which one the pledges serve is unknown, so they are no pledge ideas
    ("The exchange served Objectives 9 and 13 of the Global Compact.\n\nIdeas for pledges", set(), "list-other"),
    # nothing names one
    ("Ideas for pledges", set(), "list-other"),
])
def test_pledge_ideas_serve_the_objective_their_section_or_document_names_and_none_is_made_up(
        tmp_path, section, objectives, kind):
    text = REPORT_WITH_PLEDGE_IDEAS.format(intro_section=section)
    data = corpus(tmp_path, [("000_report.txt", text, "report", "2024-03-05", "Lowland exchange")])
    result = build_graph(data)
    assert result.conforms, result.report_text  # the document is never refused for it
    g = result.dataset
    [lst] = [x for x in g.subjects(RDF.type, ATD.ItemList) if "pledges to" in str(g.value(x, RDFS.label))]
    assert str(g.value(lst, ATD.listKind)).rsplit("/", 1)[-1] == kind
    items = list(g.objects(lst, ATD.hasItem))
    assert len(items) == 2
    for item in items:
        assert {str(o).rsplit("-", 1)[-1] for o in g.objects(item, ATD.gcmObjective)} == objectives
    if kind == "list-other":  # what was not understood is said
        assert any("pledge ideas that name no GCM objective" in w for w in result.warnings)
