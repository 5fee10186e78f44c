"""The Chatham House Rule as one policy component: actors a text deliberately leaves unnamed, wherever they speak.

A report under the rule writes "one State …", "two governments …", "another participant …", "one of the
governments taking part …", "a researcher …", or an article "an official …, who asked not to be named". Each such
speaker becomes an ``Unnamed`` actor of this document alone — anywhere in a paragraph, not only at its start —
and is never linked to a named State, organisation or person: the mention stage then treats the line as an
anonymous passage (organisations named there are kept apart from any State, States named there are places).

The words are data (``anonymous_*``, ``speech_verbs`` and ``not_named_cues`` in
``data/gazetteer/mention_cues.yaml``); a noun phrase counts only when a verb of speaking follows it in the same
sentence, or a phrase saying it is not named, so "one person left" is not a speaker.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import cuefile
from .intervals import Disjoint
from .parse_common import Context
from .records import Span, Unnamed
from .sources import SourceError

CUES_FILE = Path("gazetteer") / "mention_cues.yaml"
KEYS = ("anonymous_quantifiers", "anonymous_state_nouns", "anonymous_person_nouns", "speech_verbs", "not_named_cues",
        "org_heads", "anonymous_org_nouns", "anonymous_region_adjectives", "anonymous_group_quantifiers")


class AnonymousCueError(SourceError):
    """The anonymous-actor cues are malformed: the message names the file and the key."""


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@dataclass
class AnonymousReader:
    phrase: re.Pattern
    speech: re.Pattern
    not_named: re.Pattern
    state_nouns: set[str]
    org_heads: frozenset[str] = frozenset()  # organisation words: "of the Lowland Council" names a body
    bodies: re.Pattern | None = None  # organisations left unnamed as doers or partners ("a faith-based NGO")
    org_nouns: frozenset[str] = frozenset()  # "one national human rights institution said": an organisation speaks
    group_quantifiers: frozenset[str] = frozenset()  # "Several States noted": of States only, not "some participants"

    @classmethod
    def load(cls, data_dir: Path) -> AnonymousReader:
        path = Path(data_dir) / CUES_FILE
        raw = cuefile.read(path, AnonymousCueError)
        lists = {key: cuefile.words(raw, key, path, AnonymousCueError) for key in KEYS}
        nouns = lists["anonymous_state_nouns"] + lists["anonymous_person_nouns"] + lists["anonymous_org_nouns"]
        # quantifier, up to three lower-case modifiers, the noun; then an optional "of/from/at/in a …" tail
        # that an indefinite article makes anonymous too ("a representative of a civil society organisation")
        # (an acronym may qualify the noun too: "an ICE deportation officer"; the longest noun wins: "a government
        # representative" is a person, not "a government")
        # a modifier: a lower-case word, an acronym, or a region's adjective ("a European diplomat", "a Gulf State")
        # (and a nationality leaves a person unnamed too: "A Venezuelan mother of three … spoke")
        adjectives = [*lists["anonymous_region_adjectives"], *_state_adjectives(Path(data_dir))]
        mod = (r"(?!(?:a|an|the|when|where|which|who|that|of|in|on|at|to|and|or|for|with|by|from)\s)"
               rf"(?:[a-z][\w-]*|[A-Z]{{2,6}}|{_alternatives(adjectives)})\s+")
        verbs = _alternatives(lists["speech_verbs"])
        groups = lists["anonymous_group_quantifiers"]
        phrase = re.compile(
            rf"(?<![\w-])(?:(?P<q>(?i:{_alternatives(lists['anonymous_quantifiers'] + groups)}))"
            rf"|(?P<the>[Tt]he)(?=\s+(?:{mod}){{0,3}}(?:{_alternatives(nouns)})\s+(?:from|of|at)\s+an?\b))"
            rf"\s+(?:{mod}){{0,3}}(?P<noun>{_alternatives(nouns)})(?![\w-])"
            rf"(?:(?P<tail>\s+(?:of|from|at|in|with|taking\s+part"
            rf"|(?:working|interviewed|based|living|detained|held)\s+(?:for|in|at|with|by))\b[^,.;:!?\"“”]{{0,80}}?)"
            rf"(?=\s*[,;:]|\s+(?:who|that|which)\b|\s+(?:{verbs})\b|\s*$)|(?=\s|[,;:.]|$))")
        speech = re.compile(rf"(?:{_alternatives(lists['speech_verbs'])})\b"
                            # "A former detainee who now works as a peer mentor said …": past a relative clause
                            # (its commas too: "who took part in the pilot, and who asked …, spoke")
                            rf"|(?:who|that)\b[^.;:!?]{{0,160}}?\s(?:{_alternatives(lists['speech_verbs'])})\b")
        # (after an aside: "a former detainee, a national of Nepal who asked that his name not be recorded", "a client
        # from Sri Lanka, 41, released in 2024 (name withheld at his request)")
        cues = _alternatives(lists["not_named_cues"])
        not_named = re.compile(rf"^\s*(?:,[^.;:!?()]{{0,80}}?)?\s*[,(]?\s*(?:{cues})\b", re.I)
        # an organisation left unnamed where a text names who did something with whom ("run by a civil society
        # network with UNHCR support", "with the support of UNICEF and a faith-based organisation", "together with
        # 40 other organisations"): after "by", "with", "and" ("a participant from an NGO" is a person), and not
        # followed by its name
        quantifiers = _alternatives(lists["anonymous_quantifiers"])
        bodies = re.compile(  # matched where "by ", "with " or "and " ends (see unnamed_bodies)
            rf"(?:(?i:{quantifiers})(?:\s+other)?|\d+\s+other)\s+(?:{mod}){{0,3}}"
            rf"(?P<noun>{_alternatives(lists['anonymous_org_nouns'])})s?(?![\w-])(?!\s*,?\s*(?:the\s+)?[A-Z])")
        return cls(phrase, speech, not_named, {n.lower() for n in lists["anonymous_state_nouns"]},
                   frozenset(lists["org_heads"]), bodies, frozenset(n.lower() for n in lists["anonymous_org_nouns"]),
                   frozenset(q.lower() for q in groups))

    def speakers(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, kind) of the anonymous speakers of a line."""
        out: list[tuple[int, int, str]] = []
        for m in self.phrase.finditer(text):
            end = m.end("tail") if m.group("tail") else m.end("noun")
            after = text[end:_sentence_end(text, end)]
            # the verb is this phrase's own: right after it, past an aside in commas, an adverb or an auxiliary
            # ("two States, both coastal, noted", "one government also described", "a lawyer had warned")
            verb = re.match(r"\s*(?:,[^,]{0,160},\s*)?(?:\w+ly\s+|also\s+|then\s+)?(?:has\s+|had\s+|have\s+)?",
                            after)
            speaks = verb is not None and self.speech.match(after, verb.end()) is not None
            if not (speaks or self.not_named.match(after)):
                continue
            tail = m.group("tail") or ""
            # ... a body, not a place: "from South Asia" leaves the speaker anonymous
            named_body = re.match(r"\s+\S+(?:\s+(?:the|its|their))?\s+[A-Z]", tail) and not re.match(
                r"\s+\S+\s+an?\s", tail) and (re.search(r"\b[A-Z]{2,}\b", tail)
                                                or any(w.strip(",.") in self.org_heads
                                                       or w.strip(",.")[:-1] in self.org_heads for w in tail.split()))
            if named_body and not self.not_named.match(after):
                continue  # "a representative of the Lowland Council": the organisation speaks, through someone
            noun = re.sub(r"\s+", " ", m.group("noun")).lower()
            kind = "State" if noun in self.state_nouns else "organisation" if noun in self.org_nouns else "person"
            if kind != "State" and " ".join((m.group("q") or "").lower().split()) in self.group_quantifiers:
                continue  # "Several participants said": the meeting at large, not anyone described
            out.append((m.start(), end, kind))
        return out


    def unnamed_bodies(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, "organisation") of the organisations a line leaves unnamed as doers or partners."""
        if self.bodies is None:
            return []
        out = []
        for cue in AGENT_CUE.finditer(text):  # only where a doer or partner can follow: one match try each
            if m := self.bodies.match(text, cue.end()):
                end = m.end("noun") + (1 if text[m.end("noun"):m.end("noun") + 1] == "s" else 0)
                out.append((m.start(), end, "organisation"))
        return out


def _state_adjectives(data_dir: Path) -> list[str]:
    """The adjectives of every State ("Venezuelan", "Cabo Verdean"), from the gazetteer's State names."""
    path = data_dir / "gazetteer" / "state_names.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return sorted({a.strip() for row in csv.DictReader(f) for a in (row.get("adjectives") or "").split(";")
                       if a.strip()}, key=len, reverse=True)


@lru_cache(maxsize=4)
def reader_for(data_dir: Path) -> AnonymousReader:
    """The reader of a data directory's cues, read once (the genre readers and the policy stage share it)."""
    return AnonymousReader.load(data_dir)


END = re.compile(r"[.;!?](?:\s|$)")
AGENT_CUE = re.compile(r"\b(?:by|with|and) ")


def _sentence_end(text: str, start: int, within: int = 300) -> int:
    """Where the sentence ends, looking no further than ``within`` characters (a verb of speaking comes soon;
    searching to the paragraph's end at every phrase would be quadratic)."""
    m = END.search(text, start, start + within)
    return m.start() if m else min(len(text), start + within)


def find_unnamed(ctx: Context, reader: AnonymousReader) -> list[Unnamed]:
    """Anonymous speakers (and bodies) the genre parser did not already record, numbered after its own."""
    taken = Disjoint((u.span.start, u.span.end) for u in ctx.out.unnamed)
    out: list[Unnamed] = []
    n = len(ctx.out.unnamed)
    for line in ctx.lines:
        for s, e, kind in [*reader.speakers(line.text), *reader.unnamed_bodies(line.text)]:
            span: Span = ctx.span(line, s, e)
            if taken.overlaps(span.start, span.end):
                continue
            n += 1
            taken.add(span.start, span.end)
            description = re.sub(r"\s+", " ", line.text[s:e]).strip()
            out.append(Unnamed(f"{ctx.doc}-u{n}", kind, description[:1].upper() + description[1:], span))
    return out
