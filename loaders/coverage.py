"""No silent misses: which sentences of a document yielded a statement, and which name something but yielded none.

A sentence *yields* when some record other than a bare mention (a statistic, practice, partnership, list item,
agenda item, participation, membership, unnamed speaker, event fact …) takes its evidence from it. A sentence
*names something* when the mention stage found a State, organisation or person in it, or it holds a number. The
ones that name something and yield nothing are what the loaders did not understand: the build counts them,
``--verbose`` lists them with file and line, ``--strict`` fails on them, and build/coverage.json keeps them per
document.
"""
from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left
from itertools import accumulate
from typing import Any

from .records import Coverage, OrgRef, ParsedDocument, Span, Unread
from .relations import sentences
from .text import Line

# a number standing alone ("40 families", "1.5"), not inside a word ("COVID-19") and not a year
NUMBER = re.compile(r"(?<![\w-])(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)?(?![\w-])")


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The fields of a record class (None for anything else): asked once per class, not once per record."""
    if cls not in _FIELDS:
        _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None
    return _FIELDS[cls]


def spans_and_refs(root: Any, exclude: tuple[str, ...] = ()) -> tuple[list[Span], list[OrgRef]]:
    """Every Span and every OrgRef inside a record, however deep (lists, dicts, nested records, chains of
    parents): walked with a stack, since a long affiliation nests organisations deeper than recursion allows.
    ``exclude``: fields of the root not to enter."""
    spans: list[Span] = []
    refs: list[OrgRef] = []
    seen: set[int] = set()
    stack: list[Any] = [getattr(root, f.name) for f in dataclasses.fields(root) if f.name not in exclude] \
        if dataclasses.is_dataclass(root) and exclude else [root]
    while stack:
        x = stack.pop()
        if id(x) in seen:
            continue
        seen.add(id(x))
        if isinstance(x, Span):
            spans.append(x)
        elif (names := _field_names(type(x))) is not None:
            if isinstance(x, OrgRef):
                refs.append(x)
            stack.extend(getattr(x, name) for name in names)
        elif isinstance(x, list | tuple):
            stack.extend(x)
        elif isinstance(x, dict):
            stack.extend(x.values())
    return spans, refs


STATEMENTS = ("exchange", "agenda", "memberships", "publications", "publication_refs", "lists", "statistics",
              "attendance", "practices", "partnerships", "event_links", "unnamed", "speakers", "people")


def coverage(pd: ParsedDocument, lines: list[Line]) -> Coverage:
    statements = spans_and_refs([getattr(pd, name) for name in STATEMENTS])[0]
    intervals = sorted((s.start, s.end) for s in statements)
    starts = [a for a, _ in intervals]
    reach = list(accumulate((b for _, b in intervals), max))  # the furthest end among the first k intervals
    mentions = sorted((m.actor.span.start, getattr(m.actor, "name", "")) for m in pd.mentions)
    at = [a for a, _ in mentions]
    out = Coverage()
    for line in lines:
        for a, b in sentences(line.text):
            start, end = line.span(a, b)
            out.sentences += 1
            k = bisect_left(starts, end)  # intervals that start before the sentence ends …
            if k and reach[k - 1] > start:  # … one of which ends after it starts: they overlap
                out.yielded += 1
                continue
            names = sorted({n for _, n in mentions[bisect_left(at, start):bisect_left(at, end)]} - {""})
            if names or NUMBER.search(line.text[a:b]):
                out.unread.append(Unread(line.lineno, " ".join(line.text[a:b].split()), names, start, end))
    return out
