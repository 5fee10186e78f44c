"""Search over every name of every entity (/search, webapp/pages_system.py): an index built once per
process from two named queries (queries/search-names.rq, search-kinds.rq), so a request costs a few
dictionary and bisect look-ups rather than a query and a scan; nothing the user types reaches SPARQL.

Ranking: a name equal to the text (label, acronym, alternative name — accents, case and punctuation
folded) first; then, entities people look for (States, organisations, people, exchanges and their
sessions, practices, commitments, documents, publications) before other records (statistics, unnamed
actors …) and those before technical nodes (evidence, network metrics and communities, positions,
memberships, participations, hostings …); within each, a name that starts with the text, then one whose
words start with the text's words, then (from three characters) one that contains it anywhere.
"""
from __future__ import annotations

import bisect
import os
import re
import threading
from dataclasses import dataclass, field

from flask import current_app

from atdkg.terms import fold

ATD = "https://w3id.org/atd-kg/ontology#"
ORG, FOAF, SCHEMA = "http://www.w3.org/ns/org#", "http://xmlns.com/foaf/0.1/", "https://schema.org/"
PROV, DCAT = "http://www.w3.org/ns/prov#", "http://www.w3.org/ns/dcat#"

# what people look for: a hit of one of these classes (or a subclass) ranks first
ENTITY_CLASSES = {ATD + c for c in ("State", "Government", "PeerLearningExchange", "Session", "AgendaItem",
                                    "Practice", "ListItem", "ItemList", "PledgeIdea", "Commitment",
                                    "SourceDocument", "Publication", "WorkingGroup")} \
    | {ORG + "Organization", FOAF + "Person", FOAF + "Document"}
# records of how the graph is built or analysed: ranked last
TECHNICAL_CLASSES = {ATD + c for c in ("Evidence", "NetworkMetrics", "NetworkCommunity", "NetworkAnalysis",
                                       "Position", "Participation", "Hosting", "WorkingGroupMembership",
                                       "Attendance", "Partnership")} | {ORG + "Membership", DCAT + "Dataset"}
GROUPS = ("entity", "other", "technical")
# kinds for classes the ontology borrows without naming them (its own classes have an rdfs:label)
BORROWED_KINDS = {FOAF + "Person": "person", SCHEMA + "Person": "person", ORG + "Organization": "organisation",
                  SCHEMA + "Event": "event", FOAF + "Document": "document", ORG + "Membership": "membership",
                  PROV + "Agent": "agent", DCAT + "Dataset": "dataset", SCHEMA + "ItemList": "list",
                  SCHEMA + "Country": "country", PROV + "Entity": "record", PROV + "Activity": "activity"}
MATCHES = ("exact", "prefix", "words", "contains")
MIN_CONTAINS = 3  # shorter texts match whole names and word starts only: "a" inside every word is noise
_WORD = re.compile(r"\w+")


@dataclass
class Entity:
    iri: str
    label: str
    types: list[str]
    kind: str
    group: int
    names: list[str] = field(default_factory=list)


@dataclass
class Index:
    entities: list[Entity]
    names: list[tuple[str, int, str]]            # (folded name, entity number, the name as written)
    exact: dict[str, list[int]]                   # folded name → name numbers
    by_name: list[tuple[str, int]]                # sorted (folded name, name number): prefixes by bisection
    words: list[str]                              # the distinct words of the folded names, sorted
    having: dict[str, list[int]]                  # word → the numbers of the names that have it
    joined: str                                   # the folded names, one a line: "contains" with str.find
    starts: list[int]                             # where each name starts in `joined`

    def search(self, text: str, limit: int) -> tuple[list[dict], int]:
        """The best ``limit`` hits for ``text`` and how many there are in all."""
        needle = fold(text)
        if not needle:
            return [], 0
        tier: dict[int, int] = {}  # name number → its best match (an index into MATCHES)

        def found(name: int, match: int) -> None:
            if tier.get(name, 99) > match:
                tier[name] = match

        for n in self.exact.get(needle, ()):
            found(n, 0)
        for n in _prefixed(self.by_name, needle):
            found(n, 1)
        words = _WORD.findall(needle)
        if words:
            common = None
            for w in words:
                having = {n for word in _starting(self.words, w) for n in self.having[word]}
                common = having if common is None else common & having
                if not common:
                    break
            for n in common or ():
                found(n, 2)
        if len(needle) >= MIN_CONTAINS:
            at = self.joined.find(needle)
            while at != -1:
                n = bisect.bisect_right(self.starts, at) - 1
                found(n, 3)
                at = self.joined.find(needle, self.starts[n + 1] if n + 1 < len(self.starts) else len(self.joined))
        best: dict[int, tuple[int, list[str]]] = {}  # entity number → (best match, names matched)
        for n, match in tier.items():
            _, e, written = self.names[n]
            previous = best.get(e)
            if previous is None:
                best[e] = (match, [written])
            else:
                best[e] = (min(previous[0], match), previous[1] + [written])

        def rank(e: int):
            match = best[e][0]
            entity = self.entities[e]
            return (match != 0, entity.group, match, entity.label.casefold(), entity.iri)

        ordered = sorted(best, key=rank)
        hits = []
        for e in ordered[:limit]:
            entity, (match, matched) = self.entities[e], best[e]
            hits.append({"entity": entity.iri, "label": entity.label, "kind": entity.kind,
                         "match": MATCHES[match], "group": GROUPS[entity.group],
                         "matched": sorted(set(matched), key=lambda m: (m != entity.label, m.casefold())),
                         "types": entity.types})
        return hits, len(ordered)


_SPACES, _NOT_WORD = re.compile(r"\s+"), re.compile(r"[^\w']+|'")


def fold_name(text: str) -> str:
    """atdkg.terms.fold, with a fast path for ASCII text (most names; the same result, tested): building
    the index folds every name once, and fold's per-character Unicode work is most of that time."""
    if not text.isascii():
        return fold(text)
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", text.lower().replace("&", " and "))).strip()


def _starting(words: list[str], prefix: str):
    """The sorted words that start with ``prefix``."""
    i = bisect.bisect_left(words, prefix)
    while i < len(words) and words[i].startswith(prefix):
        yield words[i]
        i += 1


def _prefixed(pairs: list[tuple[str, int]], prefix: str):
    """The numbers of the sorted pairs whose text starts with ``prefix``."""
    i = bisect.bisect_left(pairs, (prefix, -1))
    while i < len(pairs) and pairs[i][0].startswith(prefix):
        yield pairs[i][1]
        i += 1


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def build(name_rows: list[dict], kind_rows: list[dict]) -> Index:
    """The index from the rows of queries/search-names.rq and search-kinds.rq."""
    class_label: dict[str, str] = {}
    supers: dict[str, set[str]] = {}
    for r in kind_rows:
        class_label.setdefault(r["class"], r["label"])
        supers.setdefault(r["class"], set())
        if r.get("super"):
            supers[r["class"]].add(r["super"])
    entities: list[Entity] = []
    number: dict[str, int] = {}
    names: list[tuple[str, int, str]] = []
    seen: set[tuple[int, str]] = set()
    for r in name_rows:
        iri = r["entity"]
        if iri not in number:
            types = sorted(set(r["types"].split()))
            number[iri] = len(entities)
            entities.append(Entity(iri, r["label"], [_local(t) for t in types], _kind(types, class_label, supers),
                                   _group(types, supers)))
        e = number[iri]
        folded = fold_name(r["name"])
        if folded and (e, folded) not in seen:
            seen.add((e, folded))
            names.append((folded, e, r["name"]))
            entities[e].names.append(r["name"])
    exact: dict[str, list[int]] = {}
    having: dict[str, list[int]] = {}
    for n, (folded, _, _) in enumerate(names):
        exact.setdefault(folded, []).append(n)
        for w in set(folded.split(" ")):  # a folded name is words and single spaces
            having.setdefault(w, []).append(n)
    starts, offset = [], 0
    for folded, _, _ in names:
        starts.append(offset)
        offset += len(folded) + 1
    return Index(entities, names, exact, sorted((f, n) for n, (f, _, _) in enumerate(names)), sorted(having),
                 having, "\n".join(f for f, _, _ in names), starts)


def _kind(types: list[str], class_label: dict[str, str], supers: dict[str, set[str]]) -> str:
    """The label of the most specific named class (one no other of the entity's classes is under)."""
    named = [t for t in types if t in class_label]
    specific = [t for t in named if not any(t in supers.get(other, ()) for other in named if other != t)]
    if specific:
        return ", ".join(sorted(class_label[t] for t in specific))
    borrowed = sorted({BORROWED_KINDS[t] for t in types if t in BORROWED_KINDS})
    return ", ".join(borrowed) or ", ".join(_local(t) for t in types)


def _group(types: list[str], supers: dict[str, set[str]]) -> int:
    every = set(types) | {s for t in types for s in supers.get(t, ())}
    if every & ENTITY_CLASSES:
        return 0
    if every & TECHNICAL_CLASSES:
        return 2
    return 1


_creating = threading.Lock()  # guards only the creation of the per-process lock below, never a wait


def _all_rows(name: str) -> list[dict]:
    """Every row of a named query: no page row cap (MAX_ROWS), which would drop names from the index."""
    from atdkg import queries

    from .pages import plain
    from .store import trusted
    return [plain(r) for r in trusted().rows(queries.get(name).full_text).rows]


def index() -> Index:
    """This process's index of the app's build (the store never changes under a running app)."""
    ext = current_app.extensions["atdkg"]
    if "search-index" not in ext:
        key = ("search-lock", os.getpid())  # made in the process that uses it (after gevent patched threading)
        with _creating:
            lock = ext.setdefault(key, threading.Lock())
        with lock:
            if "search-index" not in ext:
                ext["search-index"] = build(_all_rows("search-names"), _all_rows("search-kinds"))
    return ext["search-index"]
