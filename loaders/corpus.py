"""Edits of the corpus (add, remove, replace) that happen whole or not at all, one at a time.

An edit is *planned* first: the new manifest exists only in memory and a new document only as a copy under
``sources/.staging/`` (a dot-directory builds ignore). The caller builds from the planned manifest; only a
build that conforms is committed, in steps that each are one atomic rename:

    written   the new build is complete in .builds/ (nothing visible has changed)
    journal   data/.edit-journal.json says what the edit changes and the new manifest waits as .manifest.csv.new
    moved     the new document's copy is renamed into sources/
    swapped   data/build points at the new build (the previous one is kept until the commit)
    committed sources/manifest.csv is replaced by the new one: the edit has happened
    then      removed documents' files, the journal and the previous build are deleted

A process killed anywhere leaves at most a journal; ``recover`` (run by every build or edit once it holds
the lock) finishes a committed edit and undoes any other, so the corpus and data/build are again exactly
as before the edit or exactly as after it. Before the journal step nothing outside .staging/ and .builds/
has changed at all.

``locked`` serialises builds and edits on one data directory (an exclusive flock on data/.lock), so two at
once wait for each other instead of swapping builds under each other.
"""
from __future__ import annotations

import contextlib
import csv
import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import signal
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .genres import REGISTRY
from .integrity import remove_unless_held
from .pdf import extract_text, is_pdf
from .sources import (
    COLUMNS,
    MANIFEST,
    PDF_COLUMNS,
    Limits,
    Source,
    SourceError,
    _check_row,
    check_sources,
    load_manifest,
    read_text,
)
from .text import first_heading
from .textcheck import check_text, document_date

LOCK = ".lock"  # in the data directory
JOURNAL = ".edit-journal.json"  # in the data directory
STAGING = ".staging"  # in sources/
MANIFEST_NEW = f".{MANIFEST}.new"  # in sources/
FAULT = "ATDKG_FAULT"  # tests: "STEP:SIGKILL", "STEP:SIGINT" or "STEP:raise" at a named step


DEFAULT_LIMITS = Limits()


class LockTimeout(Exception):
    """Another build or edit held the data directory for longer than we were to wait."""


class EditError(Exception):
    """The edit could not be staged or committed (a full disk, a permission); one line naming the path."""


def checkpoint(step: str) -> None:
    """Where a test can stop this process as a user or the system would (see ``FAULT``)."""
    spec = os.environ.get(FAULT, "")
    where, _, action = spec.partition(":")
    if where != step:
        return
    if action == "raise":
        raise RuntimeError(f"{FAULT}: a failure injected at step {step!r}")
    os.kill(os.getpid(), getattr(signal, action))


# -- the lock ------------------------------------------------------------------------------------------------
def _holder(fd: int) -> tuple[str, str]:
    """(pid, command) the holder wrote into the lock file; '?' while it has not yet."""
    try:
        words = os.pread(fd, 200, 0).decode("ascii", "replace").split()
    except OSError:
        words = []
    return (words[0] if words else "?"), (words[1] if len(words) > 1 else "build")


@contextlib.contextmanager
def locked(data_dir: Path, wait: float, command: str = "build") -> Iterator[list[str]]:
    """Hold data/.lock (exclusively) for a build or an edit, waiting up to ``wait`` seconds; then
    finish or undo whatever edit a killed process left (the list of what was done is yielded)."""
    data_dir = Path(data_dir)
    path = data_dir / LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise EditError(f"{path}: cannot be opened ({e.strerror})") from None
    try:
        _acquire(fd, data_dir, wait)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {command}\n".encode(), 0)  # for the message of whoever waits next
        yield recover(data_dir)
    finally:
        os.close(fd)  # closing releases the flock (also when the process dies)


def _acquire(fd: int, data_dir: Path, wait: float) -> None:
    t0 = time.monotonic()
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            waited = time.monotonic() - t0
            if waited >= wait:
                pid, command = _holder(fd)
                raise LockTimeout(f"another atdkg {command} is running on {data_dir} (pid {pid}); waited "
                                  f"{waited:.0f} s (--wait, $ATDKG_WAIT)") from None
            time.sleep(min(0.1, max(0.0, wait - waited)))


# -- planning ------------------------------------------------------------------------------------------------
@dataclass
class Edit:
    """A planned change of the corpus: the manifest as it will be, and the copies it needs."""

    data_dir: Path
    op: str  # add | remove | replace
    after: list[Source]  # the manifest's rows once committed
    manifest_after: bytes
    staged: dict[str, Path] = field(default_factory=dict)  # file name -> its copy under sources/.staging
    removed: list[str] = field(default_factory=list)  # files that leave the corpus with the commit
    source: Source | None = None  # the row added or replaced
    origins: dict[str, Path] = field(default_factory=dict)  # file name -> the file the user named

    def shown(self, src: Source) -> Path:
        """The path a message names for a document: the user's file, not its staged copy."""
        return self.origins.get(src.file, self.path(src))

    @property
    def sources_dir(self) -> Path:
        return self.data_dir / "sources"

    def path(self, src: Source) -> Path:
        """Where a document of the planned corpus is now (its staged copy until the commit)."""
        return self.staged.get(src.file, self.sources_dir / src.file)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _current(data_dir: Path) -> tuple[list[Source], bytes]:
    """The manifest as it is (checked, with every file present and unchanged) and its bytes."""
    sources_dir = Path(data_dir) / "sources"
    manifest = load_manifest(sources_dir)
    check_sources(sources_dir, manifest)  # an edit starts from a sound corpus, or says what is wrong with it
    return manifest, (sources_dir / MANIFEST).read_bytes()


def _render(src: Source, columns: list[str]) -> str:
    out = io.StringIO()
    csv.DictWriter(out, fieldnames=columns, lineterminator="\n").writerow({c: asdict(src)[c] for c in columns})
    return out.getvalue()


def _manifest_text(raw: bytes, src: Source) -> tuple[str, list[str]]:
    """The manifest's text and columns as the edit will write them: the PDF columns join its header when the
    first document from a PDF comes in (every other row stays byte-for-byte; see ``sources.Source``)."""
    text = raw.decode("utf-8")
    header, newline, rest = text.partition("\n")
    columns = next(csv.reader([header]))
    if src.pdf and columns == COLUMNS:
        columns = COLUMNS + PDF_COLUMNS
        text = ",".join(columns) + ("\r" if header.endswith("\r") else "") + newline + rest
    return text, columns


def _row_spans(raw: bytes) -> dict[str, tuple[int, int]]:
    """id -> [start, end) character offsets of its row in the manifest's text, so an edit rewrites only
    that row and every other stays byte-for-byte (quoting included)."""
    text = raw.decode("utf-8")
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    reader = csv.reader(lines)
    next(reader, None)  # the header
    spans, first = {}, reader.line_num
    for row in reader:
        if row:
            spans[row[0]] = (starts[first], starts[reader.line_num])
        first = reader.line_num
    return spans


@dataclass
class _Incoming:
    """The file an add or a replace names, as the corpus will keep it: a text file as it is; a PDF as itself
    and the text extracted from it, which the manifest's ``file`` names and offsets count in."""

    path: Path
    digest: str  # sha256 of the file's bytes
    text: str  # the text the loaders will read
    from_pdf: bool

    @property
    def where(self) -> str:
        """What a message about a line of the text names (a PDF's lines are those of its extracted text)."""
        return f"{self.path} (its extracted text)" if self.from_pdf else str(self.path)

    @property
    def text_digest(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest() if self.from_pdf else self.digest

    def columns(self, doc_id: str) -> dict[str, str]:
        """The manifest columns that name and check the document's files."""
        text_file = {"file": f"{doc_id}_{self.text_digest[:16]}.txt", "sha256": self.text_digest}
        if not self.from_pdf:
            return {**text_file, "pdf": "", "pdf_sha256": ""}
        return {**text_file, "pdf": f"{doc_id}_{self.digest[:16]}.pdf", "pdf_sha256": self.digest}

    def same_as(self, src: Source) -> str | None:
        """How this file is already document ``src``, if it is: the same bytes, or the same text."""
        if self.digest in (src.sha256, src.pdf_sha256):
            return "same sha256"
        if self.text_digest == src.sha256:
            return "the same text"
        return None

    def stage(self, data_dir: Path, src: Source) -> dict[str, Path]:
        """The document's files under sources/.staging: the user's file copied unchanged, the extracted text
        written out."""
        if not self.from_pdf:
            staged = {src.file: _stage(data_dir, self.path, src.file, self.digest)}
        else:
            staged = {src.pdf: _stage(data_dir, self.path, src.pdf, self.digest),
                      src.file: _stage_text(data_dir, src.file, self.text)}
        checkpoint("staged")
        return staged


def _read_new(path: Path, limits: Limits) -> _Incoming:
    """The new document: refused before anything else if missing, too large, not UTF-8 or (by its bytes, or
    its name) a PDF that cannot be read."""
    if not path.is_file():
        raise SourceError(f"{path}: no such file")
    if is_pdf(path) or path.suffix.lower() == ".pdf":
        digest = _sha256(path)
        return _Incoming(path, digest, extract_text(path, limits), True)
    text = read_text(path, limits)
    return _Incoming(path, _sha256(path), text, False)


def _check_claims(data_dir: Path, new: _Incoming, src: Source, force: bool,
                  options: tuple[str, str] = ("--genre", "--event")) -> None:
    """Unless ``force``: refuse a text that clearly is not of the genre or event it is said to be."""
    if force:
        return
    if src.genre in REGISTRY and not REGISTRY[src.genre].describes_event:
        # a text that describes no exchange is checked against its own date, if one was given
        options = (options[0], "--date")
        src = replace(src, event=src.date)
    catch_all = src.genre in REGISTRY and REGISTRY[src.genre].catch_all
    problems = check_text(new.text, src.genre, src.event, new.where, Path(data_dir) / "gazetteer", options,
                          genre_check=not catch_all)
    if problems:
        raise SourceError("\n".join(problems))


def _staging(data_dir: Path) -> Path:
    staging = Path(data_dir) / "sources" / STAGING
    try:
        staging.mkdir(exist_ok=True)
    except OSError as e:
        raise EditError(f"{staging}: cannot write ({e.strerror or e})") from None
    return staging


def _stage(data_dir: Path, path: Path, name: str, digest: str) -> Path:
    """Copy the new document under sources/.staging (unchanged, synced); its checksum is checked again
    on the copy, so a file changed while being added is refused."""
    dest = _staging(data_dir) / name
    try:
        shutil.copyfile(path, dest)
        with open(dest, "rb") as f:
            os.fsync(f.fileno())
    except OSError as e:
        raise EditError(f"{e.filename or dest}: cannot write ({e.strerror or e})") from None
    if _sha256(dest) != digest:
        dest.unlink()
        raise SourceError(f"{path}: changed while it was being added; try again")
    return dest


def _stage_text(data_dir: Path, name: str, text: str) -> Path:
    dest = _staging(data_dir) / name
    _write_synced(dest, text.encode("utf-8"))
    return dest


def plan_add(data_dir: Path, path: Path, genre: str, event: str, title: str = "", publisher: str = "",
             language: str = "en", date: str = "", force: bool = False, limits: Limits = DEFAULT_LIMITS) -> Edit:
    """A new document with the next free id, as NNN_<sha256 prefix>.txt (and .pdf, if it is one), appended to
    the manifest."""
    data_dir, path = Path(data_dir), Path(path)
    manifest, raw = _current(data_dir)
    next_id = f"{max((int(s.id) for s in manifest if s.id.isdigit()), default=-1) + 1:03d}"
    new = _read_new(path, limits)
    for s in manifest:
        if how := new.same_as(s):
            raise SourceError(f"{path}: already in the corpus as {s.id} ({s.file}, {how})")
    if not date and not event and genre in REGISTRY and not REGISTRY[genre].describes_event:
        stated = document_date(new.text)  # an article dates itself ("NAIROBI, 14 September 2023 —")
        date = stated.iso if stated else ""
    src = _check_row({"id": next_id, **new.columns(next_id), "genre": genre, "event": event, "date": date or event,
                      "title": title or first_heading(new.text) or path.stem, "language": language,
                      "publisher": publisher},
                     f"atdkg add {path}")
    _check_claims(data_dir, new, src, force)
    text, columns = _manifest_text(raw, src)
    after_bytes = (text + ("" if not text or text.endswith("\n") else "\n") + _render(src, columns)).encode("utf-8")
    staged = new.stage(data_dir, src)
    return Edit(data_dir, "add", [*manifest, src], after_bytes, staged, [], src, dict.fromkeys(src.files, path))


def _find(manifest: list[Source], doc_id: str, sources_dir: Path) -> Source:
    for s in manifest:
        if s.id == doc_id:
            return s
    raise SourceError(f"{sources_dir / MANIFEST}: no document with id {doc_id!r}; the ids are "
                      f"{', '.join(s.id for s in manifest) or '(none)'}")


def plan_remove(data_dir: Path, doc_id: str) -> Edit:
    data_dir = Path(data_dir)
    manifest, raw = _current(data_dir)
    src = _find(manifest, doc_id, data_dir / "sources")
    start, end = _row_spans(raw)[src.id]
    text = raw.decode("utf-8")
    return Edit(data_dir, "remove", [s for s in manifest if s.id != doc_id],
                (text[:start] + text[end:]).encode("utf-8"), {}, list(src.files), src)


def plan_replace(data_dir: Path, doc_id: str, path: Path, overrides: dict[str, str], force: bool = False,
                 limits: Limits = DEFAULT_LIMITS) -> Edit:
    """The document ``doc_id`` gets the text of ``path`` (a text file, or a PDF and its text): same id and row
    (genre, event, title …) unless ``overrides`` says otherwise; new file names and checksums."""
    data_dir, path = Path(data_dir), Path(path)
    manifest, raw = _current(data_dir)
    old = _find(manifest, doc_id, data_dir / "sources")
    new = _read_new(path, limits)
    if how := new.same_as(old):
        raise SourceError(f"{path}: {how} as document {old.id} ({old.file}); nothing to replace")
    for s in manifest:
        if how := new.same_as(s):
            raise SourceError(f"{path}: already in the corpus as {s.id} ({s.file}, {how})")
    row = {**asdict(old), **{k: v for k, v in overrides.items() if v}, **new.columns(old.id)}
    replacement = _check_row(row, f"atdkg replace {doc_id} {path}")
    options = ("--genre" if "genre" in overrides else "--genre (the manifest's)",
               "--event" if "event" in overrides else "--event (the manifest's)")
    _check_claims(data_dir, new, replacement, force, options)
    text, columns = _manifest_text(raw, replacement)
    start, end = _row_spans(text.encode("utf-8"))[old.id]
    after_bytes = (text[:start] + _render(replacement, columns) + text[end:]).encode("utf-8")
    staged = new.stage(data_dir, replacement)
    removed = [name for name in old.files if name not in replacement.files]
    return Edit(data_dir, "replace", [replacement if s.id == doc_id else s for s in manifest], after_bytes, staged,
                removed, replacement, dict.fromkeys(replacement.files, path))


# -- committing ----------------------------------------------------------------------------------------------
def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_synced(path: Path, data: bytes) -> None:
    try:
        with open(path, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except OSError as e:
        raise EditError(f"{path}: cannot write ({e.strerror or e})") from None


def _link_target(link: Path) -> str | None:
    return os.readlink(link) if link.is_symlink() else None


def write_journal(edit: Edit, link: Path, new_build: Path) -> None:
    """Before anything visible changes: the new manifest beside the old one, and what the edit does."""
    sources = edit.sources_dir
    _write_synced(sources / MANIFEST_NEW, edit.manifest_after)
    journal = {"op": edit.op, "pid": os.getpid(),
               "manifest_before": hashlib.sha256((sources / MANIFEST).read_bytes()).hexdigest(),
               "manifest_after": hashlib.sha256(edit.manifest_after).hexdigest(),
               "added": sorted(edit.staged), "removed": edit.removed, "link": link.name,
               "build_before": _link_target(link), "build_after": os.path.relpath(new_build, link.parent)}
    tmp = edit.data_dir / (JOURNAL + ".new")
    _write_synced(tmp, json.dumps(journal, indent=1).encode())
    os.replace(tmp, edit.data_dir / JOURNAL)
    _fsync_dir(edit.data_dir)


def move_in(edit: Edit) -> None:
    """The staged copies take their place in sources/ (a rename each; the journal names them)."""
    for name, staged in edit.staged.items():
        os.replace(staged, edit.sources_dir / name)
    _fsync_dir(edit.sources_dir)


def commit_manifest(edit: Edit) -> None:
    """The edit happens here: one rename of the new manifest over the old."""
    os.replace(edit.sources_dir / MANIFEST_NEW, edit.sources_dir / MANIFEST)
    _fsync_dir(edit.sources_dir)


def finish(edit: Edit) -> None:
    """After the commit: the files that left the corpus go, then the journal."""
    for name in edit.removed:
        (edit.sources_dir / name).unlink(missing_ok=True)
    _drop_journal(edit.data_dir)
    clear_staging(edit.data_dir)


def clear_staging(data_dir: Path) -> None:
    shutil.rmtree(Path(data_dir) / "sources" / STAGING, ignore_errors=True)


def _drop_journal(data_dir: Path) -> None:
    (Path(data_dir) / JOURNAL).unlink(missing_ok=True)
    _fsync_dir(Path(data_dir))


def point_link(link: Path, target: str) -> None:
    """Point the symlink ``link`` at ``target`` (relative to its folder) in one rename."""
    tmp = link.with_name(f".{link.name}.new")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(target)
    os.replace(tmp, link)


# -- recovery ------------------------------------------------------------------------------------------------
def recover(data_dir: Path) -> list[str]:
    """Finish the edit a killed or failed process committed, or undo the one it did not; leave no
    staged copy behind. Run with the lock held. Returns what was done (empty if nothing was left)."""
    data_dir = Path(data_dir)
    path = data_dir / JOURNAL
    done: list[str] = []
    if path.exists():
        journal = json.loads(path.read_text(encoding="utf-8"))
        manifest = data_dir / "sources" / MANIFEST
        if hashlib.sha256(manifest.read_bytes()).hexdigest() == journal["manifest_after"]:
            _roll_forward(data_dir, journal)
            done.append(f"finished the {journal['op']} that process {journal['pid']} had committed")
        else:
            _roll_back(data_dir, journal)
            done.append(f"undid the unfinished {journal['op']} of process {journal['pid']}")
        _drop_journal(data_dir)
    (data_dir / "sources" / MANIFEST_NEW).unlink(missing_ok=True)
    (data_dir / (JOURNAL + ".new")).unlink(missing_ok=True)
    if (data_dir / "sources" / STAGING).exists():
        clear_staging(data_dir)
        done.append(f"removed the copies an unfinished edit left in {data_dir / 'sources' / STAGING}")
    return done


def _roll_forward(data_dir: Path, journal: dict) -> None:
    sources = data_dir / "sources"
    for name in journal["added"]:
        staged = sources / STAGING / name
        if staged.exists() and not (sources / name).exists():
            os.replace(staged, sources / name)
    for name in journal["removed"]:
        (sources / name).unlink(missing_ok=True)
    link = data_dir / journal["link"]
    if (data_dir / journal["build_after"]).is_dir() and _link_target(link) != journal["build_after"]:
        point_link(link, journal["build_after"])
    if journal["build_before"] and journal["build_before"] != journal["build_after"]:
        remove_unless_held(data_dir / journal["build_before"])


def _roll_back(data_dir: Path, journal: dict) -> None:
    sources = data_dir / "sources"
    listed = {name for s in load_manifest(sources) for name in s.files}
    for name in journal["added"]:
        if name not in listed:  # a replace may have re-added a file the manifest still lists: keep that
            (sources / name).unlink(missing_ok=True)
    link = data_dir / journal["link"]
    before = journal["build_before"]
    if before and (data_dir / before).is_dir():
        if _link_target(link) != before:
            point_link(link, before)
    elif before is None and _link_target(link) == journal["build_after"]:
        link.unlink()  # there was no build before this edit
    remove_unless_held(data_dir / journal["build_after"])
