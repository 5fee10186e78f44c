"""Statistics anywhere in the text: a number, its unit, what it counts and how it is qualified.

The genre parsers know a few phrasings of attendance figures; this stage reads every logical line for numbers
written in digits or words ("212", "1,093", "1.5 million", "seventy", "under one year", "9 in 10", "EUR 110",
"74%", "3 – 12 months") and keeps those it can say something about: a percentage, an amount of money, a span of
time, or a count of the noun phrase that follows ("64 police officers"). Numbers that are references ("Objective
13", "Article 37"), dates, years, clock times and section numbers are not statistics. The cue words are data:
``data/gazetteer/number_cues.yaml``.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import cuefile
from .intervals import Disjoint
from .names import slug
from .parse_common import MONTHS, Context
from .records import Span, Statistic
from .sources import SourceError
from .tables import Table, is_period
from .text import Line

CUES_FILE = Path("gazetteer") / "number_cues.yaml"
DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
WORD = r"[A-Za-z][\w'’-]*"
MONTH = "|".join(m.capitalize() for m in MONTHS)
# after a number, these say it measures a change in what the sentence's previous number counts
COMPARATIVE = {"more": "increase", "higher": "increase", "greater": "increase", "fewer": "decrease",
               "less": "decrease", "lower": "decrease"}
# "$164 a day", "BGN 41 per family per day": an amount per unit of time
RATE = re.compile(r"^\s+(?:a|per)\s+(?:(?P<per>\w+)\s+per\s+)?(?P<u>day|week|month|year|night|hour)\b")
# "a 28-day time limit", "a three-day course", "a 12-year-old boy": a span of time (or an age) as an adjective
SPAN_ADJECTIVE = re.compile(r"-(?P<u>hour|day|week|month|year)s?(?P<old>-old)?(?![\w-])")
# "40 staff, of whom 19 are social workers": a part of the whole before, and what the part is
PART_BEFORE = re.compile(r"\b(?:of\s+(?:whom|which|them|these|those)|including|among\s+them)\s+(?:only\s+)?$", re.I)
BE_WHAT = re.compile(r"^\s+(?:are|were|is|was|had\s+been|have\s+been)\s+(?P<what>(?!not\b)[a-z][^\n]{0,120})")
# "312 were referred …", "29 of them had been made …": a number that is the subject of a passive
DONE_TO = re.compile(r"^\s+(?:of\s+(?:them|these|those)\s+)?(?:were|was|had\s+been|have\s+been|has\s+been)\s+"
                     r"(?P<what>(?:\w+ly\s+)?[a-z]+(?:ed|en|wn|ld|ght|ade|ept|ent|ung)\b[^\n]{0,120})")
# "Staff: 42": a labelled figure (the label opens the line or follows a separator)
FIELD_BEFORE = re.compile(r"(?:(?:^|(?<=\d)\s|[;|•·])\s*(?:of\s+(?:whom|which)|including|among\s+them)\s+"
                          r"(?P<part>[a-z][\w ,'’()-]{1,60}?)"
                          r"|(?:^|[;|•·]\s*|[.!?]\s+|\s{2,})(?P<label>[A-Z][\w ,'’()-]{1,90}?))\s*:\s*$")
# "(approx. USD 6.3 million)", "(118 in 2021)": a figure in brackets right after another, measuring the same
AGAIN_BEFORE = re.compile(r"\d(?:\s*(?:million|billion|thousand|%|per\s*cent))?\s*\(\s*$", re.I)
AGAIN_AFTER = re.compile(r"\s*(?:in\s+(?:19|20)\d\d\s*)?\)")
# "… rose from 35% to 82%": the noun phrase before a verb of change (after the clause's last comma)
CHANGE = re.compile(r"(?:^|[,;:]\s+)(?P<np>[^,;:]{3,120}?)\s+(?:has\s+|have\s+|had\s+)?(?:rose|risen|fell|fallen|"
                    r"increased|decreased|dropped|grew|grown|declined|doubled|halved)\s+(?:from|to|by)\s")
TIME_UNITS = frozenset({"hours", "days", "weeks", "months", "years"})
# "a third of whom", "two-thirds of", "nearly half", "a quarter": a share told by a fraction
FRACTION_DENOMINATORS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5}
ORDINAL_BEFORE = re.compile(r"\b(?:the|first|second|third|fourth|last|this|that|each|per|by|in)\s+$", re.I)
FRACTION = re.compile(r"(?<![\w-])(?:(?P<num>a|one|two|three|four)[-\s])?(?P<den>half|thirds?|quarters?|fifths?)"
                      r"(?P<of>(?=\s+(?:of|the|their|its|all|them|those|these|[a-z]+\s+(?:of|were|are|had|have)\b)))?"
                      r"(?![\w-])", re.I)
# "under 18", "over the age of 15": an age, when nothing follows the number that it could count
AGE_BEFORE = re.compile(r"\b(under|over|below|above|aged|at\s+the\s+age\s+of|turn(?:s|ed)?|reach(?:es|ed)?\s+the\s+"
                        r"age\s+of)\s+(?:the\s+age\s+of\s+)?$", re.I)
STATED_AGE = ("aged", "at the age of", "turn", "turns", "turned", "reach the age of", "reaches the age of",
              "reached the age of")  # an age said as one ("aged 2", "at the age of 15"): any age, not only 5 to 25
AGE_AFTER = re.compile(r"(?:\s*(?:[,.;:)]|$)|\s+(?:and|or|but|who|at|in|years?\b))")
AGE_VERB_AFTER = re.compile(r"\s+(?:is|are|was|were|must|may|can|cannot|should|will|shall)\b")  # "under 18 is"
AGE_LEAST, AGE_MOST = 5, 25
# "none of the 650 children", "none of them": a count of zero
NONE_OF = re.compile(r"(?<![\w-])(?:[Nn]one|[Nn]ot\s+one|[Nn]ot\s+a\s+single\s+one)\s+of\s+"
                     r"(?:(?P<them>them|these|those)\b|(?:the|its|their|all)\s+)")
# "held for …", "hosted in the community houses for up to …": the verb whose time a span after "for" measures
FOR_END = re.compile(r"\s+for\s+$")
PAST_ENDINGS = ("ed", "en", "wn", "ld", "pt", "nt", "ght")
# "Public custody is estimated to cost …", "case management costs …": the subject of "cost" before an amount
COST_SUBJECT = re.compile(r"(?:^[\W\d]*|[,;:]\s+|\b(?:that|which|where|while|and|but)\s+)"
                          r"(?P<np>(?:(?!(?:that|which|who|where|when|while|and|but|to)\b)[\w'’-]+\s+){1,6}?)"
                          r"(?:(?:is|are|was|were)\s+(?:estimated|expected|said|thought|calculated|reported)\s+to\s+|"
                          r"(?:would|will|could|can|may|might|does|did)\s+)?(?:costs?|costing)\s+$")
# "No child has been detained", "none absconded": a clause whose subject is nobody (read in _no_subject)
NO_SUBJECT = re.compile(r"(?<![\w-])(No|no|None|none|Not\s+a\s+single|not\s+a\s+single)\s+(?!of\b)")
# "Four years ago, …", "Four years on, …": the time since what the clause tells
AGO = re.compile(r"^\s+(?:ago|on|later)\b")
# "rose from 64% to 89%": a change, told by the figure before and the figure after
CHANGED = re.compile(r"\b(?:rose|risen|rising|fell|fallen|falling|increased|decreased|dropped|grew|grown|declined|"
                     r"improved|climbed|went\s+(?:up|down))\s+from\s+$", re.I)
# "(n = 212)": the size of a sample
SAMPLE = re.compile(r"\bn\s*=\s*$")
# "43 children, down from 118", "rose to 82%, up from 35%": the figure before counts the same
FROM_BEFORE = re.compile(r"\b(?:down|up)\s+from\s+$")
# "four times in 2024", "three times a week": how many times something was done
TIMES_AFTER = re.compile(r"\s+times\b(?:\s+(?:a|an|per|each)\s+(?P<u>day|week|month|year)\b)?")
# "every six months": an interval
EVERY_BEFORE = re.compile(r"(?i)\b(every)\s+$")
# a weak number ("a", "one") is a span of time only after a word that says so ("for a year", "within a day",
# "more than a year"): "a day in detention costs …" names a unit, not a figure
WEAK_TIME_BEFORE = re.compile(r"(?i)\b(?:for|within|in|after|under|over|than|about|nearly|almost|least|most|"
                              r"only|just|around|some|up\s+to)\s+$")
# "Publish, at least once a year, data …": a lone verb before the figure, and what it acts on after it
AUXILIARIES = frozenset({"is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "would",
                         "shall", "should", "can", "could", "may", "might", "must", "do", "does", "did", "who",
                         "which", "that", "also", "then", "still", "usually", "normally", "only"})
# "30 of them relied on …": a share of the number before, and what that share did
OF_THEM = re.compile(r"^\s+of\s+(?:them|these|those|whom)\b")
# "only seven had public funding": what they had
HAD = re.compile(r"^\s+(?:had|have|has|held|received|got)\s+(?P<what>(?!been\b|not\b)[a-z][^\n]{0,120})")
# small words that lead on to what follows, not end what is said ("… organisations within", "… sent to the")
TRAILING = frozenset({"within", "in", "after", "before", "for", "over", "under", "about", "by", "than", "of", "to",
                      "at", "on", "from", "with", "and", "or", "the", "a", "an", "their", "its"})
# "released within 72 hours", "released to community organisations within 48 hours": the time an action took
TIME_TAKEN = re.compile(rf"({WORD})(?P<to>\s+(?:to|into|with|by)(?:\s+(?!within\b|in\b|after\b)[a-z][\w'’-]*){{1,4}})?"
                        r"\s+(?:(?:within|in|after)\s*)?$")
# "90 days before the next review", "six months after release": a span of time before or after an event
TIME_TO = re.compile(r"^\s+(before|after|ahead\s+of|until|since)\s+((?:the\s+|its\s+|their\s+)?[\w-]+"
                     r"(?:\s+(?!(?:and|or|but|which|who|that|to|in|on|at)\b)[\w-]+){0,3})")
# "64 have completed …", "14 could no longer be reached", "1,140 who had registered": a number as the subject
DID = re.compile(r"^\s+(?:who\s+|that\s+)?(?:(?:have|has|had|are|were|was|is|could|would|did|can|will|do)\s+)*"
                 r"(?:not\s+|no\s+longer\s+|never\s+|also\s+|then\s+)?(?:be\s+|been\s+)?"
                 r"(?P<what>(?P<verb>[a-z]+)\b[^\n]{0,120})")


@lru_cache(maxsize=4096)
def _lemma(word: str) -> str:
    from lemminflect import getAllLemmas
    return (getAllLemmas(word, upos="VERB").get("VERB") or (_base(word) if word.endswith("ed") else word,))[0]


@lru_cache(maxsize=4096)
def _only_verb(word: str) -> bool:
    """A verb that is no noun ("ranged", "contribute", "renewed"; not "visits", "stay")."""
    from lemminflect import getAllLemmas
    return _is_verb(word) and not getAllLemmas(word, upos="NOUN")


@lru_cache(maxsize=4096)
def _in_dictionary(word: str) -> bool:
    """Is the word one of the language's (a noun, verb, adjective …), not a name?"""
    from lemminflect import getAllLemmas
    return bool(getAllLemmas(word))


@lru_cache(maxsize=4096)
def _is_verb(word: str) -> bool:
    """Is the word a form of an English verb (lemminflect's dictionary)?"""
    from lemminflect import getAllLemmas
    return bool(getAllLemmas(word, upos="VERB"))


def _base(verb: str) -> str:
    """"released" → "release", "referred" → "refer", "screened" → "screen": enough to name what took the time."""
    stem = verb[:-2]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "sl":
        return stem[:-1]
    if stem.endswith(("s", "c", "v", "z", "at", "it", "ut", "ag", "ug")) and not stem.endswith("ss"):
        return stem + "e"
    return stem


DETERMINERS = {"the", "their", "its", "a", "an", "his", "her", "our", "them", "these", "those", "all"}


class NumberCueError(SourceError):
    """The number cue file is malformed: the message names the file and the key."""


# "Of the 265 people supported by June 2025, 251 …": the whole a part is of, told before it
WHOLE_BEFORE = re.compile(r"\b[Oo]f\s+(?:(?:the|these|those|all|its|our|their)\s+)?\d[\d,]*\b[^,;:.]{0,80},\s+"
                          r"(?:only\s+|just\s+|some\s+|about\s+)?$")
# "a mother of two", "a team of 22": the number counts her children or its members
GROUP_OF = re.compile(r"\b(mother|father|parent|grandmother|grandfather|widow|team|network|coalition|"
                      r"group|family)\s+of\s+$", re.I)
PARENT_NOUNS = frozenset({"mother", "father", "parent", "grandmother", "grandfather", "widow"})
# a span of time, then a clause with a pronoun as its subject: "For fourteen months I was locked up"
SPAN_THEN_CLAUSE = re.compile(r"^,?\s+(?:I|we|he|she|they|We|He|She|They)\s+(?:(?:was|were|had\s+been|have\s+been|"
                              r"has\s+been|had|have|has)\s+)?(?P<verb>[a-z]+(?:ed|ing|ent|ept|eld))\b"
                              r"(?:\s+(?P<up>up|out|away))?\b")
# "187 of them", "42 of whom", "230 of these": a part of what was counted just before
PART_OF_THOSE = re.compile(r"\s+of\s+(?:them|whom|these|those)\b")


@dataclass
class NumberCues:
    number_words: dict[str, int]
    weak_number_words: set[str]
    scales: dict[str, int]
    percent: list[str]
    time_units: dict[str, str]
    currencies: dict[str, str]
    qualifiers: list[str]
    not_before: set[str]
    counted_stop: set[str]
    measure_nouns: set[str]
    unit_multiples: dict[str, tuple[int, str]] = field(default_factory=dict)
    frequency_words: dict[str, int] = field(default_factory=dict)
    not_where: set[str] = field(default_factory=set)
    not_after: list[str] = field(default_factory=list)
    rate_adjectives: dict[str, str] = field(default_factory=dict)
    comparison_cues: list[str] = field(default_factory=list)
    span_nouns: set[str] = field(default_factory=set)
    not_none_subject: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, data_dir: Path) -> NumberCues:
        path = Path(data_dir) / CUES_FILE
        raw = cuefile.read(path, NumberCueError)
        out: dict[str, Any] = {}
        for key, kind in (("number_words", dict), ("weak_number_words", set), ("scales", dict), ("percent", list),
                          ("time_units", dict), ("currencies", dict), ("qualifiers", list), ("not_before", set),
                          ("counted_stop", set), ("measure_nouns", set), ("frequency_words", dict),
                          ("not_where", set), ("not_after", list)):
            v = raw.get(key)
            expected = "a mapping" if kind is dict else "a list"
            if not isinstance(v, dict if kind is dict else list):
                raise NumberCueError(f"{path}: {key!r} must be {expected} (found {type(v).__name__})")
            items = [*v.keys(), *v.values()] if isinstance(v, dict) else list(v)
            if bad := [x for x in items if not isinstance(x, str | int) or isinstance(x, bool)]:
                raise NumberCueError(f"{path}: {key!r} holds {bad[0]!r}, not a word or number (quote it)")
            out[key] = {str(k): v[k] for k in v} if kind is dict else (
                set(map(str, v)) if kind is set else sorted(map(str, v), key=len, reverse=True))
        for key, kind in (("rate_adjectives", dict), ("comparison_cues", list), ("span_nouns", set),
                          ("not_none_subject", set)):  # optional: a cue file without them reads as before
            v = raw.get(key, {} if kind is dict else [])
            if not isinstance(v, dict if kind is dict else list) or any(
                    not isinstance(x, str) for x in ([*v.keys(), *v.values()] if isinstance(v, dict) else v)):
                raise NumberCueError(f"{path}: {key!r} must be {'a mapping' if kind is dict else 'a list'} of words "
                                     f"(quote words YAML reads otherwise)")
            out[key] = dict(v) if kind is dict else (set(v) if kind is set else sorted(v, key=len, reverse=True))
        multiples = raw.get("unit_multiples", {})
        if not isinstance(multiples, dict) or any(
                not (isinstance(v, list) and len(v) == 2 and isinstance(v[0], int) and str(v[1]) in
                     set(out["time_units"].values())) for v in multiples.values()):
            raise NumberCueError(f"{path}: 'unit_multiples' must map a word to [a whole number, a unit of time "
                                 f"of time_units] (\"decade: [10, years]\")")
        out["unit_multiples"] = {str(k): (v[0], str(v[1])) for k, v in multiples.items()}
        return cls(**out)


@dataclass
class _Number:
    start: int
    end: int  # end of the number with its scale and unit (the evidence)
    value: Decimal
    unit: str
    qualifier: str | None
    upper: Decimal | None = None
    counted: str | None = None  # what it counts, when the words that made the number say it ("under 18": age)
    how: str = ""  # "frequency" ("twice a month"), "times" ("four times in 2024"), "every" ("every six months")


class StatisticsReader:
    """Finds the statistics of one line; patterns compiled once per cue set."""

    def __init__(self, cues: NumberCues):
        self.cues = cues
        words = "|".join(re.escape(w) for w in sorted(cues.number_words, key=len, reverse=True))
        units = "|".join(re.escape(w) for w, v in cues.number_words.items() if 1 <= v <= 9 and len(w) > 2)
        # "Thirty-four": a tens word and a units word joined by a hyphen
        self.number = re.compile(rf"(?<![\w.,/:’'-])(?:(?P<d>{DIGITS})(?P<ord>st|nd|rd|th)?(?![\w/:’']|[.,]\d)"
                                 rf"|(?P<w>(?i:{words}))(?:-(?P<w2>(?i:{units})))?\b(?!-(?!(?:hour|day|week|month|year)s?\b)))")
        self.repeated = re.compile(r"\s*\((?P<d>\d[\d,]*)\)")  # "Thirty-four (34)": the figure said twice
        self.scale = re.compile(r"\s+(" + "|".join(map(re.escape, cues.scales)) + r")\b")
        percent = "|".join(map(re.escape, cues.percent))
        self.percent = re.compile(rf"\s*({percent})(?!\w)")
        self.percent_range = re.compile(rf"\s*(?:–|-|to)\s*(?P<d>{DIGITS})\s*(?:{percent})(?!\w)")  # "… to 97%"
        self.time_unit = re.compile(r"\s+(" + "|".join(map(re.escape, sorted(cues.time_units, key=len, reverse=True)))
                                    + r")\b")
        self.multiple = re.compile(r"\s+(" + "|".join(map(re.escape, sorted(cues.unit_multiples, key=len,
                                                                               reverse=True))) + r")\b") \
            if cues.unit_multiples else None
        money = "|".join(map(re.escape, sorted(cues.currencies, key=len, reverse=True)))
        self.money_before = re.compile(rf"(?:^|(?<=[\s(]))({money})\s*$")
        self.money_after = re.compile(rf"\s*({money})\b")
        self.qualifier = re.compile(r"(?i:\b(" + "|".join(map(re.escape, cues.qualifiers)) + r"))\s+$")
        self.compared = re.compile(r"(?i:\b(?:" + "|".join(map(re.escape, cues.comparison_cues)) + r"))\s+(?:(?i:"
                                   + "|".join(map(re.escape, cues.qualifiers)) + r")\s+)?$") \
            if cues.comparison_cues else None
        self.qualifier_words = {w for q in cues.qualifiers for w in q.lower().split()}
        self.range = re.compile(rf"\s*(?:–|-|to|and)\s*(?:(?P<d>{DIGITS})(?![\w.,]\d)|(?P<w>(?i:{words}))\b(?!-))")
        self.not_after = re.compile(r"\s*(?:" + "|".join(map(re.escape, cues.not_after)) + r")\b") \
            if cues.not_after else None
        often = "|".join(map(re.escape, cues.frequency_words))
        self.frequency = re.compile(rf"(?<![\w-])(?i:({often}))\s+(?:a|an|per|each)\s+(day|week|month|year)\b") \
            if often else None
        self.ratio = re.compile(rf"\s+(?:in|out of)\s+(?P<d>(?!(?:19|20)\d\d\b)\d+|(?i:{words}))\b")  # not "in 2024"
        refs = "|".join(re.escape(w) for w in sorted(cues.not_before, key=len, reverse=True))
        self.reference = re.compile(rf"(?:^|\W)(?:{refs})\s*(?:[\d.]+\s*(?:,|and|&|or)\s*)*$")
        self.date = re.compile(rf"(?:\b(?:{MONTH})\s*$)|(?:^\s*(?:[–-]\s*\d{{1,2}}\s*)?(?:{MONTH})\b)")
        measures = "|".join(map(re.escape, cues.measure_nouns))
        self.measure = re.compile(rf"\b(?P<m>(?:[a-z]+\s+)?(?:{measures}))\s+of\s+(?:the\s+)?"
                                  rf"(?P<np>(?:{WORD}\s*){{1,5}})")

    def _value(self, m: re.Match) -> Decimal | None:
        if m.group("d"):
            return Decimal(m.group("d").replace(",", ""))
        value = Decimal(self.cues.number_words[m.group("w").lower()])
        if m.group("w2"):
            if value < 20 or value % 10:
                return None  # "two-three", "twelve-one": no number
            value += self.cues.number_words[m.group("w2").lower()]
        return value

    def numbers(self, text: str) -> list[_Number]:
        out: list[_Number] = []
        consumed = 0
        for m in self.number.finditer(text):
            if m.start() < consumed:
                continue
            # the words just before the number: enough for a qualifier, a currency, a reference or a month,
            # and never the whole paragraph (searched at every number, that would be quadratic)
            window = max(0, m.start() - 60)
            before, value = text[window:m.start()], self._value(m)
            if value is None or self.reference.search(before) or self.date.search(before):
                continue
            if m.group("d") and self.date.search(text[m.end():m.end() + 20]):
                continue  # "9–10 May 2023", "14 September"
            if m.start() == 0 and m.group("d") and "." in m.group("d"):
                continue  # a section number ("2.1 Background")
            end = m.end()
            if m.group("w") and (rep := self.repeated.match(text, end)) and Decimal(
                    rep.group("d").replace(",", "")) == value:
                end = rep.end()  # the digits repeat the words: one statistic
            if m.group("d") and not m.group("ord") and "," not in m.group("d") and 1900 <= value <= 2099 \
                    and value == value.to_integral() and not self.percent.match(text, end) \
                    and not self.time_unit.match(text, end):
                continue  # a year ("in 2019 to 82%": no range from it either)
            unit, upper = "count", None
            if s := self.scale.match(text, end):
                value *= self.cues.scales[s.group(1)]
                end = s.end()
            r = self.range.match(text, end)
            aged = AGE_BEFORE.search(before)
            if r and r.group("w") and (r.group("w").lower() in self.cues.weak_number_words
                                       or not self.time_unit.match(text, r.end())):
                r = None  # "between two and six weeks"; not "two to one", "one and a half"
            span = SPAN_ADJECTIVE.match(text, end) if not r else None
            if span:
                r = None
            if r and (self.time_unit.match(text, r.end()) or self.percent.match(text, r.end())
                      or re.search(r"(?i)\bbetween\s+$", before) or aged
                      or (self.money_before.search(before) and r.group(0).lstrip()[:1] in "–-")):
                upper, end = (Decimal(r.group("d").replace(",", "")) if r.group("d")
                              else Decimal(self.cues.number_words[r.group("w").lower()])), r.end()
            money_start = None  # a currency written before the number starts the evidence
            if span:  # "a three-day course": days, told as an adjective
                unit, end = self.cues.time_units[span.group("u")], span.end()
            elif p := self.percent.match(text, end):
                unit, end = "percent", p.end()
                if self.not_after and self.not_after.match(text, end):
                    continue  # "95% CI": the level of a confidence interval, a property of the method
                if upper is None and (r := self.percent_range.match(text, end)) and not CHANGED.search(before):
                    upper, end = Decimal(r.group("d").replace(",", "")), r.end()  # "ranged from 84% to 97%"
                    # (but "rose from 64% to 89%" is two figures: before and after)
            elif t := self.time_unit.match(text, end):
                unit, end = self.cues.time_units[t.group(1)], t.end()
            elif self.multiple and (x := self.multiple.match(text, end)):
                times, unit = self.cues.unit_multiples[x.group(1)]  # "a decade": ten years
                value, end = value * times, x.end()
            elif c := self.money_before.search(before):
                unit, money_start = self.cues.currencies[c.group(1)], window + c.start(1)
            elif c := self.money_after.match(text, end):
                unit, end = self.cues.currencies[c.group(1)], c.end()
            qualifier = None
            # ("about $164": the qualifier stands before the currency)
            if q := self.qualifier.search(before if money_start is None else text[window:money_start]):
                qualifier = q.group(1).lower()
            if (rt := self.ratio.match(text, end)) and (rt.group("d") or "").lower() in self.cues.weak_number_words:
                rt = None  # "BGN 118 in a closed centre": an article, no ratio
            if rt:
                ratio = f"in {rt.group('d')}"  # "9 in 10": the 10 is part of this number
                qualifier, end = f"{qualifier}, {ratio}" if qualifier else ratio, rt.end()
            word = (m.group("w") or "").lower()
            if word in self.cues.weak_number_words and unit not in self.cues.time_units.values() and not rt \
                    and not span:
                continue  # "one State", "a day" without a unit: an article, not a number
            if word in self.cues.weak_number_words and not rt and not q and not WEAK_TIME_BEFORE.search(before) \
                    and not EVERY_BEFORE.search(before) and not span:
                continue  # "a day in detention costs …": the unit, not a span of time
            how = "span" if span else ""
            if span and span.group("old"):
                how = "age"
            if unit == "count" and (repeat := TIMES_AFTER.match(text, end)):
                how, end = ("frequency", repeat.end()) if repeat.group("u") else ("times", repeat.end())
                if repeat.group("u"):
                    unit = f"per {repeat.group('u')}"
            elif unit in self.cues.time_units.values() and (every := EVERY_BEFORE.search(before)):
                how, qualifier = "every", "every"
                if not q:
                    q = every  # the evidence starts at "every"
            preset = None
            said_age = aged is not None and " ".join(aged.group(1).lower().split()) in STATED_AGE
            if aged and unit in ("count", "years") and (AGE_LEAST <= value <= AGE_MOST or (said_age and value <= 110)) \
                    and (upper is not None or unit == "years" or AGE_AFTER.match(text, end) or said_age
                         or (aged.group(1).lower() in ("under", "below", "aged") and AGE_VERB_AFTER.match(text, end))):
                # "anyone who says they are under 18", "children under the age of 15", "aged 7 to 15", "aged 2"
                unit, preset = "years", "age"
                if aged.group(1).lower() in ("under", "over", "below", "above"):
                    qualifier = qualifier or aged.group(1).lower()
            if m.group("d") and not m.group("ord") and "," not in m.group("d") and unit in ("count",) \
                    and 1900 <= value <= 2099 and value == value.to_integral():
                continue  # a year
            start = m.start()
            if money_start is not None:
                start = money_start
            if q:
                start = min(start, window + q.start(1))  # "about $164": the qualifier before the currency too
            if preset == "age" and aged:
                start = min(start, window + aged.start(1))  # "aged 9"
            out.append(_Number(start, end, value, unit, qualifier, upper, preset, how))
            consumed = end
        out = self._frequencies(text, self._none_of(text, out))
        out += self._no_subject(text, out)
        return sorted(out + self._fractions(text, out), key=lambda n: n.start)

    def _frequencies(self, text: str, found: list[_Number]) -> list[_Number]:
        """"twice a month", "at least once a year": how often, per unit of time (the "a month" is no span)."""
        if not self.frequency:
            return found
        for m in self.frequency.finditer(text):
            found = [n for n in found if n.end <= m.start() or n.start >= m.end()]
            before = text[max(0, m.start() - 60):m.start()]
            qualifier, start = None, m.start()
            if q := self.qualifier.search(before):
                qualifier, start = q.group(1).lower(), max(0, m.start() - 60) + q.start(1)
            found.append(_Number(start, m.end(), Decimal(self.cues.frequency_words[m.group(1).lower()]),
                                 f"per {m.group(2).lower()}", qualifier, how="frequency"))
        return found

    def _none_of(self, text: str, found: list[_Number]) -> list[_Number]:
        """"none of the 650 children assessed was detained": zero, out of the whole the number after it gives
        (which is then no statistic of its own, as "116 of 118 households" counts the 116)."""
        for m in NONE_OF.finditer(text):
            whole = next((n for n in found if n.start == m.end() and n.unit == "count"), None)
            if whole is None and m.group("them") is None:
                continue  # "none of the above": no count
            if whole is not None:
                found = [n for n in found if n is not whole]
            found.append(_Number(m.start(), whole.end if whole else m.end(), Decimal(0), "count",
                                 f"of {_lexical(whole.value)}" if whole else None))
        return found

    def _no_subject(self, text: str, found: list[_Number]) -> list[_Number]:
        """"No child from the programme has been placed in detention", "none absconded", "that no asylum-seeking
        child had been held": a count of zero, of who the subject names, doing what the verb says. Only a clause's
        subject (after its start, a comma, "that", "and" …) told in the past or perfect: "no child should be
        detained" is a norm, "there is no evidence" no count."""
        out: list[_Number] = []
        taken = Disjoint((n.start, n.end) for n in found)
        for m in NO_SUBJECT.finditer(text):
            if taken.overlaps(m.start(), m.end()):
                continue
            lead = text[max(0, m.start() - 12):m.start()]
            if not (m.start() == 0 or re.search(r"(?:[.!?;:,(]|^)\s*$|\b(?:that|and|but|where|while|so|yet)\s+$",
                                                lead)):
                continue
            nobody = m.group(1).lower() == "none"
            words = list(re.finditer(rf"({WORD})", text[m.end():m.end() + 100]))
            subject: list[str] = []
            for k, w in enumerate(words):
                low = w.group(1).lower()
                if k and not re.fullmatch(r"\s+", text[m.end() + words[k - 1].end():m.end() + w.start()]):
                    break  # punctuation ends the clause's subject
                if not subject and low in self.cues.not_none_subject:
                    break
                aux = low in ("has", "have", "had", "was", "were")
                if (subject or nobody) and (aux or (low.endswith("ed") and _is_verb(low))):
                    at = k + 1 if aux else k
                    while at < len(words) and words[at].group(1).lower() in ("yet", "ever", "since", "then",
                                                                               "been", "later", "subsequently"):
                        at += 1
                    if at >= len(words) or not (words[at].group(1).lower() != _lemma(words[at].group(1).lower())
                                                and _is_verb(words[at].group(1).lower())):
                        break
                    verb = words[at]
                    said = self._said(text[m.end() + verb.end():m.end() + verb.end() + 120])
                    while said and said[0].lower() in DETERMINERS:
                        said = said[1:]
                    end = m.end() + verb.end()
                    if said:
                        end = text.index(said[-1], end) + len(said[-1])
                    if taken.overlaps(m.start(), end):
                        break  # "none exceeded five months": the figure is the five months, not a count of zero
                    who = ["people"] if subject == ["one"] else subject
                    counted = " ".join([*who, verb.group(1), *(text[m.end() + verb.end():end].split())])
                    out.append(_Number(m.start(), end, Decimal(0), "count", None, counted=counted))
                    break
                if low in AUXILIARIES or (low in self.cues.counted_stop
                                          and low not in ("from", "in", "at", "of", "with", "under")):
                    break  # a modal ("no child should be detained"), a relative clause, a comparison
                if nobody or len(subject) >= 6:
                    break
                subject.append(w.group(1))
        return out

    def _fractions(self, text: str, found: list[_Number]) -> list[_Number]:
        """"a third of whom", "two-thirds of the case workers", "nearly half": the numerator, "in 3" (as "9 in 10")."""
        taken = Disjoint((n.start, n.end) for n in found)
        out = []
        for m in FRACTION.finditer(text):
            if taken.overlaps(m.start(), m.end()) or (not m.group("num") and ORDINAL_BEFORE.search(
                    text, max(0, m.start() - 12), m.start())):
                continue  # "the first half of 2024", "the third quarter": a part of a period, no share
            word = (m.group("num") or "a").lower()
            value = Decimal(1) if word in ("a", "one") else Decimal(self.cues.number_words.get(word, 0))
            if not value:
                continue
            denominator = FRACTION_DENOMINATORS[m.group("den").lower().rstrip("s")]
            before = text[max(0, m.start() - 60):m.start()]
            qualifier = None
            start = m.start()
            if q := self.qualifier.search(before):
                qualifier, start = q.group(1).lower(), max(0, m.start() - 60) + q.start(1)
            elif m.group("of") is None:
                continue  # "the first half", "in half": no share of anyone
            ratio = f"in {denominator}"
            out.append(_Number(start, m.end(), value, "count", f"{qualifier}, {ratio}" if qualifier else ratio))
        return out

    def _said(self, what: str) -> list[str]:
        """The words of a clause that say what a number counts: up to its first punctuation, conjunction or next
        number, at most seven, without what only leads to the next number ("… organisations within 48 hours")."""
        said = re.split(r"[,;:.()]|\s\d|\s(?:and|or|but|while|whereas)\s", what)[0].split()[:7]
        while said and (said[-1].lower() in TRAILING or said[-1].lower() in self.qualifier_words):
            said.pop()
        return said

    def _how_often(self, text: str, n: _Number, sentence_start: int) -> str:
        """What is done "twice a month", "four times in 2024" or "every six months": the clause before the figure
        ("… who visits at least twice a month": visits), or a lone verb there with what follows the figure
        ("Publish, at least once a year, data by age": publish data)."""
        parts = [p for p in re.split(r"[,;:()\[\]]", text[sentence_start:n.start]) if re.search(r"[a-z]{2}", p)]
        words = [w for w in re.findall(WORD, parts[-1]) if len(w) > 1] if parts else []
        while words and (words[0].lower() in AUXILIARIES or words[0].lower() in DETERMINERS
                         or words[0].lower() in ("and", "but", "or", "so")):
            words = words[1:]
        lone_verb = len(words) == 1 and _is_verb(words[0].lower())
        if lone_verb or not words:
            after: list[str] = []
            at, follow = 0, text[n.end:n.end + 80]
            while (w := re.match(rf"\s*,?\s*({WORD})", follow[at:])) and len(after) < 3:
                at += w.end()
                if w.group(1).lower() in self.cues.counted_stop:
                    break
                if after or w.group(1).lower() not in DETERMINERS:
                    after.append(w.group(1))
            words = [*words, *after]
        if not words:
            return ""
        clause = " ".join(words[-7:])
        if n.how == "times":
            return f"times {clause}"
        if n.how == "every":
            first = words[-7:][0]
            if _is_verb(first.lower()) and first[:1].islower():
                from lemminflect import getInflection
                ing = getInflection(_lemma(first.lower()), "VBG")
                return f"interval of {' '.join([ing[0] if ing else first, *words[-7:][1:]])}"
            return f"interval at which {clause}"
        return clause

    def counted(self, text: str, n: _Number, sentence_start: int, previous: str = "") -> tuple[str, int]:
        """What the number counts — the noun phrase after it ("… of the people referred" for a percentage),
        else a measure the sentence names before it ("the daily cost of a bed … EUR 95") — and where the
        evidence ends (after the phrase when it follows the number)."""
        rest = text[n.end:n.end + 200]  # what is counted follows closely; never copy the paragraph's rest
        if n.counted:
            return n.counted, n.end
        if n.how in ("span", "age"):
            return self._spanned(text, n)
        if n.how:
            return self._how_often(text, n, sentence_start), n.end
        if n.unit == "count" and SAMPLE.search(text, max(0, n.start - 8), n.start) and re.match(r"\s*[,;)\]]", rest):
            return "sample size", n.end  # "(n = 212)"
        if previous and FROM_BEFORE.search(text, max(0, n.start - 30), n.start):
            return previous, n.end  # "43 children …, down from 118": the same thing counted before
        if n.unit in TIME_UNITS and (ago := AGO.match(rest)):
            # "Four years ago, States promised …" (the clause after), "… ended it four years ago" (the clause before)
            opening = not re.search(r"\w", re.sub(self.qualifier.pattern, "", text[sentence_start:n.start]))
            clause = (re.split(r"[.;:!?]", rest[ago.end():].lstrip(" ,"))[0] if opening
                      else re.split(r"[,;:]", text[sentence_start:n.start])[-1])
            said = [w for w in re.findall(WORD, clause) if w.lower() not in ("ago", "on", "later")][:9]
            if said:
                return "time since " + " ".join(said), n.end + ago.end()
        if n.unit == "count" and (share := OF_THEM.match(rest)) and (did := DID.match(rest[share.end():])) \
                and _is_verb(did.group("verb")) and did.group("verb") not in TRAILING \
                and not re.search(r"\bthe\s+$", text[max(0, n.start - 5):n.start]):
            # ("the three of them spent …" is the group itself, told as "them": what they did is no count of it)
            said = self._said(did.group("what"))
            return " ".join(said), n.end + share.end() + did.start("what") + len(" ".join(said))
        if n.unit == "count" and previous and (share := OF_THEM.match(rest)) and (be := BE_WHAT.match(
                rest[share.end():])) and re.match(r"(?:with|without|in|at|under|from|aged|over)\b", be.group("what")):
            # "30 children, 11 of whom were with a parent": the whole, as it was
            said = self._said(be.group("what"))
            if len(said) > 1:
                return f"{previous} {' '.join(said)}", n.end + share.end() + be.start("what") + len(" ".join(said))
        if n.unit in ("count", "percent") and (had := HAD.match(rest)):
            said = self._said(had.group("what"))
            if said and said[0].lower() not in self.cues.counted_stop:
                return " ".join(said), n.end + had.start("what") + len(" ".join(said))
        if previous and self.compared and self.compared.search(text, max(0, n.start - 30), n.start):
            # "USD 9 per person per day, against USD 41 in Canada": the same measure, for what follows the figure
            at = n.end + (rate.end() if (rate := RATE.match(rest)) else 0)
            tail = re.match(r"\s+((?:for|in|at|under|with|among)\s+[^,;:.()\d]{1,80})", text[at:at + 90])
            said = self._said(tail.group(1)) if tail else []
            head = next((w for w in said[1:] if w.lower() not in DETERMINERS), "")
            if said and (said[0] == "for" or head[:1].islower()):
                # "…, against USD 65 for a detention place", "against BGN 118 in a closed centre": the cost of that
                # instead (but "against USD 41 in Canada": the same thing's, elsewhere)
                previous = re.sub(r" of .*?(?= per |$)", "", previous)
            return (f"{previous} {' '.join(said)}" if said else previous), at
        if n.unit.isupper() and (rate := RATE.match(rest)):
            # "$164 a day": a daily cost; "BGN 118 per family per day": its daily cost per family; "Public custody
            # is estimated to cost MDL 1,150 per person per day": the daily cost of public custody; "USD 38
            # million a year in grants": grants per year
            unit = rate.group("u")
            per = f" per {rate.group('per')}" if rate.group("per") else ""
            if what := re.match(rf"\s+in\s+((?:{WORD}\s*){{1,3}})", rest[rate.end():]):
                said = []
                for word in what.group(1).split():
                    if word.lower() in self.cues.counted_stop or word.lower() in TRAILING:
                        break
                    said.append(word)
                if said and not _only_verb(said[0].lower()):
                    return f"{' '.join(said)}{per} per {unit}", n.end + rate.end()
            of = self._cost_of(text[sentence_start:n.start])
            adjective = self.cues.rate_adjectives.get(unit)
            cost = f"{adjective} cost" if adjective else "cost"
            return (f"{cost}{of}{per}" if adjective else f"{cost}{of}{per} per {unit}"), n.end + rate.end()
        if n.unit == "count" and PART_BEFORE.search(text, max(0, n.start - 25), n.start) \
                and (be := BE_WHAT.match(rest)):
            # "40 staff, of whom 19 are social workers": what the part is
            said = self._said(be.group("what"))
            if said:
                return " ".join(said), n.end + be.start("what") + len(" ".join(said))
        if n.unit in TIME_UNITS and (lasted := self._for_span(text[sentence_start:n.start])):
            return lasted, n.end  # "had been held for longer than 28 days": time held
        if n.unit in TIME_UNITS and (then := SPAN_THEN_CLAUSE.match(rest)) and _is_verb(then.group("verb").lower()):
            # "For fourteen months I was locked up", "Within three months she was volunteering": the time of what
            # the clause after it says
            return f"time {then.group('verb').lower()}{' ' + then.group('up') if then.group('up') else ''}", n.end
        if n.unit in TIME_UNITS and (when := TIME_TO.match(rest)):
            # "some 90 days before the next review": the time to an event, named after it
            return f"time {when.group(1)} {when.group(2)}", n.end + when.end(2)
        if n.unit in TIME_UNITS and (where := re.match(rf"^\s+(in|at|as|on)\s+(?:(?:a|an|the|their|his|her|its)\s+)?"
                                                      rf"((?:{WORD}\s*){{1,5}})", rest)) \
                and where.group(2).split()[0].lower() not in self.cues.not_where \
                and where.group(2).split()[0].lower() not in self.cues.counted_stop \
                and not self.date.match(where.group(2)) and not AGO.match(rest):
            # "97 days in detention", "eight years as an immigration caseworker": the time spent there, so
            place = []
            for word in where.group(2).split():
                if word.lower() in self.cues.counted_stop or word.lower() in TRAILING:
                    break
                place.append(word)
            if place:
                return f"time {where.group(1)} {' '.join(place)}", n.end
        if done := DONE_TO.match(rest):
            # "312 were referred to a case manager", "29 of them had been made to wear …": the number is the
            # subject, and what was done to them says what it counts
            said = self._said(done.group("what"))
            if said:
                return " ".join(said), n.end + done.start("what") + len(" ".join(said))
        lead = 0
        if share := re.match(r"^\s+(?:out\s+)?of\s+(?:(?:the|those|these|all|its|our|their)\s+)?\d[\d,]*"
                             r"(?=\s+(?:[a-z]|[A-Z][a-z]+s\b))", rest):
            lead = share.end()  # "116 of 118 households", "16 of the 41 States": households are counted, 118 the whole
            rest = rest[lead:]
        window = len(rest) + lead
        if n.unit != "count" or re.match(r"^\s*of\s+(?:the|them|these|those|their|his|her|our|its|all)\b", rest):
            rest = re.sub(r"^\s*(?:of|after|before|from|for)\s+", "", rest)
        words: list[str] = []
        pos = phrase_end = 0
        skipped = window - len(rest)  # characters of "of the" the sub above took out
        for w in re.finditer(rf"\s*({WORD})", rest):
            if rest[pos:w.start()].strip():
                break  # punctuation ends the phrase
            pos = w.end()
            word = w.group(1)
            if not words and word.lower() in DETERMINERS:
                continue  # "after their placement": the determiner is not what is counted
            if not words and n.unit != "count" and ((word.lower() in self.qualifier_words
                                                     and word.lower() not in COMPARATIVE)
                                                    or (n.unit.isupper() and _only_verb(word.lower()))):
                break  # "USD 1.2 million over four years": a period or another figure's qualifier, not what it is
            if word.lower() in self.cues.counted_stop or len(words) >= 6 or (words and word.endswith("ing")) or (
                    words and word.endswith("ed") and words[-1].endswith("ed")):
                break  # a verb, a preposition, a participle after the noun ("panels prompting …", "… referred stayed")
            words.append(word)
            phrase_end = w.end()
        phrase = " ".join(words)
        if words and words[0].lower() in COMPARATIVE and previous:
            # "417 complaints, 31% more than in 2021": a change in what the number before it counts
            return f"{COMPARATIVE[words[0].lower()]} in {previous}", n.end + skipped + phrase_end
        if words and all(w[:1].isupper() for w in words) and not words[-1].endswith("s") and n.unit == "count":
            return "", n.end  # "15 Tsar Osvoboditel Blvd", "1000 Sofia": an address, a name — nothing counted
        if n.unit == "count" and (group := GROUP_OF.search(text, max(0, n.start - 30), n.start)) \
                and (not phrase or (words[0].islower() and _only_verb(words[0]))):
            # "a mother of two", "a mother of three spoke": her children; "a team of 22": its members (but "a team
            # of 12 lawyers": lawyers)
            noun = group.group(1).lower()
            return ("children" if noun in PARENT_NOUNS else f"members of the {noun}"), n.end
        if phrase and words[0].lower() not in self.cues.time_units:  # not "118 a year earlier"
            return phrase, n.end + skipped + phrase_end
        if not phrase and n.unit in ("count", "percent") and (did := DID.match(rest)) \
                and _is_verb(did.group("verb")) and did.group("verb") not in TRAILING:
            # "64 have completed the course", "9 left the country", "1,140 who had registered": the number is
            # the subject, and what they did says what it counts
            said = self._said(did.group("what"))
            return " ".join(said), n.end + did.start("what") + len(" ".join(said))
        sentence = text[sentence_start:n.start]
        if not phrase and previous and AGAIN_AFTER.match(text, n.end) and AGAIN_BEFORE.search(
                self.qualifier.sub("", text[max(0, n.start - 40):n.start])):  # (a qualifier between: "(approx. …")
            # "GTQ 48.6 million (approx. USD 6.3 million)", "0 (118 in 2021)": the same measure again, in another
            # currency or another year
            return previous, n.end
        if not phrase and (field := FIELD_BEFORE.search(text, max(0, n.start - 110), n.start)):
            # "Staff: 42", "Children accompanied since 2022: 1,380", "  of whom unaccompanied: 5,912"
            return (field.group("label") or field.group("part")).strip(), n.end
        if n.unit != "count" and (change := CHANGE.search(sentence)) and len(sentence) - change.end() <= 40 \
                and not re.search(r"[,;:]", sentence[change.end():]):
            # (the figure must stand in the change's own words: "fell from 152 in 2023 to 109"; not "…, but stays
            # grew longer: the average … was 97 days")
            # "School enrolment of refugee children rose from 35% to 82%", "The average stay has fallen from 14
            # months": what changed is what the number measures
            measured = [w for w in re.findall(WORD, change.group("np"))]
            while measured and (measured[0].lower() in DETERMINERS or measured[0].lower() in self.cues.counted_stop):
                measured = measured[1:]
            if measured:
                return " ".join(measured[:7]), n.end
        if n.unit in TIME_UNITS and (verb := TIME_TAKEN.search(sentence)) \
                and verb.group(1).lower().endswith("ed") and verb.group(1).lower() not in self.cues.counted_stop:
            # "released within 72 hours": time to release; "referred to a shelter within 24 hours": time to refer to
            # a shelter
            return " ".join(["time to", _lemma(verb.group(1).lower()), *(verb.group("to") or "").split()]), n.end
        found = list(self.measure.finditer(sentence))
        if found:
            measure = found[-1]
            np: list[str] = []
            for word in measure.group("np").split():
                if word.lower() in self.cues.counted_stop:
                    break
                np.append(word)
            if np:
                return f"{measure.group('m')} of {' '.join(np)}", n.end
        if n.unit.isupper() and (paid := re.match(r"\s+in\s+([a-z][a-z-]+)\b", rest)) \
                and paid.group(1) not in self.cues.not_where and paid.group(1) not in self.cues.counted_stop \
                and paid.group(1) not in self.cues.time_units and not _only_verb(paid.group(1)):
            return paid.group(1), n.end + paid.end()  # "over £9 million in compensation": compensation
        if n.unit.isupper() and (of := self._cost_of(sentence)):
            return f"cost{of}", n.end  # "a day in detention costs between 90 and 120 euros": the cost of a day …
        if n.unit != "count":  # "the scheme cost USD 1.2 million": what the sentence says has that amount
            return self._before(sentence, n), n.end
        if previous and (part := PART_OF_THOSE.match(text, n.end)):
            # "… released 187 migrants; 42 of them were children" without what they were: a part of what the
            # number before counted, which is all the text says of them
            return previous, part.end()
        return "", n.end

    def _for_span(self, before: str) -> str:
        """"… were held with their mothers for a total of nine days": the time the verb before "for" lasted ("time
        held with their mothers"), read in the figure's own clause: the nearest participle or past verb."""
        clause = re.split(r"[;:()]", before)[-1]  # (past a comma: "placed in this way, for an average of 47 days")
        if FOR_END.search(clause) is None:
            return ""
        words = re.split(r",\s", FOR_END.sub("", clause).rstrip(" ,"))[-1].split()[-6:]
        for k in range(len(words) - 1, -1, -1):
            verb = words[k]
            if verb.islower() and verb.endswith(PAST_ENDINGS) and _is_verb(verb) and verb != _lemma(verb):
                rest = words[k + 1:]
                while rest and (rest[-1].lower() in TRAILING or rest[-1].lower() in self.cues.counted_stop):
                    rest.pop()
                return " ".join(["time", verb, *rest])
        return ""

    def _cost_of(self, before: str) -> str:
        """" of public custody" when the words before an amount say "Public custody is estimated to cost" (the
        subject of "cost" is what costs it), else ""."""
        m = COST_SUBJECT.search(before)
        if m is None:
            return ""
        words = m.group("np").split()
        while words and words[0].lower() in DETERMINERS:
            words = words[1:]
        if all(w.lower() in self.cues.counted_stop for w in words):
            return ""  # "It cost …": the pronoun says nothing
        if words and m.start("np") == len(before) - len(before.lstrip()) and _in_dictionary(words[0].lower()):
            words[0] = words[0].lower()  # "Public custody is estimated to cost …": not a name
        return f" of {' '.join(words)}" if words and not _only_verb(words[-1].lower()) else ""

    def _spanned(self, text: str, n: _Number) -> tuple[str, int]:
        """What a span of time as an adjective measures: the noun after it ("a 28-day time limit": time limit; "a
        three-day course": length of course), or whose age it is ("a 12-year-old boy": age of boy)."""
        words: list[str] = []
        follow = text[n.end:n.end + 80]
        pos = 0
        while w := re.match(rf"\s+({WORD})", follow[pos:]):
            pos += w.end()
            low = w.group(1).lower()
            if low in self.cues.counted_stop or low in TRAILING or len(words) >= 4 or _only_verb(low):
                break
            words.append(w.group(1))
        phrase = " ".join(words)  # (the evidence is the figure: "a three-day course" is no count of courses)
        if n.how == "age":
            return (f"age of {phrase}" if phrase else "age"), n.end
        if not phrase or any(w.lower() in self.cues.span_nouns for w in words):
            return phrase, n.end
        return f"length of {phrase}", n.end

    def _before(self, sentence: str, n: _Number) -> str:
        """The words right before a figure that say what it measures ("Compliance ranged from 84%": compliance);
        nothing when they are only a verb, a month, another number or, for a span of time, a name."""
        before = re.findall(WORD, sentence)
        currencies = {c.lower() for c in self.cues.currencies}
        kept: list[str] = []
        for word in reversed(before[-6:]):
            low = word.lower()
            if low in DETERMINERS or low in self.cues.counted_stop or low in currencies or \
                    any(low in q.split() for q in self.cues.qualifiers) or low in self.cues.number_words or \
                    low in self.cues.time_units or low in self.cues.scales or low.capitalize() in MONTH.split("|") or \
                    (low.endswith("ly") and len(low) > 4) or re.fullmatch(r"[\w-]+-(?:one|two|three|four|five|six|"
                                                                         r"seven|eight|nine)", low) or _only_verb(low):
                if kept:
                    break  # "documented children": children
                continue  # "Compliance ranged from 84%", "Custody may be extended to 6 months": what did so
            kept.insert(0, word)
        kept = kept[-4:]
        # "Screening took …": a word of the language opening the sentence, not a name ("Tanzania … USD 360,000")
        opens = kept and re.match(rf"\W*{re.escape(kept[0])}\b", sentence) and _in_dictionary(kept[0].lower())
        if kept and n.unit in TIME_UNITS and all(w[:1].isupper() for w in kept) and not opens:
            # "someone in Lindela for four months": the time spent there; "from Eritrea in 2021 and spent 97 days":
            # a name, not what took the time
            place = re.search(rf"\b(in|at)\s+{re.escape(' '.join(kept))}\W*(?:{WORD}\W*){{0,3}}$", sentence)
            return f"time {place.group(1)} {' '.join(kept)}" if place else ""
        return " ".join(kept)


def read_statistics(ctx: Context, reader: StatisticsReader, tables: list[Table] | None = None) -> list[Statistic]:
    """The statistics of every table cell and every line not already taken by a genre parser's statistics."""
    taken = Disjoint((s.span.start, s.span.end) for s in ctx.out.statistics)
    keys = {s.key for s in ctx.out.statistics}
    out: list[Statistic] = []
    for table in tables or ():
        out += _table_statistics(ctx, reader, table, taken, keys)
        taken.add(table.start, table.end)  # its lines, read as text, would only garble the columns
    for line in ctx.lines:
        try:
            out += _line_statistics(ctx, reader, line, taken, keys)
        except Exception as e:  # noqa: BLE001 - one unreadable line costs its statistics, not the document
            ctx.warn(line, f"statistics not read ({type(e).__name__}: {e}); please report this line")
    return out


def _line_statistics(ctx: Context, reader: StatisticsReader, line: Line, taken: Disjoint,
                     keys: set[str]) -> list[Statistic]:
    text = line.text
    out = []
    previous, previous_at = "", -1  # what the line's last number counted, and where it stood
    for n in reader.numbers(text):
        span: Span = ctx.span(line, n.start, n.end)
        if taken.overlaps(span.start, span.end):
            # read already (by a genre's parser): what it counts is still what "down from 118" refers to
            if told := next((s for s in ctx.out.statistics if s.span.start <= span.start < s.span.end), None):
                previous, previous_at = told.counted, n.start
            continue
        near = max(0, n.start - 300)  # a sentence's start is looked for nearby, not back to the paragraph's
        sentence_start = max(_full_stop(text, near, n.start) + 1, text.rfind("; ", near, n.start) + 1, near, 0)
        counted, end = reader.counted(text, n, sentence_start,
                                      previous if previous_at >= sentence_start else "")
        if not counted:
            continue  # a number we cannot say what it counts is not a statistic
        previous, previous_at = counted, n.start
        if n.unit == "count" or (n.unit.isupper() and end > n.end):
            # "64 police officers": the number with what it counts; "USD 164 a day": the amount with its rate
            span = ctx.span(line, n.start, end)
            number = ctx.span(line, n.start, n.end)
            if taken.overlaps(span.start, span.end) and not taken.overlaps(number.start, number.end):
                # "16 of the 41 States …" where "41 States" was read already: the part, told up to its whole
                k = bisect_left(taken.starts, number.end)
                if k < len(taken.starts):
                    j = bisect_left(line.starts, taken.starts[k])  # the taken words' place in the line
                    while j > n.end and text[j - 1] == " ":
                        j -= 1
                    span = ctx.span(line, n.start, j)
            if taken.overlaps(span.start, span.end):
                continue
            if whole := WHOLE_BEFORE.search(text, max(sentence_start, n.start - 120), n.start):
                # "Of the 265 people supported, 251 attended every hearing": the part is told with its whole
                taken.add(span.start, span.end)
                span = ctx.span(line, whole.start(), end)
        value = _lexical(n.value)
        if n.unit == "percent" and not Decimal(0) <= n.value <= Decimal(100):
            continue
        out.append(Statistic(_key(ctx, counted, value, keys), value, counted, span,
                             unit=n.unit, qualifier=n.qualifier,
                             upper=_lexical(n.upper) if n.upper is not None else None))
        taken.add(span.start, span.end)
    return out


ABBREVIATED = re.compile(r"(?<![\w.])(?:approx|ca|c|incl|e\.g|i\.e|no|nos|art|para|vs|cf)$", re.I)


def _full_stop(text: str, start: int, end: int) -> int:
    """Where the last sentence before ``end`` ended (its ". "), -1 if none since ``start``: not the full stop of an
    abbreviation ("approx. USD 6.3 million", "No. 87/2023")."""
    at = text.rfind(". ", start, end)
    while at >= 0 and ABBREVIATED.search(text[max(start, at - 8):at]):
        at = text.rfind(". ", start, at)
    return at


def _key(ctx: Context, counted: str, value: str, keys: set[str]) -> str:
    """The statistic's key: document, what it counts, its value — and its rank among the same figure's mentions."""
    key = base = f"{ctx.doc}-{slug(counted)[:40]}-{value}"
    k = 1
    while key in keys:  # the same figure stated again: numbered in reading order, whatever the layout
        k += 1
        key = f"{base}-{k}"
    keys.add(key)
    return key


def _table_statistics(ctx: Context, reader: StatisticsReader, table: Table, taken: Disjoint,
                      keys: set[str]) -> list[Statistic]:
    """One statistic per figure of the table: what its row counts (or, for a row of a year, what its column
    counts in that year), in the unit its cell, column or row states, qualified by its column."""
    out = []
    for row in table.rows:
        period = is_period(row.label)
        for fig in row.figures:
            cell, header = fig.cell, " ".join(fig.header.split())
            if taken.overlaps(cell.start, cell.end):
                continue
            digits = re.search(DIGITS, cell.text)
            if digits is None:
                continue
            value = Decimal(digits.group(0).replace(",", ""))
            bare_header = re.sub(r"\s*\([^()]*\)", "", header).strip()
            counted = f"{bare_header or header} in {row.label.rstrip('*† ')}" if period else row.label
            # the unit: in the cell, the column's header, or the head of the row's label ("Average days in …",
            # not "… during the year")
            words = re.findall(r"[\w$€£%]+", f"{header} {' '.join(row.label.split()[:2])}".lower())
            unit = "count"
            if "%" in cell.text or "%" in header or "percent" in words or ("per" in words and "cent" in words):
                unit = "percent"
            elif time := next((reader.cues.time_units[w] for w in words if w in reader.cues.time_units), None):
                unit = time
            elif money := next((reader.cues.currencies[w.upper()] for w in words
                                if w.upper() in reader.cues.currencies), None):
                unit = money
            if unit == "percent" and not Decimal(0) <= value <= Decimal(100):
                continue
            lexical = _lexical(value)
            out.append(Statistic(_key(ctx, counted, lexical, keys), lexical, counted,
                                 Span(ctx.doc, cell.start, cell.end), unit=unit,
                                 qualifier=None if period or not header else header.lower()))
            taken.add(cell.start, cell.end)
    return out


def _lexical(value: Decimal) -> str:
    try:
        if value == value.to_integral():
            return str(int(value))
    except InvalidOperation:
        pass
    return format(value.normalize(), "f")
