"""What every genre shares: the document context, event header, affiliations, the Working
Group paragraph, publications, numbered lists, statistics and links to other events."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date as Date
from functools import lru_cache
from pathlib import Path

import yaml

from .gazetteer import Gazetteer
from .names import clean, looks_like_person, slug, split_honorific
from .records import (
    Attendance,
    EventLink,
    Exchange,
    Item,
    ItemList,
    Membership,
    OrgRef,
    ParsedDocument,
    Participation,
    PersonRef,
    Placeholder,
    Publication,
    Span,
    StateRef,
    Statistic,
)
from .sources import SourceError
from .text import Line, is_heading_text

MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                      "september", "october", "november", "december"], start=1)}
DATE_RE = re.compile(r"\b(\d{1,2})\s+(January|February|March|April|May|June|July|August|September|October|"
                     r"November|December)\s+(\d{4})\b")
MONTH_YEAR_RE = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|"
                           r"December)\s+(\d{4})\b")
TIME_RANGE_RE = re.compile(r"(\d{1,2})[:.](\d{2})\s*[–-]\s*(\d{1,2})[:.](\d{2})\s*\(?([A-Z]{2,5})?\)?")
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10}
LANGUAGES = {"English": "en", "French": "fr", "Spanish": "es", "Arabic": "ar", "Russian": "ru",
             "Chinese": "zh", "Portuguese": "pt"}

# Words that make a segment of an affiliation an organisation, and those that make it a position.
ORG_WORDS = re.compile(r"\b(Ministry|Department|Directorate|Division|Office|Agency|Unit|Section|Commission|Council|"
                       r"Society|Foundation|Stiftung|University|Faculty|School|Institute|Coalition|Network|Programme|"
                       r"Program|Centre|Center|Mission|Secretariat|Service|Services|Association|Committee|"
                       r"Organi[sz]ation|Government|Authority|Bureau|Municipality|Group)\b")
UNIT_WORDS = re.compile(r"\b(Faculty|Department|Division|Unit|Section|Directorate|Office|Programme|Program|Group)\b")
POSITION_START = re.compile(r"^(Head|Director|Deputy|Chief|Minister|Senior|Assistant|Secretary|General Counsel|"
                            r"Counsel|Advis[eo]r|Officer|Manager|Lead|Global Lead|Coordinator|Commissioner|Mayor|"
                            r"Vice|Ambassador|President|Chair|Expert|Professor|Campaigner|Activist|Doctor|Executive|"
                            r"Regional|Strategic|Special Adviser|Focal)\b")
UNIT_BEFORE_ORG = re.compile(r"^(.*?)\s+(?:for|of|at|in|with)\s+(?:the\s+)?$")  # "Unit for" + a known name
SEGMENT_SEP = re.compile(r",\s+|\s+[–-]\s+|(?<=\w)-\s+(?=[A-Z])")
ROLE_LABELS = [
    (re.compile(r"^opening panel", re.I), "panelist"),
    (re.compile(r"^panel(?:ists?)?\b", re.I), "panelist"),
    (re.compile(r"^discussion[- ]starters?", re.I), "discussion-starter"),
    (re.compile(r"^scene[- ]setters?", re.I), "scene-setter"),
    (re.compile(r"^speakers?\b", re.I), "speaker"),
    (re.compile(r"^presenters?\b", re.I), "presenter"),
    (re.compile(r"^moderat", re.I), "moderator"),
]


STRUCTURE_CUES_FILE = Path("gazetteer") / "structure_cues.yaml"


class StructureCueError(SourceError):
    """The structure cue file is malformed: the message names the file and the key."""


@dataclass(frozen=True)
class StructureCues:
    """The cue patterns of the structure parsers (``data/gazetteer/structure_cues.yaml``), compiled."""

    online_series: re.Pattern  # a heading "[Report of the] [ordinal] <series>": the event is held online
    interpretation: re.Pattern  # group 1: the interpretation languages
    working_group: re.Pattern  # the Working Group's name in a host line
    members_list: re.Pattern  # group 1: the Working Group's members
    pledge_list_label: str  # "{objective}" stands for the objective's number
    pledge_list_producer: re.Pattern  # the co-leads produced the pledge-idea lists

    @classmethod
    def load(cls, data_dir: Path) -> StructureCues:
        path = Path(data_dir) / STRUCTURE_CUES_FILE
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as e:
            raise StructureCueError(f"{path}: cannot read the structure cues ({e})") from None
        values: dict[str, str] = {}
        for key in ("online_series", "interpretation", "working_group", "members_list", "pledge_list_label",
                    "pledge_list_producer"):
            v = raw.get(key) if isinstance(raw, dict) else None
            if not isinstance(v, str) or not v.strip():
                raise StructureCueError(f"{path}: {key!r} must be a non-empty string (found {v!r})")
            values[key] = v.strip()
        if "{objective}" not in values["pledge_list_label"]:
            raise StructureCueError(f"{path}: 'pledge_list_label' must contain {{objective}}")

        def compile_(key: str, prefix: str = "", suffix: str = "", flags: int = 0) -> re.Pattern:
            try:
                return re.compile(f"{prefix}{values[key]}{suffix}", flags)
            except re.error as e:
                raise StructureCueError(f"{path}: {key!r} is not a regular expression ({e})") from None

        return cls(compile_("online_series", r"^(?:Report of (?:the )?)?(\w+ )?(?:", ")$", re.I),
                   compile_("interpretation", flags=re.I), compile_("working_group"), compile_("members_list"),
                   values["pledge_list_label"], compile_("pledge_list_producer"))


@lru_cache(maxsize=4)
def structure_cues(data_dir: Path) -> StructureCues:
    return StructureCues.load(data_dir)


@dataclass
class Context:
    """One document being parsed: its lines, the gazetteer and what has been said so far."""

    doc: str
    genre: str
    event_date: str
    lines: list[Line]
    gazetteer: Gazetteer
    out: ParsedDocument
    used: set[int] = field(default_factory=set)  # indices of lines some recogniser placed
    publisher: str = ""  # who the manifest says published it: the "we" of an article or a briefing
    _index: dict[int, int] = field(default_factory=dict, repr=False)
    _starts: list[int] = field(default_factory=list, repr=False)

    def index(self, line: Line) -> int:
        """The position of a line in the document (lines are compared by identity; the map is built once)."""
        if not self._index:
            self._index = {id(ln): k for k, ln in enumerate(self.lines)}
        return self._index[id(line)]

    def line_at(self, offset: int) -> Line | None:
        """The line that holds a document offset, or None (the lines' first offsets, listed once, are bisected)."""
        if not self._starts:
            self._starts = [ln.starts[0] if ln.starts else -1 for ln in self.lines]
        k = bisect_right(self._starts, offset) - 1
        line = self.lines[k] if k >= 0 else None
        return line if line is not None and line.starts and offset <= line.ends[-1] else None

    @property
    def cues(self) -> StructureCues:
        return structure_cues(self.gazetteer.data_dir)

    def span(self, line: Line, i: int = 0, j: int | None = None) -> Span:
        start, end = line.span(i, j)
        return Span(self.doc, start, end)

    def place(self, *indices: int) -> None:
        self.used.update(indices)

    def warn(self, line: Line | None, message: str) -> None:
        where = f"{self.doc}:{line.lineno}" if line else self.doc
        self.out.warnings.append(f"{where}: {message}")


# -- dates, header -------------------------------------------------------------------------
def iso_date(m: re.Match) -> str:
    return Date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1))).isoformat()


def parse_header(ctx: Context, ex: Exchange, stop: re.Pattern) -> int:
    """Title, ordinal, date, times and co-hosts from the lines before ``stop``; returns where it stopped."""
    for i, line in enumerate(ctx.lines):
        t = line.text
        if stop.match(t):
            return i
        if m := ctx.cues.online_series.match(t):
            ordinal = (m.group(1) or "").strip().lower()
            if ordinal in ORDINALS:
                ex.ordinal = ORDINALS[ordinal]
                ex.spans["ordinal"] = ctx.span(line)
            ex.online = True
            ex.spans["online"] = ctx.span(line)
            ctx.place(i)
        elif m := DATE_RE.search(t) if len(t) < 80 else None:
            if iso_date(m) != ctx.event_date:
                ctx.warn(line, f"the document's date {iso_date(m)} differs from the manifest's event {ctx.event_date}")
            ex.spans["date"] = ctx.span(line, m.start(), m.end())
            if r := TIME_RANGE_RE.search(t):
                ex.start, ex.end = f"{int(r.group(1)):02d}:{r.group(2)}", f"{int(r.group(3)):02d}:{r.group(4)}"
                ex.tz = r.group(5)
                ex.spans["time"] = ctx.span(line, r.start(), r.end())
            ctx.place(i)
        elif re.search(r"co-hosted by", t, re.I):
            ex.hosts = parse_hosts(ctx, line)
            ex.spans["hosts"] = ctx.span(line)
            ctx.place(i)
        elif ex.title is None and i > 0 and len(t) < 200 and not t.endswith("."):
            ex.title = t
            ex.spans["title"] = ctx.span(line)
            ctx.place(i)
    return len(ctx.lines)


def parse_hosts(ctx: Context, line: Line) -> list[OrgRef]:
    """The co-hosts named in a "co-hosted by …" line: organisations and permanent missions."""
    t = line.text
    hosts: list[OrgRef] = []
    taken: list[tuple[int, int]] = []
    # names bounded in length: a line of unclosed "Permanent Mission of …" must not re-scan to its end each time
    for m in re.finditer(r"Permanent Missions? of (.{1,300}?)(?: to the (?:UN|United Nations))? in Geneva", t):
        for _s, _e, iso in ctx.gazetteer.find_states(m.group(1)):
            hosts.append(OrgRef(f"Permanent Mission of {ctx.gazetteer.states[iso].label} in Geneva",
                                ctx.span(line, m.start(), m.end()), key=f"PM-{iso}", state=iso))
        taken.append((m.start(), m.end()))
    by = re.search(r"co-hosted by\s+", t, re.I)
    head = t[by.end():] if by else t
    offset = by.end() if by else 0
    for s, e, key in ctx.gazetteer.find_orgs(head):
        if _inside(taken, s + offset):
            continue
        hosts.append(OrgRef(head[s:e], ctx.span(line, s + offset, e + offset), key=key))
    wg = ctx.cues.working_group.search(t)
    if wg and not any(h.key == "WG-ATD" for h in hosts):
        hosts.insert(0, OrgRef(wg.group(0), ctx.span(line, wg.start(), wg.end()), key="WG-ATD"))
    return hosts


def parse_event_facts(ctx: Context, ex: Exchange) -> None:
    """Chatham House Rule, closed meeting, interpretation languages: wherever they are stated."""
    for i, line in enumerate(ctx.lines):
        t = line.text
        if ex.chatham is None and (m := re.search(r"Chatham House Rule", t)):
            ex.chatham = True
            ex.spans["chatham"] = ctx.span(line, m.start(), m.end())
        if ex.closed is None and (m := re.search(r"closed meeting", t)):
            ex.closed = True
            ex.spans["closed"] = ctx.span(line, m.start(), m.end())
        if m := ctx.cues.interpretation.search(t):
            ex.languages = [code for name, code in LANGUAGES.items() if re.search(rf"\b{name}\b", m.group(1))]
            ex.spans["languages"] = ctx.span(line)
            ctx.place(i)
        if re.search(r"\b(online|remote format|virtual)\b", t, re.I) and "online" not in ex.spans:
            ex.online = True
            ex.spans["online"] = ctx.span(line)


# -- actors in agendas ----------------------------------------------------------------------
def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    """Is ``pos`` inside one of ``spans`` (sorted by start, not overlapping)? Binary search: linear overall."""
    k = bisect_right(spans, (pos, float("inf"))) - 1
    return k >= 0 and spans[k][0] <= pos < spans[k][1]


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted, with any that overlap an earlier one merged into it."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _segments(text: str, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split an affiliation at commas and dashes, never inside a protected name or brackets."""
    cuts: list[tuple[int, int]] = []
    protected = _disjoint(protected)
    depth = pos = 0  # bracket depth of text[:pos], counted once from left to right
    for m in SEGMENT_SEP.finditer(text):
        depth += text.count("(", pos, m.start()) - text.count(")", pos, m.start())
        pos = m.start()
        if _inside(protected, m.start()) or depth > 0:
            continue
        cuts.append((m.start(), m.end()))
    segs, pos = [], 0
    for a, b in cuts:
        segs.append((pos, a))
        pos = b
    segs.append((pos, len(text)))
    return [(a, b) for a, b in segs if text[a:b].strip()]


def _acronym(name: str) -> tuple[str, str | None]:
    if m := re.fullmatch(r"(.+?)\s*\(([A-Z][A-Za-z/&-]{1,15})\)", name.strip()):
        return m.group(1).strip(), m.group(2)
    return name.strip(), None


def org_ref(ctx: Context, line: Line, start: int, end: int, anonymous: bool = False) -> OrgRef:
    name = re.sub(r"^the\s+", "", line.text[start:end].strip(), flags=re.I)
    lead = line.text[start:end].find(name)
    full, acronym = _acronym(name)
    key = ctx.gazetteer.resolve_org(name) or ctx.gazetteer.resolve_org(full)
    return OrgRef(clean(full), ctx.span(line, start + max(lead, 0), end), acronym=acronym, key=key,
                  anonymous_context=anonymous)


def parse_affiliation(ctx: Context, line: Line, start: int) -> tuple[str | None, OrgRef | None, StateRef | None, str]:
    """(position, most specific organisation, State named in the position, affiliation as written)."""
    text = line.text[start:]
    protected = [(s, e) for s, e, _ in ctx.gazetteer.find_orgs(text)]
    protected += [(m.start(), m.end()) for m in re.finditer(r"Permanent Mission of .{1,300}? in Geneva", text)]
    positions: list[str] = []
    chain: list[tuple[OrgRef, bool]] = []  # (organisation, is a unit) left to right
    state: StateRef | None = None
    based_in: str | None = None
    for a, b in _segments(text, protected):
        seg = text[a:b].strip()
        a += text[a:b].find(seg)
        b = a + len(seg)
        known = ctx.gazetteer.resolve_org(seg) or ctx.gazetteer.resolve_org(_acronym(seg)[0])
        iso = ctx.gazetteer.resolve_state(seg)
        inner = [(s, e, k) for s, e, k in ctx.gazetteer.find_orgs(seg)]
        if iso and not known:
            based_in = iso
            state = StateRef(iso, seg, ctx.span(line, start + a, start + b))
        elif known:
            chain.append((org_ref(ctx, line, start + a, start + b), False))
        elif inner and inner[0][0] > 0 and (c := UNIT_BEFORE_ORG.match(seg[:inner[0][0]])):
            head = c.group(1)
            if ORG_WORDS.search(head) and not POSITION_START.match(head):
                chain.append((org_ref(ctx, line, start + a, start + a + len(head)), True))
            else:
                positions.append(head)
            s, e, _ = inner[0]
            rest = seg[e:].strip()
            if rest and ORG_WORDS.search(rest):  # "Acme Legal Aid Unit": a unit of Acme, a known name
                chain.append((org_ref(ctx, line, start + a + s, start + b), True))
            chain.append((org_ref(ctx, line, start + a + s, start + a + e), False))
        elif ORG_WORDS.search(seg) and not POSITION_START.match(seg) and seg[:1].isupper():
            chain.append((org_ref(ctx, line, start + a, start + b), bool(UNIT_WORDS.search(seg))))
        else:
            positions.append(seg)
            if (m := re.search(r"\bof (?:the )?(.+)$", seg)) and (iso2 := ctx.gazetteer.resolve_state(m.group(1))):
                state = StateRef(iso2, m.group(1), ctx.span(line, start + a + m.start(1), start + b))
    # nest: left ⊂ right, except a unit that follows an institution ("University, Faculty of Law")
    for k in range(len(chain) - 1):
        (left, left_unit), (right, right_unit) = chain[k], chain[k + 1]
        if right_unit and not left_unit:
            right.parent = right.parent or left
        elif left.parent is None:
            left.parent = right
    orgs = [o for o, _ in chain]
    parents = {id(o.parent) for o in orgs if o.parent is not None}
    specific = next((o for o in orgs if id(o) not in parents), None)
    if based_in:
        top = specific
        while top is not None and top.parent is not None:
            top = top.parent
        if top is not None:
            top.based_in = based_in
    position = ", ".join(positions) or None
    if (position is None and specific is not None and specific.key and ctx.gazetteer.orgs.get(specific.key)
            and ctx.gazetteer.orgs[specific.key].cls == "UNMandate"):
        position = specific.name  # the mandate-holder's title is the mandate's name
    return position, specific, state, text.strip()


def parse_actor(ctx: Context, line: Line, role: str) -> list[Participation]:
    """A speaker bullet: a named person, a State, the WG co-leads, or an open slot."""
    t = line.text
    topic = None
    body_end = len(t)
    if m := re.search(r"\s[–-]\s((?:on|how)\s.+)$", t):
        topic, body_end = m.group(1), m.start()
    tbc = "(TBC)" in t
    sep = SEGMENT_SEP.search(t[:body_end])
    name_part = t[:sep.start()] if sep else t[:body_end]
    bare = re.sub(r"\s*\(TBC\)", "", name_part).strip()
    span = ctx.span(line)
    if re.fullmatch(r"(?:WG|Working Group) Co-leads", bare, re.I):
        return [Participation(OrgRef(bare, span, key="WG-ATD-CO-LEADS"), role, span)]
    if iso := ctx.gazetteer.resolve_state(bare):
        actor = StateRef(iso, bare, ctx.span(line, 0, len(name_part.rstrip())))
        return [Participation(actor, role, span, topic=topic, tbc=tbc)]
    honorific, name = split_honorific(bare)
    if (honorific or looks_like_person(name)) and not ctx.gazetteer.resolve_org(name):
        person = PersonRef(name, ctx.span(line, 0, len(name_part)), honorific=honorific)
        if sep:
            person.position, person.org, person.state, person.affiliation = parse_affiliation(
                ctx, sub_line(line, sep.end(), body_end), 0)
        return [Participation(person, role, span, topic=topic, tbc=tbc)]
    if sep is None and (key := ctx.gazetteer.resolve_org(bare)):
        return [Participation(OrgRef(bare, span, key=key), role, span, topic=topic, tbc=tbc)]
    return [Participation(Placeholder(t, span, tbc), role, span, topic=topic, tbc=tbc)]


def sub_line(line: Line, i: int, j: int) -> Line:
    """The part ``text[i:j]`` of a line, as a line of its own (offsets kept)."""
    return Line(line.text[i:j], line.starts[i:j], line.ends[i:j], line.lineno, line.kind, line.number,
                line.time, line.block)


def role_of_label(text: str) -> str | None:
    for pattern, role in ROLE_LABELS:
        if pattern.match(text):
            return role
    return None


# -- the Working Group paragraph ----------------------------------------------------------------
LONGEST_NAME = 200  # characters: no organisation's name is longer


def _split_list(text: str, is_name) -> list[tuple[int, int]]:
    """Item spans of "A, B (X), the C and D": commas outside brackets, then a final "and".

    Names contain "and" too ("Towns and Villages Partnership"), so the last part is cut
    at an " and " only where the words before it are a name on their own (``is_name``).
    """
    parts: list[tuple[int, int]] = []
    pos = depth = 0
    for k, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            parts.append((pos, k))
            pos = k + 1
    parts.append((pos, len(text)))
    a, b = parts[-1]
    if m := re.match(r"\s*and\s+", text[a:b]):
        parts[-1] = (a + m.end(), b)
    else:
        for m in re.finditer(r"\s+and\s+", text[a:b]):
            if m.start() > LONGEST_NAME:
                break  # what precedes is longer than any name: looking further would be quadratic
            if is_name(text[a:a + m.start()].strip()):
                parts[-1:] = [(a, a + m.start()), (a + m.end(), b)]
                break
    out = []
    for a, b in parts:
        seg = text[a:b]
        out.append((a + len(seg) - len(seg.lstrip()), a + len(seg.rstrip())))
    return [(a, b) for a, b in out if b > a]


def parse_working_group(ctx: Context) -> None:
    """Co-leads, members and observers of the Working Group, as the document lists them."""
    for i, line in enumerate(ctx.lines):
        t = line.text
        if m := re.search(r"co-led by (.+?)(?:\.|\s+and its\s|$)", t):
            for a, b in _split_list(m.group(1), ctx.gazetteer.resolve_org):
                ref = org_ref(ctx, line, m.start(1) + a, m.start(1) + b)
                ctx.out.memberships.append(Membership(ref, "co-lead", ref.span))
            ctx.place(i)
        if m := ctx.cues.members_list.search(t):
            for a, b in _split_list(m.group(1), ctx.gazetteer.resolve_org):
                a, b = m.start(1) + a, m.start(1) + b
                item = t[a:b]
                role = "member"
                if o := re.search(r"\s*\(observer\)$", item):
                    role, b = "observer", a + o.start()
                ref = org_ref(ctx, line, a, b)
                ctx.out.memberships.append(Membership(ref, role, Span(ctx.doc, *line.span(a, a + len(item)))))
            ctx.place(i)


# -- publications ---------------------------------------------------------------------------------
def _publication_key(label: str) -> str:
    return slug(re.sub(r"^(?:a|an|the)\s+", "", label, flags=re.I))


def parse_publications(ctx: Context) -> Publication | None:
    """A sentence dating a publication of the Working Group ("In <Month> <year>, the Working Group issued a <kind>
    on …") and later mentions of it."""
    latest = None
    for i, line in enumerate(ctx.lines):
        t = line.text
        for m in re.finditer(r"In (\w+ \d{4}), the Working Group (?:published|produced|issued|released) (?:a|an|the) "
                             r"(.+?)(?= to support| to |\.|$)", t):
            my = MONTH_YEAR_RE.fullmatch(m.group(1))
            label = m.group(2).strip()
            label = label[0].upper() + label[1:]
            pub = Publication(_publication_key(label), label, ctx.span(line, m.start(), m.end()),
                              date=f"{my.group(2)}-{MONTHS[my.group(1).lower()]:02d}" if my else None)
            ctx.out.publications.append(pub)
            latest = pub
            ctx.place(i)
    return latest


# -- lists ----------------------------------------------------------------------------------------------
LIST_KINDS = [
    (re.compile(r"calls? on States", re.I), "policy-brief-call"),
    (re.compile(r"pledge", re.I), "pledge-idea"),
    (re.compile(r"findings?", re.I), "finding"),
    (re.compile(r"many roads|ways to achiev", re.I), "pathway"),
    (re.compile(r"ingredients|key to|success factors", re.I), "key-factor"),
    (re.compile(r"challenges", re.I), "challenge"),
    (re.compile(r"recommend", re.I), "recommendation"),
    (re.compile(r"next steps|going forward|way forward", re.I), "next-step"),
    (re.compile(r"values|requires|principles|elements", re.I), "practice-element"),
]


def list_kind(intro: str) -> str:
    for pattern, kind in LIST_KINDS:
        if pattern.search(intro):
            return kind
    return "other"


def objectives_in(text: str) -> list[int]:
    """The GCM objectives a text names by number ("Objective 13", "OBJECTIVES 9, 13 AND 21")."""
    nums = [int(n) for n in re.findall(r"(?i:objective)\s+(\d{1,2})\b", text)]
    nums += [int(n) for m in re.finditer(r"(?i:objectives)\s+((?:\d{1,2}|\s|,|(?i:and))+)", text)
             for n in re.findall(r"\d{1,2}", m.group(1))]
    return sorted({n for n in nums if 1 <= n <= 23})


def heading_objectives(ctx: Context, line: Line) -> list[int]:
    """The GCM objectives the heading of the section a line stands in names ("6 IDEAS FOR PLEDGES AT THE IMRF
    (GCM OBJECTIVE 13)" above "Participants suggested … pledges to:"): the nearest heading-like line at most
    three lines before it."""
    try:
        at = ctx.index(line)
    except KeyError:
        return []  # a line a reader made up (not one of the document's): no section around it
    for k in range(at - 1, max(-1, at - 4), -1):
        if ctx.lines[k].kind == "text" and is_heading_text(ctx.lines[k].text):
            return objectives_in(ctx.lines[k].text)
    return []


def collect_list(ctx: Context, start: int) -> tuple[list[int], list[Line]]:
    """Indices and lines of the run of list items (bullets or numbers) starting at ``start``."""
    idx: list[int] = []
    k = start
    kind = ctx.lines[start].kind
    while k < len(ctx.lines) and ctx.lines[k].kind == kind:
        if kind == "number" and idx and ctx.lines[k].number != (ctx.lines[idx[-1]].number or 0) + 1:
            break
        idx.append(k)
        k += 1
    return idx, [ctx.lines[k] for k in idx]


def make_list(ctx: Context, intro: Line, items: list[Line], kind: str, key: str, label: str,
              publication: str | None = None, reported_by=None) -> ItemList:
    objectives = objectives_in(intro.text) or heading_objectives(ctx, intro)
    lst = ItemList(key, kind, label, ctx.span(intro), publication=publication, reported_by=reported_by,
                   objectives=objectives)
    for n, line in enumerate(items, start=1):
        number = line.number if line.kind == "number" and line.number is not None else n
        text = re.sub(r"\s*\((?:GCM )?Objectives? [^)]*\)\s*$", "", line.text).rstrip(" ;")
        text = re.sub(r";\s*and$", "", text)
        own = objectives_in(line.text)
        lst.items.append(Item(number, text, ctx.span(line), own or objectives, line.kind == "number"))
    return lst


# -- links to other events ----------------------------------------------------------------------------
def parse_event_links(ctx: Context, known_events: set[str]) -> None:
    """Earlier exchanges the document refers to; the latest of them is the one it follows."""
    refs: dict[str, Span] = {}
    for line in ctx.lines:
        if not re.search(r"exchange|meeting|workshop", line.text, re.I):
            continue
        for m in DATE_RE.finditer(line.text):
            d = iso_date(m)
            if d < ctx.event_date and d in known_events and d not in refs:
                refs[d] = ctx.span(line)
    for d, span in sorted(refs.items()):
        ctx.out.event_links.append(EventLink("references", d, span))
    if refs:
        latest = max(refs)
        ctx.out.event_links.append(EventLink("follows", latest, refs[latest]))


# -- statistics ----------------------------------------------------------------------------------------------
# (not the end of a range, "between 10 and 45 days", nor a duration: the statistics stage reads those whole)
STAT_RE = re.compile(r"(?P<qual>just over|over|more than|at least|almost|nearly|about|around)?\s*"
                     r"(?<!\band )(?<!\bto )(?<![–-])(?<![–-] )"
                     r"\b(?P<value>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(?P<pct>%|per cent|percent)?\s+"
                     r"(?:different\s+)?(?P<noun>participants|officials|governments|government agencies|agencies|"
                     r"States|countries|children|migrants|people|persons|detainees|cases|organisations|"
                     r"organizations|speakers)\b")


NONE_OF_BEFORE = re.compile(r"(?i)\b(?:none|not\s+one)\s+of\s+(?:the\s+)?$")
RATE_RE = re.compile(r"\b(?P<noun>[a-z]+ rates?)\b[^.;]{0,40}?\b(?P<qual>above|over|below|under|of|around|nearly)\s+"
                     r"(?P<value>\d+(?:\.\d+)?)\s*(?P<pct>%|per cent|percent)")


def parse_statistics(ctx: Context, line: Line, reported_by=None) -> list[Statistic]:
    """Counts and percentages stated in a sentence ("130 participants attended …",
    "compliance rates above 90 per cent")."""
    out = []
    for m in RATE_RE.finditer(line.text):
        qual = None if m.group("qual") == "of" else m.group("qual")
        out.append(Statistic(f"{ctx.doc}-{slug(m.group('noun'))}-{m.group('value')}", m.group("value"), m.group("noun"),
                             ctx.span(line, m.start(), m.end()), unit="percent", qualifier=qual,
                             reported_by=reported_by))
    for m in STAT_RE.finditer(line.text):
        value = m.group("value").replace(",", "")
        noun = m.group("noun")
        before = line.text[max(0, m.start("value") - 16):m.start("value")]
        if re.search(r"(Objective|Article|paragraph|Session)\s*$", before, re.I) or NONE_OF_BEFORE.search(before):
            continue  # a reference; or the whole of "none of the 650 children", which the statistics stage reads
        start = m.start("qual") if m.group("qual") else m.start("value")
        stat = Statistic(f"{ctx.doc}-{slug(noun)}-{value}", value, noun, ctx.span(line, start, m.end()),
                         unit="percent" if m.group("pct") else "count",
                         qualifier=m.group("qual"), reported_by=reported_by)
        if noun == "officials" and (g := re.search(r"officials from (\d+) governments", line.text[m.start():])):
            stat.population = f"government officials from {g.group(1)} governments"
        out.append(stat)
    return out


def parse_attendance(ctx: Context, line: Line) -> list[Attendance]:
    """Regional processes and others a participation sentence names ("… and the Quito Process")."""
    m = re.search(r"\d+\s+participants attended", line.text)
    if not m:
        return []
    return [Attendance(OrgRef(line.text[s:e], ctx.span(line, s, e), key=k), ctx.span(line))
            for s, e, k in ctx.gazetteer.find_orgs(line.text) if k not in ("WG-ATD", "UNNM")]
