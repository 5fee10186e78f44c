"""The reader for any document that is not the record of an exchange: an article, a compendium entry, an
annual-report chapter, a pledge statement.

It reads only what every such text shares — "Label: value" fields, lists introduced by a line, sentences that
state a commitment — and takes what each means from the genre's entry in registry.yaml (``lists``,
``statements``, ``fields``), so a new genre of this kind is configuration. Everything else (States,
organisations, people, numbers, practices, partnerships, anonymous speakers) is read by the stages that run
after every reader (loaders/parse.py), wherever it stands in the text.
"""
from __future__ import annotations

import re

from ..names import slug
from ..parse_common import Context, collect_list, list_kind, make_list, objectives_in, org_ref
from ..records import Actor, Item, ItemList, StateRef
from ..relations import sentences
from ..text import Line
from . import REGISTRY, Genre
from .report import mark_prose

# "Label: value": a short label (at most eight words, no sentence punctuation) then the value on the same line
FIELD_LINE = re.compile(r"^(?P<label>[A-Z][^.:;!?]{0,80}?)\s*:\s+(?P<value>\S.*)$")


def _author(ctx: Context, line: Line, start: int) -> Actor | None:
    """Who a field's value names: the first State, else the first organisation."""
    value = line.text[start:]
    if states := ctx.gazetteer.find_states(value):
        s, e, iso3 = states[0]
        return StateRef(iso3, value[s:e], ctx.span(line, start + s, start + e))
    if orgs := ctx.gazetteer.find_orgs(value):
        s, e, _ = orgs[0]
        return org_ref(ctx, line, start + s, start + e)
    return None


def _fields(ctx: Context, genre: Genre) -> dict[str, tuple[Line, int]]:
    """The genre's fields the document fills: field name → (line, offset of the value)."""
    found: dict[str, tuple[Line, int]] = {}
    if not genre.fields:
        return found
    for i, line in enumerate(ctx.lines):
        m = FIELD_LINE.match(line.text)
        if not m or len(m.group("label").split()) > 8:
            continue
        for name, pattern in genre.fields.items():
            if name not in found and pattern.fullmatch(m.group("label").strip()):
                found[name] = (line, m.start("value"))
                ctx.place(i)
                break
    return found


def _kind(genre: Genre, intro: str) -> str:
    for rule in genre.lists:
        if rule.intro.search(intro):
            return rule.kind
    return list_kind(intro)


def parse(ctx: Context, known_events: set[str], vocab) -> None:
    genre = REGISTRY[ctx.genre]
    fields = _fields(ctx, genre)
    author = _author(ctx, *fields["author"]) if "author" in fields else None
    objectives = objectives_in(fields["objectives"][0].text) if "objectives" in fields else []
    title = fields["title"][0].text[fields["title"][1]:] if "title" in fields else None
    own_kinds = set(REGISTRY.list_kinds)  # kinds the registry declares: what the document's author states
    i = 0
    while i < len(ctx.lines):
        line = ctx.lines[i]
        if line.kind not in ("bullet", "number") or i in ctx.used:
            i += 1
            continue
        idx, items = collect_list(ctx, i)
        intro = ctx.lines[i - 1] if i > 0 else line
        kind = _kind(genre, intro.text)
        lst = make_list(ctx, intro, items, kind, f"{ctx.doc}/{slug(intro.text)[:60]}", intro.text.rstrip(":"),
                        reported_by=author if kind in own_kinds else None)
        lst.objectives = lst.objectives or (objectives if kind in own_kinds else [])
        ctx.out.lists.append(lst)
        ctx.place(*idx)
        i = idx[-1] + 1
    _statements(ctx, genre, author, objectives, title)
    mark_prose(ctx)


def _statements(ctx: Context, genre: Genre, author: Actor | None, objectives: list[int], title: str | None) -> None:
    """Sentences the genre takes as items of their own (a pledge stated in prose): one list per kind."""
    if not genre.statements:
        return
    lists: dict[str, ItemList] = {}
    for line in ctx.lines:
        if line.kind != "text":
            continue
        for a, b in sentences(line.text):
            sentence = line.text[a:b]
            rule = next((r for r in genre.statements if r.pattern.search(sentence)), None)
            if rule is None:
                continue
            if rule.kind not in lists:
                label = title or sentence
                lists[rule.kind] = ItemList(f"{ctx.doc}/{rule.kind}", rule.kind, label, ctx.span(line, a, b),
                                            reported_by=author, objectives=objectives)
            lst = lists[rule.kind]
            lst.items.append(Item(len(lst.items) + 1, sentence, ctx.span(line, a, b),
                                  objectives_in(sentence) or objectives, False))
    ctx.out.lists += lists.values()
