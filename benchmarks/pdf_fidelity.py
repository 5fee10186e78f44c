"""Which PDF library reads back what a PDF says: text fidelity and records, on PDFs set from every source.

    python -m atdkg.benchmarks.pdf_fidelity [--data-dir DATA] [--runs 3] [--json]

Each document of DATA/sources is laid out as a PDF would be (``atdkg.layouts.pdf_layout``: wrapped,
hyphenated, bulleted, paginated with running headers and page numbers) and set as a real PDF
(``atdkg.layouts.render_pdf``: one PDF page per form-feed page), once in a monospaced font (the gold PDF's)
and once in a proportional one (as most reports are set). Each candidate reads every PDF back, page by
page; the pages are joined as ``loaders.pdf.join_pages`` does for the corpus, and compared with the
laid-out text the PDF was set from:

- similarity: difflib's ratio of the two texts, character by character (1 = identical), lowest and mean;
- pages: PDFs whose text has as many pages as the PDF;
- same records: PDFs whose text gives the records of the laid-out text (``loaders.records.what_it_states``:
  what the document states, not where), which is what matters to the graph;
- ms/page: extraction time per page (the fastest of --runs runs).

Candidates: pypdf, pdfplumber and PyMuPDF, each in its plain mode and in a mode that keeps the page's
layout; a library that is not installed is listed as such. Needs fpdf2 and the DejaVu fonts (the test extra;
Debian's fonts-dejavu-core). pdfplumber and PyMuPDF are not dependencies of atd-kg: install them to compare.
"""
from __future__ import annotations

import argparse
import difflib
import importlib.metadata
import importlib.util
import io
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from atdkg.layouts import MONOSPACED, PROPORTIONAL, find_font, pdf_layout, render_pdf
from atdkg.loaders.gazetteer import Gazetteer
from atdkg.loaders.parse import parse_document
from atdkg.loaders.pdf import join_pages
from atdkg.loaders.records import what_it_states
from atdkg.loaders.sources import Source, load_manifest, read_text
from atdkg.loaders.text import vocabulary
from atdkg.loaders.vocab import Vocabulary

ROOT = Path(__file__).resolve().parents[1]


def _pypdf(layout: bool) -> Callable[[bytes], list[str]]:
    def read(pdf: bytes) -> list[str]:
        from pypdf import PdfReader
        pages = PdfReader(io.BytesIO(pdf)).pages
        if layout:
            return [page.extract_text(extraction_mode="layout") for page in pages]
        return [page.extract_text(extraction_mode="plain") for page in pages]
    return read


def _pdfplumber(layout: bool) -> Callable[[bytes], list[str]]:
    def read(pdf: bytes) -> list[str]:
        import pdfplumber
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            return [page.extract_text(layout=layout) for page in doc.pages]
    return read


def _pymupdf(blocks: bool) -> Callable[[bytes], list[str]]:
    def read(pdf: bytes) -> list[str]:
        import pymupdf
        with pymupdf.open(stream=pdf, filetype="pdf") as doc:
            if not blocks:
                return [page.get_text() for page in doc]
            # blocks are the paragraphs PyMuPDF finds by position: a blank line between two, as a gap shows it
            return ["\n\n".join(b[4].rstrip("\n") for b in page.get_text("blocks")) for page in doc]
    return read


@dataclass
class Candidate:
    library: str  # the distribution's name
    module: str  # what to import
    mode: str
    licence: str  # as the project states it (the metadata field is often empty)
    read: Callable[[bytes], list[str]]


CANDIDATES = [
    Candidate("pypdf", "pypdf", "plain", "BSD-3-Clause", _pypdf(layout=False)),
    Candidate("pypdf", "pypdf", "layout", "BSD-3-Clause", _pypdf(layout=True)),
    Candidate("pdfplumber", "pdfplumber", "plain", "MIT", _pdfplumber(layout=False)),
    Candidate("pdfplumber", "pdfplumber", "layout", "MIT", _pdfplumber(layout=True)),
    Candidate("PyMuPDF", "pymupdf", "text", "AGPL-3.0 (or commercial)", _pymupdf(blocks=False)),
    Candidate("PyMuPDF", "pymupdf", "blocks", "AGPL-3.0 (or commercial)", _pymupdf(blocks=True)),
]


@dataclass
class Sample:
    """One source set as one PDF, and the records its laid-out text gives."""

    source: Source
    font: str
    laid_out: str
    pdf: bytes
    records: dict

    @property
    def pages(self) -> int:
        return self.laid_out.count("\f") + 1


@dataclass
class Figures:
    candidate: Candidate
    version: str | None = None  # None: not installed
    similarity: list[float] = field(default_factory=list)
    pages_right: int = 0
    same_records: int = 0
    seconds: float = 0.0
    pages: int = 0
    differing: list[str] = field(default_factory=list)  # the PDFs whose records differ

    def row(self) -> dict:
        c = self.candidate
        out: dict = {"library": c.library, "mode": c.mode, "licence": c.licence, "version": self.version}
        if self.version is None:
            return out
        n = len(self.similarity)
        return {**out, "pdfs": n, "similarity_min": round(min(self.similarity), 4),
                "similarity_mean": round(sum(self.similarity) / n, 4), "pages_right": self.pages_right,
                "same_records": self.same_records, "ms_per_page": round(1000 * self.seconds / self.pages, 2),
                "differing": self.differing}


class Reader:
    """Parses a text as a document of the corpus would be (its genre, the corpus's words and events)."""

    def __init__(self, data_dir: Path):
        self.manifest = load_manifest(data_dir / "sources")
        self.texts = {s.id: read_text(data_dir / "sources" / s.file) for s in self.manifest}
        self.words = set().union(*(vocabulary(t) for t in self.texts.values()))
        self.gazetteer, self.vocab = Gazetteer(data_dir), Vocabulary()
        self.events = {s.event for s in self.manifest}

    def records(self, src: Source, text: str) -> dict:
        pd = parse_document(Path(), src, self.gazetteer, self.vocab, self.events, self.words, text)
        return what_it_states(pd)


def samples(reader: Reader, fonts: dict[str, Path]) -> list[Sample]:
    out = []
    for src in reader.manifest:
        laid_out = pdf_layout(reader.texts[src.id])
        records = reader.records(src, laid_out)
        for name, font in fonts.items():
            out.append(Sample(src, name, laid_out, render_pdf(laid_out, font, src.title), records))
    return out


def similarity(expected: str, found: str) -> float:
    """difflib's ratio (2 × matching characters / all characters), over the pages one by one where both texts
    have as many (the same figure as over the whole text but for matches across pages, and minutes faster:
    difflib's time grows with the square of the length), else over the whole text."""
    pairs = list(zip(expected.split("\f"), found.split("\f")))
    if expected.count("\f") != found.count("\f"):
        pairs = [(expected, found)]
    matched = sum(sum(b.size for b in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
                  for a, b in pairs)
    total = sum(len(a) + len(b) for a, b in pairs)  # the form feeds between pages are neither matched nor counted
    return 2 * matched / total if total else 1.0


def measure(candidate: Candidate, reader: Reader, pdfs: list[Sample], runs: int) -> Figures:
    figures = Figures(candidate)
    if importlib.util.find_spec(candidate.module) is None:
        return figures
    figures.version = importlib.metadata.version(candidate.library)
    for sample in pdfs:
        best = float("inf")
        for _ in range(runs):
            t0 = time.perf_counter()
            pages = candidate.read(sample.pdf)
            best = min(best, time.perf_counter() - t0)
        figures.seconds += best
        figures.pages += sample.pages
        text = join_pages(pages)
        figures.similarity.append(similarity(sample.laid_out, text))
        figures.pages_right += len(pages) == sample.pages
        if reader.records(sample.source, text) == sample.records:
            figures.same_records += 1
        else:
            figures.differing.append(f"{sample.source.id}/{sample.font}")
    return figures


def render_table(rows: list[dict], n_pdfs: int, n_pages: int) -> str:
    lines = [f"PDF text extraction: {n_pdfs} PDFs ({n_pages} pages) set from the sources, read back and compared "
             f"with the text they were set from",
             f"{'library':<11} {'mode':<7} {'version':<9} {'licence':<25} {'similarity min/mean':<20} "
             f"{'pages':>6} {'same records':>13} {'ms/page':>8}"]
    for r in rows:
        head = f"{r['library']:<11} {r['mode']:<7} {r['version'] or '-':<9} {r['licence']:<25} "
        if r["version"] is None:
            lines.append(head + "not installed")
            continue
        lines.append(head + f"{r['similarity_min']:.4f} / {r['similarity_mean']:.4f}   "
                     f"{r['pages_right']:>3}/{r['pdfs']:<2} {r['same_records']:>9}/{r['pdfs']:<3} "
                     f"{r['ms_per_page']:>8.1f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=ROOT / "data", help="holds sources/, reference/, gazetteer/")
    ap.add_argument("--runs", type=int, default=3, help="time each extraction this many times, keep the fastest")
    ap.add_argument("--json", action="store_true", help="the figures as JSON")
    args = ap.parse_args(argv)
    fonts = {name: find_font(file) for name, file in (("mono", MONOSPACED), ("sans", PROPORTIONAL))}
    missing = [name for name, font in fonts.items() if font is None]
    if missing or importlib.util.find_spec("fpdf") is None:
        print("error: needs fpdf2 (pip install -e '.[test]') and the DejaVu fonts (apt-get install "
              "fonts-dejavu-core)", file=sys.stderr)
        return 2
    reader = Reader(args.data_dir)
    pdfs = samples(reader, {name: font for name, font in fonts.items() if font is not None})
    rows = [measure(c, reader, pdfs, args.runs).row() for c in CANDIDATES]
    if args.json:
        print(json.dumps({"pdfs": len(pdfs), "pages": sum(s.pages for s in pdfs), "candidates": rows}, indent=1))
    else:
        print(render_table(rows, len(pdfs), sum(s.pages for s in pdfs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
