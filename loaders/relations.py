"""Relations from sentences anywhere: partnerships and practices, with whom they are attributed to.

After the mention stage has found who a text names, this stage reads each sentence of every logical line:

- a **partnership** is a sentence with a partnership cue ("co-convened by", "in collaboration with", "funded by",
  "worked … with", a "Partners:" field) and at least two actors: the organisations and governments it names, the
  anonymous speaker it is about, and a State that is the sentence's subject (not one it only places things in);
- a **practice** is a sentence in which an actor did something (a verb of doing) to something that is a practice
  (a practice word or a category of the SKOS practice vocabulary); it is attributed to the sentence's anonymous
  speaker if it has one (Chatham House Rule: never to a named State or person then), else to its subject — the
  first actor not placed after a preposition — or, for "It …"/"They …", to the previous sentence's actor.

Each relation is one small registered unit with the same contract (``RELATIONS``), as the recognisers are; the
cue words and patterns are data (``data/gazetteer/relation_cues.yaml``).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from . import cuefile
from .parse_common import Context
from .records import Actor, OrgRef, Partnership, PersonRef, Practice, Span, StateRef, Unnamed
from .sources import SourceError
from .text import Line
from .vocab import Vocabulary

CUES_FILE = Path("gazetteer") / "relation_cues.yaml"
# a sentence ends at . ! ? ; followed by a space and a capital or a quote — not after an initial or a title
SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bMrs)(?<!\bNo)(?<!\bSt)(?<!\bvs)"
                          r"[.!?;>](?=\s+[\"“‘(]?[A-Z0-9])")  # ">": the end of a link left bare


class RelationCueError(SourceError):
    """The relation cue file is malformed: the message names the file and the key."""


@dataclass
class RelationCues:
    partnership: re.Pattern
    partnership_field: re.Pattern
    practice_verb: re.Pattern
    practice_noun: re.Pattern
    place_prepositions: frozenset[str]
    continuing: re.Pattern

    @classmethod
    def load(cls, data_dir: Path) -> RelationCues:
        path = Path(data_dir) / CUES_FILE
        raw = cuefile.read(path, RelationCueError)
        lists = {key: cuefile.words(raw, key, path, RelationCueError)
                 for key in ("partnership_cues", "partnership_fields", "practice_verbs", "practice_nouns",
                             "place_prepositions", "continuing_subjects")}
        try:
            partnership = re.compile("|".join(f"(?:{c})" for c in lists["partnership_cues"]), re.I)
        except re.error as e:
            raise RelationCueError(f"{path}: 'partnership_cues' holds a pattern that does not compile ({e})") from None

        def words(key: str) -> str:
            return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(lists[key], key=len, reverse=True))

        return cls(partnership,
                   re.compile(rf"^\s*(?:{words('partnership_fields')})\s*:", re.I),
                   re.compile(rf"\b(?:{words('practice_verbs')})\b", re.I),
                   re.compile(rf"(?<![\w-])(?:{words('practice_nouns')})s?(?![\w-])", re.I),
                   frozenset(w.lower() for w in lists["place_prepositions"]),
                   re.compile(rf"^\s*(?:{words('continuing_subjects')})\b"))


@lru_cache(maxsize=8192)
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """[start, end) of each sentence of a logical line (asked by the relation and coverage stages alike)."""
    out, start = [], 0
    for m in SENTENCE_END.finditer(text):
        out.append((start, m.end()))
        start = m.end()
    out.append((start, len(text)))
    return tuple((a + len(text[a:b]) - len(text[a:b].lstrip()), b) for a, b in out if text[a:b].strip())


@dataclass
class Sentence:
    line: Line
    start: int  # offsets in the line
    end: int
    span: Span  # offsets in the document
    actors: list[tuple[int, Actor]] = field(default_factory=list)  # (offset in the line, actor) in reading order
    masked: str = ""  # the sentence with the names of its actors blanked out

    @property
    def text(self) -> str:
        return self.line.text[self.start:self.end]


class Intervals:
    """Spans of the genre parser's own records, asked "does this sentence overlap one?" in log time."""

    def __init__(self, spans: list[Span]):
        pairs = sorted((sp.start, sp.end) for sp in spans)
        self.starts = [a for a, _ in pairs]
        self.reach = list(accumulate((b for _, b in pairs), max))

    def overlaps(self, span: Span) -> bool:
        k = bisect_left(self.starts, span.end)
        return k > 0 and self.reach[k - 1] > span.start


@dataclass
class RelationContext:
    ctx: Context
    cues: RelationCues
    vocab: Vocabulary
    previous_actor: Actor | None = None  # the actor of the line's previous sentence ("It also …")
    parsed_partnerships: Intervals = field(default_factory=lambda: Intervals([]))
    parsed_practices: Intervals = field(default_factory=lambda: Intervals([]))


Relation = Callable[[RelationContext, Sentence], None]
RELATIONS: dict[str, Relation] = {}


def relation(name: str) -> Callable[[Relation], Relation]:
    """Register a relation component under a name; they run in the order they were registered."""
    def register(fn: Relation) -> Relation:
        if name in RELATIONS:
            raise ValueError(f"relation {name!r} registered twice")
        RELATIONS[name] = fn
        return fn
    return register


def _key(actor: Actor) -> str:
    if isinstance(actor, StateRef):
        return f"state:{actor.iso3}"
    if isinstance(actor, OrgRef):
        return f"org:{actor.key or actor.name.lower()}"
    if isinstance(actor, Unnamed):
        return f"unnamed:{actor.key}"
    return f"{type(actor).__name__}:{getattr(actor, 'name', '')}"


def _is_place(rc: RelationContext, s: Sentence, at: int) -> bool:
    """Is the State named at ``at`` a place ("in Chile", "from Peru"), not the sentence's actor?"""
    before = re.findall(r"[\w’'-]+", s.line.text[max(s.start, at - 30):at])
    return bool(before) and before[-1].lower() in rc.cues.place_prepositions


def _unnamed(s: Sentence) -> Unnamed | None:
    return next((a for _, a in s.actors if isinstance(a, Unnamed)), None)


def _partners(rc: RelationContext, s: Sentence) -> list[Actor]:
    """Who a partnership sentence joins: its anonymous speaker (if any), organisations and governments, and
    a State that acts (never a place, and never a State beside an anonymous speaker)."""
    anonymous = _unnamed(s)
    out: dict[str, Actor] = {}
    for k, (at, a) in enumerate(s.actors):
        if isinstance(a, StateRef) and (anonymous is not None or k > 0 or _is_place(rc, s, at)):
            continue  # a State joins only as the sentence's subject: elsewhere it is where, not who
        if isinstance(a, PersonRef):
            continue
        out.setdefault(_key(a), a)
    return list(out.values())


@relation("partnerships")
def partnerships(rc: RelationContext, s: Sentence) -> None:
    text = s.text
    if not (rc.cues.partnership.search(s.masked) or rc.cues.partnership_field.match(s.masked)):
        return
    partners = _partners(rc, s)
    if len(partners) < 2 or rc.parsed_partnerships.overlaps(s.span):
        return
    rc.ctx.out.partnerships.append(Partnership(partners, " ".join(text.split()), s.span))


def _subject(rc: RelationContext, s: Sentence) -> Actor | None:
    """The anonymous speaker of the sentence, else its first actor not placed after a preposition."""
    if (u := _unnamed(s)) is not None:
        return u
    for at, a in s.actors:
        if isinstance(a, PersonRef | Unnamed):
            continue
        before = re.findall(r"[\w’'-]+", s.line.text[max(s.start, at - 20):at])
        if before and before[-1].lower() in rc.cues.place_prepositions | {"by", "with"}:
            continue
        return a
    return None


@relation("practices")
def practices(rc: RelationContext, s: Sentence) -> None:
    text = s.text
    actor = _subject(rc, s)
    if actor is None and rc.cues.continuing.match(text):
        actor = rc.previous_actor
    if actor is not None:
        rc.previous_actor = actor
    if actor is None or not rc.cues.practice_verb.search(s.masked):
        return
    categories = rc.vocab.categories(s.masked)
    if not categories and not rc.cues.practice_noun.search(s.masked):
        return
    if rc.parsed_practices.overlaps(s.span):
        return
    rc.ctx.out.practices.append(Practice(" ".join(text.split()), s.span, actor, categories,
                                         rc.vocab.targets(s.masked)))


def read_relations(ctx: Context, cues: RelationCues, vocab: Vocabulary) -> None:
    """Run every registered relation over every sentence; a failing one is a warning, not a refused document."""
    actors: list[tuple[int, Actor]] = [(m.actor.span.start, m.actor) for m in ctx.out.mentions]
    actors += [(u.span.start, u) for u in ctx.out.unnamed]
    actors.sort(key=lambda x: x[0])
    starts = [at for at, _ in actors]
    rc = RelationContext(ctx, cues, vocab, parsed_partnerships=Intervals([p.span for p in ctx.out.partnerships]),
                         parsed_practices=Intervals([p.span for p in ctx.out.practices]))
    for line in ctx.lines:
        rc.previous_actor = None  # a new paragraph introduces its actor again
        for a, b in sentences(line.text):
            span = ctx.span(line, a, b)
            inside = actors[bisect_left(starts, span.start):bisect_left(starts, span.end)]
            s = Sentence(line, a, b, span, [(_line_offset(line, at), actor) for at, actor in inside])
            # what a sentence says is read without the names in it: "Detention Reform Coalition" is no
            # practice word, and a renamed organisation changes nothing
            chars = list(s.text)
            for _, actor in inside:
                i, j = _line_offset(line, actor.span.start) - a, _line_offset(line, actor.span.end) - a
                chars[max(i, 0):max(j, 0)] = " " * (max(j, 0) - max(i, 0))
            s.masked = "".join(chars)
            for name, component in RELATIONS.items():
                try:
                    component(rc, s)
                except Exception as e:  # noqa: BLE001 - one unreadable sentence costs its relations, not the document
                    ctx.warn(line, f"relation {name!r} failed ({type(e).__name__}: {e}); please report this line")


def _line_offset(line: Line, doc_offset: int) -> int:
    """The line offset of a document offset (the first character that starts at or after it)."""
    lo, hi = 0, len(line.starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if line.starts[mid] < doc_offset:
            lo = mid + 1
        else:
            hi = mid
    return lo

