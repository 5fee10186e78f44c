"""Render the gold documents that documents.yaml gives a `pdf:` as real PDF files, from their text.

The text is already laid out as text extracted from a PDF (pages separated by form feeds, each with its
running header and page number, hard line breaks), so each page of the text becomes one PDF page and
each line one line of type, unchanged: what a PDF-to-text tool reads back is the .txt, and the quotes
of the gold stay exact. A monospaced Unicode font (DejaVu Sans Mono) keeps the en dashes, curly quotes
and "Türkiye" as they are; it is embedded as a subset, so the PDF stays small.

    python tests/gold/make_pdfs.py            # (re)write the PDFs
    python tests/gold/make_pdfs.py --check    # exit 1 if a PDF differs from what its text gives

Needs fpdf2 (the `test` extra) and the DejaVu fonts (Debian/Ubuntu: apt-get install fonts-dejavu-core).
"""
from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
FONT_CANDIDATES = ("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
                   "/usr/share/fonts/dejavu/DejaVuSansMono.ttf",
                   "/usr/local/share/fonts/DejaVuSansMono.ttf")
FONT_SIZE = 9.0      # points; 80 columns of DejaVu Sans Mono fit an A4 page with 20 mm margins
LINE_HEIGHT = 4.2    # mm
MARGIN = 20          # mm
FOOTER = re.compile(r"Page \d+ of \d+")
FIXED_DATE = datetime(2023, 5, 10, tzinfo=UTC)  # the same bytes on every run


def find_font(explicit: str | None) -> Path:
    for candidate in ([explicit] if explicit else FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise SystemExit("error: no DejaVu Sans Mono font found (tried " + ", ".join(FONT_CANDIDATES) +
                     "); install fonts-dejavu-core or pass --font PATH")


def render(text: str, font: Path, title: str) -> bytes:
    """One PDF page per form-feed-separated page of the text, one line of type per line."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(title)
    pdf.set_creator("tests/gold/make_pdfs.py (atd-kg)")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVuSansMono", fname=str(font))
    pdf.set_font("DejaVuSansMono", size=FONT_SIZE)
    for page in text.split("\f"):
        pdf.add_page()
        lines = page.rstrip("\n").split("\n")
        footer = lines.pop() if lines and FOOTER.fullmatch(lines[-1]) else None
        for line in lines:
            pdf.cell(0, LINE_HEIGHT, line, new_x="LMARGIN", new_y="NEXT")
        if footer:  # the page number at the foot of the page, as printed
            pdf.set_y(pdf.h - MARGIN)
            pdf.cell(0, LINE_HEIGHT, footer, align="C")
    return bytes(pdf.output())


def documents_with_pdf() -> list[dict]:
    data = yaml.safe_load((HERE / "documents.yaml").read_text(encoding="utf-8"))
    return [d for d in data["documents"] if d.get("pdf")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the PDFs in the repository")
    parser.add_argument("--font", help="path of DejaVuSansMono.ttf")
    args = parser.parse_args(argv)
    font = find_font(args.font)
    stale = []
    for doc in documents_with_pdf():
        text = (HERE / doc["file"]).read_text(encoding="utf-8")
        data = render(text, font, doc["title"])
        target = HERE / doc["pdf"]
        if args.check:
            if not target.exists() or target.read_bytes() != data:
                stale.append(doc["pdf"])
            continue
        target.write_bytes(data)
        print(f"wrote {target.relative_to(HERE)} ({len(data):,} bytes, {text.count(chr(12)) + 1} pages)")
    if stale:
        print("stale: " + ", ".join(stale) + "; run python tests/gold/make_pdfs.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
