"""Reports of an exchange: header, participation figures, numbered lists (findings, pledge
ideas, …), what speakers reported — attributed only as far as the report itself attributes it.

Chatham House Rule: a report says "One State reported …", "A campaigner …". Such a speaker
becomes an ``Unnamed`` actor of this document alone; nothing the report says about it is
ever linked to a named State or person, and organisations named inside such a passage are
kept apart from any State (``anonymous_context``).
"""
from __future__ import annotations

import re

from ..anonymous import reader_for
from ..names import slug
from ..parse_common import (
    Context,
    collect_list,
    list_kind,
    make_list,
    objectives_in,
    org_ref,
    parse_actor,
    parse_attendance,
    parse_event_facts,
    parse_event_links,
    parse_header,
    parse_publications,
    parse_statistics,
    parse_working_group,
)
from ..records import (
    AgendaItem,
    Exchange,
    Item,
    ItemList,
    Partnership,
    PersonRef,
    Practice,
    Publication,
    Skipped,
    Unnamed,
)

HEADER_STOP = re.compile(r"^(Context|Introduction|Background|Summary|Overview|Executive summary)\b", re.I)
ANON_STATE = re.compile(r"^(?:One|A|Another|Some) (?:State|[Gg]overnment|country|Member State)s?\b")
ANON_PERSON = re.compile(r"^(?:A|An|One|Another) (?P<desc>.*?\b(?:campaigner|advocate|activist|representative|"
                         r"speaker|participant|official|expert|practitioner|panellist|panelist)\b.*?)"
                         r"(?=\s+-\s|\s+(?:highlighted|reported|noted|called|said|stressed|emphasised|emphasized|"
                         r"challenged|presented|shared|explained|described)\b|,\s+(?:highlighted|reported))")
ROLE_OF_ORG = re.compile(r"^(?:The (?P<role>[A-Z][\w -]+?) of (?P<org>.+?)|(?P<org2>[A-Z][\w ]+?)[’']s "
                         r"(?P<role2>[A-Z][\w -]+?))(?=,|\s+(?:set|highlighted|reported|noted|called|said|opened|"
                         r"closed|presented|emphasised))")
REPRESENTATIVE_OF_ORG = re.compile(r"^(?:A|One) representative (?:from|of) (?:the )?(?P<org>[A-Z][\w ]+?)(?P<org2>)"
                                   r"(?=\s+(?:reported|highlighted|noted|said|presented|emphasised|called))")
CONTINUES = re.compile(r"^(?:She|He|They|The Government|The State|The Deputy Director-General|The speaker|"
                       r"The representative|Their|Its)\b")
SENTENCE_RE = re.compile(r"[^.!?]+(?:[.!?]+[”\"’]?|$)")
COLLAB_RE = re.compile(r"in (?:collaboration|partnership|cooperation) with (?P<who>[^.;]+)")
SPEAKER_LIST = re.compile(r"\b(speakers?|panel(?:lists?|ists?)?|presenters?|moderators?)\b", re.I)


def _is_heading(line) -> bool:
    t = line.text
    return (line.kind == "text" and len(t) <= 120 and not t.endswith((".", ":", ";", ",", "”", "\""))
            and not t.startswith(("“", "\"")) and t[:1].isupper())


def _is_subheading(line) -> bool:
    """A short heading ("Whole-of-society approach") continues the speaker's account."""
    return len(line.text.split()) <= 7 and list_kind(line.text) == "other"


def sections(ctx: Context) -> list[tuple[int | None, list[int]]]:
    """(heading index, body indices) in order."""
    out: list[tuple[int | None, list[int]]] = [(None, [])]
    for i, line in enumerate(ctx.lines):
        if (_is_heading(line) and i + 1 < len(ctx.lines) and not _is_heading(ctx.lines[i + 1])) or (
                _is_heading(line) and i + 1 < len(ctx.lines) and ctx.lines[i + 1].kind != "text"):
            out.append((i, []))
        else:
            out[-1][1].append(i)
    return out


OPENING = 300  # characters of a paragraph in which its speaker is introduced


def _speaker(ctx: Context, line, n: int):
    """The speaker this line introduces: an anonymous ``Unnamed`` actor, or an organisation
    speaking through an officer the report names only by role ("the Agency’s Regional Director").

    Chatham House Rule: an anonymous speaker gets no link to anything named — not even the
    organisation its description mentions ("a volunteer with the Example Youth Forum"); those
    words stay in its label only. An officer-of-organisation speaker is recorded as the
    organisation, never as the person the agenda may show in that post.
    """
    t = line.text[:OPENING]  # the speaker is named at the start: reading further only costs time
    person = next(((e, kind) for s, e, kind in reader_for(ctx.gazetteer.data_dir).speakers(t) if s == 0), None)
    if person and person[1] == "person" and (m := ANON_STATE.match(t)) and person[0] > m.end():
        # "A government representative …": a person, not "a government" (the longer phrase is the speaker)
        return Unnamed(f"{ctx.doc}-u{n}", "person", t[:person[0]].strip(), ctx.span(line, 0, person[0]))
    if m := ANON_STATE.match(t):
        return Unnamed(f"{ctx.doc}-u{n}", "State", m.group(0), ctx.span(line, 0, m.end()))
    if (m := ROLE_OF_ORG.match(t)) or (m := REPRESENTATIVE_OF_ORG.match(t)):
        org_text = m.group("org") or m.group("org2")
        start = m.start("org") if m.group("org") else m.start("org2")
        if ctx.gazetteer.resolve_org(org_text):
            return org_ref(ctx, line, start, start + len(org_text))
    if m := ANON_PERSON.match(t):
        desc = m.group("desc")
        return Unnamed(f"{ctx.doc}-u{n}", "person", f"{t[:m.start('desc')]}{desc}".strip().rstrip(","),
                       ctx.span(line, 0, m.end("desc")))
    return None


def _sentences(line):
    for m in SENTENCE_RE.finditer(line.text):
        s = m.group(0)
        lead = len(s) - len(s.lstrip())
        if s.strip():
            yield m.start() + lead, m.start() + lead + len(s.strip())


PRACTICE_CUE = re.compile(r"\b(programme|program|MOU|MoU|Memorandum|SOPs?|framework|training|trainings|workshop|"
                          r"working group|mapping|Charter|scaling|scale|consultation|indicators|plan)\b")
ORG_SUBJECT = re.compile(r"(?:reported|noted|said|highlighted) that (?P<org>[A-Z][\w ]*?) (?:is|are|has|have)\b")


def _practice_actor(ctx: Context, line, a: int, sentence: str, actor):
    """Who the sentence attributes a practice to: an organisation it names as subject, or a State speaker."""
    if (m := ORG_SUBJECT.search(sentence)) and ctx.gazetteer.resolve_org(m.group("org")):
        return org_ref(ctx, line, a + m.start("org"), a + m.end("org"), anonymous=isinstance(actor, Unnamed))
    if isinstance(actor, Unnamed) and actor.kind == "State":
        return actor
    return None


def _prose(ctx: Context, line, actor, vocab) -> None:
    out = ctx.out
    state_speaker = isinstance(actor, Unnamed) and actor.kind == "State"
    out.statistics += parse_statistics(ctx, line, reported_by=actor if state_speaker else None)
    out.attendance += parse_attendance(ctx, line)
    practice = None
    for a, b in _sentences(line):
        sentence = line.text[a:b]
        cats = vocab.categories(sentence)
        if practice is None and cats and PRACTICE_CUE.search(sentence) and (
                who := _practice_actor(ctx, line, a, sentence, actor)):
            # one practice per paragraph: named by its first sentence, categorised by the whole paragraph; its
            # evidence is that sentence, so the other practices the paragraph reports keep theirs
            practice = Practice(sentence, ctx.span(line, a, b), who, vocab.categories(line.text),
                                vocab.targets(line.text))
            out.practices.append(practice)
        if m := COLLAB_RE.search(sentence):
            who = m.group("who")
            base = a + m.start("who")
            partners = [org_ref(ctx, line, base + s, base + e, anonymous=isinstance(actor, Unnamed))
                        for s, e, _ in ctx.gazetteer.find_orgs(who)]
            if partners and actor is not None:
                out.partnerships.append(Partnership([actor, *partners], sentence, ctx.span(line, a, b)))


def _speaker_list(ctx: Context, intro, items) -> bool:
    """A bulleted list of named people (e.g. an annex of speakers) becomes participations."""
    parts = [p for line in items for p in parse_actor(ctx, line, "speaker")]
    people = [p for p in parts if isinstance(p.actor, PersonRef)]
    if not SPEAKER_LIST.search(intro.text) or len(people) < max(1, len(items) // 2):
        return False
    role = "moderator" if re.search(r"moderat", intro.text, re.I) else "speaker"
    for p in parts:
        p.role = role
    ctx.out.agenda.append(AgendaItem("other", intro.text.rstrip(":"), ctx.span(intro), participations=parts))
    return True


def _list(ctx: Context, intro, items, actor, pub_for_pledges) -> ItemList:
    kind = list_kind(intro.text)
    key = f"{ctx.doc}/{slug(intro.text)[:60]}"
    publication = None
    label = intro.text.rstrip(":")
    if kind == "pledge-idea":
        publication = pub_for_pledges(intro)
        key = f"{publication}/ideas" if publication else key
    # a speaker reports a list its own sentence introduces ("They highlighted that …:"); a list
    # under a heading is the report's, or the organisation the heading names
    reported_by = actor if not _is_heading(intro) else None
    if kind == "finding" and (orgs := ctx.gazetteer.find_orgs(intro.text)):
        s, e, _ = orgs[0]
        reported_by = org_ref(ctx, intro, s, e)
    lst = make_list(ctx, intro, items, kind, key, label, publication=publication, reported_by=reported_by)
    return lst


def _pledge_publication(ctx: Context):
    """The list of pledge ideas the report presents, as a publication of the Working Group's co-leads."""
    seen: dict[str, bool] = {}
    def make(intro) -> str | None:
        objectives = objectives_in(intro.text)
        if not objectives:
            return None
        label = ctx.cues.pledge_list_label.replace("{objective}", str(objectives[0]))
        if "produced" not in seen:  # once per document, not once per list
            seen["produced"] = any(ctx.cues.pledge_list_producer.search(ln.text) for ln in ctx.lines)
        produced = seen["produced"]
        pub = Publication(slug(label), label, ctx.span(intro), creator="WG-ATD",
                          creator_role="co-lead" if produced else None, title_as_written=intro.text)
        ctx.out.publications.append(pub)
        return pub.key
    return make


FORWARD_CUE = re.compile(r"\b(will|would|should|hoped|were encouraged|were urged|offer(?:ed|s)?|confirmed|"
                         r"willingness|recommend\w*|commit\w*)\b")


def _items_from_sentences(ctx: Context, heading, body: list[int], kind: str) -> ItemList:
    """Each sentence of a "Going forward" section that offers, intends or encourages is an item."""
    lst = ItemList(f"{ctx.doc}/{slug(heading.text)[:60]}", kind, heading.text, ctx.span(heading))
    n = 0
    for i in body:
        line = ctx.lines[i]
        for a, b in _sentences(line):
            if not FORWARD_CUE.search(line.text[a:b]):
                continue
            n += 1
            lst.items.append(Item(n, line.text[a:b], ctx.span(line, a, b), objectives_in(line.text[a:b]), False))
        ctx.place(i)
    return lst


def mark_prose(ctx: Context) -> None:
    """Paragraph lines no recogniser claimed are prose: kept (they are evidence), not skipped."""
    for i, line in enumerate(ctx.lines):
        if i in ctx.used:
            continue
        if (line.kind == "text" and (len(line.text) > 80 or line.text.endswith((".", ":", "”")))) or _is_heading(line):
            ctx.place(i)
        else:
            ctx.out.skipped.append(Skipped(line.lineno, line.text, "no recogniser placed this line"))


def parse(ctx: Context, known_events: set[str], vocab) -> None:
    ex = Exchange(ctx.event_date)
    parse_header(ctx, ex, HEADER_STOP)
    parse_event_facts(ctx, ex)
    ctx.out.exchange = ex
    parse_working_group(ctx)
    parse_publications(ctx)
    parse_event_links(ctx, known_events)
    pledge_pub = _pledge_publication(ctx)
    n_unnamed = 0
    actor = None
    for heading, body in sections(ctx):
        if heading is None or not _is_subheading(ctx.lines[heading]) or not isinstance(actor, Unnamed):
            actor = None  # a new part of the report: its speaker must be introduced again
        if heading is not None:
            ctx.place(heading)
            kind = list_kind(ctx.lines[heading].text)
            # a section of prose only: its sentences are the items (a section with a list has its list read)
            if kind in ("next-step", "recommendation") and body and all(ctx.lines[i].kind == "text" for i in body):
                ctx.out.lists.append(_items_from_sentences(ctx, ctx.lines[heading], body, kind))
                continue
        k = 0
        while k < len(body):
            i = body[k]
            line = ctx.lines[i]
            if line.kind in ("bullet", "number"):
                idx, items = collect_list(ctx, i)
                intro = ctx.lines[i - 1] if i > 0 else line
                if not _speaker_list(ctx, intro, items):
                    lst = _list(ctx, intro, items, actor, pledge_pub)
                    ctx.out.lists.append(lst)
                    for item_line in items:  # numbers stated inside findings count too
                        ctx.out.statistics += parse_statistics(ctx, item_line, reported_by=lst.reported_by)
                ctx.place(*idx)
                k += len(idx)
                continue
            if line.kind == "text" and not line.text.startswith("“"):
                if new := _speaker(ctx, line, n_unnamed + 1):
                    actor = new
                    if isinstance(new, Unnamed):
                        n_unnamed += 1
                        ctx.out.unnamed.append(new)
                    else:
                        ctx.out.speakers.append(new)
                elif not CONTINUES.match(line.text) and actor is not None and not isinstance(actor, Unnamed):
                    actor = None
                _prose(ctx, line, actor, vocab)
            k += 1
    mark_prose(ctx)
