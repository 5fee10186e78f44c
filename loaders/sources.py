"""The corpus: data/sources/*.txt and the manifest that says what each document is.

Offsets everywhere count Unicode code points of the file decoded as UTF-8 with no newline
translation: ``read_text`` is the one way to read a source, for the loaders and the tests.
"""
from __future__ import annotations

import csv
import hashlib
import re
import shutil
from dataclasses import asdict, dataclass, fields
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

    max_bytes: int = 5 * 2**20  # the largest real source is 22 kB
    max_line: int = 20_000  # characters; the longest real line is 1,339 (a paragraph as one line)
    parse_seconds: float = 30.0  # per document; the real ones take 0.03 s


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


COLUMNS = [f.name for f in fields(Source)]


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


def _check_lines(path: Path, text: str, limits: Limits) -> None:
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
    return Source(**{c: (row.get(c) or "").strip() for c in COLUMNS})


def load_manifest(sources_dir: Path) -> list[Source]:
    path = Path(sources_dir) / MANIFEST
    if not path.exists():
        raise SourceError(f"{path}: no manifest; expected a CSV with columns {', '.join(COLUMNS)}")
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != COLUMNS:
            raise SourceError(f"{path}:1: columns are {reader.fieldnames}; expected {COLUMNS}")
        out, seen = [], set()
        for line, row in enumerate(reader, start=2):
            src = _check_row(row, f"{path}:{line}")
            if src.id in seen:
                raise SourceError(f"{path}:{line}: id {src.id!r} is used twice")
            seen.add(src.id)
            out.append(src)
    return out


def check_sources(sources_dir: Path, manifest: list[Source]) -> None:
    """Every file is in the manifest, every manifest row has its file, and checksums match."""
    sources_dir = Path(sources_dir)
    listed = {s.file for s in manifest}
    for path in sorted(sources_dir.iterdir()):
        if path.is_file() and path.name not in IGNORED and path.name not in listed and not path.name.startswith("."):
            raise SourceError(f"{path}: not in {sources_dir / MANIFEST}; add it with "
                              f"`atdkg add {path} --genre GENRE --event YYYY-MM-DD` or remove it")
    for s in manifest:
        path = sources_dir / s.file
        if not path.exists():
            raise SourceError(f"{sources_dir / MANIFEST}: {s.file} (id {s.id}) is listed but missing")
        actual = sha256_of(path)
        if actual != s.sha256:
            raise SourceError(f"{path}: sha256 is {actual}, the manifest says {s.sha256}; "
                              f"the file changed since it was added (sources are kept byte-for-byte)")


def add_source(sources_dir: Path, path: Path, genre: str, event: str, title: str = "",
               publisher: str = "", language: str = "en", date: str = "") -> Source:
    """Copy a new document in unchanged and record it; the caller rebuilds."""
    sources_dir = Path(sources_dir)
    path = Path(path)
    if not path.is_file():
        raise SourceError(f"{path}: no such file")
    read_text(path)  # refuse what we could not parse later
    manifest = load_manifest(sources_dir)
    digest = sha256_of(path)
    if any(s.sha256 == digest for s in manifest):
        raise SourceError(f"{path}: already in the corpus (same sha256)")
    next_id = f"{max((int(s.id) for s in manifest if s.id.isdigit()), default=-1) + 1:03d}"
    src = _check_row({"id": next_id, "file": f"{next_id}_{digest[:16]}.txt", "genre": genre, "event": event,
                      "date": date or event, "title": title or path.stem, "language": language,
                      "publisher": publisher, "sha256": digest}, f"atdkg add {path}")
    shutil.copyfile(path, sources_dir / src.file)
    with (sources_dir / MANIFEST).open("a", encoding="utf-8", newline="") as f:  # other rows stay byte-for-byte
        csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n").writerow(asdict(src))
    return src
