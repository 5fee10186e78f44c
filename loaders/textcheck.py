"""Does a new document say what `atdkg add` is told about it? Its event date and its genre, checked
against the text itself before it enters the corpus.

A wrong --event mints a second exchange and a wrong --genre runs the wrong parser; both used to pass
silently (the parser only warned). Only a *clear* mismatch is refused: a text that states no date, or
whose look is mixed, passes. The genre cues are data (``data/gazetteer/genre_cues.csv``), so they can
be tuned without touching code.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from .sources import GENRES, SourceError
from .text import Line, normalise

CUES = "genre_cues.csv"
MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december"]
MONTHS = {**{m: i for i, m in enumerate(MONTH_NAMES, start=1)},
          **{m[:3]: i for i, m in enumerate(MONTH_NAMES, start=1)}, "sept": 9}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_ORD = r"(?:st|nd|rd|th)?"
# the forms dates are written in: 15 June 2023, June 15, 2023, 15/06/2023 (also 15.06.2023), 2023-06-15;
# a weekday before any of them changes nothing
_TO = r"\s*(?:–|-|to|and)\s*"
DATE_FORMS = [
    # a meeting over several days: "9–10 May 2023", "May 9-10, 2023" (any of its days is its date)
    re.compile(rf"\b(?P<day>\d{{1,2}}){_ORD}{_TO}(?P<day2>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MONTH}\s*,?\s+"
               rf"(?P<year>\d{{4}})\b", re.I),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}){_ORD}{_TO}(?P<day2>\d{{1,2}}){_ORD}\s*,?\s+(?P<year>\d{{4}})\b",
               re.I),
    re.compile(rf"\b(?P<day>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MONTH}\s*,?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}){_ORD}\s*,?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(r"\b(?P<a>\d{1,2})([/.])(?P<b>\d{1,2})\2(?P<year>\d{4})\b"),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
]
DATELINE = 100  # a date on a line this short is the document's own (a title block), not one its prose mentions


@dataclass(frozen=True)
class StatedDate:
    iso: str  # the reading of the date
    line: int  # 1-based line of the original text
    written: str  # as the text writes it
    also: tuple[str, ...] = ()  # another reading (03/04/2023: 3 April, or March 4)


def _readings(m: re.Match) -> list[str]:
    """The calendar dates a match can mean, day-first before month-first; none if not a real date."""
    year = int(m.group("year"))
    if "a" in m.groupdict():
        a, b = int(m.group("a")), int(m.group("b"))
        pairs = [(b, a), (a, b)]  # day/month first (the UN's form), then month/day
    else:
        month = m.group("month")
        number = MONTHS[month.lower()] if not month.isdigit() else int(month)
        last = int(m.group("day2")) if m.groupdict().get("day2") else int(m.group("day"))
        pairs = [(number, day) for day in range(int(m.group("day")), max(last, int(m.group("day"))) + 1)][:31]
    out = []
    for month, day in pairs:
        try:
            iso = Date(year, month, day).isoformat()
        except ValueError:
            continue
        if iso not in out:
            out.append(iso)
    return out


def _first_date(text: str) -> tuple[int, int, list[str]] | None:
    """(start, end, readings) of the first real date in ``text``."""
    found = []
    for form in DATE_FORMS:
        for m in form.finditer(text):
            if readings := _readings(m):
                found.append((m.start(), m.end(), readings))
                break
    return min(found) if found else None


def document_date(text: str, lines: list[Line] | None = None) -> StatedDate | None:
    """The date the document gives itself: the first date on a short line (its title block or dateline),
    after undoing PDF line breaks. Dates inside paragraphs are other events' and are not considered."""
    for line in normalise(text).lines if lines is None else lines:
        if len(line.text) > DATELINE or not (hit := _first_date(line.text)):
            continue
        start, end, readings = hit
        offset = line.starts[start]
        return StatedDate(readings[0], text.count("\n", 0, offset) + 1, line.text[start:end], tuple(readings[1:]))
    return None


def check_event(text: str, event: str, where: str, option: str = "--event",
                lines: list[Line] | None = None) -> str | None:
    """None if the text states no date or the event's; else what it states and how to go on."""
    if not event:
        return None  # nothing was said about the date: nothing to contradict
    stated = document_date(text, lines)
    if stated is None or event in (stated.iso, *stated.also):
        return None
    return (f"{where}: line {stated.line} states the date {stated.written} ({stated.iso}), but {option} is {event}; "
            f"give {option} {stated.iso}, or add --force to keep {event}")


# -- genre -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cue:
    genres: frozenset[str]
    lines: str  # time (an agenda line that starts with a time) | heading (a short line, whole) | line (its start)
    pattern: re.Pattern
    weight: int
    means: str


def load_cues(gazetteer_dir: Path) -> list[Cue]:
    path = Path(gazetteer_dir) / CUES
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        raise SourceError(f"{path}: missing; expected the table of genre cues (genres,lines,pattern,weight,means) "
                          f"that `atdkg add` checks --genre against") from None
    cues = []
    for n, row in enumerate(rows, start=2):
        genres = frozenset(row["genres"].split())
        if not genres <= set(GENRES) or row["lines"] not in ("time", "heading", "line"):
            raise SourceError(f"{path}:{n}: expected genres among {', '.join(GENRES)} and lines time|heading|line")
        try:
            cues.append(Cue(genres, row["lines"], re.compile(row["pattern"] or ".", re.I), int(row["weight"]),
                            row["means"]))
        except (re.error, ValueError) as e:
            raise SourceError(f"{path}:{n}: {e}") from None
    return cues


def _is_heading(text: str) -> bool:
    return len(text) <= DATELINE and not text.endswith((".", ";", ","))


def _hits(cue: Cue, lines) -> list[int]:
    """Line numbers where ``cue`` shows."""
    out = []
    for line in lines:
        if cue.lines == "time":
            ok = line.kind == "time"
        elif cue.lines == "heading":
            ok = line.kind == "text" and _is_heading(line.text) and cue.pattern.fullmatch(line.text) is not None
        else:
            ok = cue.pattern.match(line.text) is not None
        if ok:
            out.append(line.lineno)
    return out


def genre_evidence(lines: list[Line], cues: list[Cue]) -> dict[str, list[tuple[Cue, list[int]]]]:
    """For each genre, the cues the text's logical lines show (with their line numbers)."""
    out: dict[str, list[tuple[Cue, list[int]]]] = {g: [] for g in GENRES}
    for cue in cues:
        if hits := _hits(cue, lines):
            for g in cue.genres:
                out[g].append((cue, hits))
    return out


def _score(evidence: list[tuple[Cue, list[int]]]) -> int:
    return sum(cue.weight * min(len(hits), 10) for cue, hits in evidence)  # ten agenda lines say enough


def _describe(evidence: list[tuple[Cue, list[int]]]) -> str:
    parts = []
    for cue, hits in sorted(evidence, key=lambda e: -e[0].weight * len(e[1]))[:3]:
        parts.append(f"{len(hits)} {cue.means}s (first at line {hits[0]})" if len(hits) > 1
                     else f"1 {cue.means} (line {hits[0]})")
    return ", ".join(parts)


def check_genre(text: str, genre: str, where: str, gazetteer_dir: Path, option: str = "--genre",
                lines: list[Line] | None = None) -> str | None:
    """None unless the text clearly looks like another genre: that genre's cues weigh 3 or more and at
    least four times the given genre's (a report with an agenda annex still passes as a report)."""
    evidence = genre_evidence(normalise(text).lines if lines is None else lines, load_cues(gazetteer_dir))
    own = _score(evidence[genre])
    scores = {g: _score(ev) for g, ev in evidence.items() if g != genre and not (ev and ev == evidence[genre])}
    best = max(scores.values(), default=0)
    if best < 3 or best < 4 * own:
        return None
    likely = sorted(g for g, s in scores.items() if s == best)
    seen = _describe(evidence[likely[0]])
    own_cues = f"only {_describe(evidence[genre])}" if evidence[genre] else f"no {genre} cues"
    return (f"{where} does not look like a {genre} ({option} {genre}): it has {seen}; {own_cues}; "
            f"give {option} {' or '.join(likely)}, or add --force to add it as a {genre} anyway")


def check_text(text: str, genre: str, event: str, where: str, gazetteer_dir: Path,
               options: tuple[str, str] = ("--genre", "--event"), genre_check: bool = True) -> list[str]:
    """Every clear mismatch between what the caller says (genre, event) and what the text shows (the genre
    is not checked for a genre any text may be added as)."""
    lines = normalise(text).lines  # once for both checks
    found = [check_event(text, event, where, options[1], lines),
             check_genre(text, genre, where, gazetteer_dir, options[0], lines) if genre_check else None]
    return [f for f in found if f]
