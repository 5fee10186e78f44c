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
from .names import fold, trie_alternation
from .numbers import _is_verb
from .parse_common import Context
from .records import Actor, OrgRef, Partnership, PersonRef, Practice, Span, StateRef, Unnamed
from .sources import SourceError
from .text import Line
from .vocab import Vocabulary

CUES_FILE = Path("gazetteer") / "relation_cues.yaml"
# kinds of list whose items say what is to be done, not what was done (a status line may report a practice)
COMMITMENT_KINDS = frozenset({"recommendation", "next-step", "policy-brief-call", "pledge-idea", "pledge",
                              "pledge-action"})
# a sentence ends at . ! ? ; followed by a space and a capital or a quote — not after an initial or a title
# not after an initial or an abbreviation that precedes a name or a number ("Hon. Kwabena …", "Atty. Liza …")
ABBREVIATIONS = ("Mr", "Ms", "Dr", "Mrs", "Mx", "No", "St", "vs", "Hon", "Prof", "Rev", "Sr", "Sra", "Atty", "Amb",
                 "Gen", "Col", "Capt", "Ma", "Jr", "Nos", "Art", "para", "paras", "Fig", "cf", "approx")
SENTENCE_END = re.compile(r"(?<!\b[A-Z])" + "".join(rf"(?<!\b{a})" for a in ABBREVIATIONS)
                          + r"[.!?;>](?=\s+[\"“‘(]?[A-Z0-9])")  # ">": the end of a link left bare


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
    not_done: re.Pattern  # a modal or wish before a verb: what nobody did yet ("will train", "plans to open")
    not_practice: re.Pattern  # recommendations, calls and agreements: a sentence that reports none
    meeting_subject: re.Pattern  # "The exchange was opened by …": the meeting's own proceedings
    practice_list: re.Pattern  # "Similar practices: …": a label whose items are practices
    reported: re.Pattern  # "… noted that …": what follows is what the speaker reports, with its own subject
    naming: re.Pattern  # verbs that name the practice they do ("they monitor two depots")
    outcomes: frozenset[str]  # forms of verbs whose passive tells what happened to people ("were released")
    begun: re.Pattern  # "began accompanying", "continued to …" — a practice begun or continued
    publisher_partner: re.Pattern  # "Our partner X", "with our support": the author is a partner
    partnership_heading: re.Pattern  # a line that is only "PARTNERS" or "Donors": the next line lists them
    nominal_head: re.Pattern  # "OHCHR's visits to …", "the Italian guidelines on …": a practice told by its noun
    state_instrument: re.Pattern  # what only a State makes: "the Italian guidelines" are Italy's
    beneficiary: re.Pattern  # the people a practice is done for ("to the adolescents", "meet people")
    presenting: re.Pattern  # "X presented the centre's model …": the practice is the object
    opinion: re.Pattern  # "… cautioned that …": what follows is an opinion
    speakers_body: re.Pattern  # "her organisation", "his centre": the body of the person the text speaks of

    @classmethod
    def load(cls, data_dir: Path) -> RelationCues:
        path = Path(data_dir) / CUES_FILE
        raw = cuefile.read(path, RelationCueError)
        lists = {key: cuefile.words(raw, key, path, RelationCueError)
                 for key in ("partnership_cues", "partnership_fields", "practice_verbs", "practice_nouns",
                             "place_prepositions", "continuing_subjects", "not_done_cues", "not_practice_cues",
                             "meeting_nouns", "practice_list_labels", "reporting_verbs", "practice_lemmas",
                             "practice_lemmas_past", "practice_naming_lemmas", "outcome_lemmas",
                             "publisher_partnership_cues", "nominal_practice_heads", "state_instrument_heads",
                             "practice_beneficiaries", "presenting_verbs", "opinion_cues",
                             "speaker_body_nouns")}
        lists["practice_naming"] = sorted(verb_forms(lists["practice_naming_lemmas"]))
        lists["practice_gerunds"] = sorted(verb_forms(lists["practice_lemmas"] + lists["practice_lemmas_past"]
                                                      + lists["practice_naming_lemmas"], gerund=True))
        lists["practice_lemmas"] = [*lists["practice_lemmas"], *lists["practice_naming_lemmas"]]
        lists["practice_verbs"] = sorted({*lists["practice_verbs"], *verb_forms(lists["practice_lemmas"]),
                                          *verb_forms(lists["practice_lemmas_past"], base=False)})
        # their third person, a plural noun as often ("places", "supports"), is the verb right after a name
        lists["after_name"] = sorted(verb_forms(lists["practice_lemmas_past"], present=True)
                                     - set(lists["practice_verbs"]))
        patterns = {}
        for key in ("partnership_cues", "publisher_partnership_cues"):
            # each cue starts a word ("led by" is not in "called by"), which also lets the search skip ahead
            anchored = [c for c in lists[key] if c.startswith("^")]
            free = "|".join(f"(?:{c})" for c in lists[key] if not c.startswith("^"))
            try:
                patterns[key] = re.compile("|".join([rf"\b(?:{free})", *(f"(?:{c})" for c in anchored)]), re.I)
            except re.error as e:
                raise RelationCueError(f"{path}: {key!r} holds a pattern that does not compile ({e})") from None
        partnership = patterns["partnership_cues"]

        def words(key: str) -> str:
            # one trie for the list (the engine tries each letter once, not each of hundreds of words at every
            # position); a space in a cue is any run of white space
            return trie_alternation(lists[key]).replace(r"\ ", r"\s+")

        return cls(partnership,
                   # "Partners: …", "Thank you to our funders: …"
                   re.compile(rf"^\W*(?:[\w’']+\s+){{0,4}}?(?:{words('partnership_fields')})\s*:", re.I),
                   # lower case: "Working Group" is no verb of doing; "Co-leads" neither. After a name (blanked in
                   # the text searched: a run of spaces) or its acronym: "the Network places children …"
                   re.compile(rf"(?<![\w-])(?:{words('practice_verbs')})\b"
                              # (or after an adverb of time there: "the Service now reviews every order")
                              rf"|(?:(?<=\s\s)|(?<=\)\s)|(?<=\s\snow )|(?<=\s\salso )|(?<=\s\sstill )"
                              rf"|(?<=\s\salready ))(?:{words('after_name')})\b"
                              # and any verb of doing after "we"/"they", where its plain form is no noun: "we brief
                              # members of parliament", "they help people find a room"
                              rf"|(?:(?<=\b[Ww]e )|(?<=\b[Tt]hey )|(?<=\b[Ww]e also )|(?<=\b[Tt]hey also ))"
                              rf"(?:{words('practice_lemmas_past')})\b"),
                   re.compile(rf"(?<![\w-])(?:{words('practice_nouns')})s?(?![\w-])", re.I),
                   frozenset(w.lower() for w in lists["place_prepositions"]),
                   re.compile(rf"^\s*(?:{words('continuing_subjects')})\b"),
                   re.compile(rf"\b(?:{words('not_done_cues')})\b", re.I),
                   re.compile(rf"\b(?<!\bon )(?:{words('not_practice_cues')})\b", re.I),  # "on call for": a duty roster
                   re.compile(rf"^\W*(?:the|this|our|its|their)\s+(?:\w+\s+)?(?:{words('meeting_nouns')})s?\b", re.I),
                   re.compile(rf"^\W*(?:[\w-]+\s+){{0,3}}(?:{words('practice_list_labels')})\s*:\s*", re.I),
                   re.compile(rf"\b(?:{words('reporting_verbs')})\s+(?:that\s+|how\s+)"),
                   re.compile(rf"(?<![\w-])(?:{words('practice_naming')})\b"),
                   frozenset(verb_forms(lists["outcome_lemmas"])),
                   # "we began accompanying clients": a practice begun or continued
                   re.compile(r"\b(?:began|begun|begin|begins|started|starts|start|continued|continues|continue)"
                              rf"\s+(?:{words('practice_gerunds')})\b"),
                   patterns["publisher_partnership_cues"],
                   re.compile(rf"^\W*(?:[\w’']+\s+){{0,2}}?(?:{words('partnership_fields')})\s*:?\s*$", re.I),
                   re.compile(rf"(?<![\w-])(?:{words('nominal_practice_heads')})(?![\w-])", re.I),
                   re.compile(rf"(?:{words('state_instrument_heads')})", re.I),
                   re.compile(rf"(?<![\w-])(?:{words('practice_beneficiaries')})(?![\w-])", re.I),
                   re.compile(rf"(?<![\w-])(?:{words('presenting_verbs')})\s+(?!(?:that|how|what|why|its\s+work)\b)"),
                   re.compile(rf"\b(?:{words('opinion_cues')})\b"),
                   re.compile(rf"(?:^|\b(?:how|that|and|since|\d{{4}},?)\s+|^\W*(?:\w+\s+){{0,3}}?)(?:[Hh]er|[Hh]is)\s+"
                              rf"(?:own\s+)?(?:{words('speaker_body_nouns')})\b"))


def verb_forms(lemmas: list[str], base: bool = True, gerund: bool = False, present: bool = False) -> set[str]:
    """The finite forms of each verb ("monitor" -> monitors, monitored; "carry out" -> carries out, carried out),
    by lemminflect's dictionary (irregular verbs included: "run" -> ran). ``base``: also the present ("they
    monitor", "it monitors"); left out for verbs whose present is mostly a noun ("support", "places").
    ``present``: only the third person of the present ("places")."""
    from lemminflect import getAllInflections, getAllInflectionsOOV

    tags = ("VBG",) if gerund else ("VBZ",) if present else ("VBD", "VBN", *(("VBZ", "VBP") if base else ()))
    out: set[str] = set()
    for lemma in lemmas:
        verb, _, particle = lemma.partition(" ")
        forms = getAllInflections(verb, upos="VERB") or getAllInflectionsOOV(verb, upos="VERB")
        for tag in tags:
            for form in forms.get(tag, ())[:1]:  # the standard spelling ("referred", not "refered")
                out.add(f"{form} {particle}".strip())
    return out


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
    parsed_practices: dict[str, Span] = field(default_factory=dict)  # the genre parser's practices by sentence
    commitments: Intervals = field(default_factory=lambda: Intervals([]))  # items of lists of what is to be done
    parsed_practice_spans: Intervals = field(default_factory=lambda: Intervals([]))
    field_line: Sentence | None = None  # the whole of a "Partners: …" line, while its sentences are read
    field_heading: bool = False  # the field line is the line under a "PARTNERS" heading
    host_spans: list[Span] = field(default_factory=list)  # where the genre parser read the exchange's hosts
    interviewee: OrgRef | None = None  # an interview's: whose "we" its answers speak
    answering: bool = False  # is the line being read an answer of an interview ("A: …")?
    bodies_of_people: dict[str, OrgRef | None] | None = None  # a person's organisation by name, once asked
    actors: list[tuple[int, Actor]] = field(default_factory=list)  # every actor of the document, by offset
    actor_starts: list[int] = field(default_factory=list)  # their offsets (bisected)


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
    """The sentence's anonymous speaker — a State or a person the Chatham House Rule leaves unnamed (an
    organisation left unnamed as a partner, "with a faith-based NGO", is an actor like any other)."""
    return next((a for _, a in s.actors if isinstance(a, Unnamed) and a.kind != "organisation"), None)


def _partners(rc: RelationContext, s: Sentence) -> list[Actor]:
    """Who a partnership sentence joins: its anonymous speaker (if any), organisations and governments, and
    a State that acts (never a place, and never a State beside an anonymous speaker)."""
    anonymous = _unnamed(s)
    out: dict[str, Actor] = {}
    # "The Harbour Forum is co-chaired by A and B": what is co-chaired, funded or commissioned is no partner of its own
    passive = re.search(r"\b(?:is|are|was|were|been|be)\s+(?:\w+ly\s+)?(?:co-\w+|\w+ed)\s+(?:jointly\s+)?by\b",
                        s.masked)
    inner = _nested([(a.span.start, a.span.end) for _, a in s.actors])  # (in one sweep: a sentence may name hundreds)
    for k, (at, a) in enumerate(s.actors):
        if passive and at - s.start < passive.start():
            continue
        if (a.span.start, a.span.end) in inner:
            continue  # "UNHCR" inside "the UNHCR Representation in Bulgaria": the representation is the partner
        # "funded by Iceland, Liechtenstein and Norway", "with the authorities of Costa Rica and Panama": the
        # States act
        authorities = _authorities_of(s, at)
        funder = _after_by(s, at) or authorities or rc.field_line is s  # "Donors: EU, Switzerland, Norway"
        if isinstance(a, StateRef) and (anonymous is not None or (k > 0 and not funder)
                                        or (_is_place(rc, s, at) and not authorities)):
            continue  # a State joins only as the sentence's subject or agent: elsewhere it is where, not who
        if isinstance(a, PersonRef):
            continue
        out.setdefault(_key(a), a)
    return list(out.values())


def _authorities_of(s: Sentence, at: int) -> bool:
    """Is the State at ``at`` named as whose authorities act ("the national authorities of Mauritania and …")?"""
    before = s.line.text[max(s.start, at - 60):at]
    return re.search(r"\bauthorities\s+of\s+(?:the\s+)?(?:[^.;:()]*?(?:,|\band)\s+(?:the\s+)?)?$", before) is not None


def _after_by(s: Sentence, at: int) -> bool:
    """Is the actor at ``at`` in a "by A, B and C" agent phrase?"""
    before = s.line.text[max(s.start, at - 60):at]
    return re.search(r"\bby\s+(?:the\s+)?(?:[^.;:()]*?(?:,|\band)\s+(?:the\s+)?)?$", before) is not None


MINISTER_BEFORE = re.compile(r"\bMinisters?\s+(?:of|for)\s+(?:the\s+)?"
                             r"(?P<of>[A-Z][\w’'-]*(?:\s+(?:and\s+|of\s+|the\s+)*[A-Z][\w’'-]*)*)\s*,\s*(?:\S+\s+)?$")


def _ministry_of(rc: RelationContext, s: Sentence, at: int) -> OrgRef | None:
    """"The Minister for the Interior, Hon. X, launched …": the ministry of that portfolio, if the document names
    it ("the Ministry of the Interior")."""
    m = MINISTER_BEFORE.search(s.line.text[s.start:at])
    if m is None:
        return None
    portfolio = fold(m.group("of"))
    for x in rc.ctx.out.mentions:
        if isinstance(x.actor, OrgRef) and re.fullmatch(rf"ministry (?:of|for) (?:the )?{re.escape(portfolio)}",
                                                        fold(x.actor.name)):
            return OrgRef(x.actor.name, rc.ctx.span(s.line, s.start + m.start(), s.start + m.end()),
                          acronym=x.actor.acronym, key=x.actor.key, parent=x.actor.parent, state=x.actor.state,
                          scope=x.actor.scope)
    return None


def _of_body(s: Sentence, person: PersonRef) -> OrgRef | None:
    """The body a person is "of", "from" or "at", named right after the name ("Dr Rahman of the Institute")."""
    end = _line_offset(s.line, person.span.end)
    m = re.match(r"\s+(?:of|from|at)\s+(?:the\s+)?", s.line.text[end:end + 12])
    if m is None:
        return None
    return next((a for _, a in s.actors if isinstance(a, OrgRef)
                 and _line_offset(s.line, a.span.start) == end + m.end()), None)


def _affiliation(s: Sentence, at: int, person: PersonRef) -> Actor | None:
    """The organisation an apposition after a person's name gives ("…, Director of the Division, Agency, …")."""
    end = _line_offset(s.line, person.span.end)
    if not s.line.text[end:end + 2].startswith(","):
        return None
    close = s.line.text.find(",", end + 1, end + 160)
    bodies = [a for pos, a in s.actors if isinstance(a, OrgRef) and end < pos < (close if close > 0 else end + 160)]
    return bodies[-1] if bodies else None  # the last: "Director of the Division, Agency": the agency


# "The Working Group …", "The Office …" at a sentence's start (after an opening phrase and its comma)
THE_HEAD = re.compile(r"^\W*(?:[A-Z][\w ,]{0,40},\s+)?[Tt]he\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)\b")


def _in_publisher(rc: RelationContext, words: str) -> bool:
    """Are all these words ("Working Group", "Office") words of the publisher's name?"""
    return all(re.search(rf"\b{re.escape(w)}\b", rc.ctx.publisher) for w in words.split())


SELF_HEADS = ("Office", "Ministry", "Agency", "Department", "Secretariat", "Commission", "Council", "Network",
              "Organisation", "Organization", "Institute", "Centre", "Center", "Foundation", "Platform", "Coalition")


def _names_itself(rc: RelationContext, words: str) -> bool:
    """"The Country Office helped set up …" in a text a country office published: a definite body the text names
    no other way — no organisation it mentions is called that — is its author."""
    if not words.endswith(SELF_HEADS):
        return False
    return not any(isinstance(m.actor, OrgRef) and fold(m.actor.name).endswith(fold(words))
                   for m in rc.ctx.out.mentions)


def _publisher_by_head(rc: RelationContext, s: Sentence) -> re.Match | None:
    """"The Office …" at the start of a sentence of a text the Office published (the head word of its name), when
    it does something itself ("The Office carried out 14 visits") or the sentence names nobody else — "The Office
    notes the protocol adopted by the government" is the government's practice."""
    m = re.match(THE_HEAD.pattern + r"(?:\s+(?:also|then|has|had|have))*\s+", s.masked)
    if not m or not (_in_publisher(rc, m.group(1)) or _names_itself(rc, m.group(1))):
        return None
    acts = rc.cues.practice_verb.match(s.masked, m.end()) is not None
    return m if acts or all(isinstance(a, PersonRef) for _, a in s.actors) else None


def _joint_subject(rc: RelationContext, s: Sentence) -> bool:
    """"The Agency (SAR) and the Directorate tested …": two bodies acting together as the sentence's subject —
    the first opens the sentence, only "and" (and an acronym) stands between them, a verb of doing follows."""
    bodies = [(at, a) for at, a in s.actors if isinstance(a, OrgRef)]
    if len(bodies) < 2:
        return False
    (at1, first), (at2, second) = bodies[:2]
    line = s.line.text
    if line[s.start:at1].strip().lower() not in ("", "the"):
        return False
    between = re.sub(r"^\s*\([^()]*\)", "", line[_line_offset(s.line, first.span.end):at2])
    if not re.fullmatch(r"\s*and\s+(?:the\s+)?", between):
        return False
    after = re.sub(r"^\s*(?:\([^()]*\)\s*)?(?:of\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3}\s+)?"
                   r"(?:(?:have|has|had)\s+)?"
                   r"(?:(?:jointly|together|since|now|also|recently)\s+)*", "",
                   line[_line_offset(s.line, second.span.end):s.end])
    # ("… have since agreed on a referral protocol": an agreement between the two is what they did together; "the
    # National Migration Service of Panama have …": the State the second body is of, read apart, is no verb)
    return rc.cues.practice_verb.match(after) is not None or re.match(r"agreed\s+(?:on|to|a)\b", after) is not None


def _publisher_as_subject(rc: RelationContext, s: Sentence) -> OrgRef | None:
    """The text's publisher when the sentence's subject is "we" or "The <the head word of its name>"."""
    if not rc.ctx.publisher:
        return None
    m = _we(s.masked) or THE_HEAD.match(s.masked)
    if m is None or (m.group(1).lower() != "we" and not _in_publisher(rc, m.group(1))):
        return None
    if re.match(r"\s+(?:is|was|are|were|has\s+been|have\s+been)\b", s.masked[m.end(1):]):
        return None  # "The Collective is run by A and B": the body they run is not their partner
    return _publisher(rc, rc.ctx.span(s.line, s.start + m.start(1), s.start + m.end(1)))


def _publisher(rc: RelationContext, span: Span) -> OrgRef:
    """The publisher, evidenced by the words that stand for it here; the same organisation as the document's own
    mention of it, if it names itself ("Borderlands Justice Collaborative (BJC)"), acronym and all. In the answers
    of an interview, "we" is the interviewee's organisation."""
    if rc.answering and rc.interviewee is not None:
        who = rc.interviewee
        return OrgRef(who.name, span, acronym=who.acronym, key=who.key, parent=who.parent, scope=who.scope)
    # "Centre for Migration Policy, University of Northbridge": the body is the first part, the rest where it sits
    names = (fold(rc.ctx.publisher), fold(rc.ctx.publisher.split(",")[0]))
    orgs = [m.actor for m in rc.ctx.out.mentions if isinstance(m.actor, OrgRef)]
    named = next((o for name in names for o in orgs if fold(o.name) == name), None)
    if named is not None:
        return OrgRef(named.name, span, acronym=named.acronym, key=named.key, parent=named.parent,
                      scope=named.scope)
    return OrgRef(rc.ctx.publisher, span, key=rc.ctx.gazetteer.resolve_org(rc.ctx.publisher))


def _self_named(rc: RelationContext) -> OrgRef | None:
    """The publisher as the text names it, if it does ("IOM" in IOM's donor update)."""
    if not rc.ctx.publisher:
        return None
    names = (fold(rc.ctx.publisher), fold(rc.ctx.publisher.split(",")[0]))
    key = rc.ctx.gazetteer.resolve_org(rc.ctx.publisher)
    return next((m.actor for m in rc.ctx.out.mentions if isinstance(m.actor, OrgRef)
                 and (fold(m.actor.name) in names or (key is not None and m.actor.key == key))), None)


def _planned(rc: RelationContext, masked: str, cue: re.Match) -> bool:
    """Does a modal govern the cue — in its own clause, or, for a participle ("…, working with UNHCR"), in the
    clause it hangs on ("the Home Office will pilot it in two regions, working with UNHCR")?"""
    window = masked[max(0, cue.start() - 200):cue.start()]
    if not re.match(r"\w+ing\b", cue.group(0)):
        window = window[-80:].rsplit(",", 1)[-1]
    return rc.cues.not_done.search(window) is not None


def _person_agent(s: Sentence, at: int) -> bool:
    """Is the first actor after a cue that ends in "by" a person ("… delivered by Ms X, Director-General of …")?"""
    if not s.masked[:at].rstrip().endswith("by"):
        return False
    after = [a for pos, a in s.actors if pos - s.start >= at]
    return bool(after) and isinstance(after[0], PersonRef)


# "The project is funded by X": a practice named before, and who pays for, runs or backs it
DEFINITE_PRACTICE_BY = re.compile(r"^\W*(?:The|This|That|Its|Their|Our|the|this|its|their|our)\s+(?:[\w-]+\s+){0,2}?"
                                  r"(?P<noun>[\w-]+)\s+(?:is|was|are|were|has\s+been|have\s+been)\s+(?:\w+ly\s+)?"
                                  r"(?:co-\s?)?(?P<verb>funded|financed|supported|sponsored|run|implemented|managed|"
                                  r"delivered|coordinated|operated)\s+(?:jointly\s+)?by\b")
FUNDING_VERBS = frozenset({"funded", "financed", "supported", "sponsored"})


def _owner_of_practice_before(rc: RelationContext, s: Sentence) -> Actor | None:
    """Whose is "the project" a sentence begins with ("The project is funded by the SDC.")? The doer of the last
    practice read earlier in the same paragraph, if the text named one — else nobody."""
    m = DEFINITE_PRACTICE_BY.match(s.masked)
    if m is None or not rc.cues.practice_noun.search(m.group("noun")):
        return None
    before = [p for p in rc.ctx.out.practices if isinstance(p.actor, OrgRef | StateRef)
              and p.span.start >= s.span.start - s.start and p.span.end <= s.span.start]
    if not before:
        return None
    # who pays for or backs it works with its owner whatever it was called before; who runs it is its owner
    # only if it was called so ("UNICEF piloted the toolkit …. The mechanism is coordinated by X": another thing)
    named = re.search(rf"\b{re.escape(m.group('noun'))}", before[-1].label, re.I)
    return before[-1].actor if named or m.group("verb") in FUNDING_VERBS else None


# a sentence that opens on the agent phrase, with no subject: the document itself was commissioned or funded
AUTHOR_BY = re.compile(r"^\W*(?:Commissioned|Funded|Financed|Supported|Sponsored)\s+(?:jointly\s+)?by\b")


@relation("partnerships")
def partnerships(rc: RelationContext, s: Sentence) -> None:
    if rc.field_line is not None and rc.field_line is not s:
        return  # a "Partners: A; B; C" line is one partnership, read whole (see read_relations)
    text = s.text
    publisher: Actor | None = _publisher_as_subject(rc, s)  # "we run the project together with A and B": the author too
    if publisher is None and rc.ctx.publisher and AUTHOR_BY.match(s.masked):
        # "Commissioned by the UNHCR Representation in Bulgaria." above a report: the text's author is the other
        publisher = _publisher(rc, rc.ctx.span(s.line, s.start, s.start + len(s.masked.split(None, 1)[0])))
    ours = rc.cues.publisher_partner.search(s.masked) if (
        rc.ctx.publisher and rc.interviewee is None and re.search(r"(?i)\b(?:our|we|us)\b", s.masked)) else None
    if publisher is None and ours:
        # "Our partner X runs …", "X, with our support, …": the author works with X
        publisher = _publisher(rc, rc.ctx.span(s.line, s.start + ours.start(), s.start + ours.end()))
    if publisher is None:
        publisher = _owner_of_practice_before(rc, s)  # "… to open two houses. The project is funded by the SDC."
    if sum(not isinstance(a, PersonRef) for _, a in s.actors) + (publisher is not None) < 2:
        return  # fewer than two actors who could be partners: the cue patterns need not be searched
    cue = rc.cues.partnership.search(s.masked)
    field_label = rc.cues.partnership_field.match(s.masked)
    if not (cue or ours or field_label or rc.field_heading or _joint_subject(rc, s)):
        return
    if rc.commitments.overlaps(s.span) or s.text.rstrip().endswith("?"):
        return  # a next step, a recommendation or a question: a collaboration planned or asked for, not one that is
    if cue and cue.group(0).rstrip().lower().endswith("by") and not ours and not field_label and not re.match(
            r"\s*(?:[\w’'-]+\s+){0,4}?(?:\s{2}|[A-Z])", s.masked[cue.end():cue.end() + 60]):
        return  # "supported by a case manager, instead of …": no one named does it with anyone
    if cue and not (field_label or rc.field_heading) and (_planned(rc, s.masked, cue) or _person_agent(s, cue.end())):
        return  # "… will pilot it, working with UNHCR": planned; "delivered by Ms X, Director of …": a speech
    if sum(s.span.start <= h.start and h.end <= s.span.end for h in rc.host_spans) >= 2:
        return  # "co-hosted by A and B": the genre parser read them as the exchange's hosts (a hosting, not twice)
    partners = _partners(rc, s)
    if publisher is None and rc.ctx.publisher and field_label and re.search(r"\b(?:our|we)\b", field_label.group(0),
                                                                          re.I):
        # "Thank you to our funders: A, B and C": the author is the partner of each
        publisher = _publisher(rc, rc.ctx.span(s.line, s.start + field_label.start(), s.start + field_label.end()))
    elif publisher is None and (field_label or rc.field_heading) and not rc.ctx.out.describes_event:
        # "Partners: A; B", "Donors: …" in a text about its author's own work (it names itself; an interview's box
        # is about the interviewee): the author's partners — but not a practice entry's "Implementing partners:"
        label = field_label.group(0) if field_label else s.line.text
        if not re.search(r"(?i)\bimplement", label) and (author := rc.interviewee or _self_named(rc)):
            at = rc.ctx.span(s.line, s.start, s.start + len(label.rstrip()))
            publisher = OrgRef(author.name, at, acronym=author.acronym, key=author.key, parent=author.parent,
                               scope=author.scope)
    if publisher is not None and all(_key(p) != _key(publisher) for p in partners):
        partners.insert(0, publisher)
    if len(partners) < 2 or rc.parsed_partnerships.overlaps(s.span):
        return
    rc.ctx.out.partnerships.append(Partnership(partners, " ".join(text.split()), s.span))


def _subject(rc: RelationContext, s: Sentence) -> Actor | None:
    """The anonymous speaker of the sentence, else its first actor not placed after a preposition, else the
    agent of a passive ("… rented by IOM", "assigned a case worker from the network")."""
    if (u := _unnamed(s)) is not None:
        return u
    if (said := rc.cues.reported.search(s.masked)) and (
            reported := _reported_subject(rc, s, said.start() + len(said.group(0).rstrip()))):
        return reported  # "Asylum Access Mexico noted that Mexico's reform prohibits …": Mexico's reform
    if rc.ctx.publisher and ((we := _we(s.masked)) or (we := _publisher_by_head(rc, s))
                             or (we := BY_OUR.search(s.masked))):
        # "We interviewed 62 people", "The Office carried out 14 visits", "… supported by our project": the text's
        # author, whom the manifest names as its publisher
        return _publisher(rc, rc.ctx.span(s.line, s.start + we.start(1), s.start + we.end(1)))
    agent: Actor | None = None
    person = None
    excluded: Actor | None = None  # the last actor set after a preposition, and which
    excluded_by = ""
    for at, a in s.actors:
        # an organisation the text leaves unnamed acts like a named one ("One national human rights institution
        # said that it had visited …"); a partner after "with" is set aside below like any other
        if isinstance(a, PersonRef) or (isinstance(a, Unnamed) and a.kind != "organisation"):
            post_of = excluded_by in ("of", "at") and isinstance(excluded, OrgRef)
            if isinstance(a, PersonRef) and person is None and (at - s.start < 40 or (post_of and at - s.start < 90)):
                # "Ms. Williams, Regional Coordinator of the Network, presented …": the body she speaks for;
                # "The Director of the Service, Ms. Owusu, said …": the body her post is of
                person = _affiliation(s, at, a) or (excluded if post_of else None) or _ministry_of(rc, s, at) or a
            if isinstance(a, PersonRef) and agent is None and re.search(
                    r"\bby\s+(?:[A-Z][a-z]{0,4}\.?\s+)?$", s.line.text[max(s.start, at - 18):at]):  # "by Dr …"
                agent = _of_body(s, a) or a  # "… was presented by Dr Rahman of the Institute for …"
            continue
        before = [w for w in re.findall(r"[\w’'-]+", s.line.text[max(s.start, at - 20):at]) if w.lower() != "the"]
        last = before[-1].lower() if before else ""
        if last in ("and", "or") and excluded is not None and re.fullmatch(
                r"[\s,]*(?:\([^()]*\))?[\s,]*(?:and|or)\s+(?:the\s+)?",
                s.line.text[_line_offset(s.line, excluded.span.end):at]):
            last = excluded_by  # "with UNICEF and IDC": the second is as much a partner as the first
        funds = len(before) >= 2 and before[-2].lower() in FUNDING_NOUNS  # "with financial support from X"
        if last in ("by", "from") and agent is None and not isinstance(a, StateRef | Unnamed) and not funds:
            agent = a  # a State after "by"/"from" is where people came from or were sent by: never the doer
        if last in rc.cues.place_prepositions | {"by", "with"}:
            excluded, excluded_by = a, last
            continue
        return a
    if agent is None and (person is None or isinstance(person, PersonRef)) and (body := _definite_body(rc, s)):
        return body  # "Mr. Haddad presented the platform's new mapping", "Under the ministry's programme …"
    return agent or person  # "Mr. Haddad presented the new mapping": the person the text says did it


# where one practice of a sentence ends and the next may begin: "…; …", "…, which …", "…, where …", and ", and"
# before a new subject — "that …", or a name (blanked in the masked text: a run of spaces) — but not before a
# noun: "screening, referral, and case management" is one practice
# (", and" itself written with single spaces: a masked name before it, "UNHCR,   and the", is a list of names)
CLAUSE_BREAK = re.compile(r";\s+|,\s+(?:which|where)\s+|, and\s+(?=that\b|[A-Z])|, and(?: the)?(?=\s{3,})")


def _clauses(s: Sentence) -> list[tuple[int, int]]:
    """[start, end) of each clause of the sentence, in sentence offsets."""
    out, at = [], 0
    for m in CLAUSE_BREAK.finditer(s.masked):
        out.append((at, m.start()))
        at = m.end()
    out.append((at, len(s.masked)))
    return [(a, b) for a, b in out if s.masked[a:b].strip()]


# a result told by its figures: a share ("87%", "40 per cent", "6 of the 43"), not a count of people trained
# (or by what did not happen: "No child has been placed in detention since 2019")
SHARE = re.compile(r"%|\bper\s*cent\b|\bpercent\b|\b\d+\s+(?:of|out\s+of|in)\s+(?:the\s+)?\d+\b", re.I)
RESULT = re.compile(SHARE.pattern + r"|^\W*(?:No|None|Not\s+a\s+single|Neither)\b", re.I)
# "we" as the subject of a sentence in a text its publisher wrote ("Between March and May we interviewed …")
# (and "our host programme found …": what the author's own programme did)
WE = re.compile(r"(?:^\W*|[^\w\s]\s+|\b\d{4}\s+|\b(?:then|also|now|since|today|recently|together)\s+|\S\s{2,}"
               r"|^\W*(?i:this|last|each|every)\s+(?:week|month|year|spring|summer|autumn|winter)\s+)"
                r"(we|We|(?:our|Our)(?=\s+[a-z-]+(?:\s+[a-z-]+)?\s+[a-z]+\b))\b"
                r"(?!\s+(?:should|must|need|hope|would|will)\b)")
def _we(text: str) -> re.Match | None:
    """WE's match, searched only where "we" or "our" occurs at all (most sentences of most texts hold neither)."""
    low = text.lower()
    return WE.search(text) if ("we" in low or "our" in low) else None


BY_OUR = re.compile(r"\bby\s+(our)\b")  # "supported by our Community Link project": the author did it
PASSIVE = re.compile(r"\b(?:is|are|was|were|been|being)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn|t)\b", re.I)
# a clause whose subject is a share: "(She found that) 6 of the 16 participating States prohibit …"
SHARE_SUBJECT = re.compile(r"(?:^\W*|\bthat\s+)(?:only\s+|some\s+|about\s+)?\d+\s+(?:of|out\s+of|in)\s+"
                           r"(?:the\s+)?\d+\b")
BE_BEFORE = re.compile(r"\b(?:is|are|was|were|been|being|be)\s+(?:\w+ly\s+|also\s+|now\s+|then\s+)?$", re.I)
# a count that opens its clause as the subject of what was done to it: "Since 2022, 187 children have been placed",
# "162 children placed in family-based care" — a result, told by its figure
COUNT_PASSIVE = re.compile(r"^\W*(?:(?i:in|since|during|by|over|after|within)\b[^,;:]{0,40},\s+)?\d[\d,]*\s+"
                           r"(?:(?!(?:were|was|have|has|had)\b)[\w-]+\s+)"
                           r"{1,4}?(?:(?:were|was|have\s+been|has\s+been|had\s+been)\s+(?:\w+ly\s+)?)?"
                           r"(?P<verb>[a-z]+(?:ed|en|wn|ld))\b")
# a clause whose subject is a quantity of people and whose verb says how they fared, not what anyone did: "58 of
# the families were still in touch …", "fewer than 2 per cent failed to report", "30 men … have been released",
# "More than 3,400 children who … were placed" — a result, read as statistics
QUANTITY_SUBJECT = re.compile(
    r"^\W*(?:(?i:in|since|during|by|over|after|within|from|of\s+these|of\s+them|at\s+the\s+end\s+of)\b[^,;:]{0,50},\s+)?"
    r"(?i:(?:more|fewer|less)\s+than\s+|about\s+|some\s+|nearly\s+|almost\s+|over\s+|only\s+|just\s+|around\s+)?"
    r"(?:\d[\d,.]*|(?i:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|hundred|all|none|most|half|many|few))\b(?:\s*(?:%|per\s*cent))?"
    r"(?P<np>(?:[\s,]+(?!(?:were|was|are|is|have|has|had)\b)[\w’'-]+){0,8}?)[\s,]+"
    r"(?P<verb>were|was|are|is|have|has|had|stayed|remained|failed|left|went|returned|complied|kept|attended|"
    r"absconded|stopped|reported|found|said|lived|live|stay|remain|fail|leave|return|comply|"
    r"attend)\b(?P<after>\s+\w+)?(?P<then>\s+\w+)?")


def _quantity_result(rc: RelationContext, clause: str) -> bool:
    """Is the clause's subject a quantity whose verb says how they fared (see QUANTITY_SUBJECT)? Not when an
    auxiliary leads to a verb of doing: "Two NGOs have run shelters since 2020" is a practice."""
    m = QUANTITY_SUBJECT.match(clause)
    if m is None:
        return False
    verb, after, then = m.group("verb"), (m.group("after") or "").strip(), (m.group("then") or "").strip()
    if verb in ("were", "was", "are", "is") and after.endswith(("ed", "en")):
        return False  # "212 children were placed with foster families": what was done, the passive's to judge
    if verb in ("have", "has", "had") and after == "been":
        return then in rc.cues.outcomes  # "30 men have been released": how they fared
    return not (verb in ("have", "has", "had") and rc.cues.practice_verb.fullmatch(after) is not None)


# the end of a quotation and who said it: "… on my own." – a client from Sri Lanka, 41, released in 2024
QUOTE_ATTRIBUTION = re.compile(r"[\"”]\s*[–—-]\s+\S")
# a sentence whose subject "should" do something: a recommendation ("must" is as often what a law already says)
SHOULD = re.compile(r"^\W*(?:Recommendation\s+\w{1,4}\s*[:.]\s*)?[^.;:!?]{0,100}?\s(?:should|ought\s+to)\s")
# "Of the 38 families referred, 35 stayed in contact …": a result, told by its figures
OF_THE_N = re.compile(r"^\W*(?i:of)\s+(?:(?:the|these|those|all)\s+)?\d[\d,]*\b[^,;]{0,80},\s+(?:only\s+)?\d")
# a speaker's introduction: "- Jane Doe (Lowland Institute), who leads our study", "Jane Doe, a lawyer who …"
BIO = re.compile(r"^[\s•*–-]*(?:\([^()]*\)\s*)?,\s+(?:who\b|an?\s+(?:[\w-]+\s+){0,4}?who\b)")


def _unattributed_practice(rc: RelationContext, clause: str) -> bool:
    """Without a doer, only a clause that describes the practice itself: in the passive ("each family is assigned
    a case worker"; not the progressive "is working") or about the people it serves ("unaccompanied children
    live in small houses") — not a remark about States, the meeting or the text ("many States have faced …")."""
    for m in rc.cues.practice_verb.finditer(clause):
        if not m.group(0).endswith("ing") and BE_BEFORE.search(clause[max(0, m.start() - 25):m.start()]):
            return True
    head = clause.lstrip()[:40]
    return bool(rc.vocab.targets(head)) and not rc.cues.continuing.match(clause)


# where the object of a presenting verb ends: "described the first contact as …", "…, and said that …"
OBJECT_END = re.compile(r"[,;:\"“]|\s(?:as|and\s+said)\s")


def _done_for_people(rc: RelationContext, clause: str) -> bool:
    """Does a verb of doing have people it is done for after it ("provides information on asylum to the
    adolescents", "stopped placing families in closed centres")? Not people as the subject, whose verb tells how
    they fared or what was done to them ("142 women have been hosted": a figure, read as a statistic), and not a
    question ("What makes families stay?")."""
    if clause.rstrip().endswith("?"):
        return False
    verb = rc.cues.practice_verb.search(clause)
    subject = re.split(r"[,;]", clause[:verb.start()])[-1] if verb else ""  # not a post set off by commas
    if verb is None or rc.cues.beneficiary.search(subject) or rc.vocab.targets(subject):
        return False  # "Children share the block with families": people before the verb are its subject
    return bool(rc.cues.beneficiary.search(clause, verb.end()) or rc.vocab.targets(clause[verb.end():]))


NOUN_BEFORE = re.compile(r"\b(?:a|an|the|this|that|each|every|one|ankle|electronic|peer|GPS)\s+$", re.I)


def _names_practice(rc: RelationContext, clause: str) -> bool:
    """Does a verb that names a practice ("monitor", "refer") do it here — active, not a noun ("an ankle monitor")
    nor a passive count ("212 children were referred": a figure, read as a statistic)?"""
    for m in rc.cues.naming.finditer(clause):
        before = clause[max(0, m.start() - 25):m.start()]
        if not NOUN_BEFORE.search(before) and not BE_BEFORE.search(before):
            return True
    return False


def _is_title(rc: RelationContext, s: Sentence) -> bool:
    """The document's title or headline: it announces what the text then tells, where the practice is read."""
    title = rc.ctx.out.exchange.spans.get("title")
    return title is not None and title.start < s.span.end and s.span.start < title.end


# an entry of a list of sources: "[1] Immigration Services Agency, "Current status …", 2025", "SOURCES [1] …"
CITATION = re.compile(r"^\W*(?:(?:sources|references|notes|bibliography|endnotes)\s*:?\s*)?\[\d{1,3}\]\s"
                      r"|^\W*(?:photo|image|picture|caption|credit|illustration)s?\s*:", re.I)  # and a photo's caption


def _is_heading(s: Sentence) -> bool:
    """A whole line of a few words without closing punctuation ("6.2 Detention and alternatives applied"): a
    heading names a topic, it reports no practice."""
    return (s.start == 0 and s.end >= len(s.line.text.rstrip()) and len(s.text.split()) <= 12
            and not s.text.rstrip().endswith((".", "!", "?", ";", ":", "”", "\"")))


# a verb form right after an article is a noun (one space: a name blanked in the masked text is many)
ARTICLE_BEFORE = re.compile(r"\b(?:a|an|the|each|every|ankle|electronic|peer|in|on|at|of|for|into|from|with) $",
                            re.I)  # "in open family units": after a preposition, an adjective or a noun
# "The figures below were provided by the Inspectorate": where data came from, not a practice
DATA_GIVEN = re.compile(r"^\W*(?:[\d.]+\s+)?(?:the\s+|these\s+|those\s+|all\s+)?(?:figures|data|statistics|numbers|"
                        r"information)\b[^.;]{0,40}?\b(?:were|was|are|is|have\s+been|has\s+been)\s+(?:kindly\s+)?"
                        r"(?:provided|supplied|compiled|collected|given|shared|taken)\b", re.I)
# what a funder gives: "with financial support from X" names a partner, not who did it
FUNDING_NOUNS = frozenset({"support", "funding", "assistance", "help", "contribution", "contributions", "grant",
                           "grants", "donation", "donations", "money", "finance", "financing"})
# "works" is done with someone or on something ("works with the Council", "worked on screening"); "the model works"
# and "we know what works" say it succeeds
WORKS_WITH = re.compile(r"\s+(?:[\w-]+\s+){0,3}?(?:with|alongside|together|on|in|to|closely|across)\b")
MADE_SO = re.compile(r"(?:made|makes|make)\s+(?:[\w-]+\s+){0,3}?(?:impossible|possible|difficult|easier|harder|"
                     r"hard|easy|clear|worse|better|necessary)\b")
# a sentence that opens with a subordinate clause: "Since it was signed, …", "When it began, …"
OPENING_CLAUSE = re.compile(r"^\W*(?:Since|When|Where|After|Before|Once|Until|If|Although|Because|While|As soon as)\s+"
                            r"(?!\d|(?:January|February|March|April|May|June|July|August|September|October|"
                            r"November|December|then|the\s+start|the\s+beginning|last|early|mid)\b)[^,;]{0,120},")


def _in_opening_clause(masked: str, at: int) -> bool:
    """Is the verb at ``at`` in the sentence's opening subordinate clause ("Since it was signed, 3,000 children …"):
    the circumstance of what the sentence reports, not what it reports."""
    m = OPENING_CLAUSE.match(masked)
    return m is not None and at < m.end()


# "the decision of the Ministry to open …", "agreed to admit": what is decided or begun is done, not a purpose
DECIDED_TO = re.compile(r"\b(?:decision|decided|decides|agreed|agrees|began|begun|begins|started|starts)\b[^.;]{0,100}"
                        r"\bto\s$")
# the passive of an outcome, with the participles it is listed after ("are identified, protected and cared for")
OUTCOME_BE = re.compile(r"\b(?:being|been|be|is|are|was|were)\s+(?:\w+ly\s+)?(?:[a-z]+ed,?\s+(?:and\s+)?)*$")


def _done(rc: RelationContext, masked: str) -> bool:
    """Has a verb of doing that no modal or wish governs ("has applied", not "will apply", "should train")?"""
    if (begun := rc.cues.begun.search(masked)) and not rc.cues.not_done.search(
            masked[max(0, begun.start() - 30):begun.start()]):
        return True
    for m in rc.cues.practice_verb.finditer(masked):
        # within the verb's own clause: "When a child wants to go home, we work with …" is done; a participle
        # belongs to the clause before it ("… will pilot it in two regions, working with UNHCR" is not done)
        # (a modal governs the verbs coordinated after it too: "should extend the pilot to every family and fund
        # it" — so its clause is read back to its comma, not only the verb's last words)
        window = masked[max(0, m.start() - 30):m.start()]
        before = window if m.group(0).endswith("ing") else window.rsplit(",", 1)[-1]
        if not m.group(0).endswith("ing") and re.search(r"\band\s+$", before):
            before = re.split(r"[,;]", masked[max(0, m.start() - 120):m.start()])[-1]
        if m.group(0).endswith("ing") and rc.cues.not_done.search(masked[max(0, m.start() - 120):m.start()]):
            continue
        # "to live": a purpose or a plan; "… Report which provides …": what a thing does, not an actor; "funded
        # by": the funder's partnership, read there, not the project's practice
        if (not rc.cues.not_done.search(before)
                and not (re.search(r"\b(?:to|which|that)\s$", before) and not DECIDED_TO.search(
                    masked, max(0, m.start() - 120), m.start()))
                and not re.match(r"(?:works?|worked|working)\s+as\b", masked[m.start():])  # a job, not a practice
                and not ARTICLE_BEFORE.search(before)  # "an ankle monitor", "the places": a noun
                and not (m.group(0) in ("works", "work", "worked") and not WORKS_WITH.match(masked, m.end()))
                and not MADE_SO.match(masked, m.start())  # "made follow-up impossible": a cause, not a doing
                and not _in_opening_clause(masked, m.start())
                and not (m.group(0) in ("funded", "financed") and masked[m.end():].lstrip().startswith("by "))
                and not (m.group(0) in rc.cues.outcomes and OUTCOME_BE.search(masked, max(0, m.start() - 60),
                                                                              m.start()))):
            return True
    return False


# "an evaluation commissioned by X", "the pilot led by X": the practice is the body the participle names
PRACTICE_BY = re.compile(r"\b(?:commissioned|run|led|implemented|conducted|carried\s+out|operated|managed|"
                         r"developed|piloted|designed|launched|established|set\s+up|adopted|introduced|enacted|issued|"
                         r"approved|passed)\s+(?:jointly\s+)?by\s+(?:the\s+)?$")


def _agent_of_practice(s: Sentence, a: int, b: int) -> Actor | None:
    """The body a participle after the practice names as its doer ("an evaluation commissioned by CEAR"): more
    precise than the sentence's speaker. Only an organisation inside an anonymous passage — a State or a
    government there could name the speaker's own State (Chatham House Rule)."""
    anonymous = _unnamed(s) is not None
    for at, actor in s.actors:
        if not s.start + a <= at < s.start + b or isinstance(actor, PersonRef | Unnamed):
            continue
        if anonymous and (isinstance(actor, StateRef) or (isinstance(actor, OrgRef) and actor.state)):
            continue
        if PRACTICE_BY.search(s.line.text[max(s.start, at - 40):at]):
            return actor
    return None


def _decider(s: Sentence, a: int, b: int) -> Actor | None:
    """"… welcomes the decision of the Ministry to open …": the body whose decision it was does it."""
    for at, actor in s.actors:
        if s.start + a <= at < s.start + b and not isinstance(actor, PersonRef | Unnamed) and re.search(
                r"\bdecision\s+(?:of|by)\s+(?:the\s+)?$", s.line.text[max(s.start, at - 25):at]):
            return actor
    return None


def _reported_subject(rc: RelationContext, s: Sentence, at: int) -> Actor | None:
    """The subject of the clause a named speaker reports ("… noted that the Government of Peru has set up …"),
    if it opens with an actor: the speaker only tells of it. (An anonymous speaker's report keeps its speaker:
    the Chatham House rule, handled before this is asked.)"""
    for pos, actor in s.actors:
        offset = pos - s.start
        if offset < at or isinstance(actor, PersonRef | Unnamed):
            continue
        lead = s.masked[at:offset].strip().lower()
        return actor if lead in ("", "the") else None
    return None


def _definite_body(rc: RelationContext, s: Sentence) -> OrgRef | None:
    """"the platform's", "the network's": the organisation the document last named with that head word."""
    m = re.search(r"\bthe\s+([a-z]+)['’]s\b", s.masked)
    if m is None:
        return None
    head = m.group(1)
    before = [x.actor for x in rc.ctx.out.mentions
              if isinstance(x.actor, OrgRef) and x.actor.span.start < s.span.start
              and head in (w.lower() for w in x.actor.name.split())]
    return before[-1] if before else None


def _antecedent(s: Sentence, a: int, k: int, clauses: list[tuple[int, int]]) -> Actor | None:
    """"… the Child Welfare Board (CWB), which places them with families": the body the clause follows."""
    opens = re.match(r"\s*(?:which|who)\b", s.masked[a:]) or re.search(r",\s+(?:which|who)\s+$", s.masked[:a])
    if k == 0 or not opens:
        return None
    end = clauses[k - 1][1]
    before = [actor for at, actor in s.actors if isinstance(actor, OrgRef)
              and end - 12 <= _line_offset(s.line, actor.span.end) - s.start <= end]
    return before[-1] if before else None


def _relative_doer(rc: RelationContext, s: Sentence, a: int) -> Actor | None:
    """The doer an object relative clause names ("… presented the draft guidelines, which the Department prepared
    with …"): the actor right after "which"/"that", followed by a verb of doing. It made what the clause before
    names; whoever presented it only told of it."""
    if not re.search(r",\s+(?:which|that)\s+$", s.masked[:a]):
        return None
    for at, actor in s.actors:
        offset = at - s.start
        if offset < a:
            continue
        if s.masked[a:offset].strip().lower() not in ("", "the") or isinstance(actor, Unnamed):
            return None
        end = _line_offset(s.line, actor.span.end) - s.start
        verb = re.match(r"\s*(?:\([^()]{1,12}\)\s*)?(?:has\s+|had\s+|have\s+|jointly\s+)?", s.masked[end:])
        after = end + (verb.end() if verb else 0)
        return actor if rc.cues.practice_verb.match(s.masked, after) else None
    return None


def _speakers_body(rc: RelationContext, s: Sentence, a: int, b: int) -> Actor | None:
    """"Since 2022 her organisation had provided housing …", "Ruth Nakato explained how her centre meets people …":
    the organisation of the person named last before it in the paragraph, wherever the document gave it. Never in
    an anonymous passage (the Chatham House Rule leaves her organisation unnamed)."""
    m = rc.cues.speakers_body.search(s.masked, a, b)
    if m is None or _unnamed(s) is not None:
        return None
    at = s.line.starts[s.start + m.end() - 1]  # (where "her …" is)
    before = rc.actors[bisect_left(rc.actor_starts, s.line.starts[0]):bisect_left(rc.actor_starts, at)]
    people = [x for _, x in before if isinstance(x, PersonRef)]
    if not people:
        return None
    if rc.bodies_of_people is None:
        rc.bodies_of_people = _bodies_of_people(rc)
    return rc.bodies_of_people.get(people[-1].name)


def _bodies_of_people(rc: RelationContext) -> dict[str, OrgRef | None]:
    """Each person's organisation, by name, wherever the document gave it: her mention's own, or the organisation
    written right after her name ("Ms. Baek (Dasarang Centre …)", "Dr Rahman of the Institute …"). Worked out once
    per document, in one pass over its mentions."""
    mentions = sorted(rc.ctx.out.mentions, key=lambda x: x.actor.span.start)
    out: dict[str, OrgRef | None] = {}
    for k, x in enumerate(mentions):
        person = x.actor
        if not isinstance(person, PersonRef) or out.get(person.name) is not None:
            continue
        body = person.org
        line = rc.ctx.line_at(person.span.start)
        for y in mentions[k + 1:k + 4]:  # the next mentions: an organisation right after the name
            if body is not None or line is None or y.actor.span.start - person.span.end > 12:
                break
            if isinstance(y.actor, OrgRef) and y.actor.span.start <= line.ends[-1] and re.fullmatch(
                    r"\s*\(\s*|,?\s+(?:of|from|at)\s+(?:the\s+)?",
                    line.text[_line_offset(line, person.span.end):_line_offset(line, y.actor.span.start)]):
                body = y.actor
        out[person.name] = body
    return out


def _clause_subject(rc: RelationContext, s: Sentence, a: int, b: int) -> Actor | None:
    inside = Sentence(s.line, s.start + a, s.start + b, s.span,
                      [(at, x) for at, x in s.actors if s.start + a <= at < s.start + b], s.masked[a:b])
    return _subject(rc, inside)


@relation("practices")
def practices(rc: RelationContext, s: Sentence) -> None:
    """Something done, clause by clause: a verb of doing no modal governs, and a practice word or category in
    the clause or in the one it continues ("the Mechanism …, which the Department has applied since 2014").
    Attributed to the clause's actor, else the sentence's; a practice whose doer the text leaves unsaid is
    kept unattributed. A "…practices: A; B; C" list names practices without verbs. Not a practice: what is
    yet to be done or recommended, the items of such lists, quotations, the meeting's own proceedings."""
    text = s.text
    actor = _subject(rc, s)
    if actor is None and rc.cues.continuing.match(text):
        actor = rc.previous_actor
    if actor is not None:
        rc.previous_actor = actor
    if (rc.cues.not_practice.search(s.masked) or rc.cues.meeting_subject.match(s.masked) or DATA_GIVEN.match(text)
            or rc.commitments.overlaps(s.span) or text.lstrip()[:1] in "\"“‘" or _is_heading(s)
            or QUOTE_ATTRIBUTION.search(text) or _is_title(rc, s) or CITATION.match(text)):
        return
    if SHOULD.match(s.masked):
        return  # "The Ministry should extend the pilot … and fund it": a recommendation, in every clause
    if s.actors and isinstance(first := s.actors[0][1], PersonRef) and s.actors[0][0] - s.start < 4 \
            and BIO.match(s.masked[_line_offset(s.line, first.span.end) - s.start:]):
        return  # who the speaker is ("Jane Doe (Lowland Institute), who leads our study"), not what anyone did
    listed = rc.cues.practice_list.match(s.masked)
    clauses = _clauses(s)
    if opinion := rc.cues.opinion.search(s.masked):
        # "…, and she argued that the model shows …": only what comes before the opinion may be done
        joined = list(re.finditer(r",\s+(?:and|but)\s+", s.masked[:opinion.start()]))
        cut = joined[-1].start() if joined else opinion.start()
        clauses = [(a, min(b, cut)) for a, b in clauses if a < cut]
    if listed:  # "Similar practices: A; B; C": the label is no practice, each item is one
        clauses = [(max(a, listed.end()), b) for a, b in clauses if b > listed.end()]
    found: list[Practice] = []
    yielded = False  # did the clause before yield a practice (then its object is taken)
    verb_from: int | None = None  # where a clause with a verb of doing but no practice word began
    told = -1  # a relative clause that only names the doer of the practice before it
    for k, (a, b) in enumerate(clauses):
        before, yielded = yielded, False
        if k == told:
            continue
        if before and re.search(r",\s+which\s+$", s.masked[:a]) and _antecedent(s, a, k, clauses) is None \
                and not any(s.start + a <= at < s.start + b for at, _ in s.actors):
            continue  # "… presented the new mapping, which identified 27 programmes": what the practice found
        if before and found and re.search(r",\s+where\s+$", s.masked[:a]) \
                and not any(s.start + a <= at < s.start + b for at, _ in s.actors):
            # "… the reception centre opened in 2024, where migrants are screened within 48 hours": how the practice
            # just named works — the same practice, told to the end of the clause
            last = found[-1]
            hi = b
            while hi > a and text[hi - 1] in " .;,":
                hi -= 1
            lo = _line_offset(s.line, last.span.start) - s.start
            found[-1] = Practice(" ".join(text[lo:hi].split()), rc.ctx.span(s.line, s.start + lo, s.start + hi),
                                 last.actor, last.categories or rc.vocab.categories(s.masked[a:b]), last.targets
                                 or rc.vocab.targets(text[a:hi]))
            yielded = True
            continue
        clause = s.masked[a:b]
        done = listed or _done(rc, clause)
        if not done and verb_from is not None and rc.cues.practice_noun.search(clause):
            # "continued its exchanges with A, and with B on the joint monitoring of …": the verb before governs
            a, clause, done = verb_from, s.masked[verb_from:b], True
        verb_from = None
        if not done:
            if not listed and (nominal := _nominal_practice(rc, s, a, b)) is not None:
                found.append(nominal)
                yielded = True
            continue
        object_from = a
        categories = rc.vocab.categories(clause)
        noun = bool(categories or rc.cues.practice_noun.search(clause) or _names_practice(rc, clause)
                    or _done_for_people(rc, clause))
        if not noun and k and not listed and not before:  # "…, which … applied": what the clause before names
            prev = clauses[k - 1][0]
            categories = rc.vocab.categories(s.masked[prev:a])
            noun, object_from = bool(categories or rc.cues.practice_noun.search(s.masked[prev:a])), prev
        if not noun and _we(clause) and rc.ctx.publisher:
            noun = True  # "we interviewed 62 people", "We urge Congress to …": what the author did is its practice
        if not noun:
            verb_from = a
            if not listed and (nominal := _nominal_practice(rc, s, a, b)) is not None:
                found.append(nominal)
                yielded = True
            continue
        who = (_agent_of_practice(s, a, b) or _decider(s, a, b) or _speakers_body(rc, s, a, b)
               or _clause_subject(rc, s, a, b)
               or _antecedent(s, a, k, clauses) or (None if listed else actor))
        if k + 1 < len(clauses) and _unnamed(s) is None and (doer := _relative_doer(rc, s, clauses[k + 1][0])):
            who, told = doer, k + 1  # the relative clause names who made it: it is no practice of its own
        lo, hi = object_from, (clauses[told][1] if told == k + 1 else b)
        if who is None and not listed and (RESULT.search(s.masked[lo:hi]) or not _unattributed_practice(rc, clause)):
            # "87% were released …": a result told by its figures; or no practice stated of anyone — but one its
            # owner names ("costs were lowest in the Colombian programme run by a network")
            if not RESULT.search(s.masked[lo:hi]) and (nominal := _nominal_practice(rc, s, a, b)) is not None:
                found.append(nominal)
                yielded = True
            continue
        if not listed and OF_THE_N.match(clause):
            continue  # "Of the 38 families referred, 35 stayed in contact": a result, read as statistics
        if not listed and _quantity_result(rc, clause):
            continue  # "58 of the families were still in touch with their case worker": how they fared
        if not listed and (count := COUNT_PASSIVE.search(clause)) and _is_verb(count.group("verb")):
            continue  # "187 children have been placed": a result, read as a statistic
        if not listed and SHARE.search(clause) and (PASSIVE.search(clause) or SHARE_SUBJECT.search(clause)):
            continue  # "… that 6 out of 10 of the people they meet are referred", "6 of the 16 States prohibit …":
            # a figure, what it achieved or found
        while hi > lo and text[hi - 1] in " .;,":
            hi -= 1
        told_from = lo
        if (verb_at := rc.cues.practice_verb.search(s.masked, lo, hi)) and (
                shown := rc.cues.presenting.match(s.masked, verb_at.start())) and shown.end() < hi and (
                rc.cues.practice_noun.search(obj := OBJECT_END.split(s.masked[shown.end():hi], 1)[0])
                or rc.vocab.categories(obj)):
            lo = shown.end()  # "Ms. X presented the centre's model for …": the model is the practice (not "described
            # the first contact as …": the sentence keeps its subject, which may name the practice)
        label = " ".join(text[lo:hi].split())
        if lo == told_from and not opinion and (len(clauses) == 1 or (lo == 0 and hi >= len(text.rstrip(" .;,")))):
            label = " ".join(text.split()).rstrip(";, ")
        span = rc.ctx.span(s.line, s.start + lo, s.start + hi)
        if label in rc.parsed_practices or not label or rc.parsed_practice_spans.overlaps(span):
            continue  # the genre parser read this as a practice already
        found.append(Practice(label, span, who, categories, rc.vocab.targets(text[lo:hi])))
        yielded = True
    rc.ctx.out.practices += found


# between an owner and a practice's noun: "'s", and a few modifiers ("UNHCR's Detention Guidelines", "the new
# Italian guidelines", "the Colombian programme")
OWNED = re.compile(r"^(?:(?P<s>['’]s)\s+(?:[a-z][\w-]*\s+){0,3}"  # "Canada's community case management programme"
                   r"|\s+(?:(?:new|draft|national|regional|own|first|recent|current|revised|updated)\s+)*)"
                   r"(?:[A-Z][A-Za-z-]*\s+){0,2}$")


RUN_BY = re.compile(r"\s+(?:run|led|funded|financed|managed|implemented|launched|set\s+up|coordinated|operated|"
                    r"delivered|supported|piloted)\s+(?:by|with|in|since)\b")


def _nominal_practice(rc: RelationContext, s: Sentence, a: int, b: int) -> Practice | None:
    """A practice a clause names without a verb of doing, by an owner and its noun: "in OHCHR's visits to border
    facilities in 14 countries since 2023", "the new Italian guidelines on reception of unaccompanied children",
    "UNHCR's Detention Guidelines" — attributed to the owner, told to the end of the clause's noun phrase. Not in
    an anonymous passage (whose State adjective would name it)."""
    if _unnamed(s) is not None:
        return None
    text = s.text
    owners = [(_line_offset(s.line, act.span.start) - s.start, _line_offset(s.line, act.span.end) - s.start, act)
              for _, act in s.actors if isinstance(act, OrgRef | StateRef)]
    for head in rc.cues.nominal_head.finditer(s.masked, a, b):
        owner = next(((lo, act, owned) for lo, e, act in owners
                      if a <= lo and e <= head.start() and (owned := OWNED.match(text[e:head.start()]))), None)
        if owner is None:
            continue
        lo, owned = owner[0], owner[2]
        actor: Actor | None = owner[1]
        if isinstance(actor, StateRef) and not owned.group("s") \
                and not rc.cues.state_instrument.fullmatch(head.group(0)):
            # "the Colombian programme": a programme in Colombia, whoever runs it ("the Italian guidelines",
            # "Mexico's programme": the State's) — a practice only where the text goes on to say who runs it, not
            # a comparison in passing ("looked at the Belgian model")
            if not RUN_BY.match(text, head.end()):
                continue
            actor = None
        if re.search(r"\bthe\s+$", text[max(0, lo - 4):lo]):
            lo -= 4  # "the Italian guidelines"
        stop = re.compile(r"[,;:.!?](?:\s|$)").search(text, head.end(), b)
        hi = stop.start() if stop else b
        while hi > lo and text[hi - 1] in " .;,":
            hi -= 1
        said = text[lo:hi]
        return Practice(" ".join(said.split()), rc.ctx.span(s.line, s.start + lo, s.start + hi), actor,
                        rc.vocab.categories(said), rc.vocab.targets(said))
    return None


def _nested(spans: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The spans that lie inside a longer one (in one sweep: sorted by start, longest first)."""
    out: set[tuple[int, int]] = set()
    reach = -1
    for start, end in sorted(set(spans), key=lambda sp: (sp[0], -sp[1])):
        if end <= reach:
            out.add((start, end))
        reach = max(reach, end)
    return out


def read_relations(ctx: Context, cues: RelationCues, vocab: Vocabulary) -> None:
    """Run every registered relation over every sentence; a failing one is a warning, not a refused document."""
    orgs = [m.actor.span for m in ctx.out.mentions if isinstance(m.actor, OrgRef)]
    org_starts = {o.start for o in orgs}
    # "the Thai government": the government acts, not the State its adjective names; "U.S. Immigration and
    # Customs Enforcement": the State's name qualifies the body right after it
    # "HIAS Ecuador shared …", "the UNHCR Representation in Bulgaria": the office acts, not the body whose name
    # its own name begins with
    nested = _nested([(o.start, o.end) for o in orgs])
    # a State named inside an organisation's name, in one sweep over both ("Permanent Mission of Kenya" × 1,000)
    inside_org = _nested([(o.start, o.end) for o in orgs]
                         + [(m.actor.span.start, m.actor.span.end) for m in ctx.out.mentions
                            if isinstance(m.actor, StateRef)])
    actors: list[tuple[int, Actor]] = [
        (m.actor.span.start, m.actor) for m in ctx.out.mentions
        if not (isinstance(m.actor, StateRef)
                and ((m.actor.span.start, m.actor.span.end) in inside_org or m.actor.span.end + 1 in org_starts))
        and not (isinstance(m.actor, OrgRef) and (m.actor.span.start, m.actor.span.end) in nested)]
    actors += [(u.span.start, u) for u in ctx.out.unnamed]
    actors.sort(key=lambda x: x[0])
    starts = [at for at, _ in actors]
    # the items of a list of what is to be done: by its kind, or by its introduction ("The programme will …:")
    # ("The States agreed to:", "requested the Secretariat to:": each item completes an infinitive)
    to_be_done = [item.span for lst in ctx.out.lists
                  if lst.kind in COMMITMENT_KINDS or cues.not_done.search(lst.label)
                  or re.search(r"\bto\s*:?\s*$", lst.label) for item in lst.items]
    rc = RelationContext(ctx, cues, vocab, parsed_partnerships=Intervals([p.span for p in ctx.out.partnerships]),
                         parsed_practices={p.label: p.span for p in ctx.out.practices},
                         commitments=Intervals(to_be_done),
                         parsed_practice_spans=Intervals([p.span for p in ctx.out.practices]),
                         actors=actors, actor_starts=starts)
    rc.interviewee = _interviewee(ctx)
    rc.host_spans = [h.span for h in ctx.out.exchange.hosts]
    previous: Line | None = None
    for line in ctx.lines:
        rc.previous_actor = None  # a new paragraph introduces its actor again
        rc.field_line = None
        if rc.interviewee is not None and (turn := TURN.match(line.text)):
            rc.answering = turn.group(1).lower().startswith("a")
        under_heading = previous is not None and cues.partnership_heading.match(previous.text) is not None
        previous = line
        if cues.partnership_field.match(line.text) or under_heading:
            # "Funding: Government of Japan, through IOM; Makassar City Government (in kind)", or a line of names
            # under a "PARTNERS" heading: every name of the field's value is a partner, though a semicolon and a
            # capital split it into sentences
            whole = _sentence(ctx, line, 0, len(line.text), actors, starts)
            rc.field_line, rc.field_heading = whole, under_heading
            partnerships(rc, whole)
            rc.field_heading = False
        for a, b in sentences(line.text):
            s = _sentence(ctx, line, a, b, actors, starts)
            for name, component in RELATIONS.items():
                try:
                    component(rc, s)
                except Exception as e:  # noqa: BLE001 - one unreadable sentence costs its relations, not the document
                    ctx.warn(line, f"relation {name!r} failed ({type(e).__name__}: {e}); please report this line")


# the turns of an interview: "Q: …" / "A: …" (or "Question:" / "Answer:")
TURN = re.compile(r"^\s*(Q|A|Question|Answer)\s*[:.]\s", re.I)
INTERVIEWED = re.compile(r"\b(?:spoke|speaks|talked|talks)\s+(?:to|with)\b|\binterview(?:ed|s)?\b|"
                         r"\bin\s+conversation\s+with\b", re.I)


def _interviewee(ctx: Context) -> OrgRef | None:
    """The organisation of the person an interview questions: a text with question and answer turns whose
    introduction says who was spoken to ("X spoke to Jane Doe, director of the Harbour Council"): in its answers,
    "we" is that organisation, not the publisher."""
    turns = [TURN.match(line.text) for line in ctx.lines]
    if sum(1 for t in turns if t and t.group(1).lower().startswith("q")) < 2 or \
            sum(1 for t in turns if t and t.group(1).lower().startswith("a")) < 2:
        return None
    first_turn = next(i for i, t in enumerate(turns) if t)
    mentions = sorted(ctx.out.mentions, key=lambda m: m.actor.span.start)
    for line in ctx.lines[:first_turn]:
        cue = INTERVIEWED.search(line.text)
        if cue is None:
            continue
        start = line.starts[min(cue.end(), len(line.starts) - 1)]  # the original offset where the cue ends
        after = [m.actor for m in mentions if m.actor.span.start >= start and m.actor.span.end <= line.ends[-1] + 1]
        if after and isinstance(after[0], PersonRef):
            return next((a for a in after[1:4] if isinstance(a, OrgRef)), None)
    return None


def _sentence(ctx: Context, line: Line, a: int, b: int, actors: list[tuple[int, Actor]], starts: list[int]
              ) -> Sentence:
    span = ctx.span(line, a, b)
    inside = actors[bisect_left(starts, span.start):bisect_left(starts, span.end)]
    s = Sentence(line, a, b, span, [(_line_offset(line, at), actor) for at, actor in inside])
    # what a sentence says is read without the names in it: "Detention Reform Coalition" is no practice word,
    # and a renamed organisation changes nothing
    chars = list(s.text)
    for _, actor in inside:
        i, j = _line_offset(line, actor.span.start) - a, _line_offset(line, actor.span.end) - a
        chars[max(i, 0):max(j, 0)] = " " * (max(j, 0) - max(i, 0))
    s.masked = "".join(chars)
    return s


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

