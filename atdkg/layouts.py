"""Re-lay a web-converted source as text extracted from a PDF would look.

What pdftotext-style extraction does to a document, each as an option so tests can apply
one at a time or all together:
- hard line breaks inside paragraphs (wrap at ``width`` columns, also at existing hyphens),
- words hyphenated at line ends ("organi-" / "sations"),
- bullets as "•" with indented continuation lines,
- markdown residue gone (links are plain text, no italics),
- pages: a form feed, a running header (the document's first line) and a page number.

``clear_breaks`` (off by default, so the re-layout tests see what a PDF gives) keeps two kinds of
line break out that no reader can undo from the text alone, moving the word before the break
down a line instead: a wrapped line that starts like a list item or agenda time ("- on …",
"13. …", "14:30 …" inside a paragraph or bullet), and a break at the space after a hyphen
("Information-" / "Lebanese …" from "Information- Lebanese", which reads as "Information-Lebanese").
The benchmark corpus (``benchmarks.corpus``) uses it: renamed text moves line breaks to new places.

``render_pdf`` then sets such a text as a real PDF, one PDF page per form-feed page and one line of type per
line: the gold PDF (tests/gold/make_pdfs.py), the PDF tests and the extraction benchmark
(``benchmarks.pdf_fidelity``) all make their PDFs with it.
"""
from __future__ import annotations

import re
import textwrap
from datetime import UTC, datetime
from pathlib import Path

LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
MARKER = re.compile(r"^((?:- |• |\(\d+\) |\d{1,2}[.)] |\d{1,2}:\d{2} ))")
# what the normaliser reads as the start of an item at a line start (loaders/text.py: BULLET_RE, NUMBER_RE, TIME_RE)
ITEM_START = re.compile(r"^(?:(?:[-•·◦▪●*–]|o)\s+(?=\S)|\(\d{1,2}\)\s|\d{1,2}[.)]\s|\d{1,2}[:.]\d{2}\s)")


def plain(text: str) -> str:
    """Markdown residue out, as a PDF never had it."""
    text = LINK.sub(r"\1", text)
    text = ITALIC.sub(r"\1", text)
    return text.replace("\\(", "(").replace("\\)", ")")


def _hyphenate(lines: list[str], width: int) -> list[str]:
    """Move the first half of a long next-line word up, with a hyphen, where it fits."""
    out = list(lines)
    for k in range(len(out) - 1):
        nxt = out[k + 1]
        lead = len(nxt) - len(nxt.lstrip())
        m = re.match(r"([a-z]{10,})(?=[\s,.;:]|$)", nxt.lstrip())
        if not m or not out[k].strip() or out[k].endswith("-"):
            continue  # a line that ends at a word's own hyphen ("inter-") takes no second, split word
        word = m.group(1)
        cut = len(word) // 2
        if len(out[k]) + 1 + cut + 1 <= width + 6:
            out[k] = f"{out[k]} {word[:cut]}-"
            out[k + 1] = " " * lead + word[cut:] + nxt.lstrip()[len(word):]
    return out


def _wrap(line: str, width: int, bullets: bool, clear_breaks: bool = False) -> list[str]:
    m = MARKER.match(line)
    marker = m.group(1) if m else ""
    body = line[len(marker):]
    if bullets and marker == "- ":
        marker = "• "
    indent = " " * len(marker) if marker else ""
    out = textwrap.wrap(body, width=width, initial_indent=marker, subsequent_indent=indent,
                        break_long_words=False, break_on_hyphens=True) or [line]
    return _clear(out, body, marker, indent) if clear_breaks else out


def _clear(lines: list[str], body: str, marker: str, indent: str) -> list[str]:
    """Move a word down wherever a break would be misread (see ``clear_breaks``)."""
    out = list(lines)
    k = 1
    while k < len(out):
        prev, nxt = out[k - 1].rstrip(), out[k].lstrip()
        last = prev.rsplit(" ", 1)[-1]
        rest = prev[:len(prev) - len(last)].rstrip()
        spaced_hyphen = prev.endswith("-") and f"{last} {nxt.split(' ', 1)[0]}" in body
        keeps_a_word = len(rest.split()) >= (2 if k == 1 and marker else 1)
        if (ITEM_START.match(nxt) or spaced_hyphen) and keeps_a_word:
            out[k - 1] = rest
            out[k] = indent + last + " " + nxt
            k = max(1, k - 1)  # the shortened line may now need the same
            continue
        k += 1
    return out


def pdf_layout(text: str, width: int = 72, hyphenate: bool = True, bullets: bool = True,
               pages: int | None = 38, markdown: bool = False, clear_breaks: bool = False) -> str:
    """The document as a PDF extraction: wrapped, hyphenated, bulleted, paginated."""
    if not markdown:
        text = plain(text)
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(_wrap(line, width, bullets, clear_breaks) if line.strip() else [""])
    if hyphenate:
        out = _hyphenate(out, width)
    if not pages:
        return "\n".join(out) + "\n"
    header = next(line for line in out if line.strip()).strip()
    paged: list[str] = []
    for n, start in enumerate(range(0, len(out), pages), start=1):
        if n > 1:
            paged += ["", f"{n - 1}", "\f" + header, ""]
        paged += out[start:start + pages]
    paged += ["", f"{n}"]
    return "\n".join(paged) + "\n"


# -- the text as a real PDF --------------------------------------------------------------------------------
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts")
MONOSPACED = "DejaVuSansMono.ttf"  # the gold PDF's font: a laid-out line keeps its columns
PROPORTIONAL = "DejaVuSans.ttf"    # as most reports are set: an extractor must find word gaps by position
FONT_SIZE = 9.0      # points; 80 columns of DejaVu Sans Mono fit an A4 page with 20 mm margins
LINE_HEIGHT = 4.2    # mm
MARGIN = 20          # mm
FOOTER = re.compile(r"Page \d+ of \d+")
FIXED_DATE = datetime(2023, 5, 10, tzinfo=UTC)  # the same bytes on every run


def font_candidates(name: str = MONOSPACED) -> tuple[str, ...]:
    return tuple(f"{folder}/{name}" for folder in FONT_DIRS)


def find_font(name: str = MONOSPACED) -> Path | None:
    """A DejaVu font (Debian/Ubuntu: fonts-dejavu-core): Unicode, so en dashes, curly quotes and "Türkiye"
    are set as they are; None if it is not installed."""
    return next((Path(c) for c in font_candidates(name) if Path(c).is_file()), None)


def render_pdf(text: str, font: Path, title: str, creator: str = "atd-kg") -> bytes:
    """One PDF page per form-feed-separated page of the text, one line of type per line, unchanged, so what
    a PDF-to-text tool reads back is the text. A last line "Page N of M" (indented or not) is set at the foot of
    its page, centred, as printed. The font is embedded as a subset, so the PDF stays small. Needs fpdf2 (the test
    extra)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(title)
    pdf.set_creator(creator)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.add_font(font.stem, fname=str(font))
    pdf.set_font(font.stem, size=FONT_SIZE)
    for page in text.split("\f"):
        pdf.add_page()
        lines = page.rstrip("\n").split("\n")
        # as a layout-keeping extraction gives it back, the footer's line may be indented to the page's middle
        footer = lines.pop().strip() if lines and FOOTER.fullmatch(lines[-1].strip()) else None
        for line in lines:
            pdf.cell(0, LINE_HEIGHT, line, new_x="LMARGIN", new_y="NEXT")
        if footer:  # the page number at the foot of the page, as printed
            pdf.set_y(pdf.h - MARGIN)
            pdf.cell(0, LINE_HEIGHT, footer, align="C")
    return bytes(pdf.output())


# -- the text typeset, as a word processor or a designer sets a report ----------------------------------------
HEADING_MAX_WORDS = 12  # a short line that ends no sentence is set as a heading


def typeset_pdf(text: str, font: Path, title: str, columns: int = 1, creator: str = "atd-kg") -> bytes:
    """A web-converted text (one paragraph per line) set as a report is: a proportional font, justified
    paragraphs flowing in ``columns`` columns from page to page, short lines as bold headings, a running header
    with the title and "Page N" at the foot. Unlike ``render_pdf`` the lines of type are the typesetter's, so
    what an extractor reads back is the same words with other line breaks (and, in two columns, side by side on
    the page). ``font`` is a proportional font; its bold (same folder, "-Bold") is used when present."""
    from fpdf import FPDF
    from fpdf.enums import Align

    bold = font.with_name(font.stem + "-Bold" + font.suffix)

    class Report(FPDF):
        def header(self) -> None:
            if self.page_no() == 1:  # a different first page, as reports have: the title is on it
                self.ln(8)
                return
            self.set_font("body", size=7)
            self.cell(0, 5, title[:90], align="R", new_x="LMARGIN", new_y="NEXT")
            self.ln(3)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("body", size=7)
            self.cell(0, 5, f"Page {self.page_no()}", align="C")

    pdf = Report(format="A4", unit="mm")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(title)
    pdf.set_creator(creator)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.add_font("body", fname=str(font))
    pdf.add_font("body", style="B", fname=str(bold if bold.is_file() else font))
    pdf.add_page()
    with pdf.text_columns(ncols=columns, gutter=8, text_align="J", line_height=1.3) as body:
        for line in plain(text).split("\n"):
            line = line.strip()
            if not line:
                continue
            heading = len(line.split()) <= HEADING_MAX_WORDS and not line.endswith((".", ";", ":", ","))
            pdf.set_font("body", style="B" if heading else "", size=11 if heading else 9.5)
            with body.paragraph(text_align=Align.L if heading else Align.J, top_margin=2 if heading else 0,
                                bottom_margin=2.5) as paragraph:
                paragraph.write(line)
    return bytes(pdf.output())
