"""PDF in (issue 11, item 6): `atdkg add report.pdf` extracts the text itself (loaders/pdf.py), keeps the PDF and
the text, and every passage of such a document says which page it stands on.

Real parts throughout: PDFs set with fpdf2 from the sources laid out as a PDF would be (atdkg.layouts), read
back with the library atd-kg uses, the real command line on a copy of a corpus, the real build and shapes."""
from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from atdkg import evaluate as ev
from atdkg.build import build_graph
from atdkg.cli import main
from atdkg.layouts import PROPORTIONAL, find_font, pdf_layout, plain, render_pdf, typeset_pdf
from atdkg.loaders.emit import OA, SCHEMA
from atdkg.loaders.gazetteer import Gazetteer
from atdkg.loaders.parse import parse_document
from atdkg.loaders.pdf import extract_text, join_pages, unfold_columns
from atdkg.loaders.records import what_it_states
from atdkg.loaders.sources import COLUMNS, PDF_COLUMNS, Limits, SourceError, load_manifest, read_text
from atdkg.loaders.text import normalise, vocabulary
from atdkg.loaders.vocab import Vocabulary

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
GOLD = ROOT / "tests" / "gold"
FIXTURE = ROOT / "tests" / "fixtures" / "fourth-exchange-report.txt"  # fictional, 15 June 2023
DOCS = ["000", "001", "002", "003"]


def atdkg(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def flat(text: str) -> str:
    """Words in order, whitespace aside: a line break, an indent or a blank line is layout."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def font() -> Path:
    found = find_font()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("no DejaVu Sans Mono font (fonts-dejavu-core) to set the PDFs in")
        pytest.skip("no DejaVu Sans Mono font to set the PDFs in")
    pytest.importorskip("fpdf")
    return found


@pytest.fixture(scope="module")
def corpus():
    manifest = load_manifest(DATA / "sources")
    texts = {s.id: read_text(DATA / "sources" / s.file) for s in manifest}
    words = set().union(*(vocabulary(t) for t in texts.values()))
    return manifest, texts, Gazetteer(DATA), Vocabulary(), {s.event for s in manifest}, words


@pytest.fixture(scope="module")
def source_pdfs(corpus, font, tmp_path_factory) -> dict[str, tuple[str, Path, str]]:
    """Document id -> (its text laid out as a PDF would be, that text set as a PDF, the text read back)."""
    folder = tmp_path_factory.mktemp("pdfs")
    manifest, texts = corpus[0], corpus[1]
    out = {}
    for src in manifest:
        laid_out = pdf_layout(texts[src.id])
        pdf = folder / f"{src.id}.pdf"
        pdf.write_bytes(render_pdf(laid_out, font, src.title))
        out[src.id] = (laid_out, pdf, extract_text(pdf))
    return out


# -- extraction -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("doc", DOCS)
def test_the_text_read_back_is_the_text_the_pdf_was_set_from(source_pdfs, doc):
    laid_out, _, extracted = source_pdfs[doc]
    expected_pages, found_pages = laid_out.split("\f"), extracted.split("\f")
    assert len(found_pages) == len(expected_pages) > 1
    for n, (expected, found) in enumerate(zip(expected_pages, found_pages), start=1):
        # every line as set, indents included; only the blank lines between them may differ in number
        lines = [ln.rstrip() for ln in expected.split("\n") if ln.strip()]
        assert [ln for ln in found.split("\n") if ln.strip()] == lines, f"page {n}"
    assert extracted.endswith("\n") and "\n\n\n" not in extracted


def test_the_gold_pdf_reads_back_as_its_text_exactly():
    pdf = GOLD / "docs" / "euromed-exchange-report.pdf"
    assert extract_text(pdf) == read_text(GOLD / "docs" / "euromed-exchange-report.txt")


def test_pages_are_joined_by_form_feeds_and_gaps_become_one_blank_line():
    pages = ["\n\n  Title   \n\n\n\nFirst paragraph\nwraps.\n\n\n", "", "Next page\r\nline\fsplit  \n"]
    assert join_pages(pages) == "  Title\n\nFirst paragraph\nwraps.\n\f\n\fNext page\nline\nsplit\n"


# -- reports as typesetters set them: proportional type, justified, one or two columns ------------------------
LEFT = ["The exchange brought together 86", "participants from 24 States, with",
        "officials of ministries of the", "interior and civil society groups.", "",
        "One government described how case", "managers meet every family within", "48 hours of arrival."]
RIGHT = ["The Ministry of Interior of Ecuador", "presented its community reception",
         "programme, which was supported", "by the European Union.", "Participants recommended that",
         "States end the detention of", "children."]
HEADER = "                                   Running header of the report"


def test_two_columns_side_by_side_are_read_left_column_then_right():
    rows = [f"{a:<40}      {b}".rstrip() for a, b in zip(LEFT, [*RIGHT, ""])]
    page = "\n".join([HEADER, "", "2. Practices shared", "", *rows, "", "                      Page 2"])
    lines = unfold_columns(page).split("\n")
    assert lines[:4] == [HEADER, "", "2. Practices shared", ""]
    body = [ln for ln in lines[4:] if ln.strip()]
    assert body == [*LEFT[:4], *LEFT[5:], *RIGHT, "                      Page 2"]
    # the left column ends a sentence, so the right one opens a paragraph
    assert lines[lines.index(LEFT[-1]) + 1] == ""


def test_a_table_a_label_column_and_one_column_prose_are_left_as_they_are():
    table = "\n".join(["Indicator            Baseline    Target    Result",
                       "Children released         12        40        38",
                       "Families in case work      30        60        71",
                       "Staff trained               8        20        25",
                       "Hearings attended          15        30        29"])
    fields = [("Country:", "Ecuador"), ("Implementing actors:", "Ministry of the Interior"),
              ("Target group:", "Families with children"), ("Period:", "2021 to 2023"), ("Budget:", "USD 1.2 million")]
    labels = "\n".join(f"{k:<22}{v}" for k, v in fields)
    prose = "\n".join(LEFT)
    for page in (table, labels, prose):
        assert unfold_columns(page) == page


def test_a_blank_row_the_other_column_puts_in_a_sentence_is_not_a_paragraph_break():
    left = ["Participants from 24 States described", "their work with case managers and", "",
            "One government described how its", "officers meet each family within two",
            "days of arrival in the country."]
    right = ["The Ministry of Interior presented its", "community programme, supported by the", "",
             "European Union and carried out with", "two civil society partners in the",
             "capital and three provinces."]
    page = "\n".join(f"{a:<42}    {b}".rstrip() for a, b in zip(left, right))
    lines = unfold_columns(page).split("\n")
    # "…supported by the" fills its column and leaves its sentence open: the blank row after it is the other
    # column's gap between paragraphs, not one of its own
    assert lines[lines.index("community programme, supported by the") + 1] == "European Union and carried out with"


def test_typographic_characters_of_a_pdf_read_as_typed():
    text = ("The co\u2010led pro\u00adgramme was \ufb01nanced by a Fund.\n"
            "It was a long pro\u00ad\ngramme of re\ufb02ection.\n")
    lines = normalise(text).lines
    assert [ln.text for ln in lines] == [
        "The co-led programme was financed by a Fund. It was a long programme of reflection."]
    # a ligature's letters both point at the one glyph they came from: offsets stay exact
    k = lines[0].text.index("financed")
    assert text[slice(*lines[0].span(k, k + 2))] == "\ufb01"


@pytest.fixture(scope="module")
def typeset(corpus, tmp_path_factory) -> dict[tuple[str, int], str]:
    """Document id and number of columns -> the text read back from the source set as a typeset report."""
    proportional = find_font(PROPORTIONAL)
    if proportional is None:
        pytest.fail("no DejaVu Sans font (fonts-dejavu-core) to set the PDFs in")
    folder = tmp_path_factory.mktemp("typeset")
    manifest, texts = corpus[0], corpus[1]
    out = {}
    for src in manifest:
        for columns in (1, 2):
            pdf = folder / f"{src.id}-{columns}.pdf"
            pdf.write_bytes(typeset_pdf(texts[src.id], proportional, src.title, columns))
            out[src.id, columns] = extract_text(pdf)
    return out


def _unordered(records: dict) -> dict:
    """Records with each list as a multiset: two line layouts may find the same mentions in another order."""
    return {k: sorted(map(repr, v)) if isinstance(v, list) else v for k, v in records.items()}


@pytest.mark.parametrize("doc", DOCS)
def test_a_source_typeset_in_one_column_gives_the_records_of_its_text(corpus, typeset, doc):
    manifest, texts, gazetteer, vocab, events, words = corpus
    src = next(s for s in manifest if s.id == doc)
    original = what_it_states(parse_document(DATA / "sources", src, gazetteer, vocab, events, words, texts[doc]))
    from_pdf = what_it_states(parse_document(DATA / "sources", src, gazetteer, vocab, events, words,
                                             typeset[doc, 1]))
    if doc == "002":
        # its title, set large, wraps onto a second line, and the extraction puts a blank line between the two:
        # the title is read as its first line only. Everything else is the same.
        assert from_pdf["exchange"].pop("title") == "Highlighting alternatives to detention in the International"
        original["exchange"].pop("title")
        for records in (from_pdf, original):
            records.pop("coverage")
    assert _unordered(from_pdf) == _unordered(original)


@pytest.mark.parametrize("doc", DOCS)
def test_a_source_typeset_in_two_columns_reads_its_paragraphs_in_order(corpus, typeset, doc):
    texts = corpus[1]
    words = lambda t: sorted(re.findall(r"\w+", t))  # noqa: E731
    found = typeset[doc, 2]
    # (a web address is no word: a narrow column breaks it anywhere)
    assert set(words(re.sub(r"<?https?://\S+", "", plain(texts[doc])))) <= set(words(found)), "a word was lost"
    read = " \n ".join(ln.text for ln in normalise(found).lines)
    # each paragraph of prose (a line of 25 words or more, not a list item) comes back whole, in order
    prose = [ln.strip() for ln in plain(texts[doc]).split("\n")
             if len(ln.split()) >= 25 and not re.match(r"\s*(?:[-•]|\d{1,2}[.):])", ln)]
    assert prose
    whole = [p for p in prose if " ".join(p.split()) in read]
    # measured: 52 of 60 paragraphs whole over the four (without unfolding the columns: 2 of 60). What is lost
    # is where the extraction sets lines of both columns on one row at other places than their columns'
    # (the row is left as it is) — a paragraph is then cut, its words all there
    assert 3 * len(whole) >= 2 * len(prose), [p[:80] for p in prose if p not in whole]


# -- records: a PDF of each source says what its text says --------------------------------------------------
@pytest.mark.parametrize("doc", DOCS)
def test_a_pdf_of_each_source_gives_the_records_of_its_text(corpus, source_pdfs, doc):
    manifest, texts, gazetteer, vocab, events, words = corpus
    src = next(s for s in manifest if s.id == doc)
    original = parse_document(DATA / "sources", src, gazetteer, vocab, events, words, texts[doc])
    from_pdf = parse_document(DATA / "sources", src, gazetteer, vocab, events, words, source_pdfs[doc][2])
    assert what_it_states(from_pdf) == what_it_states(original)
    assert not from_pdf.skipped, from_pdf.skipped
    assert from_pdf.furniture, "the running headers and page numbers of the PDF were read as content"


# -- page numbers on evidence ----------------------------------------------------------------------------------
def _evidence(graph: Graph) -> list[dict]:
    rows = graph.query("""
        PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX schema: <https://schema.org/>
        PREFIX atd: <https://w3id.org/atd-kg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?ev ?doc ?start ?end ?exact ?first ?last WHERE {
            ?ev a atd:Evidence ; oa:hasSource ?d ; oa:hasSelector ?p, ?q .
            ?d dcterms:identifier ?doc . ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact .
            OPTIONAL { ?ev schema:pageStart ?first } OPTIONAL { ?ev schema:pageEnd ?last } }""")
    return [{"iri": r.ev, "doc": str(r.doc), "start": int(r.start), "end": int(r.end), "exact": str(r.exact),
             "first": r.first and r.first.toPython(), "last": r.last and r.last.toPython()} for r in rows]


@pytest.fixture(scope="module")
def pdf_corpus_build(source_pdfs, tmp_path_factory):
    """The four sources as they would be had each been added as a PDF: the PDF, its extracted text, a manifest
    with the PDF columns; built (in memory) by the real build."""
    data = tmp_path_factory.mktemp("pdf-corpus") / "data"
    for part in ("reference", "gazetteer"):
        shutil.copytree(DATA / part, data / part)
    (data / "sources").mkdir()
    with (data / "sources" / "manifest.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS + PDF_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for src in load_manifest(DATA / "sources"):
            _, pdf, text = source_pdfs[src.id]
            (data / "sources" / f"{src.id}.txt").write_text(text, encoding="utf-8", newline="")
            shutil.copyfile(pdf, data / "sources" / f"{src.id}.pdf")
            writer.writerow({**{c: getattr(src, c) for c in COLUMNS}, "file": f"{src.id}.txt",
                             "sha256": sha(data / "sources" / f"{src.id}.txt"), "pdf": f"{src.id}.pdf",
                             "pdf_sha256": sha(data / "sources" / f"{src.id}.pdf")})
    result = build_graph(data)
    assert result.conforms, result.report_text
    return result


def test_every_passage_of_a_pdf_names_the_pages_it_stands_on(pdf_corpus_build, source_pdfs):
    """Checked against the PDF itself: each page read on its own (pypdf's plain mode, not the layout mode the
    corpus's text comes from) holds the part of the passage that page number says it holds."""
    from pypdf import PdfReader
    pages = {doc: [flat(p.extract_text()) for p in PdfReader(pdf).pages] for doc, (_, pdf, _) in source_pdfs.items()}
    evidence = _evidence(pdf_corpus_build.dataset)
    assert len(evidence) > 500
    spanning = 0
    for e in evidence:
        assert e["first"] is not None and e["last"] is not None, e["iri"]
        parts = e["exact"].split("\f")  # a passage a page break cuts holds the form feed between its pages
        assert e["last"] - e["first"] == len(parts) - 1, e["iri"]
        spanning += len(parts) > 1
        assert flat(parts[0]) in pages[e["doc"]][e["first"] - 1], (e["iri"], e["first"], parts[0][:80])
        assert flat(parts[-1]) in pages[e["doc"]][e["last"] - 1], (e["iri"], e["last"], parts[-1][:80])
        # the offsets the pages were counted from are those of the text the quote was cut from
        text = pdf_corpus_build.texts[e["doc"]]
        assert text[e["start"]:e["end"]] == e["exact"]
    assert spanning, "no passage crosses a page break: the end page was never tested"
    assert {e["first"] for e in evidence} >= {1, 2, 3, 4, 5}


def test_a_text_without_pages_gets_no_page_numbers(built):
    """The web-converted sources have no form feed and came as no PDF: a page 1 would be invented."""
    assert not list(built.dataset.triples((None, SCHEMA.pageStart, None)))
    assert not list(built.dataset.triples((None, SCHEMA.pageEnd, None)))
    assert any(True for _ in built.dataset.triples((None, OA.start, None)))


def test_a_text_with_form_feeds_gets_page_numbers_without_a_pdf(one_document_corpus):
    text = pdf_layout(FIXTURE.read_text(encoding="utf-8"))
    assert text.count("\f") == 1
    result = build_graph(one_document_corpus(text))
    assert result.conforms, result.report_text
    evidence = _evidence(result.dataset)
    breaks = text.index("\f")
    assert evidence and all(e["first"] == (1 if e["start"] < breaks else 2) for e in evidence)
    assert {e["first"] for e in evidence} == {1, 2}


# -- the command line ---------------------------------------------------------------------------------------
def state(data: Path) -> dict:
    """What an edit may change: the manifest's bytes, every file of sources/ (staged copies too), the build."""
    sources = data / "sources"
    return {"manifest": (sources / "manifest.csv").read_bytes(),
            "sources": {str(p.relative_to(sources)): sha(p) for p in sorted(sources.rglob("*")) if p.is_file()},
            "build": os.readlink(data / "build")}


def _graph_of(data: Path, doc: str) -> Graph:
    from rdflib import Dataset
    ds = Dataset()
    ds.parse(data / "build" / "graph.nq", format="nquads")
    return ds.graph(URIRef(f"https://w3id.org/atd-kg/graph/doc/{doc}"))


def test_atdkg_add_pdf_keeps_the_pdf_and_its_text_and_builds(small, font, tmp_path):
    pdf = tmp_path / "fourth-report.pdf"
    pdf.write_bytes(render_pdf(pdf_layout(FIXTURE.read_text(encoding="utf-8")), font, "Fourth report"))
    manifest_before = (small / "sources" / "manifest.csv").read_text(encoding="utf-8")
    result = atdkg("add", pdf, "--genre", "report", "--event", "2023-06-15", "--data-dir", small)
    assert result.exit_code == 0, result.output
    assert "its text (2 pages)" in result.output
    with (small / "sources" / "manifest.csv").open(encoding="utf-8", newline="") as f:
        row = list(csv.DictReader(f))[-1]
    kept_pdf, kept_text = small / "sources" / row["pdf"], small / "sources" / row["file"]
    assert row["id"] == "004" and row["pdf"].endswith(".pdf") and row["file"].endswith(".txt")
    assert kept_pdf.read_bytes() == pdf.read_bytes() and row["pdf_sha256"] == sha(pdf)
    assert read_text(kept_text) == extract_text(pdf) and row["sha256"] == sha(kept_text)
    # the PDF columns joined the header; the row written before them is byte-for-byte as it was
    header, old_row = manifest_before.splitlines()
    lines = (small / "sources" / "manifest.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"{header},pdf,pdf_sha256" and lines[1] == old_row
    assert [s.id for s in load_manifest(small / "sources")] == ["003", "004"]
    # the build holds both files, and the new document's passages their pages
    assert (small / "build" / "sources" / row["pdf"]).read_bytes() == pdf.read_bytes()
    pages = {o.toPython() for o in _graph_of(small, "004").objects(None, SCHEMA.pageStart)}
    assert pages == {1, 2}
    assert not list(_graph_of(small, "003").objects(None, SCHEMA.pageStart))
    # the corpus with a PDF in it builds again: check_sources accepts the PDF, listed and checked
    assert atdkg("build", "--data-dir", small).exit_code == 0
    # a replacement by a text file takes the PDF out with the old text
    result = atdkg("replace", "004", FIXTURE, "--data-dir", small)
    assert result.exit_code == 0, result.output
    assert not kept_pdf.exists() and not kept_text.exists()
    assert not list(_graph_of(small, "004").objects(None, SCHEMA.pageStart))


def test_a_pdf_is_known_by_its_bytes_not_its_name(small, font, tmp_path):
    """A one-page PDF named .txt: added as a PDF (not refused as text that is not UTF-8); every passage of it
    is on page 1 although its text has no form feed."""
    pdf = tmp_path / "fourth-report.txt"
    pdf.write_bytes(render_pdf(pdf_layout(FIXTURE.read_text(encoding="utf-8"), pages=None), font, "Fourth"))
    result = atdkg("add", pdf, "--genre", "report", "--event", "2023-06-15", "--data-dir", small)
    assert result.exit_code == 0, result.output
    src = load_manifest(small / "sources")[-1]
    assert src.pdf and (small / "sources" / src.pdf).read_bytes() == pdf.read_bytes()
    assert "\f" not in read_text(small / "sources" / src.file)
    assert {o.toPython() for o in _graph_of(small, src.id).objects(None, SCHEMA.pageEnd)} == {1}


def test_a_pdf_changed_after_it_was_added_is_refused_by_the_build(small, font, tmp_path):
    pdf = tmp_path / "fourth-report.pdf"
    pdf.write_bytes(render_pdf(pdf_layout(FIXTURE.read_text(encoding="utf-8")), font, "Fourth report"))
    assert atdkg("add", pdf, "--genre", "report", "--event", "2023-06-15", "--data-dir", small).exit_code == 0
    kept = small / "sources" / load_manifest(small / "sources")[-1].pdf
    kept.write_bytes(kept.read_bytes() + b"\n%")
    result = atdkg("build", "--data-dir", small)
    assert result.exit_code == 2
    assert f"{kept}: sha256 is" in result.output and "byte-for-byte" in result.output


def _text_named_pdf(folder: Path, font: Path) -> Path:
    path = folder / "report.pdf"
    path.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def _encrypted(folder: Path, font: Path) -> Path:
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", fname=str(font))
    pdf.set_font("DejaVu", size=10)
    for line in FIXTURE.read_text(encoding="utf-8").splitlines()[:20]:
        pdf.cell(0, 5, line[:90], new_x="LMARGIN", new_y="NEXT")
    pdf.set_encryption(owner_password="owner", user_password="reader")  # RC4: needs no extra package
    path = folder / "locked.pdf"
    path.write_bytes(bytes(pdf.output()))
    return path


def _scanned(folder: Path, font: Path) -> Path:
    from fpdf import FPDF
    from PIL import Image
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(Image.new("L", (400, 560), 230), x=10, y=10, w=190)  # a grey page: pictures, no text layer
    path = folder / "scan.pdf"
    path.write_bytes(bytes(pdf.output()))
    return path


def _truncated(folder: Path, font: Path) -> Path:
    whole = render_pdf(pdf_layout(FIXTURE.read_text(encoding="utf-8")), font, "Fourth report")
    path = folder / "truncated.pdf"
    path.write_bytes(whole[:len(whole) // 3])  # a download cut short
    return path


@pytest.mark.parametrize(("make", "expected"), [
    (_text_named_pdf, r"not a PDF \(no %PDF- header in its first 1,024 bytes\); expected a PDF file"),
    (_encrypted, r"a PDF encrypted with a password; expected one that opens without a password"),
    (_scanned, r"a PDF without a text layer \(a scan or pictures of pages\?\); expected a PDF with text"),
    (_truncated, r"cannot be read as a PDF \(.+\); expected an intact PDF"),
], ids=["not-a-pdf", "encrypted", "image-only", "truncated"])
@pytest.mark.parametrize("command", ["add", "replace"])
def test_a_bad_pdf_is_refused_with_exit_2_and_changes_nothing(small, font, tmp_path, make, expected, command):
    path = make(tmp_path, font)
    before = state(small)
    args = (["add", path, "--genre", "report", "--event", "2023-06-15"] if command == "add"
            else ["replace", "003", path])
    result = atdkg(*args, "--data-dir", small)
    assert result.exit_code == 2, result.output
    assert re.search(re.escape(str(path)) + ": " + expected, result.output), result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert state(small) == before


def test_a_pdf_beyond_the_limits_is_refused_before_it_is_read(small, font, tmp_path):
    pdf = tmp_path / "fourth-report.pdf"
    pdf.write_bytes(render_pdf(pdf_layout(FIXTURE.read_text(encoding="utf-8")), font, "Fourth report"))
    before = state(small)
    result = atdkg("add", pdf, "--genre", "report", "--event", "2023-06-15", "--data-dir", small,
                   "--max-pdf-bytes", 1000)
    assert result.exit_code == 2 and f"{pdf}: a PDF of {pdf.stat().st_size:,} bytes" in result.output
    assert "--max-pdf-bytes" in result.output
    # its text is held to the limits of any document's text
    result = atdkg("add", pdf, "--genre", "report", "--event", "2023-06-15", "--data-dir", small, "--max-bytes", 500)
    assert result.exit_code == 2 and f"{pdf} (its extracted text): " in result.output and "--max-bytes" in result.output
    assert state(small) == before
    with pytest.raises(SourceError, match=r"\(its extracted text\):\d+: a line of"):
        extract_text(pdf, Limits(max_line=40))


def test_a_manifest_without_the_pdf_columns_loads_as_before(tmp_path):
    """Every corpus from before PDF input: nine columns, no PDF; and a row that lacks the two new fields."""
    (tmp_path / "manifest.csv").write_text(
        (DATA / "sources" / "manifest.csv").read_text(encoding="utf-8"), encoding="utf-8")
    assert load_manifest(tmp_path) == load_manifest(DATA / "sources")
    assert all(s.pdf == "" and s.files == (s.file,) for s in load_manifest(tmp_path))
    (tmp_path / "manifest.csv").write_text(
        ",".join(COLUMNS + PDF_COLUMNS) + "\n" + "000,a.txt,report,2024-03-05,,,,en," + "0" * 64 + ",a.pdf\n",
        encoding="utf-8")
    with pytest.raises(SourceError, match=r"manifest.csv:2: pdf 'a.pdf' and pdf_sha256 ''; expected both"):
        load_manifest(tmp_path)


# -- atdkg eval reads the gold PDF -------------------------------------------------------------------------------
def test_eval_reads_the_gold_pdf_and_scores_as_its_text(tmp_path):
    docs = {d.name: d for d in ev.load_documents(GOLD)}
    report = docs["euromed-exchange-report"]
    assert report.pdf is not None and report.text == extract_text(report.pdf)
    # the same gold without `pdf:` reads the .txt: the figures are the same
    shutil.copytree(GOLD, tmp_path / "gold")
    listing = tmp_path / "gold" / "documents.yaml"
    listing.write_text(re.sub(r"\n    pdf: .+", "", listing.read_text(encoding="utf-8")), encoding="utf-8")
    assert ev.load_documents(tmp_path / "gold")[0].pdf is None
    names = ["euromed-exchange-report"]
    from_pdf, from_text = ev.evaluate(GOLD, DATA, names), ev.evaluate(tmp_path / "gold", DATA, names)
    assert from_pdf["micro"] == from_text["micro"]
    assert from_pdf["micro"]["statistics"]["correct"] > 0


def test_a_pdf_listed_as_a_text_file_is_named_as_a_pdf(small, font):
    """A PDF copied into sources/ and listed by hand as the document's text: the build says what it is."""
    src = load_manifest(small / "sources")[0]
    pdf = small / "sources" / src.file
    pdf.write_bytes(render_pdf(pdf_layout(FIXTURE.read_text(encoding="utf-8")), font, "Fourth report"))
    manifest = small / "sources" / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(src.sha256, sha(pdf)), encoding="utf-8")
    result = atdkg("build", "--data-dir", small)
    assert result.exit_code == 2
    assert f"{pdf}: a PDF, where a text file was expected" in result.output and "atdkg add" in result.output
