"""The PDF extraction benchmark (benchmarks/pdf_fidelity.py) measures what it says: on a real PDF of a source,
the library atd-kg uses scores the same records, the plain mode it rejected does not, and a library that is not
installed is reported as such instead of failing the run."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from atdkg.benchmarks import pdf_fidelity as bench
from atdkg.layouts import find_font

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def one_pdf():
    font = find_font()
    if font is None:
        if os.environ.get("CI"):
            pytest.fail("no DejaVu Sans Mono font (fonts-dejavu-core) to set the PDF in")
        pytest.skip("no DejaVu Sans Mono font to set the PDF in")
    reader = bench.Reader(ROOT / "data")
    reader.manifest = [s for s in reader.manifest if s.id == "003"]  # the shortest source: one PDF of 5 pages
    return reader, bench.samples(reader, {"mono": font})


def _candidate(library: str, mode: str) -> bench.Candidate:
    return next(c for c in bench.CANDIDATES if (c.library, c.mode) == (library, mode))


def test_the_chosen_mode_gives_the_records_and_the_plain_mode_does_not(one_pdf):
    reader, pdfs = one_pdf
    chosen = bench.measure(_candidate("pypdf", "layout"), reader, pdfs, runs=1).row()
    assert (chosen["same_records"], chosen["pages_right"], chosen["pdfs"]) == (1, 1, 1)
    assert chosen["similarity_min"] > 0.99 and chosen["ms_per_page"] > 0
    plain = bench.measure(_candidate("pypdf", "plain"), reader, pdfs, runs=1).row()
    assert plain["same_records"] == 0 and plain["differing"] == ["003/mono"]
    assert plain["similarity_mean"] < chosen["similarity_mean"]


def test_a_library_that_is_not_installed_is_listed_not_fatal(one_pdf):
    reader, pdfs = one_pdf
    absent = bench.Candidate("no-such-pdf-library", "no_such_pdf_library", "plain", "-", lambda pdf: [])
    row = bench.measure(absent, reader, pdfs, runs=1).row()
    assert row["version"] is None
    assert "not installed" in bench.render_table([row], 1, 5)


def test_similarity_is_difflibs_ratio_page_by_page():
    assert bench.similarity("ab\fcd", "ab\fcd") == 1.0
    assert bench.similarity("abcd\fx", "abXd\fx") == pytest.approx(2 * 4 / 10)  # form feeds count for neither
    assert bench.similarity("ab\fcd", "abcd") == pytest.approx(2 * 4 / 9)  # pages disagree: the whole text
