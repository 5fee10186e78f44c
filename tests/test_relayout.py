"""New reports will come as text extracted from PDF. Each source re-laid as such (hard line
breaks, hyphenation, bullets, page numbers and running headers, CRLF, a BOM) must give the
same records as the original."""
from __future__ import annotations

from pathlib import Path

import pytest

from atdkg.layouts import pdf_layout
from atdkg.loaders.gazetteer import Gazetteer
from atdkg.loaders.parse import parse_document
from atdkg.loaders.records import what_it_states
from atdkg.loaders.sources import Source, load_manifest, read_text
from atdkg.loaders.text import vocabulary
from atdkg.loaders.vocab import Vocabulary

DATA = Path(__file__).resolve().parents[1] / "data"

VARIANTS = {
    "wrapped": lambda t: pdf_layout(t, hyphenate=False, bullets=False, pages=None, markdown=True),
    "wrapped-hyphenated": lambda t: pdf_layout(t, bullets=False, pages=None, markdown=True),
    "plain-text-bullets": lambda t: pdf_layout(t, hyphenate=False, pages=None),
    "pdf-full": lambda t: pdf_layout(t),
    "pdf-narrow-pages": lambda t: pdf_layout(t, width=58, pages=25),
    "crlf-bom": lambda t: "\ufeff" + t.replace("\n", "\r\n"),
}
@pytest.fixture(scope="module")
def corpus():
    manifest = load_manifest(DATA / "sources")
    texts = {s.id: read_text(DATA / "sources" / s.file) for s in manifest}
    words = set().union(*(vocabulary(t) for t in texts.values()))
    return manifest, Gazetteer(DATA), Vocabulary(), {s.event for s in manifest}, words


def _parse(corpus, src: Source, directory):
    _, gz, vocab, events, words = corpus
    return parse_document(directory, src, gz, vocab, events, words)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("doc", ["000", "001", "002", "003"])
def test_relayout_gives_the_same_records(corpus, tmp_path, doc, variant):
    src = next(s for s in corpus[0] if s.id == doc)
    original = _parse(corpus, src, DATA / "sources")
    relaid = VARIANTS[variant](read_text(DATA / "sources" / src.file))
    (tmp_path / src.file).write_text(relaid, encoding="utf-8", newline="")
    again = _parse(corpus, src, tmp_path)
    assert what_it_states(again) == what_it_states(original)
    assert not again.skipped, again.skipped


def test_pdf_layout_is_not_a_no_op(corpus):
    text = read_text(DATA / "sources" / "002_f6734d40a9405fb9.txt")
    relaid = pdf_layout(text)
    assert "\f" in relaid and "•" in relaid and relaid.count("\n") > 2 * text.count("\n")
    assert any(line.endswith("-") and line[-2].isalpha() for line in relaid.splitlines())


def test_page_furniture_is_removed_and_listed(corpus, tmp_path):
    src = next(s for s in corpus[0] if s.id == "002")
    (tmp_path / src.file).write_text(pdf_layout(read_text(DATA / "sources" / src.file)), encoding="utf-8")
    pd = _parse(corpus, src, tmp_path)
    texts = [t for _, t in pd.furniture]
    assert "Report of Third Global Online Peer Learning Exchange" in texts and "1" in texts
