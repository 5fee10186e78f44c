"""Plain records that parsers produce: what a document states, with the span it states it in.

Parsers never write RDF; the emitter never reads text. These dataclasses are the contract
between the two.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Span:
    """[start, end) code-point offsets into one source document's original text."""

    doc: str
    start: int
    end: int


# -- mentions: how a document names an actor ---------------------------------------------
@dataclass
class OrgRef:
    name: str  # as written, cleaned for display
    span: Span
    acronym: str | None = None
    key: str | None = None  # gazetteer key when known
    parent: OrgRef | None = None
    state: str | None = None  # ISO3 of the government it belongs to, if stated
    based_in: str | None = None  # ISO3 of the country it is based in, if stated
    anonymous_context: bool = False  # named inside a Chatham House passage: never linked to a State
    scope: str | None = None  # minted under this key prefix when unlisted ("doc-004": one document's own body)


@dataclass
class StateRef:
    iso3: str
    name: str
    span: Span


@dataclass
class PersonRef:
    name: str  # without honorific
    span: Span
    honorific: str | None = None
    position: str | None = None
    affiliation: str | None = None  # position and organisation exactly as the document gives them
    org: OrgRef | None = None
    state: StateRef | None = None  # a State the position names ("First Lady of Colombia")


@dataclass
class Unnamed:
    """An actor a report leaves anonymous ("One State", "a campaigner with lived experience")."""

    key: str  # unique within the document
    kind: str  # State | person | organisation
    description: str  # the report's own words ("A volunteer who was once detained")
    span: Span


@dataclass
class Placeholder:
    """A speaker slot an agenda leaves open ("Government representative … (TBC)")."""

    description: str
    span: Span
    tbc: bool = False


Actor = OrgRef | StateRef | PersonRef | Unnamed | Placeholder


# -- facts ------------------------------------------------------------------------------------
@dataclass
class Participation:
    actor: Actor
    role: str  # a key of the participation-role scheme
    span: Span
    topic: str | None = None
    tbc: bool = False


@dataclass
class AgendaItem:
    kind: str  # session | opening | closing | qa | break | video | other
    title: str
    span: Span
    time: str | None = None
    number: int | None = None  # session number (Roman numerals read as integers)
    description: str | None = None
    participations: list[Participation] = field(default_factory=list)


@dataclass
class Exchange:
    date: str  # ISO date of the event the document describes
    spans: dict[str, Span] = field(default_factory=dict)  # fact → where the document states it
    title: str | None = None
    ordinal: int | None = None
    start: str | None = None  # HH:MM
    end: str | None = None
    tz: str | None = None  # as printed ("CET")
    online: bool | None = None
    closed: bool | None = None
    chatham: bool | None = None
    languages: list[str] = field(default_factory=list)
    hosts: list[OrgRef] = field(default_factory=list)


@dataclass
class Membership:
    org: OrgRef
    role: str  # co-lead | member | observer
    span: Span


@dataclass
class Publication:
    key: str
    label: str
    span: Span
    date: str | None = None  # xsd:gYearMonth
    creator: str = "WG-ATD"
    creator_role: str | None = None  # "co-leads" when the co-leads produced it
    title_as_written: str | None = None


@dataclass
class Item:
    number: int
    text: str
    span: Span
    objectives: list[int] = field(default_factory=list)
    numbered_in_source: bool = True


@dataclass
class ItemList:
    key: str
    kind: str  # a key of the list-kind scheme
    label: str
    span: Span
    items: list[Item] = field(default_factory=list)
    publication: str | None = None
    reported_by: Actor | None = None
    objectives: list[int] = field(default_factory=list)


@dataclass
class Statistic:
    key: str
    value: str  # lexical form; integer or decimal
    counted: str
    span: Span
    unit: str = "count"
    population: str | None = None
    place: str | None = None
    qualifier: str | None = None  # "just over", "at least"
    reported_by: Actor | None = None
    upper: str | None = None  # the end of a range ("3 – 12 months": value 3, upper 12)


@dataclass
class Attendance:
    actor: Actor
    span: Span


@dataclass
class Practice:
    label: str
    span: Span
    actor: Actor | None  # None: the text names nobody as doing it (attributed only where the text attributes)
    categories: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)


@dataclass
class Partnership:
    partners: list[Actor]
    description: str
    span: Span


@dataclass
class EventLink:
    relation: str  # follows | references
    date: str
    span: Span


@dataclass
class Skipped:
    lineno: int
    text: str
    reason: str


@dataclass
class Mention:
    """The document names a State, organisation or person here (whatever else it says about it)."""

    actor: StateRef | OrgRef | PersonRef
    recogniser: str  # the registered recogniser that found it


@dataclass
class Unread:
    """A sentence that names something (a State, organisation, person or number) but yielded no statement."""

    lineno: int
    text: str
    names: list[str] = field(default_factory=list)
    start: int | None = None  # [start, end) in the original text, as evidence spans are
    end: int | None = None


@dataclass
class Coverage:
    sentences: int = 0
    yielded: int = 0  # sentences some statement takes its evidence from
    unread: list[Unread] = field(default_factory=list)


@dataclass
class ParsedDocument:
    doc: str
    genre: str
    exchange: Exchange  # its date dates the document's statements even when it describes no exchange
    describes_event: bool = True  # False: a genre that describes no exchange (no exchange node, no atd:describes)
    agenda: list[AgendaItem] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    publications: list[Publication] = field(default_factory=list)
    publication_refs: list[tuple[str, Span]] = field(default_factory=list)
    lists: list[ItemList] = field(default_factory=list)
    statistics: list[Statistic] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)
    practices: list[Practice] = field(default_factory=list)
    partnerships: list[Partnership] = field(default_factory=list)
    event_links: list[EventLink] = field(default_factory=list)
    unnamed: list[Unnamed] = field(default_factory=list)
    speakers: list[OrgRef] = field(default_factory=list)  # organisations a report says spoke (by an officer's role)
    people: list[PersonRef] = field(default_factory=list)  # named outside an agenda (e.g. a speakers list)
    mentions: list[Mention] = field(default_factory=list)  # every name found anywhere in the text
    coverage: Coverage = field(default_factory=Coverage)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    furniture: list[tuple[int, str]] = field(default_factory=list)
    line_count: int = 0


# where a record stands in the text, not what it says: offsets, line numbers and page furniture differ by layout
LAYOUT_ONLY = frozenset({"span", "spans", "furniture", "line_count", "warnings", "skipped", "lineno"})


def what_it_states(pd: ParsedDocument) -> dict:
    """A parsed document's records without where they stand, so two layouts of one text (web-converted, PDF
    text, a real PDF's extraction) can be compared: equal exactly when they state the same things."""
    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k not in LAYOUT_ONLY}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x
    out = strip(asdict(pd))
    for unread in out["coverage"]["unread"]:  # offsets, as spans are (an exchange's start and end are times)
        del unread["start"], unread["end"]
    out["exchange_facts"] = sorted(pd.exchange.spans)
    return out
