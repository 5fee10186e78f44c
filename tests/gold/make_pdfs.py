"""Render the gold documents that documents.yaml gives a `pdf:` as real PDF files, from their text.

The text is already laid out as text extracted from a PDF (pages separated by form feeds, each with its
running header and page number, hard line breaks), so each page of the text becomes one PDF page and
each line one line of type, unchanged: what a PDF-to-text tool reads back is the .txt, and the quotes
of the gold stay exact. A monospaced Unicode font (DejaVu Sans Mono) keeps the en dashes, curly quotes
and "Türkiye" as they are; it is embedded as a subset, so the PDF stays small.

    python tests/gold/make_pdfs.py            # (re)write the PDFs
    python tests/gold/make_pdfs.py --check    # exit 1 if a PDF differs from what its text gives

Run with .venv/bin/python: needs atdkg and fpdf2 (the `test` extra), and the DejaVu fonts (Debian/Ubuntu:
apt-get install fonts-dejavu-core). The rendering itself is atdkg.layouts.render_pdf.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from atdkg.layouts import find_font as _find_font
from atdkg.layouts import font_candidates, render_pdf

HERE = Path(__file__).resolve().parent
FONT_CANDIDATES = font_candidates()
CREATOR = "tests/gold/make_pdfs.py (atd-kg)"


def find_font(explicit: str | None) -> Path:
    font = Path(explicit) if explicit else _find_font()
    if font is None or not font.is_file():
        raise SystemExit("error: no DejaVu Sans Mono font found (tried " + ", ".join(FONT_CANDIDATES) +
                         "); install fonts-dejavu-core or pass --font PATH")
    return font


def render(text: str, font: Path, title: str) -> bytes:
    """One PDF page per form-feed-separated page of the text, one line of type per line."""
    return render_pdf(text, font, title, CREATOR)


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
