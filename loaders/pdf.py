"""A PDF's text, page by page: what `atdkg add report.pdf` keeps beside the PDF, and what offsets count in.

The library is pypdf, in its layout mode. Measured on PDFs set from every source document against
pdfplumber and PyMuPDF (`python -m atdkg.benchmarks.pdf_fidelity`; the figures are in the README), it gave
the same records as the text the PDFs were set from, where the plain modes of all three did not: layout
mode keeps the vertical gap between two paragraphs as a blank line, and a blank line is how the
normaliser (loaders/text.py) tells paragraphs apart. It is pure Python under a BSD licence; PyMuPDF,
as fast and as faithful on these PDFs, is AGPL, which an MIT project cannot pass on.

Pages are separated by form feeds, as pdftotext writes them: the normaliser reads a form feed as a page
break (the running headers and page numbers beside it are page furniture), and the emitter counts form
feeds for the page each passage stands on. A page that cannot be read fails the document, naming the
page: a text with a page silently missing would give wrong page numbers to every later passage.
"""
from __future__ import annotations

import contextlib
import io
import logging
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from .sources import Limits, SourceError, check_extracted_text

PDF_MAGIC = b"%PDF-"
# PDF readers look for the header in the first kilobyte, not only at byte 0 (bytes before it are common)
MAGIC_WINDOW = 1024


def is_pdf(path: Path) -> bool:
    """Does the file start like a PDF? By its bytes, whatever its name."""
    with open(path, "rb") as f:
        return f.read(MAGIC_WINDOW).find(PDF_MAGIC) >= 0


# Two columns set side by side come out of a layout-keeping extraction on the same lines, the left column's
# line, a gutter of spaces, the right column's line. A gutter is a band of columns, blank on every line of a
# run of lines, in the middle of the page, with prose on both sides: lines of several words that fill most of
# their column (a table's cells are short and leave their columns mostly empty).
GUTTER_MIN = 2  # spaces
GUTTER_ZONE = (0.25, 0.75)  # where on the line a gutter can stand, as fractions of the page's width
COLUMN_MIN_ROWS = 4  # lines with text on both sides of the gutter
COLUMN_FILL = 0.45  # how much of its column a line of prose fills, on average (ragged agenda lines too)
COLUMN_MIN_WORDS = 3  # words in a column's line, on average
# a line that ends on one of these leaves its sentence open
OPEN_WORDS = frozenset(("a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
                        "to", "with"))
TERMINAL = tuple(".:;?!\"”’)")


def _blank_columns(line: str, lo: int, hi: int) -> set[int]:
    return {i for i in range(lo, hi) if i >= len(line) or line[i] == " "}


def _widest_band(columns: set[int]) -> tuple[int, int] | None:
    """The longest run of consecutive positions, [start, end), if it is a gutter's width."""
    best: tuple[int, int] | None = None
    for i in sorted(columns):
        if i - 1 in columns:
            continue
        j = i
        while j in columns:
            j += 1
        if j - i >= GUTTER_MIN and (best is None or j - i > best[1] - best[0]):
            best = (i, j)
    return best


def _is_two_columns(rows: list[str], band: tuple[int, int], width: int) -> bool:
    start, end = band
    both = [(r[:start].strip(), r[end:].strip()) for r in rows if r[:start].strip() and r[end:].strip()]
    if len(both) < COLUMN_MIN_ROWS or 2 * len(both) < sum(1 for r in rows if r.strip()):
        return False
    left_width, right_width = start, width - end
    return (sum(len(a) for a, _ in both) >= COLUMN_FILL * left_width * len(both)
            and sum(len(b) for _, b in both) >= COLUMN_FILL * right_width * len(both)
            and all(sum(len(side.split()) for side in sides) >= COLUMN_MIN_WORDS * len(both)
                    for sides in zip(*both)))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _column(lines: list[str]) -> list[str]:
    """One column's lines. The two columns' lines do not stand at the same heights, so the rows of the page
    put a blank line in one column where the other has a gap between paragraphs: a blank line after a line
    that fills its column and leaves its sentence open (no full stop; a comma, a small word, or a next line in
    lower case or opening on a dash) is such a row."""
    width = max((len(line) for line in lines), default=0)
    kept: list[str] = []
    for k, line in enumerate(lines):
        if not line.strip() and kept and k + 1 < len(lines):
            before, after = kept[-1].strip(), lines[k + 1].strip()
            if (len(kept[-1].rstrip()) >= 0.75 * width and not before.endswith(TERMINAL)
                    and (after[:1].islower() or after[:1] in "–—-(" or before.endswith(",")
                         or before.rsplit(None, 1)[-1].lower() in OPEN_WORDS)):
                continue
        kept.append(line)
    return kept


def unfold_columns(page: str) -> str:
    """A page set in two columns, as layout-keeping extraction gives it (the columns side by side), read the way
    a person reads it: the left column, then the right. Lines above and below the columns (a title across the
    page, a running header, a page number) stay where they are; a page in one column comes back unchanged."""
    rows = page.split("\n")
    width = max((len(r.rstrip()) for r in rows), default=0)
    lo, hi = int(width * GUTTER_ZONE[0]), int(width * GUTTER_ZONE[1])
    out: list[str] = []
    i = 0
    while i < len(rows):
        gap = _blank_columns(rows[i], lo, hi)
        j = i + 1
        while j < len(rows) and _widest_band(narrower := gap & _blank_columns(rows[j], lo, hi)):
            gap, j = narrower, j + 1
        band = _widest_band(gap)
        if band and j - i >= COLUMN_MIN_ROWS and _is_two_columns(rows[i:j], band, width):
            start, end = band
            # the columns run from their first line with text on both sides (what stands above, a running
            # header, a title, stays above) to their last, and on over lines that continue one column alone
            both = [k for k in range(i, j) if rows[k][:start].strip() and rows[k][end:].strip()]
            first, last = both[0], both[-1] + 1
            margins = (min(_indent(rows[k]) for k in both), min(_indent(rows[k][end:]) for k in both) + end)
            while last < j and (not rows[last].strip() or _indent(rows[last]) in margins):
                last += 1
            while not rows[last - 1].strip():
                last -= 1
            out += rows[i:first]
            right = [r[end:] for r in rows[first:last]]
            indent = min((_indent(r) for r in right if r.strip()), default=0)
            left = _column([r[:start].rstrip() for r in rows[first:last]])
            out += left
            if left and left[-1].rstrip().endswith(TERMINAL):
                out.append("")  # the left column ends a sentence: the right one starts a paragraph
            out += _column([r[indent:].rstrip() for r in right])
            i = last
        else:
            out.append(rows[i])
            i += 1
    return "\n".join(out)


def join_pages(pages: Iterable[str]) -> str:
    """The text of a PDF's pages as one document: form feeds between pages, each line without trailing
    spaces (layout mode pads lines to the page's width), a run of blank lines as one (the size of a gap says
    nothing to the normaliser, its presence does: a paragraph ends), no blank lines at a page's top or foot.
    Indents stay, as the page sets them (a centred page number far in): a line is the page's line."""
    out = []
    for page in pages:
        # a form feed inside a page would add a page; a lone surrogate (an unmapped glyph) cannot be written
        page = page.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
        page = unfold_columns(page.encode("utf-8", "replace").decode("utf-8"))
        kept: list[str] = []
        for line in (ln.rstrip() for ln in page.split("\n")):
            if line or (kept and kept[-1]):
                kept.append(line)
        while kept and not kept[-1]:
            kept.pop()
        out.append("\n".join(kept))
    return "\n\f".join(out) + "\n"


@contextlib.contextmanager
def _pypdf_quiet() -> Iterator[None]:
    """pypdf logs what it repairs ("EOF marker not found") on stderr; what matters reaches the user as a
    SourceError, and a repaired PDF needs no word."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def extract_text(path: Path, limits: Limits | None = None) -> str:
    """The text of the PDF at ``path``, pages separated by form feeds; a SourceError naming the file and what
    was expected for a file that is no PDF, is encrypted with a password, has no text layer (a scan), is
    damaged, or is beyond ``limits`` (the PDF's bytes, its text's bytes and lines, the time to extract it)."""
    path, limits = Path(path), limits or Limits()
    size = path.stat().st_size  # before reading, as for a text
    if size > limits.max_pdf_bytes:
        raise SourceError(f"{path}: a PDF of {size:,} bytes, more than the limit of {limits.max_pdf_bytes:,}; "
                          f"split it, or raise the limit (--max-pdf-bytes, $ATDKG_MAX_PDF_BYTES)")
    data = path.read_bytes()
    if data[:MAGIC_WINDOW].find(PDF_MAGIC) < 0:
        raise SourceError(f"{path}: not a PDF (no %PDF- header in its first {MAGIC_WINDOW:,} bytes); expected a PDF "
                          f"file, or a UTF-8 text file not named .pdf")
    text = join_pages(_pages(path, data, limits.parse_seconds))
    if not text.strip():
        raise SourceError(f"{path}: a PDF without a text layer (a scan or pictures of pages?); expected a PDF with "
                          f"text: run OCR on it first (e.g. ocrmypdf), or add a text file")
    check_extracted_text(f"{path} (its extracted text)", text, limits)
    return text


def _pages(path: Path, data: bytes, seconds: float) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    deadline = time.monotonic() + seconds
    pages: list[str] = []
    with _pypdf_quiet():
        try:
            reader = PdfReader(io.BytesIO(data))
            # encrypted with an empty user password (only printing or copying restricted): a viewer opens it
            # without asking, and so do we
            if reader.is_encrypted and not reader.decrypt(""):
                raise SourceError(f"{path}: a PDF encrypted with a password; expected one that opens without a "
                                  f"password (decrypt it first, e.g. qpdf --decrypt --password=… in.pdf out.pdf)")
            total = len(reader.pages)
        except DependencyError as e:
            raise _cannot_decrypt(path, e) from None
        except SourceError:
            raise
        except Exception as e:  # noqa: BLE001 (pypdf raises many kinds of error on a damaged file; each is one)
            raise SourceError(f"{path}: cannot be read as a PDF ({type(e).__name__}: {e}); expected an intact PDF "
                              f"(is the file truncated or damaged?)") from None
        for number, page in enumerate(reader.pages, start=1):
            try:
                pages.append(page.extract_text(extraction_mode="layout"))
            except DependencyError as e:  # pypdf decrypts a page's streams when it reads them
                raise _cannot_decrypt(path, e) from None
            except Exception as e:  # noqa: BLE001 (as above, for one page)
                raise SourceError(f"{path}: page {number} of {total} cannot be read ({type(e).__name__}: {e}); "
                                  f"expected an intact PDF, or extract its text yourself (pdftotext -layout) "
                                  f"and add the text file") from None
            # checked between pages: pypdf cannot be interrupted inside one, and --max-pdf-bytes bounds a page
            if time.monotonic() > deadline:
                raise SourceError(f"{path}: extracting its text took longer than {seconds:g} s (page {number} of "
                                  f"{total}), the limit per document; raise the limit (--parse-timeout, "
                                  f"$ATDKG_PARSE_SECONDS)")
    return pages


def _cannot_decrypt(path: Path, e: Exception) -> SourceError:
    """An AES-encrypted PDF (even with no password to open it) needs the cryptography package, which atd-kg
    does not install for the rare PDF that needs it."""
    return SourceError(f"{path}: an encrypted PDF that cannot be decrypted here ({e}); expected an unencrypted PDF "
                       f"(decrypt it first, e.g. qpdf --decrypt in.pdf out.pdf, or pip install cryptography)")
