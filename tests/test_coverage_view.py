"""Finding the sentences build/coverage.json lists in the text they were read from (webapp/coverage.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from atdkg.layouts import pdf_layout
from atdkg.loaders.relations import sentences
from atdkg.loaders.sources import load_manifest, read_text
from atdkg.loaders.text import normalise, vocabulary
from atdkg.webapp.coverage import line_starts, locate

DATA = Path(__file__).resolve().parents[1] / "data"


# -- finding a sentence in its text --------------------------------------------------------------------
LAYOUTS = {
    "original": lambda t: t,
    "pdf-full": pdf_layout,
    "pdf-narrow-pages": lambda t: pdf_layout(t, width=58, pages=25),
    "wrapped-hyphenated-markdown": lambda t: pdf_layout(t, bullets=False, pages=None, markdown=True),
    "crlf-bom": lambda t: "\ufeff" + t.replace("\n", "\r\n"),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_locate_finds_every_sentence_where_the_loaders_read_it(layout):
    """coverage.json gives a sentence as its line and its collapsed text; ``locate`` must find the very
    offsets the normaliser read it from — through line breaks, hyphenation, page breaks with running
    headers, markdown links and emphasis, CRLF and a BOM."""
    manifest = load_manifest(DATA / "sources")
    texts = {s.id: LAYOUTS[layout](read_text(DATA / "sources" / s.file)) for s in manifest}
    words = set().union(*(vocabulary(t) for t in texts.values()))
    checked = 0
    for text in texts.values():
        starts = line_starts(text)
        after: dict[int, int] = {}
        for line in normalise(text, words).lines:
            for a, b in sentences(line.text):
                start, end = line.span(a, b)
                end = len(text[:end].rstrip())
                found = locate(text, " ".join(line.text[a:b].split()), after.get(line.lineno, starts[line.lineno - 1]))
                assert found == (start, end), (layout, line.lineno, line.text[a:b][:80])
                after[line.lineno] = end
                checked += 1
    assert checked > 300


def test_locate_gives_none_rather_than_a_wrong_place():
    text = "Line one.\nThe Riverside Council met.\n"
    assert locate(text, "The Riverside Council met.", 10) == (10, 36)
    assert locate(text, "The Riverside Council met.", 11) is None  # searched from after it
    assert locate(text, "A sentence that is not there.", 0) is None
    assert locate(text, "   ", 0) is None
