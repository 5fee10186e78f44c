"""Concept notes with an agenda: header, agenda (sessions, speakers, roles), Working Group,
publications and the policy brief's calls."""
from __future__ import annotations

import re

from ..parse_common import (
    Context,
    collect_list,
    list_kind,
    make_list,
    parse_actor,
    parse_event_facts,
    parse_event_links,
    parse_header,
    parse_publications,
    parse_working_group,
    role_of_label,
    sub_line,
)
from ..records import AgendaItem, Exchange, Practice, StateRef
from . import report as _report

HEADER_STOP = re.compile(r"^(Concept Note|Background|Overview|Context)\b", re.I)
AGENDA_START = re.compile(r"^(?:Draft\s+)?Agenda$", re.I)
AGENDA_END = re.compile(r"^(Participation|Interpretation|Background|The UN Network|Logistics|Contact)\b", re.I)
SESSION_RE = re.compile(r"^Session\s+([IVXLC]+|\d+)\s*[–:-]\s*(.+)$")
ITEM_KINDS = [
    (re.compile(r"^Opening remarks", re.I), "opening", "opening-remarks"),
    (re.compile(r"^Closing remarks", re.I), "closing", "closing-remarks"),
    (re.compile(r"^Q\s*&\s*A", re.I), "qa", None),
    (re.compile(r"^BREAK", re.I), "break", None),
    (re.compile(r"^(?:Short\s+)?Videos?\b", re.I), "video", None),
    (re.compile(r"^Keynote", re.I), "other", "keynote"),
]
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman(text: str) -> int:
    if text.isdigit():
        return int(text)
    total = 0
    for k, ch in enumerate(text):
        v = ROMAN[ch]
        total += -v if k + 1 < len(text) and ROMAN[text[k + 1]] > v else v
    return total


def _new_item(ctx: Context, line, time: str | None) -> tuple[AgendaItem, str | None]:
    t = line.text
    if m := SESSION_RE.match(t):
        return AgendaItem("session", m.group(2).strip(), ctx.span(line), time, roman(m.group(1))), "panelist"
    for pattern, kind, role in ITEM_KINDS:
        if pattern.match(t):
            return AgendaItem(kind, t, ctx.span(line), time), role
    return AgendaItem("other", t, ctx.span(line), time), "speaker"


def parse_agenda(ctx: Context) -> None:
    """Agenda items in order; each bullet under an item is a participation with the current role."""
    start = next((i for i, ln in enumerate(ctx.lines) if AGENDA_START.match(ln.text)), None)
    if start is None:
        ctx.warn(None, "no agenda heading found (expected a line 'Agenda' or 'Draft Agenda')")
        return
    ctx.place(start)
    item: AgendaItem | None = None
    role: str | None = None
    for i in range(start + 1, len(ctx.lines)):
        line = ctx.lines[i]
        t = line.text
        if line.kind == "text" and AGENDA_END.match(t):
            break
        ctx.place(i)
        if line.kind == "time" or (line.kind == "text" and re.match(r"^Q\s*&\s*A\b", t)):
            item, role = _new_item(ctx, line, line.time)
            ctx.out.agenda.append(item)
        elif item is None:
            ctx.out.skipped.append(_skip(line, "agenda line before the first timed item"))
        elif m := re.match(r"^Moderated by\s+", t):
            item.participations += parse_actor(ctx, sub_line(line, m.end(), len(t)), "moderator")
        elif (label := role_of_label(t)) and (c := re.match(r"^[^:]{1,40}:\s*", t)):
            role = label
            if c.end() < len(t):  # "Scene-setter: Dr. Jane Roe, <post>, …"
                item.participations += parse_actor(ctx, sub_line(line, c.end(), len(t)), label)
        elif line.kind in ("bullet", "number") and role:
            item.participations += parse_actor(ctx, line, role)
        elif line.kind == "text" and len(t) > 60:
            item.description = f"{item.description} {t}" if item.description else t
        else:
            ctx.out.skipped.append(_skip(line, f"agenda line not recognised under '{item.title[:40]}'"))
            ctx.warn(line, f"agenda line not recognised (expected a timed item, 'Moderated by …', a role label "
                           f"such as 'Panel:', or a speaker bullet): {t[:60]!r}")


def _skip(line, reason: str):
    from ..records import Skipped
    return Skipped(line.lineno, line.text, reason)


def practices_from_agenda(ctx: Context, vocab) -> None:
    """What a State is on the agenda to present ("<State> – on its shift to community-based care") is its practice."""
    for item in ctx.out.agenda:
        for p in item.participations:
            if isinstance(p.actor, StateRef) and p.topic:
                ctx.out.practices.append(Practice(p.topic, p.span, p.actor, vocab.categories(p.topic),
                                                  vocab.targets(p.topic)))


def _publication_named(ctx: Context, intro: str, latest):
    """The publication an intro refers to ("The guide calls upon governments to:"), else the latest one."""
    if m := re.search(r"\bThe (\w+) calls", intro):
        word = m.group(1).lower()
        for pub in reversed(ctx.out.publications):
            if word in pub.label.lower().split()[:3]:
                return pub
    return latest


def parse_lists(ctx: Context, pub) -> None:
    """Numbered lists outside the agenda: the policy brief's calls."""
    i = 0
    while i < len(ctx.lines):
        line = ctx.lines[i]
        if line.kind == "number" and i not in ctx.used and i > 0:
            idx, items = collect_list(ctx, i)
            intro = ctx.lines[i - 1]
            kind = list_kind(intro.text)
            pub = _publication_named(ctx, intro.text, pub) if kind == "policy-brief-call" else pub
            if kind == "policy-brief-call" and pub is not None:
                lst = make_list(ctx, intro, items, kind, f"{pub.key}/calls", f"Calls of the {pub.label}",
                                publication=pub.key)
            else:
                lst = make_list(ctx, intro, items, kind, f"{ctx.doc}/{intro.lineno}", intro.text[:120])
            ctx.out.lists.append(lst)
            ctx.place(*idx)
            i = idx[-1] + 1
            continue
        i += 1


def parse(ctx: Context, known_events: set[str], vocab) -> None:
    ex = Exchange(ctx.event_date)
    parse_header(ctx, ex, HEADER_STOP)
    parse_event_facts(ctx, ex)
    ctx.out.exchange = ex
    parse_agenda(ctx)
    parse_working_group(ctx)
    pub = parse_publications(ctx)
    parse_lists(ctx, pub)
    parse_event_links(ctx, known_events)
    practices_from_agenda(ctx, vocab)
    _report.mark_prose(ctx)
