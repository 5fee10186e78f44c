"""Mentions anywhere in the text: every State, organisation and person a document names, wherever it names them.

The genre parsers read structure (headers, agendas, lists, who reported what); this stage reads every logical
line for names, so that a document's graph references what its text names even where no parser understood the
sentence. Each recogniser is a small registered unit with one contract — ``(MentionContext, line) -> mentions``
— run in registry order over every line (as spaCy runs pipeline components). Their cue words are data:
``data/gazetteer/mention_cues.yaml`` and the State names in ``data/gazetteer/state_names.csv``.

Chatham House Rule: a mention only says that the document names something there. An organisation named in a
line whose speaker the report leaves anonymous is marked ``anonymous_context`` (never tied to a State), and a
State named there stays a place: no mention is ever made the actor of an anonymous passage.
"""
from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple

from . import cuefile
from .coverage import spans_and_refs
from .gazetteer import Gazetteer
from .intervals import Disjoint
from .names import clean, fold, trie_alternation
from .numbers import _in_dictionary
from .parse_common import MONTHS, Context
from .records import Mention, OrgRef, PersonRef, Span, StateRef
from .sources import SourceError
from .text import Line

CUES_FILE = Path("gazetteer") / "mention_cues.yaml"
CUE_KEYS = ("org_heads", "not_org_heads", "posts", "connectors", "government_nouns", "org_cues", "honorifics",
            "person_before", "person_after", "not_person_words", "not_state_places", "sentence_openers",
            "generic_modifiers", "public_body_heads", "located_heads", "name_possessives", "org_nouns_after",
            "facility_heads", "head_first_words", "local_government_heads", "institutions", "compound_tails",
            "force_heads", "state_level_modifiers")
# a word: letters, then letters, digits, apostrophes, hyphens or inner full stops ("H.E.", "Children's")
WORD_RE = re.compile(r"[^\W\d_](?:[\w'’.-]*[\w’'])?|&")
# the world's regions, as names of regional offices join them ("East Asia and Pacific", "Europe and Central Asia")
REGIONS = frozenset({"Asia", "Pacific", "Europe", "Africa", "Americas", "America", "Caribbean", "East", "Middle",
                     "Central", "North", "South", "West", "Eastern", "Western", "Southern", "Northern", "Arab",
                     "Latin", "Gulf", "Mediterranean", "Balkans"})
HONORIFIC_WORDS = frozenset({"Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Professor", "Rev", "Sr", "Sra", "Dame", "Sir"})
ACRONYM_RE = re.compile(r"\(([A-Z][A-Za-z&]{0,8}[A-Z]s?)\)")
POSSESSIVE = ("'s", "’s")
LONGEST_NAME = 24  # words: a run of capitalised words longer than any name is cut (and stays linear)
# the capitals of the Latin alphabets (Latin-1 and Latin Extended-A and -B: "Đorđević", "Łukasz", "Šimić", "Ōta")
CAPITALS = "A-Z" + "".join(ch for ch in map(chr, range(0xC0, 0x250)) if ch.isupper())
# letters (not "¹": a note mark), and combining marks too: "Açı̇k" as PDF conversion leaves it
NAME_WORD = rf"[{CAPITALS}](?:[^\W\d_¹²³⁰-⁹]|['’\u0300-\u036f-])+"
PARTICLE = r"(?:de|da|del|dos|das|van|von|der|la|le|bin|al|el|di)"
# two to four name words, with a particle or an initial between them ("Luis de la Cruz", "John F. Kennedy") or an
# abbreviated first name before them ("Ma. Cristina Lualhati")
PERSON_NAME = r"(?:[A-Z][a-z]?\.\s+)?{word}(?:\s+(?:{particle}\s+|[A-Z]\.\s+)?{word}){{1,3}}"
NOTE_MARK = r"(?:[¹²³⁴⁵⁶⁷⁸⁹⁰*†‡]+|\(\d\)|\d(?=\s*(?:,|and\b|&|$)))?"  # "Jane Doe¹", "Jane Doe (1)", "Jane Doe*"


class CueError(SourceError):
    """The cue file is malformed: the message names the file and the key."""


@dataclass
class Cues:
    """The cue words, as sets for lookups."""

    org_heads: frozenset[str]
    not_org_heads: frozenset[str]
    posts: frozenset[str]
    connectors: frozenset[str]
    government_nouns: frozenset[str]
    org_cues: frozenset[str]
    honorifics: list[str]
    person_before: list[str]
    person_after: list[str]
    not_person_words: frozenset[str]
    not_state_places: list[str]
    sentence_openers: frozenset[str]
    generic_modifiers: frozenset[str]
    public_body_heads: frozenset[str]
    located_heads: frozenset[str]
    name_possessives: frozenset[str]
    org_nouns_after: frozenset[str]
    facility_heads: frozenset[str]
    head_first_words: frozenset[str]
    local_government_heads: frozenset[str]
    institutions: frozenset[str]
    compound_tails: frozenset[str]
    force_heads: frozenset[str]
    state_level_modifiers: frozenset[str]

    @classmethod
    def load(cls, data_dir: Path) -> Cues:
        path = Path(data_dir) / CUES_FILE
        raw = cuefile.read(path, CueError)
        values = {key: cuefile.words(raw, key, path, CueError) for key in CUE_KEYS}
        listed = {"honorifics", "person_before", "person_after", "not_state_places"}
        fields: dict[str, Any] = {k: (sorted(v, key=len, reverse=True) if k in listed else frozenset(v))
                                  for k, v in values.items()}
        return cls(**fields)


class Token:
    """A word of a line and where it stands. A plain slotted class, not a dataclass: every line of every document
    is cut into them, and the dataclass's generated __init__ with __post_init__ cost a tenth of the parse."""

    __slots__ = ("capitalised", "end", "start", "text")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start, self.end, self.text = start, end, text
        self.capitalised = text[:1].isupper()  # asked of every token many times: worked out once

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Token) and (self.start, self.end, self.text) == (other.start, other.end, other.text)

    def __hash__(self) -> int:
        return hash((self.start, self.end, self.text))

    def __repr__(self) -> str:
        return f"Token({self.start}, {self.end}, {self.text!r})"


class PeopleContext(NamedTuple):
    word_before: re.Pattern  # a cue word ending where a name begins: "said ", "By ", "Photo: "
    word_lead: re.Pattern  # a cue word a run of capitalised words begins with: "Contact Jane Doe"
    post_before: re.Pattern  # a post ending where a name in apposition begins: "the Minister of the Interior, "
    names_with_post: re.Pattern  # "A, B and C, Judges": names listed before the post they share
    post_right_before: re.Pattern  # a post written right before a name: "UNICEF spokesperson ", "Director "
    post_words: frozenset[str]  # the last words of the posts, lower-cased: the cheap test before that pattern


@dataclass
class MentionContext:
    """What the recognisers share for one document: the parse context, the cues, the acronyms it defined."""

    ctx: Context
    cues: Cues
    acronyms: dict[str, OrgRef] = field(default_factory=dict)  # "TLAC" -> the organisation it was defined for
    # names a list taught ("HIAS Ecuador" in a members list): first word -> [(its words, the organisation)]
    listed_names: dict[str, list[tuple[tuple[str, ...], OrgRef]]] = field(default_factory=dict)
    anonymous_lines: set[int] = field(default_factory=set)  # line numbers an anonymous speaker speaks in
    _listed_line: Line | None = None
    _listed: list[tuple[int, int, str]] = field(default_factory=list)
    _gov_line: Line | None = None
    _gov: list[re.Match] = field(default_factory=list)
    _segments_line: Line | None = None
    _segments: list[tuple[int, int, str | None]] = field(default_factory=list)

    @property
    def gazetteer(self) -> Gazetteer:
        return self.ctx.gazetteer

    def span(self, line: Line, i: int, j: int) -> Span:
        return self.ctx.span(line, i, j)

    def _shared(self, name: str) -> Any:
        """A pattern built once per gazetteer and cue set, not once per document (they take ~0.1 s)."""
        built = _PATTERNS.setdefault(self.gazetteer, {}).setdefault(id(self.cues), (self.cues, {}))[1]
        if name not in built:
            built[name] = getattr(self, f"_build_{name}")()
        return built[name]

    @property
    def state_regex(self) -> re.Pattern:
        return self._shared("state_regex")

    @property
    def state_forms(self) -> dict[str, tuple[str, bool, bool]]:
        return self._shared("state_forms")

    @property
    def government_regex(self) -> re.Pattern:
        return self._shared("government_regex")

    @property
    def people_patterns(self) -> list[tuple[re.Pattern, bool]]:
        return self._shared("people_patterns")

    def _build_state_regex(self) -> re.Pattern:
        """Every State name and adjective, and the longer places that contain one, longest first."""
        forms = set(self.cues.not_state_places)
        for s in self.gazetteer.states.values():
            forms |= {n for n in s.names | s.adjectives if len(n) > 3 or n.isupper()}
        alternatives = trie_alternation(forms)
        return re.compile(rf"(?<![\w-])(?=[A-ZÀ-Þ])(?:{alternatives})(?![\w-])")  # names start with a capital

    def _build_state_forms(self) -> dict[str, tuple[str, bool, bool]]:
        """form -> (ISO3, is an adjective, is ambiguous)."""
        out: dict[str, tuple[str, bool, bool]] = {}
        for s in self.gazetteer.states.values():
            for n in s.names:
                out.setdefault(n, (s.iso3, False, n in s.ambiguous))
            for a in s.adjectives:
                out.setdefault(a, (s.iso3, True, False))
        return out

    def _build_government_regex(self) -> re.Pattern:
        forms = trie_alternation(self.state_forms)
        nouns = "|".join(re.escape(n) for n in sorted(self.cues.government_nouns, key=len, reverse=True))
        return re.compile(rf"(?=[A-ZÀ-Þg])(?:\b[Gg]overnment of (?:the )?(?P<of>{forms})|"
                          rf"(?<![\w-])(?P<adj>{forms})’?'?s? (?:{nouns}))(?![\w-])")


    def listed(self, line: Line) -> list[tuple[int, int, str]]:
        """The gazetteer's organisations in a line (two recognisers ask; the big pattern runs once)."""
        if self._listed_line is not line:
            self._listed_line, self._listed = line, self.gazetteer.find_orgs(line.text)
        return self._listed

    def governments(self, line: Line) -> list[re.Match]:
        if self._gov_line is not line:
            self._gov_line, self._gov = line, list(self.government_regex.finditer(line.text))
        return self._gov

    def list_names(self, line: Line) -> list[tuple[int, int, str | None]]:
        """(start, end, acronym) of each name of a line that lists organisations between semicolons; [] if the
        line is no such list (two recognisers ask)."""
        if self._segments_line is not line:
            self._segments_line, self._segments = line, _organisation_list(self, line)
        return self._segments

    def index(self, line: Line) -> int:
        """The position of a line in the document (see Context.index)."""
        return self.ctx.index(line)

    def _build_people_patterns(self) -> list[tuple[re.Pattern, bool]]:
        """(pattern, after an honorific) for the people recogniser, built once per document from the cues."""
        cues = self.cues
        # (the word lists as tries: tried at every position of every line, a plain alternation is the cost)
        honorifics = trie_alternation(cues.honorifics)
        name = PERSON_NAME.format(word=NAME_WORD, particle=PARTICLE)
        after = trie_alternation(cues.person_after)
        posts = trie_alternation(cues.posts)
        return [
            # ("H.E. Ms. María Cevallos": honorifics in a row)
            (re.compile(rf"(?<![\w.])(?P<hon>(?:{honorifics})(?:\s+(?:{honorifics}))*)\s+(?P<name>{NAME_WORD}"
                        rf"(?:\s+(?:{PARTICLE}\s+|[A-Z]\.\s+)?"
                        rf"{NAME_WORD}){{0,3}})"), True),
            # "said Jane Doe", "By Jane Doe for The Courier", "Photo: Jane Doe." (the cue word is looked for just
            # before each name found — see word_before — not at every word of every line)
            (re.compile(rf"(?<!\S)(?P<name>{name})(?=\s*(?:[,;|.()·•–—]|$|\s+(?:{after}|for)\b))"), False),
            # "Jane Doe, Senior Protection Officer, …", "Lucía Ferrer, executive director of …", "Jane Doe said"
            (re.compile(rf"(?<![\w’'.-])(?P<name>{name})(?=\s*,\s+(?:the\s+)?(?:[\w-]+\s+){{0,3}}(?i:{posts})\b|"
                        rf"\s+(?:{after})\b)"), False),
            # "Rapporteur: Jane Doe", "Chairs: …": a post as a label
            (re.compile(rf"\b(?:{posts})s?\s*:\s+(?P<name>{name})(?=\s*(?:[,;|.()]|$))"), False),
            # "said the Minister of the Interior, Jane Doe, at …": the name in apposition after its post (the post
            # is looked for before each ", Name," found — see post_before — not at every word of every line)
            (re.compile(rf",\s+(?P<name>{name})(?=\s*,)"), False),
            # "Marijke Hoekstra, 67, a retired teacher": a name with its age in apposition
            (re.compile(rf"(?<![\w’'.-])(?P<name>{name})(?=\s*,\s+\d{{1,3}}\s*,\s+(?:an?|the)\s)"), False),
            # "Jane Doe (Ministry of Home Affairs, Malaysia), who …": a speaker with the body in parentheses
            (re.compile(rf"(?<![\w’'.-])(?P<name>{name})\s+\((?P<aff>(?=[^()\n]*[a-z])[A-Z][^()\n]{{2,80}})\)"
                        rf"(?=\s*(?:[,;:.]|$|\s+(?:who|is|was|and|{after})\b))"), False),
        ]

    @property
    def people_context(self) -> PeopleContext:
        return self._shared("people_context")

    def _build_people_context(self) -> PeopleContext:
        """The patterns that check a name's surroundings once the name is found (built once per cue set)."""
        before = trie_alternation(self.cues.person_before)
        posts = trie_alternation(self.cues.posts)
        name = PERSON_NAME.format(word=NAME_WORD, particle=PARTICLE)
        return PeopleContext(
            word_before=re.compile(rf"(?i:\b(?:{before}))\s+$"),
            word_lead=re.compile(rf"(?i:(?:{before}))\s+"),
            post_before=re.compile(rf"(?i:\b(?:{posts}))(?:\s+(?:of|for|at)\s+(?:the\s+)?{NAME_WORD}"
                                   rf"(?:\s+(?:(?:and|of|for|the|on)\s+)*{NAME_WORD}){{0,6}})?\s*$"),
            names_with_post=re.compile(rf"(?<![\w’'.-])(?P<names>{name}(?:\s*,\s*{name})*\s+and\s+{name})\s*,\s+"
                                       rf"(?:{posts})s?\b"),
            post_right_before=re.compile(rf"(?i:\b(?:{posts}))\s+$"),
            post_words=frozenset(p.split()[-1].lower() for p in self.cues.posts))

    @property
    def institution_regex(self) -> re.Pattern:
        return self._shared("institution_regex")

    def _build_institution_regex(self) -> re.Pattern:
        words = "|".join(re.escape(w) for w in sorted(self.cues.institutions, key=len, reverse=True))
        return re.compile(rf"(?<![\w-])(?:{words})(?![\w-])")

    @property
    def name_line(self) -> re.Pattern:
        return self._shared("name_line")

    def _build_name_line(self) -> re.Pattern:
        """A line that is only names: "Jane Doe and John Roe", "Mr Victor Ionescu", "A. Author¹, B. Writer²"."""
        honorifics = "|".join(re.escape(h) for h in self.cues.honorifics)
        name = PERSON_NAME.format(word=NAME_WORD, particle=PARTICLE)

        def one(group: str) -> str:
            return rf"(?:(?:{honorifics})\s+)?(?P<{group}>{name})\s*{NOTE_MARK}"
        joint = r"(?:\s*,\s*|\s+and\s+|\s*&\s*)"
        return re.compile(rf"^{one('n0')}(?:{joint}{one('n1')})?(?:{joint}{one('n2')})?(?:{joint}{one('n3')})?\s*$")


# gazetteer -> id(cues) -> (the cues, kept alive so the id stays theirs; name -> built pattern)
_PATTERNS: weakref.WeakKeyDictionary[Gazetteer, dict[int, tuple[Cues, dict[str, Any]]]] = weakref.WeakKeyDictionary()

Recogniser = Callable[[MentionContext, Line], Iterable[Mention]]
RECOGNISERS: dict[str, Recogniser] = {}


def recogniser(name: str) -> Callable[[Recogniser], Recogniser]:
    """Register a recogniser under a name; they run in the order they were registered."""
    def register(fn: Recogniser) -> Recogniser:
        if name in RECOGNISERS:
            raise ValueError(f"recogniser {name!r} registered twice")
        RECOGNISERS[name] = fn
        return fn
    return register


def tokens(text: str) -> list[Token]:
    return [Token(*m.span(), m.group()) for m in WORD_RE.finditer(text)]


def _only_space_between(text: str, a: Token, b: Token) -> bool:
    return text[a.end:b.start].strip() == ""


# -- States ---------------------------------------------------------------------------------------------
@recogniser("states")
def states(mc: MentionContext, line: Line) -> Iterable[Mention]:
    """State names, formal names and adjectives ("Kenya", "Republic of Türkiye", "Hellenic", "Kenya's")."""
    text = line.text
    for m in mc.state_regex.finditer(text):
        form = m.group(0)
        if form not in mc.state_forms:
            continue  # a longer place that only contains a State's name ("New Mexico")
        iso, adjective, ambiguous = mc.state_forms[form]
        after = text[m.end():m.end() + 40]
        if adjective and not re.match(r"\s+(?!(?:and|or|nor)\b)[A-Za-z]", after) and not re.match(
                r"(?:,\s+[A-Z][\w-]+)*,?\s+(?:and|or)\s+[A-Z][\w-]+\s+[a-z]", after):
            # "notes in Arabic, French or Russian": a language, not a State ("French guidelines" is one, and so is
            # each of "Ethiopian and Somali migrants")
            continue
        if ambiguous and re.match(r"\s+[A-Z]", after):
            continue  # "Jordan Smith", "Turkey Creek": an ordinary word or a name, not the State
        yield Mention(StateRef(iso, form, mc.span(line, m.start(), m.end())), "states")


# -- organisations ------------------------------------------------------------------------------------------
@recogniser("governments")
def governments(mc: MentionContext, line: Line) -> Iterable[Mention]:
    """"Government of Kenya", "the Costa Rican government", "Ugandan authorities": that State's government."""
    for m in mc.governments(line):
        form = m.group("of") or m.group("adj")
        iso = mc.state_forms[form][0]
        yield Mention(OrgRef(m.group(0), mc.span(line, m.start(), m.end()), key=f"GOV-{iso}", state=iso,
                             anonymous_context=line.lineno in mc.anonymous_lines), "governments")


@recogniser("listed organisations")
def listed_organisations(mc: MentionContext, line: Line) -> Iterable[Mention]:
    """Organisations of the gazetteer by name, acronym or alias."""
    for s, e, key in mc.listed(line):
        if prefix := UN_PREFIX.search(line.text, max(0, s - 16), s):
            s = prefix.start()  # "the U.N. Human Rights Council": the name as the text writes it
        yield Mention(OrgRef(line.text[s:e], mc.span(line, s, e), key=key,
                             anonymous_context=line.lineno in mc.anonymous_lines), "listed organisations")


CUE_BEFORE_PATTERN = 1  # "said Jane Doe": a name after a cue word
LABEL_PATTERN = 3  # the index of the "Post: Name" pattern among the people patterns
APPOSITION_PATTERN, AGE_PATTERN, AFFILIATION_PATTERN = 4, 5, 6  # "the Minister, Jane Doe, …"; "…, 67, …"; "(…)"
AGE_GATE = re.compile(r",\s+\d{1,3}\s*,")
UN_PREFIX = re.compile(r"(?<![\w.])(?:U\.N\.|UN|United Nations)\s+$")
LIST_LABEL = re.compile(r"^[A-Z][^:;]{0,60}:\s+")  # "Partners: …", "Members of the network: …"
SEGMENT_LEAD = re.compile(r"^(?:and|&|the|The)\s+")
MOST_WORDS = 12  # a list segment longer than this is a clause, not a name


def _organisation_list(mc: MentionContext, line: Line) -> list[tuple[int, int, str | None]]:
    """Members and partners set out as "A; B (Country); C (ACR); and D": each segment is one name, whether or
    not it has an organisation word ("Asylum Access Mexico"), once most of the segments show they are
    organisations (a listed name or acronym, an organisation word, an acronym defined for it). The same for
    names one to a line (signatories, members, partners under a heading): see ``_organisation_column``."""
    text = line.text
    separator = next((sep for sep in LIST_SEPARATORS if text.count(sep) >= 2), None)
    if separator is None:
        return _organisation_column(mc, line)
    start = m.end() if (m := LIST_LABEL.match(text)) else 0
    names: list[tuple[int, int, str | None]] = []
    evidence = segments = 0
    for a, b in _list_segments(text, start, separator):
        segments += 1
        found = _segment(mc, text, a, b)
        if found is not None:
            evidence += found[1]
            names += found[0]
    return names if segments >= 3 and 2 * evidence >= segments and 4 * len(names) >= 3 * segments else []


# "…; Secretariat of the Network. Civil society: IDC; …": a sentence ends, a new label opens the next list
NEXT_LABEL = re.compile(r"(?<=[\w)])\.\s+[A-Z][^:;.]{0,60}:\s+")


# what sets the names of a list apart on one line: semicolons, or the dots and bars of a web page's footer
LIST_SEPARATORS = (";", " · ", " | ", " • ")


def _list_segments(text: str, start: int, separator: str = ";") -> list[tuple[int, int]]:
    """The spans of a list's segments from ``start``: between separators, and where a sentence ends and a new
    label begins another list in the same paragraph."""
    out = []
    parts, a = [], start
    for piece in text[start:].split(separator):
        parts.append((a, a + len(piece)))
        a += len(piece) + len(separator)
    for a, b in parts:
        if not text[a:b].strip():
            continue
        for m in NEXT_LABEL.finditer(text, a, b):
            out.append((a, m.start()))
            a = m.end()
        out.append((a, b))
    return out


def _segment(mc: MentionContext, text: str, a: int, b: int) -> tuple[list[tuple[int, int, str | None]], bool] | None:
    """The name(s) one segment of a list holds, and whether it shows itself an organisation; None if the segment
    is no name (a clause, a lower-case phrase)."""
    seg = text[a:b]
    a += len(seg) - len(seg.lstrip())
    if lead := SEGMENT_LEAD.match(text, a, b):
        a = lead.end()
    cut = text.find("(", a, b)  # "Servicio … (SJM) Chile", "… Office (observer)": the name ends at "("
    end = (cut if cut >= 0 else b)
    while end > a and (text[end - 1].isspace() or text[end - 1] in ".,"):
        end -= 1
    words = text[a:end].split()
    lower = [w for w in words if not w[:1].isupper() and w not in mc.cues.connectors]
    if not words or not words[0][:1].isupper() or len(words) > MOST_WORDS or 3 * len(lower) > len(words):
        return None
    acronym = m.group(1) if cut >= 0 and (m := ACRONYM_RE.match(text, cut)) else None
    toks = tokens(text[a:end])
    org_like = bool(acronym or mc.gazetteer.find_orgs(text[a:end]) or words[0] in mc.acronyms
                    or _has(toks, mc.cues.org_heads))
    names: list[tuple[int, int, str | None]] = []
    # "Directorate General of Immigration, Ministry of Law": a unit and its ministry, when each side of the
    # comma is built on an organisation word ("… Office for Central America, North America …" is one name)
    sides = [(a + k.start(), a + k.end()) for k in re.finditer(r"[^,]+", text[a:end])]
    sides = [(x + len(text[x:y]) - len(text[x:y].lstrip()), y) for x, y in sides]
    if len(sides) > 1 and text[sides[0][0]:sides[0][1]].split()[0] in mc.cues.honorifics:
        # "Ms. Jane Doe, attorney, Harbour Centre for Migrant Rights": a person, her post, then her organisation(s)
        sides = sides[1:]
        while len(sides) > 1 and not (_has(tokens(text[sides[0][0]:sides[0][1]]), mc.cues.org_heads)
                                      or mc.gazetteer.find_orgs(text[sides[0][0]:sides[0][1]])):
            sides = sides[1:]
        a = sides[0][0]
    if len(sides) > 1 and all(_has(tokens(text[x:y]), mc.cues.org_heads) and text[x].isupper() for x, y in sides):
        names += [(x, y, None) for x, y in sides[:-1]]
        a = sides[-1][0]
    elif len(sides) > 1 and any(_has(tokens(text[x:y]), mc.cues.posts) for x, y in sides[:-1]):
        a = sides[-1][0]  # "Jane Doe, Senior Protection Officer, UNHCR": a person, her post, her organisation
    names.append((a, end, acronym))
    return names, org_like


COLUMN_LEAST = 3  # names one to a line: a run of at least this many


def _organisation_column(mc: MentionContext, line: Line) -> list[tuple[int, int, str | None]]:
    """Names one to a line, as signatories, members or partners are set out: a run of at least three lines, each
    only a name (with its country or acronym in brackets), most of them showing they are organisations. Each
    line's name is then one, with or without an organisation word ("Dignity Without Borders (United Kingdom)")."""
    if line.kind not in ("text", "bullet") or not _name_only(line.text):
        return []
    lines, k = mc.ctx.lines, mc.index(line)
    first = k
    while first > 0 and _in_column(lines[first - 1], line) and _name_only(lines[first - 1].text):
        first -= 1
    last = k + 1
    while last < len(lines) and _in_column(lines[last], line) and _name_only(lines[last].text):
        last += 1
    if last - first < COLUMN_LEAST:
        return []
    honorifics = tuple(h + " " for h in mc.cues.honorifics)
    if any(ln.text.startswith(honorifics) or _has(tokens(ln.text)[:4], mc.cues.posts) for ln in lines[first:last]):
        return []  # a person, a post: an address block or a signature, where the other lines are her office
    found = [_segment(mc, ln.text, 0, len(ln.text)) for ln in lines[first:last]]
    read = [f for f in found if f is not None]
    if len(read) < len(found) or 2 * sum(f[1] for f in read) < len(read):
        return []
    return read[k - first][0]


def _in_column(other: Line, line: Line) -> bool:
    """Lines of one run: the same block, the same kind (all bullets, or all plain lines)."""
    return other.block == line.block and other.kind == line.kind


def _name_only(text: str) -> bool:
    """A line that is only a name: short, capitalised, no sentence in it (no stop followed by more, no colon)."""
    return (0 < len(text) <= 120 and text[:1].isupper() and ":" not in text and ";" not in text
            and not re.search(r"[.!?]\s", text) and not text.rstrip().endswith((".", "!", "?", ",")))


IN_BRACKETS = re.compile(r"\s*\(([^()]{2,60})\)")


@recogniser("organisation lists")
def organisation_lists(mc: MentionContext, line: Line) -> Iterable[Mention]:
    """The names of a semicolon list of organisations that no other recogniser knows whole (see
    ``_organisation_list``); a name that begins with a listed one is its unit ("UNICEF … Regional Office")."""
    names = mc.list_names(line)
    if not names:
        return
    anonymous = line.lineno in mc.anonymous_lines
    states = {(m.start(), m.end()) for m in mc.state_regex.finditer(line.text)}
    listed = mc.listed(line)
    for a, b, acronym in names:
        written = line.text[a:b]
        if ((a, b) in states or any(s == a and e == b for s, e, _ in listed) or mc.gazetteer.resolve_org(written)
                or written in mc.acronyms):
            continue  # a State, a name the gazetteer recogniser has whole, an acronym the document defined
        parent = next((OrgRef(line.text[s:e], mc.span(line, s, e), key=k, anonymous_context=anonymous)
                       for s, e, k in listed if s == a and e < b), None)
        key = mc.gazetteer.resolve_org(f"{written} ({acronym})") if acronym else None
        public = parent is None and _public_body(mc, tokens(written))
        based_in = None
        if (country := IN_BRACKETS.match(line.text, b)) and not anonymous and \
                (form := mc.state_forms.get(country.group(1))) and not form[1]:
            # "Directorate General of Immigration (Indonesia)": Indonesia's; "Kituo Legal Aid (Kenya)": based there
            if public:
                a2, b2 = country.span(1)
                parent, public = OrgRef(line.text[a2:b2], mc.span(line, a2, b2), key=f"GOV-{form[0]}",
                                        state=form[0]), False
            elif parent is None:
                based_in = form[0]
        ref = OrgRef(written, mc.span(line, a, b), acronym=acronym, key=key, parent=parent, based_in=based_in,
                     anonymous_context=anonymous, scope=f"doc-{mc.ctx.doc}" if public else None)
        if acronym:
            mc.acronyms.setdefault(acronym, ref)
        words = tuple(t.text for t in tokens(written))
        if len(words) >= 2:
            mc.listed_names.setdefault(words[0], []).append((words, ref))
        yield Mention(ref, "organisation lists")


def _chunks(text: str, toks: list[Token], connectors: frozenset[str]) -> list[list[Token]]:
    """Runs of capitalised words joined by spaces and small connecting words, trimmed of connectors."""
    out: list[list[Token]] = []
    run: list[Token] = []
    for t in toks:
        fits = t.capitalised or (t.text in connectors and run)
        if fits and (not run or _only_space_between(text, run[-1], t)) and len(run) < LONGEST_NAME:
            run.append(t)
            continue
        out.append(run)
        run = [t] if t.capitalised else []
    out.append(run)
    trimmed = []
    for r in out:
        while r and not r[-1].capitalised:
            r = r[:-1]
        if r:
            trimmed.append(r)
    return trimmed


def _public_body(mc: MentionContext, words: list[Token]) -> bool:
    """Is the name built like a body every State has ("Ministry of …", "State Secretariat for …", "National
    Police"): a public body's word first, or after words that only qualify it?"""
    k = 0
    while k < len(words) - 1 and words[k].text in mc.cues.generic_modifiers:
        k += 1
    if _has(words[k:k + 1], mc.cues.public_body_heads):
        return True
    # "National Migration Service", "Federal Police Office": a State-wide body named by what it does, then its head
    head = _head(mc, words)
    return bool(words) and words[0].text in mc.cues.state_level_modifiers and head is not None \
        and head is not words[0] and _bare(head.text) in mc.cues.public_body_heads


def _has(words: list[Token], vocabulary: frozenset[str]) -> bool:
    """Does the chunk contain one of these words (or multi-word phrases)?"""
    if any(_bare(t.text) in vocabulary for t in words):
        return True
    phrases = _phrases(vocabulary)
    return phrases is not None and phrases.search(" ".join(t.text for t in words)) is not None


@lru_cache(maxsize=64)
def _phrases(vocabulary: frozenset[str]) -> re.Pattern | None:
    multi = sorted((v for v in vocabulary if " " in v), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, multi)) + r")(?![\w-])") if multi else None


def _bare(word: str) -> str:
    return word[:-2] if word.endswith(POSSESSIVE) else word


def _is_post(word: str, posts: frozenset[str]) -> bool:
    return word in posts or (word.endswith("s") and word[:-1] in posts)  # "Members", "Co-leads"


def _head(mc: MentionContext, words: list[Token]) -> Token | None:
    """The head noun of a name: the last word before its first preposition ("Council" of "Council of Europe",
    "Platform" of "Mediterranean Platform on Community Alternatives"), else its last word."""
    preps = mc.cues.connectors - {"and", "&", "the", "y", "e", "et"}
    k = next((i for i, t in enumerate(words) if t.text in preps), len(words))
    return words[k - 1] if k > 0 else None


def _is_head(mc: MentionContext, words: list[Token], vocabulary: frozenset[str]) -> bool:
    head = _head(mc, words)
    if head is None:
        return False
    bodies = _superset(vocabulary, mc.cues.org_heads)
    if _bare(head.text) in vocabulary or (bodies and words[0].text in mc.cues.head_first_words):
        return True  # "… Council", "Council of …" — and head-first names ("Fundación Puentes")
    if bodies and len(words) >= 3 and words[0].text in mc.cues.local_government_heads and words[1].text == "of":
        return True  # "City of Vancouver", "County of Lowland": a local government (not "Mexico City", a place)
    if (bodies and head.text.endswith("s") and head.text[:-1] in vocabulary
            and head.text not in mc.cues.not_org_heads):
        return True  # "Independent Monitoring Boards": a body made of several
    multi = _multiword(vocabulary)
    if not multi:
        return False
    before = " ".join(t.text for t in words[:words.index(head) + 1])
    return before.endswith(multi)  # "Red Cross", "Prosecutor's Office"


@lru_cache(maxsize=64)
def _superset(vocabulary: frozenset[str], of: frozenset[str]) -> bool:
    return vocabulary >= of  # asked at every name: computed once per pair of word sets


@lru_cache(maxsize=64)
def _multiword(vocabulary: frozenset[str]) -> tuple[str, ...]:
    return tuple(v for v in vocabulary if " " in v)


def _trim(mc: MentionContext, chunk: list[Token]) -> list[Token]:
    """A capitalised run without what only opens the sentence ("According to the …"), a post before "of"/"at"
    ("Executive Director of …") or a possessor ("Kenya's …")."""
    cues = mc.cues
    k = 0
    for i, t in enumerate(chunk):  # a post followed by a connector: the organisation starts after
        if _is_post(t.text, cues.posts) and i + 1 < len(chunk) and chunk[i + 1].text in cues.connectors:
            k = i + 2
    if chunk and chunk[0].text.rstrip(".") in HONORIFIC_WORDS:  # "Dr Nurul Rahman of the Institute for …"
        k = max(k, next((i + 1 for i, t in enumerate(chunk) if t.text in ("of", "at", "from")), 0))
    words = chunk[k:]
    while words and (words[0].text in cues.sentence_openers or words[0].text in cues.connectors
                     or (words[0].text.lower() in MONTHS and len(words) > 1)  # "On 26 February the Institute …"
                     or (words[0].text.endswith(POSSESSIVE)
                     and " ".join(t.text for t in words[:2]).replace("’", "'") not in cues.org_heads
                     and words[0].text.replace("’", "'") not in cues.name_possessives)):
        words = words[1:]  # "Kenya's Department …" loses its possessor; "Ombudsman's Office of …" is a name
    if len(words) > 2 and words[1].text in cues.sentence_openers and words[1].text.isupper() \
            and (form := mc.state_forms.get(words[0].text)) and form[1]:
        words = words[2:]  # "the Mozambican NGO Associação Kutenga": where it works and what kind of body it is
    if words and words[-1].text.endswith(POSSESSIVE):  # "the Home Office's statistics": the Home Office
        last = words[-1]
        words = [*words[:-1], Token(last.start, last.end - 2, last.text[:-2])]
    while words and not words[-1].capitalised:
        words = words[:-1]
    if words and BASED_IN.search(words[0].text) and len(words) > 2:
        words = words[1:]  # "the Amman-based Dar Al-Karama Workers' Centre": where it is based is no part of its name
    return words


BASED_IN = re.compile(r"[a-z]-based$")


def _split_names(mc: MentionContext, words: list[Token]) -> list[list[Token]]:
    """"The Lowland Ministry of Labour and Welfare and the Riverside Migrant Council": two names, cut at the
    last "and" whose right side is a name built on an organisation word of its own."""
    for i in range(len(words) - 1, 0, -1):
        if words[i].text in ("and", "&"):
            commas = [j for j in range(i - 1) if words[j + 1].start - words[j].end > 1]
            if commas and not any(w.text in ("and", "&") for w in words[commas[-1] + 1:i]):
                continue  # "Asylum, Migration and Integration Fund": the "and" ends a list inside one name
            right = _trim(mc, words[i + 1:])
            heads = mc.cues.org_heads
            plural = {h + "s" for h in heads}  # "… and the Regional Offices of …": a list of bodies on the right
            # "Strategy and Planning Directorate" is one name: a single word before "and" is part of it,
            # unless it is a name of its own ("UNICEF and the Riverside Council")
            left = _trim(mc, words[:i])
            if left and right and left[-1].text in REGIONS and right[0].text in REGIONS:
                continue  # "… Office for East Asia and Pacific": one region joined to another, in one name
            if words[i + 1].text.lower() not in ("the", "a", "an") and right and _bare(right[0].text) not in heads \
                    and not right[0].text.isupper() \
                    and mc.gazetteer.resolve_org(" ".join(t.text for t in right)) is None \
                    and any(_bare(w.text) in heads and k + 1 < len(left) and left[k + 1].text in ("of", "for")
                            for k, w in enumerate(left)):
                # "Ministry of Community Development and Social Services": a ministry's portfolios, one name (a
                # second body after "and" comes with its article or opens on its own head: "… and the Riverside
                # Council", "… and Directorate of Immigration")
                continue
            whole = len(left) >= 2 or (len(left) == 1 and (left[0].text.isupper()
                                                           or mc.gazetteer.resolve_org(left[0].text) is not None
                                                           # "… Office at Geneva and the Mission of …": the
                                                           # article opens a name of three words or more
                                                           or (words[i + 1].text == "the" and len(right) >= 3)))
            if len(right) >= 2 and whole and _is_head(mc, right, heads | plural):
                return [*_split_names(mc, words[:i]), right]
            listed_right = len(right) >= 1 and mc.gazetteer.resolve_org(" ".join(t.text for t in right)) is not None
            if listed_right and len(left) >= 2 and _is_head(mc, left, heads):
                return [*_split_names(mc, words[:i]), right]  # "the Riverside Council and UNICEF": two bodies
    return [words]


def _org_name(mc: MentionContext, words: list[Token]) -> list[Token] | None:
    """The organisation's name in a trimmed run, or None if the run names none: its head noun must be an
    organisation word; a trailing place ("… Services in Nairobi and Mombasa") is not part of it."""
    cues = mc.cues
    if len(words) >= 3 and not _is_head(mc, words, cues.org_heads) and _place_after(mc, words):
        return words  # "Refugee Legal Clinic Chișinău", "Jesuit Refugee Service Portugal": a body and its place
    if len(words) >= 3 and not _is_head(mc, words, cues.org_heads) and _later_head(mc, words):
        return words  # "Bail for Families Trust", "House of Commons Standing Committee on Citizenship and …"
    if len(words) < 2 or not _is_head(mc, words, cues.org_heads):
        return None
    head = words.index(_head(mc, words))  # type: ignore[arg-type]
    for i in range(head + 1, len(words)):
        if words[i].text == "in" and not _has(words[i + 1:], cues.org_heads):
            place = " ".join(t.text for t in words[i + 1:])
            if _bare(words[head].text) in cues.located_heads and (
                    place in mc.state_forms or any(t.text == "to" for t in words[head + 1:i])):
                break  # "the UNHCR Representation in Bulgaria", "the IOM Office in Kenya": the office is its place's;
                # "the Permanent Mission of X to the United Nations in New York": where it is accredited
            words = words[:i]
            break
    if _is_post(words[-1].text, cues.posts) or all(t.text.isupper() for t in words):
        return None  # "Programme Coordinator"; a heading in capitals
    if all(_bare(t.text) in cues.org_heads | cues.generic_modifiers for t in words if t.capitalised) \
            and not (len(words) >= 2 and words[-1].text in cues.force_heads):
        return None  # "the Working Group", "National Commission": a kind of body, not a name (but "the Federal
        # Police" is the State's force, every State has one: a public body of the document)
    if _is_head(mc, words, cues.facility_heads):
        return None  # "the Temporary Accommodation Centre for Foreigners": a place people are held, not a body
    return words


def _later_head(mc: MentionContext, words: list[Token]) -> bool:
    """A name whose organisation word comes after a phrase of its own: the last word ("Bail for Families Trust")
    or the word before a later preposition ("House of Commons Standing Committee on …") — when its first head is
    no word of a thing ("Guidelines on …", "Report of the Committee") and nothing in it is a post or a place."""
    first = _head(mc, words)
    if first is None or _is_head(mc, words, mc.cues.not_org_heads) or _bare(first.text) in mc.cues.posts:
        return False
    preps = mc.cues.connectors - {"and", "&", "the", "y", "e", "et"}
    for k in range(words.index(first) + 1, len(words)):
        last = k == len(words) - 1
        if (last or words[k + 1].text in preps) and words[k].capitalised and \
                _bare(words[k].text) in mc.cues.org_heads and _bare(words[k].text) not in mc.cues.located_heads:
            return not any(_is_post(t.text, mc.cues.posts) for t in words)
    return False


def _place_after(mc: MentionContext, words: list[Token]) -> bool:
    """Does the name end in one or two capitalised words of a place after its head noun — no connector, post,
    month or weekday among them, the head the last word of a name of two words or more?"""
    for n in (1, 2):
        core, place = words[:-n], words[-n:]
        if len(core) < 2 or _head(mc, core) is not core[-1] or not _is_head(mc, core, mc.cues.org_heads):
            continue
        if all(t.capitalised and t.text not in mc.cues.connectors and not _is_post(t.text, mc.cues.posts)
               and t.text not in mc.cues.not_person_words and not t.text.isupper() for t in place):
            return not any(t.text in mc.cues.connectors for t in core[1:])
    return False


def _unit_of(mc: MentionContext, name: list[Token]) -> tuple[list[Token], list[Token]] | None:
    """(unit, body) of "Faculty of Law of the University of Lowland", "Migration Directorate of the Ministry of
    Interior": an "of" after which a second name begins with an organisation word, each side a name of its own;
    and "the Harbour Council's Working Group": a body's possessive before its unit."""
    for i in range(1, len(name) - 1):
        if name[i].text.endswith(POSSESSIVE) and name[i].text.replace("’", "'") not in mc.cues.name_possessives:
            owner = [*name[:i], Token(name[i].start, name[i].end - 2, name[i].text[:-2])]
            if _org_name(mc, owner) is not None and _org_name(mc, name[i + 1:]) is not None:
                return name[i + 1:], owner
    for i in range(2, len(name) - 1):
        if name[i].text not in ("of", "in", "within"):  # "… Department in the Ministry of …"
            continue
        j = i + 2 if name[i + 1].text == "the" else i + 1
        # after "of" the body's name begins with its organisation word ("… Directorate of the Ministry of …");
        # after "in" any name will do ("… Department in the Thai Ministry of …")
        # (or, after "of", a body named by its head at the end, where the unit names its own: "Migration Law
        # Clinic of Westerhaven University")
        ends_on_heads = _bare(name[i - 1].text) in mc.cues.org_heads and _bare(name[-1].text) in mc.cues.org_heads
        # ("Asylum Service of the Cypriot Ministry of the Interior": the body's name opens on its State's adjective)
        by_state = j + 1 < len(name) and name[j].text in mc.state_forms and _bare(name[j + 1].text) in mc.cues.org_heads
        if j < len(name) and (_bare(name[j].text) in mc.cues.org_heads or name[i].text != "of" or ends_on_heads
                              or by_state) \
                and _org_name(mc, name[:i]) is not None \
                and _org_name(mc, name[j:]) is not None:
            return name[:i], name[j:]
    return None


def _acronym_for(name: list[Token], acronym: str) -> list[Token] | None:
    """The shortest tail of ``name`` the acronym abbreviates: it starts with the acronym's first letter, the
    acronym's capitals occur in its letters in order ("MEPCA": MEditerranean Platform on Community
    Alternatives), and it has at least half as many capitalised words as the acronym has capitals."""
    letters = [ch for ch in acronym if ch.isupper()]
    for k in range(len(name) - 1, -1, -1):
        tail = name[k:]
        if not tail[0].capitalised or tail[0].text[0] != letters[0]:
            continue
        if 2 * sum(t.capitalised for t in tail) < len(letters):
            continue
        it = iter(" ".join(t.text for t in tail).upper()[1:])
        if all(any(c == ch for c in it) for ch in letters[1:]):
            return tail
    return None


@recogniser("defined organisations")
def defined_organisations(mc: MentionContext, line: Line) -> Iterable[Mention]:
    """"Full Name (ACRONYM)" definitions of organisations the gazetteer lacks, and the acronym's later uses;
    and capitalised names whose head noun is an organisation word ("Migrant Support Council", "Council of
    Europe", "Ministry of the Interior"). Such organisations are minted (with a warning) by the resolver."""
    text = line.text
    toks = tokens(text)
    anonymous = line.lineno in mc.anonymous_lines
    listed = mc.listed(line)
    listed_spans = Disjoint((a, b) for a, b, _ in listed)
    taken = Disjoint(m.span() for m in mc.governments(line))  # "the Thai Government": a government
    for a, b, _ in mc.list_names(line):  # a name of a list of organisations is read whole, by its recogniser
        taken.add(a, b)
    yield from _defined_by_initials(mc, line, toks, taken, anonymous)
    for chunk in _comma_names(mc, text, _chunks(text, toks, mc.cues.connectors)):
        end = chunk[-1].end
        after = ACRONYM_RE.match(text, end + 1) if text[end:end + 1] == " " else None
        parts = _split_names(mc, _trim(mc, chunk))
        for n, part in enumerate(parts):
            name, acronym = _named(mc, line, part, after.group(1) if after and n == len(parts) - 1 else None)
            if name is None:
                name = _listed_in_state(mc, text, part, listed)
            if name is None:
                continue
            s, e = name[0].start, name[-1].end
            written = text[s:e]
            parent = None
            inside = [(a, b, k) for a, b, k in listed if a < e and s < b] if listed_spans.overlaps(s, e) else []
            if len(inside) == 1 and inside[0][0] == s and text[inside[0][1]:inside[0][1] + 3] in ("'s ", "’s "):
                # "the UN Migration Network's Working Group on ATD": the network's group, named by its own words
                a, b, k = inside[0]
                parent_ref = OrgRef(text[a:b], mc.span(line, a, b), key=k, anonymous_context=anonymous)
                own = [t for t in name if t.start >= b + 3]
                if _org_name(mc, own) is not None and not taken.overlaps(own[0].start, e):
                    taken.add(own[0].start, e)
                    yield Mention(OrgRef(text[own[0].start:e], mc.span(line, own[0].start, e), parent=parent_ref,
                                         anonymous_context=anonymous), "defined organisations")
                continue
            if _mission_to(mc, text, name, inside):
                inside = []  # "the Permanent Mission of Mexico to the United Nations": the mission, not the UN
                if at := re.match(r" (?:at|in) [A-Z][\w’'-]+(?: [A-Z][\w’'-]+)?", text[e:]):
                    e += at.end()  # "… to the United Nations Office at Geneva"
                    written = text[s:e]
            # an "and" before the head lists bodies ("UNICEF and the Riverside Council"); after it, it is part of
            # the unit's name ("UNHCR Regional Bureau for Asia and the Pacific")
            head = name.index(_head(mc, name) or name[-1])
            unit = len(inside) == 1 and inside[0][0] == s and inside[0][1] < e and not any(
                t.text in ("and", "&") for t in name[:head])
            if unit:  # "UNHCR Regional Bureau for Europe": a unit of the listed organisation
                a, b, k = inside[0]
                parent = OrgRef(text[a:b], mc.span(line, a, b), key=k, anonymous_context=anonymous)
                place = text[b:e].strip()
                if place in mc.state_forms and not mc.state_forms[place][1]:
                    # "JRS Portugal" and "Jesuit Refugee Service Portugal": one office, one name
                    listed_org = mc.gazetteer.org(k)
                    written = f"{(listed_org.acronyms or [listed_org.label])[0]} {place}"  # "UNICEF Mozambique"
            elif (len(inside) == 1 and inside[0][1] == e and not taken.overlaps(s, inside[0][0])
                  and (of := OF_OWNER.search(text, s, inside[0][0]))
                  and (own := [t for t in name if t.end <= of.start()])
                  and _org_name(mc, own) is not None and len(own) >= 2 and _own_words(mc, own)):
                # "the Migration Unit of OHCHR", "the Working Group on Returns of the Harbour Network": a unit
                # named by its own words, of the listed body after "of"
                a, b, k = inside[0]
                parent = OrgRef(text[a:b], mc.span(line, a, b), key=k, anonymous_context=anonymous)
                e = own[-1].end
                written = text[s:e]
            elif inside or taken.overlaps(s, e):
                continue  # the gazetteer recogniser has it, or the name is a part of a listed one's
            elif derived := mc.gazetteer.resolve_org(written):
                if derived.startswith(("GOV-", "PM-")) and not listed_spans.overlaps(s, e):
                    # "the Permanent Mission of Mexico to the United Nations Office at Geneva": the State's mission,
                    # which no listed name spells
                    taken.add(s, e)
                    yield Mention(OrgRef(written, mc.span(line, s, e), key=derived, anonymous_context=anonymous),
                                  "defined organisations")
                continue
            if parent is None and (split := _unit_of(mc, name)):
                # "Migration Directorate of the Ministry of Interior": the ministry, and its directorate
                right = split[1]
                r_public = _public_body(mc, right)
                parent = OrgRef(text[right[0].start:right[-1].end], mc.span(line, right[0].start, right[-1].end),
                                anonymous_context=anonymous, scope=f"doc-{mc.ctx.doc}" if r_public else None)
                yield Mention(parent, "defined organisations")
                s, e = split[0][0].start, split[0][-1].end  # the unit is named by its own words
                written = text[s:e]
            if parent is None and (owner := _of_institution(mc, text, name)):
                # "the Portfolio Committee on Home Affairs of Parliament": the committee, of the State's parliament
                cut, (a, b) = owner
                parent = OrgRef(text[a:b], mc.span(line, a, b), scope=f"doc-{mc.ctx.doc}",
                                anonymous_context=anonymous)
                e, written = cut, text[s:cut]
            if parent is None and (prefix := UN_PREFIX.search(text, max(0, s - 16), s)):
                s, written = prefix.start(), text[prefix.start():e]  # "the U.N. Human Rights Council"
            if parent is None and not anonymous and _public_body(mc, name) and \
                    (of_state := _of_state(mc, text, s, e)):
                # "the Ministry of the Interior of Senegal": Senegal's ministry, named by its own words
                cut, (a, b, iso) = of_state
                parent = OrgRef(text[a:b], mc.span(line, a, b), key=f"GOV-{iso}", state=iso)
                e, written = cut, text[s:cut]
            key = mc.gazetteer.resolve_org(f"{written} ({acronym})") if acronym else None
            public = parent is None and _public_body(mc, name)  # "Ministry of …": whose?
            ref = OrgRef(written, mc.span(line, s, e), acronym=acronym, key=key, parent=parent,
                         anonymous_context=anonymous, scope=f"doc-{mc.ctx.doc}" if public else None)
            taken.add(s, e)
            if acronym:
                mc.acronyms.setdefault(acronym, ref)
            yield Mention(ref, "defined organisations")
    yield from _named_before_noun(mc, line, toks, taken, anonymous)
    yield from _named_after_noun(mc, line, toks, taken, anonymous)
    yield from _names_listed_before(mc, line, toks, taken, anonymous)
    for t in toks:  # later uses of an acronym this document defined
        bare = _bare(t.text)
        defined = mc.acronyms.get(bare)
        if defined is not None and not (text[t.end:t.end + 1] == ")" and text[t.start - 1:t.start] == "("):
            yield Mention(OrgRef(defined.name, mc.span(line, t.start, t.start + len(bare)), acronym=defined.acronym,
                                 key=defined.key, parent=defined.parent, anonymous_context=anonymous,
                                 scope=defined.scope),
                          "defined organisations")


def _of_institution(mc: MentionContext, text: str, name: list[Token]) -> tuple[int, tuple[int, int]] | None:
    """(where the body's own name ends, the span of the institution) for a name that ends "… of Parliament", "…
    of the National Assembly": a body of a State's institution, named by two words or more of its own."""
    s, e = name[0].start, name[-1].end
    for m in mc.institution_regex.finditer(text, s, e):
        if m.end() == e and (of := OF_OWNER.search(text, s, m.start())) and len(text[s:of.start()].split()) >= 2:
            return of.start(), (m.start(), m.end())
    return None


def _own_words(mc: MentionContext, name: list[Token]) -> bool:
    """Does the name have a word of its own, beyond organisation words and their modifiers ("Migration Unit",
    not "Working Groups")?"""
    kinds = mc.cues.org_heads | mc.cues.generic_modifiers
    return any(t.capitalised and _bare(t.text) not in kinds and _bare(t.text).rstrip("s") not in kinds for t in name)


# "… of the" before the name of whose body this is: a State's, or a listed organisation's
OF_OWNER = re.compile(r"\s+of\s+(?:the\s+)?$")


def _of_state(mc: MentionContext, text: str, s: int, e: int) -> tuple[int, tuple[int, int, str]] | None:
    """(where the body's own name ends, (start, end, ISO3) of its State) for "… of Ecuador", "… of the Republic of
    Moldova" ending the name text[s:e]; None if the name ends in no State."""
    for m in mc.state_regex.finditer(text, s, e):
        if m.end() != e or not (of := OF_OWNER.search(text, s, m.start())):
            continue
        form = mc.state_forms.get(m.group(0))
        # the State's name, not an adjective ("of Ecuadorian …"); the body named by two words or more of its own
        # ("the Government of Ecuador", "the Parliament of Moldova" are the State's, named by the State)
        if form and not form[1] and len(text[s:of.start()].split()) >= 2:
            return of.start(), (m.start(), m.end(), form[0])
    return None


def _comma_names(mc: MentionContext, text: str, chunks: list[list[Token]]) -> list[list[Token]]:
    """"Ministry of Gender, Child and Social Action", "Agency for Integration, Migration and Asylum": a body named
    "Head of X" whose name goes on after a comma with a short "Y and Z" — which holds no organisation, State or
    acronym of its own ("… Ministry of Health, UNICEF and IOM" stays three names)."""
    out: list[list[Token]] = []
    for n, chunk in enumerate(chunks):
        prev = out[-1] if out else None
        ands = [k for k, t in enumerate(chunk) if t.text == "and"]
        head = chunk[:ands[1]] if len(ands) > 1 else chunk  # "… Action and the Coastal Board": the list ends
        # "… Safety and Security of Namibia": the State the body is of ends its name (read by _of_state)
        of_state = next((k for k in range(1, len(head) - 1) if head[k].text == "of"
                         and mc.state_regex.fullmatch(text, head[k + 1 + (head[k + 1].text == "the")].start,
                                                      head[-1].end)), len(head)) if len(head) > 2 else len(head)
        portfolios = head[:of_state]
        portfolio_of = (prev is not None and text[prev[-1].end:chunk[0].start] == ", "
                        and any(t.text in ("of", "for") for t in _trim(mc, prev)[1:])
                        and _is_head(mc, _trim(mc, prev), mc.cues.org_heads))
        if (portfolio_of and len(portfolios) <= 5
                and any(t.text == "and" for t in portfolios[1:-1])
                and _org_name(mc, portfolios) is None and not any(t.text.isupper() for t in portfolios)
                and not mc.state_regex.search(text, portfolios[0].start, portfolios[-1].end)
                and not mc.gazetteer.find_orgs(text[head[0].start:head[-1].end])):
            out[-1] = out[-1] + chunk
            continue
        if (portfolio_of and len(chunk) <= 2 and not ands and n + 1 < len(chunks)
                and text[chunk[-1].end:chunks[n + 1][0].start] == ", " and all(t.capitalised for t in chunk)
                and any(t.text == "and" for t in chunks[n + 1][1:5])
                and not ((state := mc.state_regex.search(text, chunk[0].start, chunks[n + 1][-1].end))
                         and not re.search(r"\sof\s+(?:the\s+)?$", text[chunk[0].start:state.start()]))
                and not mc.gazetteer.find_orgs(text[chunk[0].start:chunk[-1].end])):
            out[-1] = out[-1] + chunk  # "Ministry of Home Affairs, Immigration, Safety and …": one more portfolio
            continue
        owned = prev is not None and len(prev) >= 2 and prev[-2].text.endswith(POSSESSIVE)
        first = prev[-1:] if prev is not None and (len(prev) == 1 or owned) else []
        if (first and text[first[-1].end:chunk[0].start] == ", "
                and 3 <= len(chunk) <= 5 and chunk[-2].text != "and" and any(t.text == "and" for t in chunk[1:-1])
                and _org_name(mc, chunk) is not None and not any(t.text.isupper() for t in first + chunk)
                and not mc.state_regex.search(text, first[0].start, chunk[-1].end)
                and not mc.gazetteer.find_orgs(text[first[0].start:chunk[-1].end])
                and (owned or not re.search(r"[A-Z]\w*,?\s*$", text[max(0, first[0].start - 4):first[0].start]))):
            # "the Asylum, Migration and Integration Fund", "the EU's Asylum, …": one word, a comma, then "Y and Z
            # Fund" — the word begins the body's name (alone after a small word or a possessor, not at the end of a
            # list of names)
            out[-1:] = [out[-1][:-1], first + chunk] if owned else [first + chunk]
            continue
        out.append(chunk)
    return out


def _listed_in_state(mc: MentionContext, text: str, part: list[Token], listed: list[tuple[int, int, str]]
                     ) -> list[Token] | None:
    """"UNICEF Mozambique", "JRS Portugal": a listed organisation followed by a State's name is its office there."""
    if len(part) < 2:
        return None
    lead = next(((a, b) for a, b, _ in listed if a == part[0].start and b < part[-1].end), None)
    if lead is None:
        return None
    rest = text[lead[1]:part[-1].end]
    return part if rest.startswith(" ") and rest.strip() in mc.state_forms and not mc.state_forms[rest.strip()][1] \
        else None


def _mission_to(mc: MentionContext, text: str, name: list[Token], inside: list[tuple[int, int, str]]) -> bool:
    """"Permanent Mission of Mexico to the United Nations (Office at Geneva)": a located body named after the
    organisation it is accredited to — every listed name inside it comes after its "to"."""
    head = _head(mc, name)
    if head is None or _bare(head.text) not in mc.cues.located_heads:
        return False
    to = next((t.start for t in name if t.text == "to" and t.start > head.start), None)
    return to is not None and all(a > to for a, _, _ in inside)


INITIAL_GAP = re.compile(r"\s+|,\s+")  # what may stand between the words of a name an acronym abbreviates
SMALL_WORD = 4  # a lower-case word this short may sit inside a name in any language ("para", "na", "für")


def _defined_by_initials(mc: MentionContext, line: Line, toks: list[Token], taken: Disjoint, anonymous: bool
                         ) -> Iterable[Mention]:
    """"the Agency for Integration, Migration and Asylum (AIMA)", "Rede Ibérica para Alternativas na Comunidade
    (RIAC)": a definition the capitalised-run reading missed (a comma, words of another language), accepted only
    when the capitals of the name are exactly the acronym's letters, in order."""
    text = line.text
    for m in ACRONYM_RE.finditer(text):
        acronym = m.group(1)
        letters = acronym.rstrip("s") if acronym.endswith("s") and acronym[:-1].isupper() else acronym
        letters = "".join(ch for ch in letters if ch.isupper())
        if acronym in mc.acronyms or acronym in mc.state_forms or taken.overlaps(m.start() - 2, m.start()):
            continue
        before = [t for t in toks if t.end <= m.start()]
        run: list[Token] = []
        for t in reversed(before):
            gap = text[t.end:(run[0].start if run else m.start())]
            if not INITIAL_GAP.fullmatch(gap) or len(run) >= LONGEST_NAME:
                break
            if not (t.capitalised or t.text in mc.cues.connectors or (t.text.isalpha() and len(t.text) <= SMALL_WORD)):
                break
            run.insert(0, t)
        for k in range(len(run) - 1, -1, -1):
            tail = run[k:]
            if not tail[0].capitalised:
                continue
            initials = "".join(t.text[0] for t in tail if t.capitalised)
            if initials.upper() != letters or len(tail) < 2:
                continue
            s, e = tail[0].start, tail[-1].end
            if (taken.overlaps(s, e) or _is_head(mc, tail, mc.cues.not_org_heads) or text[s:e] in mc.state_forms
                    or mc.gazetteer.resolve_org(text[s:e]) or mc.gazetteer.resolve_org(f"{text[s:e]} ({acronym})")
                    or mc.gazetteer.find_orgs(text[s:e])):
                break  # a listed name (and its units) the other readings have; not an organisation
            taken.add(s, e)
            ref = OrgRef(text[s:e], mc.span(line, s, e), acronym=acronym, anonymous_context=anonymous,
                         scope=f"doc-{mc.ctx.doc}" if _public_body(mc, tail) else None)
            mc.acronyms.setdefault(acronym, ref)
            yield Mention(ref, "defined organisations")
            break


def _named_before_noun(mc: MentionContext, line: Line, toks: list[Token], taken: Disjoint, anonymous: bool
                       ) -> Iterable[Mention]:
    """"the Voices Beyond Detention collective", "the Harbour Aid network": a capitalised name the text itself
    calls an organisation by the lower-case noun after it."""
    text = line.text
    for k, t in enumerate(toks):
        if t.text not in mc.cues.org_nouns_after or t.capitalised or k == 0:
            continue
        j = k
        while j > 0 and (toks[j - 1].capitalised or toks[j - 1].text in mc.cues.connectors) \
                and _only_space_between(text, toks[j - 1], toks[j]) and k - j < LONGEST_NAME:
            j -= 1
        name = _trim(mc, toks[j:k])
        if len(name) < 2 or not all(_only_space_between(text, a, b) for a, b in pairwise(name)):
            continue
        s, e = name[0].start, name[-1].end
        words = [w.text for w in name]
        if (taken.overlaps(s, e) or mc.state_regex.search(text, s, e) or mc.gazetteer.resolve_org(text[s:e])
                or all(w in mc.cues.not_person_words or w in mc.cues.connectors for w in words)
                or any(w.isupper() for w in words)
                or text[max(0, s - 4):s].strip().lower() not in ("the", "")):
            continue
        taken.add(s, e)
        yield Mention(OrgRef(text[s:e], mc.span(line, s, e), anonymous_context=anonymous), "defined organisations")


def _named_after_noun(mc: MentionContext, line: Line, toks: list[Token], taken: Disjoint, anonymous: bool
                      ) -> Iterable[Mention]:
    """"the association Maison Ouverte", "the Belgian NGO Child Circle", "the foster care association Sigurni
    Koraci": a capitalised name right after the noun that says what kind of body it is (a name in another language
    has no English head word to find it by)."""
    text = line.text
    listed = mc.listed(line)
    for k, t in enumerate(toks):
        if t.text not in mc.cues.org_nouns_after or k == 0 or k + 1 >= len(toks) \
                or not toks[k + 1].capitalised or not _only_space_between(text, t, toks[k + 1]):
            continue
        if t.capitalised and not t.text.isupper():
            continue  # "Network Coordinator", "Foundation Puentes …": a name of its own, read by its head
        if text[toks[k - 1].end:t.start].strip() or toks[k - 1].text.lower() in mc.cues.connectors - {"the"}:
            continue  # "… of association …", a comma before: not "the association X"
        j = k + 1
        while j + 1 < len(toks) and (toks[j + 1].capitalised or toks[j + 1].text in mc.cues.connectors) \
                and toks[j + 1].text not in ("and", "&") and _only_space_between(text, toks[j], toks[j + 1]) \
                and j - k < 8:
            j += 1  # (to "and": "the NGO X and the Belgian NGO Y" are two)
        name = toks[k + 1:j + 1]
        while name and not name[-1].capitalised:
            name = name[:-1]
        if not name:
            continue
        s, e = name[0].start, name[-1].end
        words = [w.text for w in name]
        if (taken.overlaps(s, e) or any(a < e and s < b for a, b, _ in listed) or mc.state_regex.search(text, s, e)
                or words[0] in mc.cues.sentence_openers or words[0].lower() in MONTHS
                or (len(words) == 1 and text[e:e + 1] == "," and _in_dictionary(words[0].lower()))):
            continue
        taken.add(s, e)
        yield Mention(OrgRef(text[s:e], mc.span(line, s, e), anonymous_context=anonymous), "defined organisations")


def _names_listed_before(mc: MentionContext, line: Line, toks: list[Token], taken: Disjoint, anonymous: bool
                         ) -> Iterable[Mention]:
    """"HIAS Ecuador shared its model …" after a members list named it: the same organisation, though nothing in
    the sentence marks it as one (looked up by first word: linear in the line)."""
    if not mc.listed_names:
        return
    texts = [t.text for t in toks]
    for k, t in enumerate(toks):
        for words, ref in mc.listed_names.get(t.text, ()):
            end = k + len(words)
            if tuple(texts[k:end]) != words or not all(
                    _only_space_between(line.text, toks[j], toks[j + 1]) for j in range(k, end - 1)):
                continue
            s, e = t.start, toks[end - 1].end
            if taken.overlaps(s, e) or ref.span.start == mc.span(line, s, e).start:
                continue  # read here already (the list itself, or another recogniser)
            taken.add(s, e)
            yield Mention(OrgRef(ref.name, mc.span(line, s, e), acronym=ref.acronym, key=ref.key, parent=ref.parent,
                                 anonymous_context=anonymous, scope=ref.scope), "defined organisations")
            break


def _named(mc: MentionContext, line: Line, part: list[Token], acronym: str | None
           ) -> tuple[list[Token] | None, str | None]:
    """(the organisation's name in ``part``, the acronym defined for it) — or (None, None)."""
    if acronym and (tail := _acronym_for(part, acronym)):
        k = part.index(tail[0])
        while k > 0 and part[k - 1].capitalised and part[k - 1].text in mc.cues.generic_modifiers:
            k -= 1  # "State Secretariat for Migration (SEM)": the shortest tail the letters allow, and its modifiers
        tail = part[k:]
        if _org_name(mc, tail) is not None:
            return tail, acronym
        before = line.text[max(0, tail[0].start - 40):tail[0].start].split()
        cue = any(w.strip(",;:").lower() in mc.cues.org_cues or w.endswith("-based") for w in before[-3:])
        initials = "".join(t.text[0] for t in tail if t.capitalised)
        if (cue or _used_later(mc, line, acronym) or initials == acronym.rstrip("s")) \
                and not _is_head(mc, tail, mc.cues.not_org_heads):
            return tail, acronym  # "the Kampala-based organisation Bridges for Refugee Children (BRC)"
    name = _org_name(mc, part)
    if name is not None and acronym and name[-1] is part[-1] and acronym not in mc.state_forms:
        return name, acronym  # an organisation named right before it: its acronym in another language (REDLAMI)
    return name, None


ACTOR_BEFORE = re.compile(r"\b(?:at|of|by|to|from|with)\s+(?:the\s+)?$")
ACTOR_AFTER = re.compile(r"(?:[’']s\b|\s+(?:said|says|reported|found|noted)\b)")


def _used_later(mc: MentionContext, line: Line, acronym: str) -> bool:
    """Is the acronym used as an actor in a later line ("at BRC", "According to BRC", "BRC's", "BRC said")?
    Plain string search and two fixed patterns: no pattern compiled per acronym."""
    for other in mc.ctx.lines[mc.index(line) + 1:]:
        text, pos = other.text, other.text.find(acronym)
        while pos >= 0:
            end = pos + len(acronym)
            whole = (pos == 0 or not text[pos - 1].isalnum()) and (end == len(text) or not text[end].isalnum())
            if whole and (ACTOR_BEFORE.search(text, max(0, pos - 14), pos) or ACTOR_AFTER.match(text, end)):
                return True
            pos = text.find(acronym, end)
    return False


@recogniser("institutions")
def institutions(mc: MentionContext, line: Line) -> Iterable[Mention]:
    """A State's institutions named by their one word ("submitted to Cabinet", "We urge Congress", "the
    Parliament"): not at a sentence's start, where any word is capitalised; scoped to the document, as a ministry
    found by pattern is (every State has one)."""
    text = line.text
    for m in mc.institution_regex.finditer(text):
        before = text[:m.start()].rstrip()
        if not before or before.endswith((".", ":", "!", "?", "•", "-", "–")) or text[m.end():m.end() + 3] == " of" \
                or re.search(r"\bMembers? of$", before):
            continue  # a sentence's first word, "Parliament of Moldova" (read whole elsewhere), "Member of Parliament"
        yield Mention(OrgRef(m.group(0), mc.span(line, m.start(), m.end()), scope=f"doc-{mc.ctx.doc}",
                             anonymous_context=line.lineno in mc.anonymous_lines), "institutions")


# -- people ------------------------------------------------------------------------------------------------


@recogniser("people")
def people(mc: MentionContext, line: Line) -> Iterable[Mention]:
    """People named with an honorific ("Ms. Ana Pérez"), or in a speaking or writing role ("said Peter
    Odhiambo", "By Jane Doe", "Jane Doe, Director of …"): two to four capitalised words, none of them a cue
    word, a State or an organisation word."""
    text = line.text
    patterns, around = mc.people_patterns, mc.people_context
    found: list[tuple[int, int, str | None]] = []
    taken = Disjoint()
    for k, (pattern, honorific) in enumerate(patterns):
        if k == LABEL_PATTERN and ":" not in text:
            continue  # "Rapporteur: …" needs its colon: the long alternation of posts is not scanned for nothing
        if (k == APPOSITION_PATTERN and text.count(",") < 2) or (k == AFFILIATION_PATTERN and "(" not in text) \
                or (k == AGE_PATTERN and not AGE_GATE.search(text)):
            continue  # "the Minister, Jane Doe, …" needs two commas; "Jane Doe (Ministry …)" a parenthesis
        for m in pattern.finditer(text):
            s, e = m.span("name")
            if taken.overlaps(s, e):
                continue
            if k == CUE_BEFORE_PATTERN and not around.word_before.search(text, max(0, s - 30), s) \
                    and not _post_right_before(around, text, s) \
                    and not (LIST_START.search(text, max(0, s - 4), s) and _org_follows(mc, text, e)):
                # a name after no cue word ("said", "by", "Photo:") nor post ("UNICEF spokesperson Jane Doe –"), and
                # before no organisation ("Jane Doe, UNICEF Geneva, +41 …") — unless the run begins with a cue word:
                # "Contact Jane Doe, coordinator"
                lead = around.word_lead.match(text, s, e)
                if lead is None or lead.end() >= e:
                    continue
                s = lead.end()
            if k == APPOSITION_PATTERN and not around.post_before.search(text, max(0, m.start() - 100), m.start()):
                continue  # ", Jane Doe," after no post: a list of names, read elsewhere
            if "aff" in m.groupdict() and not _names_a_body(mc, m.group("aff")):
                continue  # "Casa Abierta (Open House)": a name and its translation, not a person and a body
            if _person_words(mc, text[s:e].split(), strict=not honorific):
                found.append((s, e, m.group("hon") if honorific else None))
                taken.add(s, e)
    if "," in text and " and " in text:
        for s, e in _names_before_their_post(mc, text):
            if not taken.overlaps(s, e):
                found.append((s, e, None))
                taken.add(s, e)
    for s, e, hon in _name_line(mc, line):
        if not taken.overlaps(s, e):
            found.append((s, e, hon))
            taken.add(s, e)
    for s, e, hon in sorted(found):
        yield Mention(PersonRef(clean(text[s:e]), mc.span(line, s, e), honorific=hon), "people")


def _names_before_their_post(mc: MentionContext, text: str) -> list[tuple[int, int]]:
    """"Nikolaos Varelas, Dimitra Chatzi, Ioannis Sfakianakis and Sofia Lambrou, Judges": names listed before
    the post they share, each a person."""
    out: list[tuple[int, int]] = []
    for m in mc.people_context.names_with_post.finditer(text):
        names = [(a.start(), a.end()) for a in re.finditer(PERSON_NAME.format(word=NAME_WORD, particle=PARTICLE),
                                                          m.group("names"))]
        if len(names) >= 2 and all(_person_words(mc, m.group("names")[a:b].split()) for a, b in names):
            out += [(m.start("names") + a, m.start("names") + b) for a, b in names]
    return out


def _names_a_body(mc: MentionContext, words: str) -> bool:
    """Do these words (in parentheses after a name) name an organisation: an organisation word ("Institute",
    "Ministry of …, Malaysia") or a body the gazetteer knows?"""
    first = words.split(",")[0].strip()
    return _has(tokens(first), mc.cues.org_heads) or bool(mc.gazetteer.resolve_org(first))


def _name_line(mc: MentionContext, line: Line) -> list[tuple[int, int, str | None]]:
    """The names of a line that holds only names, above a line that gives their post or organisation — an
    author line above an affiliation, a signature above a post, an addressee above "Member of Parliament"."""
    m = mc.name_line.match(line.text)
    if m is None or len(line.text) > 160:
        return []
    k = mc.index(line) + 1
    if k >= len(mc.ctx.lines):
        return []
    below = tokens(mc.ctx.lines[k].text)[:6]
    if not (any(_is_post(t.text[:1].upper() + t.text[1:], mc.cues.posts) for t in below[:3])
            or _has(below, mc.cues.org_heads) or mc.listed(mc.ctx.lines[k])):
        return []
    out = []
    for g in ("n0", "n1", "n2", "n3"):
        if m.group(g) is None:
            continue
        s, e = m.span(g)
        before = line.text[:s].rstrip()
        honorific = next((h for h in mc.cues.honorifics if before.endswith(h)), None)
        if _person_words(mc, m.group(g).split(), strict=honorific is None):
            out.append((s, e, honorific))
    return out


# "Scaling-up", "Community-based", "Follow-up": a compound of words, where a name joins capitals ("Jean-Pierre")
LOWER_AFTER_HYPHEN = re.compile(r"^[A-Z][a-z]+-[a-z]")


def _compound(mc: MentionContext, word: str) -> bool:
    """"Scaling-up", "Community-based", "Long-term": a compound of words, not a name — whose syllables after a
    hyphen ("Soo-jin", "Jean-Pierre") are short and no such word."""
    if not LOWER_AFTER_HYPHEN.search(word):
        return False
    tail = word.split("-", 1)[1]
    return len(tail) > 4 or tail in mc.cues.compound_tails


def _post_right_before(around: PeopleContext, text: str, s: int) -> bool:
    """Is the name at ``s`` written right after its post ("UNICEF spokesperson Jane Doe")? The last word is looked
    up first: the pattern of all posts is tried only where it could match."""
    last = text[max(0, s - 30):s].rsplit(None, 1)[-1:]
    return bool(last) and last[0].lower() in around.post_words and bool(
        around.post_right_before.search(text, max(0, s - 40), s))


# where a name opens an entry of a contact line or a list ("Jane Doe, UNICEF"), not the inside of a longer name
# ("… Department of Child Welfare, Ministry of …")
LIST_START = re.compile(r"(?:^|[;|•·(–—*-])\s*$")


def _org_follows(mc: MentionContext, text: str, end: int) -> bool:
    """Does a listed organisation follow the name after a comma ("Jane Doe, UNICEF Geneva, +41 …"): the body the
    person works for, as a contact line or a list of participants gives it?"""
    after = re.match(r"\s*,\s+(?:the\s+)?", text[end:end + 8])
    if after is None:
        return False
    at = end + after.end()
    return any(s == 0 for s, _, _ in mc.gazetteer.find_orgs(text[at:at + 80]))


def _person_words(mc: MentionContext, words: list[str], strict: bool = True) -> bool:
    """Could these words be a person's name? After an honorific only posts and honorifics are ruled out
    ("H.E. Mrs. …", "Ms. Counsellor"); elsewhere cue words, organisation words, States and acronyms too."""
    cues = mc.cues
    titles = {h.rstrip(".") for h in cues.honorifics}
    if any(w.rstrip(".") in titles or _is_post(w, cues.posts) for w in words):
        return False
    if not strict:  # an honorific before it; but "Justice Collaborative" is a body's name, not Justice Collaborative
        return not any(w in cues.org_heads for w in words)
    if any(w in cues.not_person_words or w in cues.org_heads or w in cues.posts or w.isupper()
           or _compound(mc, w) for w in words):
        return False
    if re.fullmatch(PARTICLE, words[0], re.I):
        return False  # a name opens on a given name: "De Herberg" (an inn) is no person; "Ana de Souza" is one
    joined = " ".join(words)
    return not (mc.gazetteer.resolve_state(joined) or mc.gazetteer.resolve_org(joined)
                or any(w in mc.state_forms for w in words))


# -- the stage ------------------------------------------------------------------------------------------------
def find_mentions(ctx: Context, cues: Cues) -> list[Mention]:
    """Every mention the registered recognisers find in the document, in reading order, without repeats of
    the same thing at the same place."""
    mc = MentionContext(ctx, cues, anonymous_lines={_line_of(ctx, u.span) for u in ctx.out.unnamed
                                                    if u.kind != "organisation"})  # where anonymous speakers speak
    out: list[Mention] = []
    seen: set[tuple[str, int, int]] = set()
    for line in ctx.lines:
        for name, recognise in RECOGNISERS.items():
            try:
                found = list(recognise(mc, line))
            except Exception as e:  # noqa: BLE001 - a failing recogniser costs its mentions, not the document
                ctx.warn(line, f"recogniser {name!r} failed ({type(e).__name__}: {e}); please report this line")
                continue
            for m in found:
                key = (name if name != "governments" else "listed organisations", m.actor.span.start,
                       m.actor.span.end)
                if key not in seen:
                    seen.add(key)
                    out.append(m)
    out += _publisher_named(mc, out)
    _full_names(out)
    _as_parsed(ctx, out)
    _bodies_of_one_state(out)
    _short_names(out)
    out += _back_references(mc, out)
    return out


def _publisher_named(mc: MentionContext, found: list[Mention]) -> list[Mention]:
    """The manifest's publisher where the text writes its name and no recogniser read an organisation there: an
    author names itself without a head word as often as not ("Solidarity Bridge Lowland > News", "About us:
    Harbour Legal Collective is …"), and who wrote it is the one body the text need not introduce."""
    name = " ".join(mc.ctx.publisher.split())
    if len(name) < 4 or not re.search(r"[A-Z]", name):
        return []
    words = r"\s+".join(re.escape(w) for w in name.split())
    pattern = re.compile(rf"(?<![\w-]){words}(?![\w-])")
    taken = [(m.actor.span.start, m.actor.span.end) for m in found if isinstance(m.actor, OrgRef | PersonRef)]
    out = []
    for line in mc.ctx.lines:
        if name.split()[0] not in line.text:
            continue  # most lines do not name it: one substring test says so
        for m in pattern.finditer(line.text):
            span = mc.span(line, m.start(), m.end())
            if not any(a < span.end and span.start < b for a, b in taken):
                out.append(Mention(OrgRef(name, span, anonymous_context=line.lineno in mc.anonymous_lines),
                                   "publisher"))
    return out


# "the Ministry", "The Municipality": a body named again by its organisation word alone (not "the Ministry of …")
DEFINITE_HEAD = re.compile(r"\b[Tt]he\s+(?P<head>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b(?!['’]s\b|\s+(?:of|for|on|in|to)\b|"
                           r"\s+[A-Z]|-)")


@lru_cache(maxsize=1024)
def _head_word_of(name: str, heads: frozenset[str]) -> str | None:
    return next((_bare(w) for w in name.split() if _bare(w) in heads), None)


def _head_word(mc: MentionContext, name: str) -> str | None:
    """The first organisation word of a name ("Municipality" of "Municipality of Estación Central")."""
    return _head_word_of(name, mc.cues.org_heads)


def _back_references(mc: MentionContext, mentions: list[Mention]) -> list[Mention]:
    """"The Municipality lends us two rooms …" after "the Municipality of Estación Central": the one organisation
    the document named before with that organisation word in its name is the one meant. Nothing when two bodies
    named before share the word ("the Ministry" after two ministries), and never inside an anonymous speaker's
    passage, where it could name the speaker's own government."""
    orgs = sorted((m.actor for m in mentions if isinstance(m.actor, OrgRef) and not m.actor.anonymous_context),
                  key=lambda o: o.span.start)
    if not orgs:
        return []
    taken = Disjoint((m.actor.span.start, m.actor.span.end) for m in mentions)
    out: list[Mention] = []
    seen: dict[str, dict[str, OrgRef]] = {}  # head word -> the bodies named so far with it (walked once, in order)
    k = 0
    for line in mc.ctx.lines:
        if line.lineno in mc.anonymous_lines or ("The " not in line.text and "the " not in line.text):
            continue
        for m in DEFINITE_HEAD.finditer(line.text):
            head = m.group("head")
            if head not in mc.cues.org_heads or head in mc.cues.institutions or head in mc.cues.government_nouns:
                continue  # ("the Government": whose, the governments recogniser reads)
            span = mc.span(line, m.start("head"), m.end())
            if taken.overlaps(span.start, span.end):
                continue
            while k < len(orgs) and orgs[k].span.start < span.start:
                if (word := _head_word(mc, orgs[k].name)) is not None and orgs[k].span.end <= span.start:
                    seen.setdefault(word, {})[fold(orgs[k].name)] = orgs[k]
                k += 1
            before = seen.get(head, {})
            if len(before) != 1:
                continue
            antecedent = next(iter(before.values()))
            out.append(Mention(OrgRef(antecedent.name, span, acronym=antecedent.acronym, key=antecedent.key,
                                      parent=antecedent.parent, state=antecedent.state, based_in=antecedent.based_in,
                                      scope=antecedent.scope), "back references"))
    return out


def _short_names(mentions: list[Mention]) -> None:
    """"the Halvard Institute" after (or before) "the Halvard Institute for Migration and Mobility": an unlisted
    name of two words or more that the document also writes as the start of one longer name ("… for …", "… of
    …", "… and …") is that organisation."""
    unlisted = [m.actor for m in mentions if isinstance(m.actor, OrgRef) and m.actor.key is None
                and m.actor.parent is None and not m.actor.anonymous_context]
    names = {fold(r.name): r for r in unlisted}
    for ref in unlisted:
        short = fold(ref.name)
        if " " not in short:
            continue
        longer = {n for n in names if n.startswith(short + " ") and n[len(short) + 1:].split(" ", 1)[0] in
                  ("for", "of", "on", "and", "in", "at")}
        if len(longer) == 1:
            full = names[longer.pop()]
            ref.name, ref.acronym, ref.scope = full.name, full.acronym or ref.acronym, full.scope


def _bodies_of_one_state(mentions: list[Mention]) -> None:
    """"the Ministry of Foreign Affairs" after (or before) "the Ministry of Foreign Affairs of Ecuador": where a
    document gives a public body's State once, its other mentions are that State's body too — if the document
    gives one State for the name, not two."""
    states: dict[str, dict[str, OrgRef]] = {}
    for m in mentions:
        ref = m.actor
        if isinstance(ref, OrgRef) and ref.parent is not None and (ref.parent.key or "").startswith("GOV-"):
            states.setdefault(fold(ref.name), {})[ref.parent.key or ""] = ref.parent
    for m in mentions:
        ref = m.actor
        if isinstance(ref, OrgRef) and ref.key is None and ref.parent is None and (ref.scope or "").startswith(
                "doc-") and not ref.anonymous_context and len(one := states.get(fold(ref.name), {})) == 1:
            ref.parent, ref.scope = next(iter(one.values())), None


def _as_parsed(ctx: Context, mentions: list[Mention]) -> None:
    """An unlisted organisation the genre parser also read in this document (in an affiliation, with its
    parent) is that organisation: the mention takes its identity, so both resolve to one key whatever else
    the corpus holds ("Faculty of Law" under its university, not a second, free-standing one)."""
    parsed: dict[str, list[OrgRef]] = {}
    for ref in spans_and_refs(ctx.out, exclude=("mentions",))[1]:
        parsed.setdefault(fold(ref.name), []).append(ref)
    for m in mentions:
        if isinstance(m.actor, OrgRef) and m.actor.key is None and (same := parsed.get(fold(m.actor.name))):
            first = same[0]
            m.actor = OrgRef(m.actor.name, m.actor.span, acronym=first.acronym or m.actor.acronym, key=first.key,
                             parent=first.parent, state=first.state, based_in=first.based_in,
                             anonymous_context=m.actor.anonymous_context or first.anonymous_context,
                             scope=first.scope)


def _full_names(mentions: list[Mention]) -> None:
    """"Ms. Stavrou" after "Eleni Stavrou": a surname alone is the person the document named in full (if one)."""
    people = [m.actor for m in mentions if isinstance(m.actor, PersonRef)]
    by_surname: dict[str, set[str]] = {}
    by_first: dict[str, set[str]] = {}  # "Ms. Baek" after "Baek Na-ra": a name written family name first
    for p in people:
        if " " in p.name:
            by_surname.setdefault(p.name.rsplit(" ", 1)[1], set()).add(p.name)
            by_first.setdefault(p.name.split(" ", 1)[0], set()).add(p.name)
    for p in people:
        if " " not in p.name and len(full := by_surname.get(p.name) or by_first.get(p.name, set())) == 1:
            p.name = next(iter(full))


def _line_of(ctx: Context, span: Span) -> int:
    return line.lineno if (line := ctx.line_at(span.start)) is not None else -1

