"""The corpus: data/sources/*.txt and the manifest that says what each document is.

Offsets everywhere count Unicode code points of the file decoded as UTF-8 with no newline
translation: ``read_text`` is the one way to read a source, for the loaders and the tests.
A document that came as a PDF is two files: the PDF, kept byte-for-byte, and the text extracted
from it (``loaders.pdf``), which the row's ``file`` names and every offset counts in.
"""
from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from .genres import REGISTRY

GENRES = {key: genre.label for key, genre in REGISTRY.genres.items()}  # loaders/genres/registry.yaml
MANIFEST = "manifest.csv"
IGNORED = {MANIFEST, "README.md"}


class SourceError(Exception):
    """Bad input: the message names the file (and line) and what was expected."""


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def calendar_date(value: str) -> str:
    """``value`` if it is a calendar date written YYYY-MM-DD, else ValueError. Python's fromisoformat
    alone also takes 20230615 and 2023-W24-4, which then minted a second IRI for the same day."""
    if not ISO_DATE.fullmatch(value):
        raise ValueError(f"{value!r} is not written YYYY-MM-DD")
    try:
        Date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is no day of the calendar") from None
    return value


@dataclass(frozen=True)
class Limits:
    """Bounds on one document, so a huge or pathological file is refused in seconds instead of
    parsing for minutes in gigabytes. Each is configurable (flag or environment, see atdkg.cli)."""

    max_bytes: int = 5 * 2**20  # the largest real source is 22 kB; for a PDF, the bytes of its extracted text
    max_line: int = 20_000  # characters; the longest real line is 1,339 (a paragraph as one line)
    parse_seconds: float = 30.0  # per document; the real ones take 0.03 s. Extracting a PDF's text gets as long
    # a PDF also carries fonts and pictures: a report with photographs runs to tens of MB for 50 kB of text
    max_pdf_bytes: int = 100 * 2**20


@dataclass
class Source:
    id: str
    file: str
    genre: str
    event: str
    date: str
    title: str
    publisher: str
    language: str
    sha256: str
    # A document that came as a PDF: the PDF's file name and checksum (``file`` is the text extracted from it).
    # Optional columns rather than a naming convention, so the PDF is checked by its full sha256 like every
    # file; a manifest without them (every corpus before PDF input) loads unchanged, and only the first PDF
    # added puts them in its header. Rows written before then stay byte-for-byte, shorter by two empty fields,
    # which CSV readers (csv.DictReader, pandas) fill in as empty.
    pdf: str = ""
    pdf_sha256: str = ""

    @property
    def files(self) -> tuple[str, ...]:
        """Every file of the document in sources/: its text, and its PDF if it came as one."""
        return (self.file, self.pdf) if self.pdf else (self.file,)


COLUMNS = ["id", "file", "genre", "event", "date", "title", "publisher", "language", "sha256"]  # every row
PDF_COLUMNS = ["pdf", "pdf_sha256"]  # after them, in a manifest that has a document from a PDF


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_text(path: Path, limits: Limits | None = None) -> str:
    """The document as text, or a SourceError naming the file, line and byte that is not UTF-8
    (or, given ``limits``, the file that is too large or the line that is too long)."""
    if limits is not None:
        _check_size(Path(path), limits)
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        if raw[:1024].find(b"%PDF-") >= 0:
            raise SourceError(f"{path}: a PDF, where a text file was expected; a PDF enters the corpus with "
                              f"`atdkg add`, which keeps it and the text extracted from it") from None
        line = raw[:e.start].count(b"\n") + 1
        column = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise SourceError(f"{path}:{line}:{column}: byte 0x{raw[e.start]:02x} is not valid UTF-8; expected UTF-8 "
                          f"text (convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8)") from None
    if limits is not None:
        _check_lines(Path(path), text, limits)
    return text


def _check_size(path: Path, limits: Limits) -> None:
    size = path.stat().st_size  # before reading: a 20 MB file is refused without being read
    if size > limits.max_bytes:
        raise SourceError(f"{path}: {size:,} bytes, more than the limit of {limits.max_bytes:,} bytes per document; "
                          f"split it, or raise the limit (--max-bytes, $ATDKG_MAX_BYTES)")


def check_extracted_text(where: str, text: str, limits: Limits) -> None:
    """The limits of a document's text, for text that is not (yet) a file: ``where`` names what it came from."""
    size = len(text.encode("utf-8"))
    if size > limits.max_bytes:
        raise SourceError(f"{where}: {size:,} bytes of text, more than the limit of {limits.max_bytes:,} bytes per "
                          f"document; split it, or raise the limit (--max-bytes, $ATDKG_MAX_BYTES)")
    _check_lines(where, text, limits)


def _check_lines(path: Path | str, text: str, limits: Limits) -> None:
    if len(text) <= limits.max_line:
        return
    for lineno, line in enumerate(text.split("\n"), start=1):
        if len(line) > limits.max_line:
            raise SourceError(f"{path}:{lineno}: a line of {len(line):,} characters, more than the limit of "
                              f"{limits.max_line:,}; break it into paragraphs, or raise the limit (--max-line, "
                              f"$ATDKG_MAX_LINE)")


def _check_row(row: dict, where: str) -> Source:
    optional = ("event", "date", "title", "publisher")  # event: checked below, by what the genre describes
    missing = [c for c in COLUMNS if not (row.get(c) or "").strip() and c not in optional]
    if missing:
        raise SourceError(f"{where}: missing {', '.join(missing)}; every row needs {', '.join(COLUMNS)}")
    if row["genre"] not in REGISTRY:  # the registry itself, not the GENRES snapshot: a test may extend it
        raise SourceError(f"{where}: unknown genre {row['genre']!r}; expected one of {', '.join(REGISTRY.genres)} "
                          f"(loaders/genres/registry.yaml)")
    if REGISTRY[row["genre"]].describes_event and not (row.get("event") or "").strip():
        raise SourceError(f"{where}: missing event; a {row['genre']} describes an exchange, so it needs the exchange's "
                          f"date YYYY-MM-DD (genres that describe none: {', '.join(REGISTRY.needing_no_event())})")
    for col in ("event", "date"):
        if row.get(col):
            try:
                calendar_date(row[col])
            except ValueError as e:
                raise SourceError(f"{where}: {col}: {e}; expected a calendar date YYYY-MM-DD") from None
    if not re.fullmatch(r"[0-9a-f]{64}", row["sha256"]):
        raise SourceError(f"{where}: sha256 {row['sha256']!r} is not 64 lowercase hex digits")
    pdf, pdf_sha256 = ((row.get(c) or "").strip() for c in PDF_COLUMNS)
    if bool(pdf) != bool(pdf_sha256):
        raise SourceError(f"{where}: pdf {pdf!r} and pdf_sha256 {pdf_sha256!r}; expected both (a document that came "
                          f"as a PDF) or neither")
    if pdf_sha256 and not re.fullmatch(r"[0-9a-f]{64}", pdf_sha256):
        raise SourceError(f"{where}: pdf_sha256 {pdf_sha256!r} is not 64 lowercase hex digits")
    return Source(**{c: (row.get(c) or "").strip() for c in COLUMNS + PDF_COLUMNS})


def load_manifest(sources_dir: Path) -> list[Source]:
    path = Path(sources_dir) / MANIFEST
    if not path.exists():
        raise SourceError(f"{path}: no manifest; expected a CSV with columns {', '.join(COLUMNS)}")
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames not in (COLUMNS, COLUMNS + PDF_COLUMNS):
            raise SourceError(f"{path}:1: columns are {reader.fieldnames}; expected {COLUMNS}, optionally followed "
                              f"by {PDF_COLUMNS}")
        out, seen = [], set()
        for line, row in enumerate(reader, start=2):
            src = _check_row(row, f"{path}:{line}")
            if src.id in seen:
                raise SourceError(f"{path}:{line}: id {src.id!r} is used twice")
            seen.add(src.id)
            out.append(src)
    return out


def check_sources(sources_dir: Path, manifest: list[Source]) -> None:
    """Every file is in the manifest, every manifest row has its files (text, and PDF if any), and checksums
    match."""
    sources_dir = Path(sources_dir)
    listed = {name for s in manifest for name in s.files}
    for path in sorted(sources_dir.iterdir()):
        if path.is_file() and path.name not in IGNORED and path.name not in listed and not path.name.startswith("."):
            raise SourceError(f"{path}: not in {sources_dir / MANIFEST}; add it with "
                              f"`atdkg add {path} --genre GENRE --event YYYY-MM-DD` or remove it")
    for s in manifest:
        for name, expected in ((s.file, s.sha256), (s.pdf, s.pdf_sha256)):
            if not name:
                continue
            path = sources_dir / name
            if not path.exists():
                raise SourceError(f"{sources_dir / MANIFEST}: {name} (id {s.id}) is listed but missing")
            actual = sha256_of(path)
            if actual != expected:
                raise SourceError(f"{path}: sha256 is {actual}, the manifest says {expected}; "
                                  f"the file changed since it was added (sources are kept byte-for-byte)")
