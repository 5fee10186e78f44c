"""Per-document coverage for the explorer: what each document yielded, and the sentences that name
something but yielded nothing ("no silent misses", loaders/coverage.py).

The data is what the build wrote, ``build/coverage.json``, read once when the app is made, from the
same build directory the store was loaded from (``BUILD_DIR``, a real path fixed at start, checked
against MANIFEST.json by the store first). A new build means a new app (webapp/server.py reloads on a
swap), so the coverage shown always belongs to the build the rest of the page comes from.

coverage.json gives each unread sentence as its line number (the physical line where its logical line
starts) and its text with whitespace collapsed, not its offsets. To highlight it, ``locate`` finds it
in the build's copy of the source, from the start of that line on, letting through what the
normaliser takes out between characters (line breaks and spaces, a hyphen that ends a line, markdown
link targets, emphasis and escapes). A sentence it cannot find (a change the normaliser makes beyond
these, such as Unicode composition) keeps a link to its line, never a wrong highlight.
"""
from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

from atdkg.loaders.sources import read_text

FILE = "coverage.json"
# how far past the start of its line a sentence may end: its logical line (a paragraph) holds it, and
# no paragraph is this long (a physical line has at most 20,000 characters); the bound keeps a search
# for a sentence that is not there from scanning a whole 5 MB document
WINDOW = 200_000
# what may stand in the original between two characters of a sentence's collapsed text: whitespace and
# line breaks, markdown emphasis, escapes, brackets and link targets, a hyphen ending a line, and a page
# break with its page number and running header (loaders/text.py takes each of these out)
_GAP = r"(?:\s|[*\\\[\]<>]|-[ \t]*\r?\n|\]\([^()\s]{0,2000}\)|\n[^\f]{0,200}?\f[^\n]{0,200}\n)*?"


@dataclass(frozen=True)
class Unread:
    """A sentence that names something but yielded no statement, with where it is in the original."""

    line: int
    text: str
    names: tuple[str, ...]
    start: int | None = None  # [start, end) in the original text; None when it could not be found
    end: int | None = None

    @property
    def anchor(self) -> str:
        """The id the document view gives it: the sentence itself, or else its line."""
        return f"unread-{self.start}-{self.end}" if self.start is not None else f"line-{self.line}"


@dataclass(frozen=True)
class DocumentCoverage:
    document: str
    file: str
    sentences: int
    yielded: int
    unread: tuple[Unread, ...]

    @property
    def silent(self) -> int:
        """Sentences that name nothing and yielded nothing (headings, greetings, connecting prose)."""
        return self.sentences - self.yielded - len(self.unread)

    @property
    def percent(self) -> float | None:
        """The share that yielded, in percent, rounded *down* to one decimal: 100 only when every
        sentence yielded; None for a document without sentences."""
        return 1000 * self.yielded // self.sentences / 10 if self.sentences else None


class Coverage:
    """One build's coverage.json: ``of(document)`` gives a document's, located in its text (once)."""

    def __init__(self, build_dir: Path):
        self.build_dir = Path(build_dir)
        self.problem: str | None = None  # why there is no coverage data, in words for the page
        self._raw: dict[str, dict] = {}
        self._located: dict[str, DocumentCoverage] = {}
        self._lock = threading.Lock()
        path = self.build_dir / FILE
        try:
            self._raw = _checked(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            self.problem = (f"This build has no coverage data: it has no {FILE}, so it was made before the "
                            f"build recorded coverage. Run `atdkg build` to see what each document yielded.")
        except (OSError, ValueError, TypeError, KeyError) as e:
            self.problem = f"This build's {FILE} cannot be read ({type(e).__name__}); run `atdkg build` again."

    @property
    def available(self) -> bool:
        return self.problem is None

    def missing(self, document: str) -> str | None:
        """Why ``document`` has no coverage to show, or None if it has."""
        if self.problem:
            return self.problem
        if document not in self._raw:
            return f"This build's {FILE} has no entry for document {document}."
        return None

    def of(self, document: str) -> DocumentCoverage | None:
        if self.missing(document):
            return None
        with self._lock:
            if document not in self._located:
                self._located[document] = self._locate(self._raw[document])
            return self._located[document]

    def _locate(self, raw: dict) -> DocumentCoverage:
        try:
            text = read_text(self.build_dir / "sources" / str(raw["file"]))
        except (OSError, ValueError):
            text = ""  # no source to highlight in: the sentences keep links to their lines
        starts = line_starts(text)
        unread = []
        after: dict[int, int] = {}  # per line, where the previous unread sentence of that line ended
        for u in raw["unread"]:
            line = int(u["line"])
            span = None
            exact = u.get("start"), u.get("end")  # a build that records the offsets: no search needed
            if all(isinstance(x, int) for x in exact) and 0 <= exact[0] < exact[1] <= len(text):
                span = exact
            elif 1 <= line <= len(starts):  # an older build: find the sentence near its line
                span = locate(text, str(u["text"]), after.get(line, starts[line - 1]))
            if span:
                after[line] = span[1]
            unread.append(Unread(line, str(u["text"]), tuple(str(n) for n in u["names"]), *(span or (None, None))))
        return DocumentCoverage(str(raw["id"]), str(raw["file"]), int(raw["sentences"]), int(raw["yielded"]),
                                tuple(unread))


def _checked(data) -> dict[str, dict]:
    """coverage.json by document id, its shape checked once here (what atdkg/build.py writes: a list of
    {id, file, sentences, yielded, unread: [{line, names, text}]}) rather than failing on some request."""
    if not isinstance(data, list):
        raise TypeError("not a list of documents")
    for d in data:
        int(d["sentences"]), int(d["yielded"]), str(d["file"])
        for u in d["unread"]:
            int(u["line"]), str(u["text"]), list(u["names"])
    return {str(d["id"]): d for d in data}


def line_starts(text: str) -> list[int]:
    """Offset of the first character of each physical line (1-based line n at index n-1), counted as
    loaders/text.py counts them: lines end at "\\n"."""
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def locate(text: str, sentence: str, start: int) -> tuple[int, int] | None:
    """[start, end) of ``sentence`` (whitespace collapsed, as coverage.json gives it) in the original
    ``text``, searching from ``start``; None if it is not there."""
    chars = "".join(sentence.split())
    if not chars:
        return None
    pattern = re.compile(_GAP.join(re.escape(c) for c in chars))
    m = pattern.search(text, start, start + WINDOW)
    return (m.start(), m.end()) if m else None


def init_app(app: Flask) -> None:
    """Read the build's coverage now, once: every worker forked later shares it."""
    if app.config["BUILD_DIR"] is None:  # in front of a SPARQL server, no build directory named
        coverage = Coverage(Path(NO_BUILD))
        coverage.problem = (f"This explorer serves the SPARQL server at {app.config['ENDPOINT']} without the "
                            f"build directory ({FILE} is there, not in the graph): start it with --data-dir "
                            "to show coverage.")
    else:
        coverage = Coverage(Path(app.config["BUILD_DIR"]))
    app.extensions["atdkg-coverage"] = coverage


NO_BUILD = "/nonexistent/atdkg-no-build-directory"


def get() -> Coverage:
    return current_app.extensions["atdkg-coverage"]
