"""`atdkg eval`: measure the extraction against hand-made gold annotations of documents it was not built on.

The gold set is a folder (tests/gold by default): documents.yaml lists the documents (file, genre, dates,
title, publisher), docs/ holds their text, and one <name>.yaml per document holds what a careful reader
finds in it. tests/gold/README.md documents the format and the matching rules implemented here.

The documents go into a temporary data directory (the reference data and gazetteer copied, a manifest
written in the format of data/sources/manifest.csv) and are built with atdkg.build.build_graph, whether
the result conforms to the shapes or not: this measures what was extracted, it is not a gate. Each
document's own named graph is then compared with its gold, per record type.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from atdkg.build import BuildResult, build_graph
from atdkg.loaders.genres import REGISTRY
from atdkg.loaders.pdf import extract_text
from atdkg.loaders.sources import COLUMNS, GENRES, MANIFEST, PDF_COLUMNS, SourceError, read_text, sha256_of
from atdkg.queries.stores import EmbeddedStore
from atdkg.terms import DEFAULT_BASE, fold

DOCUMENTS = "documents.yaml"
SECTIONS = ("states", "organisations", "people", "statistics", "practices", "partnerships", "list_items",
            "unnamed_actors", "chatham_house")
# the rows of the table: a record type, or a record type with one of its attributes also right ("+")
TYPES = ("states", "organisations", "people", "statistics", "statistics+counted", "practices", "practices+actor",
         "partnerships", "partnerships+partners", "list_items", "unnamed_actors")
OVERLAP = 0.5          # evidence overlap: share of the shorter span
COUNTED_OVERLAP = 0.5  # token overlap of what a statistic counts: share of the shorter phrase
ISO3 = re.compile(r"[A-Z]{3}")

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
ATD = "https://w3id.org/atd-kg/ontology#"
ORG = "http://www.w3.org/ns/org#"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
DCT = "http://purl.org/dc/terms/"
NAME_PROPERTIES = (RDFS + "label", "http://www.w3.org/2004/02/skos/core#prefLabel",
                   "http://www.w3.org/2004/02/skos/core#altLabel", ATD + "nameAsWritten", ATD + "acronym",
                   "http://xmlns.com/foaf/0.1/name", "https://schema.org/name")
PERSON_CLASSES = ("http://xmlns.com/foaf/0.1/Person", "https://schema.org/Person")
# links that only say where, not who: a record placed in a State is not attributed to it
NOT_ACTOR_LINKS = {RDF_TYPE, PROV_DERIVED, ATD + "basedIn", ATD + "place", ATD + "presentedAt", ATD + "inEvent",
                   ATD + "period", ATD + "inList", ATD + "practiceCategory", ATD + "targetGroup", ATD + "gcmObjective"}
PREFIXES = f"""PREFIX atd: <{ATD}> PREFIX org: <{ORG}> PREFIX rdfs: <{RDFS}>
PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX dcterms: <{DCT}>
"""


class GoldError(Exception):
    """A gold file is malformed: the message names the file, the line and key, and what was expected."""


# -- reading the gold set -----------------------------------------------------------------------------
class _Mapping(dict):
    line = 0


class _LineLoader(yaml.SafeLoader):
    """YAML mappings that remember their line, so errors can point at it."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    out = _Mapping(loader.construct_mapping(node, deep=True))
    out.line = node.start_mark.line + 1
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path) -> Any:
    try:
        return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_LineLoader)  # a SafeLoader
    except yaml.YAMLError as e:
        raise GoldError(f"{path}: not valid YAML: {e}") from None
    except OSError as e:
        raise GoldError(f"{path}: cannot be read ({e.strerror or e})") from None


@dataclass
class GoldDocument:
    name: str
    file: Path            # the text the loaders read
    genre: str            # what the document is (news-article, pledge, …)
    loader_genre: str     # the manifest genre it is built as: the closest genre the loaders know
    event: str | None
    date: str
    title: str
    publisher: str
    language: str
    gold_file: Path
    gold: dict = field(default_factory=dict)
    text: str = ""
    pdf: Path | None = None  # read instead of ``file``, as `atdkg add` reads a PDF: the text is extracted from it


def _where(path: Path, node: Any, key: str) -> str:
    line = getattr(node, "line", 0)
    return f"{path}:{line}: {key}" if line else f"{path}: {key}"


def _need(cond: bool, path: Path, node: Any, key: str, expected: str) -> None:
    if not cond:
        raise GoldError(f"{_where(path, node, key)}: expected {expected}")


def _is_date(value: Any) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
        return False
    try:
        Date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def load_documents(gold_dir: Path) -> list[GoldDocument]:
    """documents.yaml and every gold file it names, checked; quotes checked against the texts."""
    gold_dir = Path(gold_dir)
    path = gold_dir / DOCUMENTS
    if not path.exists():
        raise GoldError(f"{path}: no such file; expected a list of the gold documents (see tests/gold/README.md)")
    data = load_yaml(path)
    _need(isinstance(data, dict) and isinstance(data.get("documents"), list), path, data, "documents",
          "a mapping with a list `documents`")
    docs, seen = [], set()
    for i, entry in enumerate(data["documents"]):
        doc = _document(gold_dir, path, entry, f"documents[{i}]")
        _need(doc.name not in seen, path, entry, f"documents[{i}].name", f"a name used once ({doc.name!r} twice)")
        seen.add(doc.name)
        docs.append(doc)
    return docs


DOCUMENT_FIELDS = ("name", "file", "pdf", "genre", "loader_genre", "event", "date", "title", "publisher", "language",
                   "gold", "style")


def _document(gold_dir: Path, path: Path, entry: Any, key: str) -> GoldDocument:
    _need(isinstance(entry, dict), path, entry, key, "a mapping")
    unknown = sorted(set(entry) - set(DOCUMENT_FIELDS))
    _need(not unknown, path, entry, f"{key}.{','.join(unknown)}", "only the fields " + ", ".join(DOCUMENT_FIELDS))
    for field_ in ("name", "file", "genre", "date", "title", "publisher"):
        _need(isinstance(entry.get(field_), str | Date) and bool(str(entry.get(field_)).strip()), path, entry,
              f"{key}.{field_}", "a non-empty string")
    for field_ in ("date", "event"):
        if entry.get(field_) is not None:
            _need(_is_date(entry[field_]), path, entry, f"{key}.{field_}", "a date YYYY-MM-DD")
    loader_genre = entry.get("loader_genre") or (entry["genre"] if entry["genre"] in GENRES else None)
    _need(loader_genre in GENRES, path, entry, f"{key}.loader_genre",
          f"one of {', '.join(GENRES)} (the closest genre the loaders know) when genre {entry['genre']!r} is not one")
    text_file = gold_dir / entry["file"]
    _need(text_file.is_file(), path, entry, f"{key}.file", f"an existing file ({text_file} is missing)")
    gold_file = gold_dir / entry.get("gold", f"{entry['name']}.yaml")
    _need(gold_file.is_file(), path, entry, f"{key}.gold", f"an existing gold file ({gold_file} is missing)")
    pdf = gold_dir / entry["pdf"] if entry.get("pdf") else None
    _need(pdf is None or pdf.is_file(), path, entry, f"{key}.pdf", f"an existing file ({pdf} is missing)")
    doc = GoldDocument(entry["name"], text_file, entry["genre"], str(loader_genre),
                       str(entry["event"]) if entry.get("event") else None, str(entry["date"]), entry["title"],
                       entry["publisher"], entry.get("language", "en"), gold_file, pdf=pdf)
    try:
        # the PDF itself where there is one: what is measured is then what `atdkg add report.pdf` would read
        doc.text = extract_text(pdf) if pdf else read_text(text_file)
    except SourceError as e:
        raise GoldError(f"{_where(path, entry, key + ('.pdf' if pdf else '.file'))}: {e}") from None
    doc.gold = load_gold(gold_file, doc.text)
    return doc


# what each item of a section holds: field -> (required, check, what is expected)
def _str(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _names(v: Any) -> bool:
    return isinstance(v, list) and all(_str(x) for x in v)


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


ITEM_FIELDS: dict[str, dict[str, tuple[bool, Callable[[Any], bool], str]]] = {
    "organisations": {"name": (True, _str, "the name as written"), "acronym": (False, _str, "a string"),
                      "also": (False, _names, "a list of other spellings in the text"),
                      "government_of": (False, lambda v: isinstance(v, str) and bool(ISO3.fullmatch(v)),
                                        "an ISO 3166-1 alpha-3 code")},
    "people": {"name": (True, _str, "the name without honorific"), "post": (False, _str, "a string"),
               "organisation": (False, _str, "a string"), "also": (False, _names, "a list of other spellings")},
    "statistics": {"value": (True, _number, "a number"), "upper": (False, _number, "a number (a range's end)"),
                   "unit": (True, _str, "count, percent, days, months, years, EUR, USD …"),
                   "counted": (True, _str, "what is counted"), "qualifier": (False, _str, "a string"),
                   "quote": (True, _str, "an exact quote containing the number")},
    "practices": {"quote": (True, _str, "an exact quote"),
                  "actor": (False, lambda v: _str(v) or (_names(v) and bool(v)),
                            "an ISO3 code, an organisation's name or 'unnamed' (or a list of them)"),
                  "place": (False, lambda v: isinstance(v, str) and bool(ISO3.fullmatch(v)), "an ISO3 code")},
    "partnerships": {"quote": (True, _str, "an exact quote"),
                     "partners": (True, lambda v: _names(v) and len(v) >= 2, "a list of at least two partners")},
    "list_items": {"kind": (True, _str, "recommendation, finding, next-step, action, lesson …"),
                   "quote": (True, _str, "the exact text of the item")},
    "unnamed_actors": {"quote": (True, _str, "an exact quote of the anonymous mention"),
                       "kind": (True, lambda v: v in ("State", "person", "organisation"),
                                "State, person or organisation")},
    "chatham_house": {"quote": (True, _str, "an exact quote of the anonymous passage"),
                      "must_not_link": (True, lambda v: _names(v) and len(v) >= 1,
                                        "a list of ISO3 codes or names the passage must not be linked to")},
}


def load_gold(path: Path, text: str) -> dict:
    """One document's gold, checked against the format and its text (every quote an exact substring)."""
    data = load_yaml(path)
    _need(isinstance(data, dict), path, data, "(top level)", "a mapping with the sections " + ", ".join(SECTIONS))
    unknown = sorted(set(data) - set(SECTIONS) - {"document", "notes"})
    _need(not unknown, path, data, ", ".join(unknown), "only the sections " + ", ".join(SECTIONS))
    for section in SECTIONS:
        _need(isinstance(data.get(section), list), path, data, section,
              "a list (write [] when the document has none: every section is stated)")
    for i, code in enumerate(data["states"]):
        _need(isinstance(code, str) and bool(ISO3.fullmatch(code)), path, data, f"states[{i}]",
              f"an ISO 3166-1 alpha-3 code, not {code!r}")
    _need(len(set(data["states"])) == len(data["states"]), path, data, "states", "each State once")
    for section, spec in ITEM_FIELDS.items():
        for i, item in enumerate(data[section]):
            _check_item(path, item, f"{section}[{i}]", spec, text)
    return data


def _check_item(path: Path, item: Any, key: str, spec: dict, text: str) -> None:
    _need(isinstance(item, dict), path, item, key, "a mapping with " + ", ".join(spec))
    unknown = sorted(set(item) - set(spec))
    _need(not unknown, path, item, f"{key}.{','.join(unknown)}", "only the fields " + ", ".join(spec))
    for name, (required, check, expected) in spec.items():
        if name in item:
            _need(check(item[name]), path, item, f"{key}.{name}", f"{expected}, not {item[name]!r}")
        else:
            _need(not required, path, item, f"{key}.{name}", f"{expected} (required)")
    if "quote" in item:
        _need(item["quote"] in text, path, item, f"{key}.quote",
              f"an exact substring of the document; {item['quote'][:60]!r} is not in it")


# -- building -----------------------------------------------------------------------------------------
def prepare_data_dir(docs: list[GoldDocument], reference_data: Path, target: Path) -> dict[str, str]:
    """A data directory for build_graph: reference/ and gazetteer/ copied, the documents in sources/ with a
    manifest. Returns the manifest id of each document by name."""
    for sub in ("reference", "gazetteer"):
        if not (Path(reference_data) / sub).is_dir():
            raise GoldError(f"{reference_data / sub}: no such folder; --data-dir must hold reference/ and gazetteer/")
        shutil.copytree(Path(reference_data) / sub, target / sub)
    sources = target / "sources"
    sources.mkdir()
    ids = {}
    with (sources / MANIFEST).open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS + PDF_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for n, doc in enumerate(docs):
            ids[doc.name] = f"{n:03d}"
            (sources / doc.file.name).write_bytes(doc.text.encode("utf-8"))  # the text file, or the PDF's text
            row = {"id": ids[doc.name], "file": doc.file.name, "genre": doc.loader_genre,
                   "event": doc.event or (doc.date if REGISTRY[doc.loader_genre].describes_event else ""),
                   "date": doc.date, "title": doc.title, "publisher": doc.publisher,
                   "language": doc.language, "sha256": sha256_of(sources / doc.file.name)}
            if doc.pdf:
                shutil.copyfile(doc.pdf, sources / doc.pdf.name)
                row |= {"pdf": doc.pdf.name, "pdf_sha256": sha256_of(sources / doc.pdf.name)}
            writer.writerow(row)
    return ids


def build(docs: list[GoldDocument], reference_data: Path, base: str = DEFAULT_BASE
          ) -> tuple[list[tuple[BuildResult, dict[str, str]]], dict[str, str]]:
    """Build all documents together; if that fails, each alone, so one document that breaks the loaders
    scores zero instead of stopping the measurement. Returns the builds and the error of each failed one."""
    try:
        return [_build(docs, reference_data, base)], {}
    except Exception as e:  # noqa: BLE001 (any failure of the loaders on unseen text is a measurement)
        if len(docs) == 1:
            return [], {docs[0].name: f"{type(e).__name__}: {e}"}
    results, errors = [], {}
    for doc in docs:
        try:
            results.append(_build([doc], reference_data, base))
        except Exception as e:  # noqa: BLE001 (as above)
            errors[doc.name] = f"{type(e).__name__}: {e}"
    return results, errors


def _build(docs: list[GoldDocument], reference_data: Path, base: str) -> tuple[BuildResult, dict[str, str]]:
    with tempfile.TemporaryDirectory(prefix="atdkg-eval-") as tmp:
        ids = prepare_data_dir(docs, reference_data, Path(tmp))
        return build_graph(Path(tmp), base), ids


# -- what a document's graph holds --------------------------------------------------------------------
@dataclass
class Actor:
    iri: str
    kind: str                       # state, organisation, person, unnamed, other
    names: set[str] = field(default_factory=set)    # folded
    states: set[str] = field(default_factory=set)   # ISO3: the State itself, or the State an organisation is of
    classes: set[str] = field(default_factory=set)


@dataclass
class Record:
    iri: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    value: float | None = None
    counted: str = ""
    links: list[str] = field(default_factory=list)   # actors it is attributed to / its partners


@dataclass
class Found:
    states: list[str] = field(default_factory=list)
    organisations: list[Actor] = field(default_factory=list)
    people: list[Actor] = field(default_factory=list)
    statistics: list[Record] = field(default_factory=list)
    practices: list[Record] = field(default_factory=list)
    partnerships: list[Record] = field(default_factory=list)
    list_items: list[Record] = field(default_factory=list)
    unnamed_actors: list[Record] = field(default_factory=list)
    evidenced: list[Record] = field(default_factory=list)    # every node with evidence, its actor links
    actors: dict[str, Actor] = field(default_factory=dict)


class GraphReader:
    """Reads one document's named graph out of the build's dataset on the embedded store."""

    def __init__(self, store: EmbeddedStore):
        self.store = store
        self.ox = store.store
        self.org_classes = {r["c"] for r in self._select(
            "SELECT DISTINCT ?c WHERE { VALUES ?top { org:Organization org:OrganizationalUnit org:FormalOrganization }"
            " ?c rdfs:subClassOf* ?top }")}
        self.list_classes = {r["c"] for r in self._select(
            "SELECT DISTINCT ?c WHERE { ?c rdfs:subClassOf* atd:ListItem }")}
        self._actors: dict[str, Actor] = {}

    def _select(self, query: str) -> list[dict[str, str]]:
        return [{k: str(v) for k, v in row.items()} for row in self.store.query(PREFIXES + query, timeout=120).rows]

    def graphs(self) -> dict[str, tuple[str, str]]:
        """Manifest id -> (named graph, document IRI), from the graphs that say which document they hold."""
        rows = self._select("SELECT ?g ?doc ?id WHERE { GRAPH ?g { ?g dcterms:source ?doc . "
                            "?doc dcterms:identifier ?id } }")
        return {r["id"]: (r["g"], r["doc"]) for r in rows}

    def _objects(self, subject: str, predicate: str, graph: str | None = None) -> list:
        g = ox.NamedNode(graph) if graph else None
        return [q.object for q in self.ox.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, g)]

    def actor(self, iri: str) -> Actor:
        """What kind of actor an IRI is, its folded names and its State(s), from every graph."""
        if iri in self._actors:
            return self._actors[iri]
        classes = {t.value for t in self._objects(iri, RDF_TYPE)}
        names = {fold(n.value) for p in NAME_PROPERTIES for n in self._objects(iri, p)}
        if ATD + "State" in classes:
            kind, states = "state", {n.value for n in self._objects(iri, ATD + "iso3166Alpha3")}
        elif ATD + "UnnamedActor" in classes:
            kind, states = "unnamed", set()
        elif classes & set(PERSON_CLASSES):
            kind, states = "person", set()
        elif classes & self.org_classes:
            kind, states = "organisation", self._states_of(iri)
        else:
            kind, states = "other", set()
        self._actors[iri] = Actor(iri, kind, names, states, classes)
        return self._actors[iri]

    def _states_of(self, iri: str, depth: int = 0) -> set[str]:
        """The State an organisation is of (atd:ofState, atd:representsState), or its parent's."""
        out: set[str] = set()
        for p in (ATD + "ofState", ATD + "representsState"):
            for s in self._objects(iri, p):
                out |= {n.value for n in self._objects(s.value, ATD + "iso3166Alpha3")}
        if not out and depth < 5:
            for parent in self._objects(iri, ORG + "subOrganizationOf"):
                out |= self._states_of(parent.value, depth + 1)
        return out

    def read(self, graph: str, doc_iri: str, text: str) -> Found:
        found = Found()
        referenced: dict[str, None] = {}
        for q in self.ox.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
            if isinstance(q.subject, ox.NamedNode) and q.subject.value == doc_iri \
                    and q.predicate.value == DCT + "publisher":
                continue  # the manifest's publisher, not something the text was read for
            for term in (q.subject, q.object):
                if isinstance(term, ox.NamedNode):
                    referenced.setdefault(term.value)
        states: dict[str, None] = {}
        for iri in referenced:
            a = self.actor(iri)
            found.actors[iri] = a
            if a.kind in ("state", "organisation"):
                states.update(dict.fromkeys(sorted(a.states)))
            if a.kind == "organisation":
                found.organisations.append(a)
            elif a.kind == "person":
                found.people.append(a)
        found.states = list(states)
        found.statistics = self._records(graph, [ATD + "Statistic"], text)
        found.practices = self._records(graph, [ATD + "Practice"], text)
        found.partnerships = self._records(graph, [ATD + "Partnership"], text)
        found.list_items = self._records(graph, sorted(self.list_classes), text)
        found.unnamed_actors = self._records(graph, [ATD + "UnnamedActor"], text)
        found.evidenced = self._records(graph, None, text)
        for records in (found.statistics, found.practices, found.partnerships, found.list_items,
                        found.unnamed_actors, found.evidenced):
            for r in records:
                found.actors.update({iri: self.actor(iri) for iri in r.links})
        return found

    def _records(self, graph: str, classes: list[str] | None, text: str) -> list[Record]:
        """The nodes of these classes (or, with None, every node with evidence) and their evidence spans."""
        if classes is None:
            where = "?r prov:wasDerivedFrom ?anything ."
        else:
            where = "?r a ?cls . VALUES ?cls { " + " ".join(f"<{c}>" for c in classes) + " }"
        rows = self._select(f"""SELECT DISTINCT ?r ?start ?end ?exact WHERE {{ GRAPH <{graph}> {{ {where}
            OPTIONAL {{ ?r prov:wasDerivedFrom ?e .
              OPTIONAL {{ ?e oa:hasSelector ?ps . ?ps oa:start ?start ; oa:end ?end }}
              OPTIONAL {{ ?e oa:hasSelector ?qs . ?qs oa:exact ?exact }} }} }} }}""")
        records: dict[str, Record] = {}
        for row in rows:
            rec = records.setdefault(row["r"], Record(row["r"]))
            span = _span(row, text)
            if span and span not in rec.spans:
                rec.spans.append(span)
        for rec in records.values():
            self._describe(rec, graph)
        return list(records.values())

    def _describe(self, rec: Record, graph: str) -> None:
        values = self._objects(rec.iri, ATD + "value")
        if values:
            try:
                rec.value = float(values[0].value)
            except ValueError:
                rec.value = None
        rec.counted = " ".join(t.value for p in ("countedThing", "population")
                               for t in self._objects(rec.iri, ATD + p, graph))
        for q in self.ox.quads_for_pattern(ox.NamedNode(rec.iri), None, None, ox.NamedNode(graph)):
            if (isinstance(q.object, ox.NamedNode) and q.predicate.value not in NOT_ACTOR_LINKS
                    and self.actor(q.object.value).kind in ("state", "organisation", "person", "unnamed")):
                rec.links.append(q.object.value)


def _span(row: dict[str, str], text: str) -> tuple[int, int] | None:
    if "start" in row and "end" in row:
        return int(row["start"]), int(row["end"])
    if row.get("exact") and (at := text.find(row["exact"])) >= 0:
        return at, at + len(row["exact"])
    return None


# -- matching ------------------------------------------------------------------------------------------
def occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    out, at = [], text.find(quote)
    while at >= 0:
        out.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    return out


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """The shared part of two spans as a share of the shorter one."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return max(shared, 0) / shorter if shorter > 0 else 0.0


def evidence_matches(quote: str, text: str, record: Record) -> bool:
    return any(overlap(g, s) >= OVERLAP for g in occurrences(text, quote) for s in record.spans)


STOPWORDS = {"the", "of", "a", "an", "in", "to", "and", "for", "per", "by", "with", "from", "on", "at", "their",
             "its", "who", "that", "which", "were", "was", "is", "are", "as"}


def tokens(phrase: str) -> set[str]:
    words = [w for w in fold(phrase).split() if w not in STOPWORDS]
    return {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words}


def counted_matches(gold: str, found: str) -> bool:
    a, b = tokens(gold), tokens(found)
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= COUNTED_OVERLAP


def value_matches(item: dict, record: Record) -> bool:
    if record.value is None:
        return False
    return any(abs(record.value - float(v)) < 1e-9 for v in (item["value"], item.get("upper")) if v is not None)


def spellings(item: dict) -> set[str]:
    return {fold(n) for n in [item.get("name"), item.get("acronym"), *item.get("also", [])] if n}


def org_matches(item: dict, actor: Actor) -> bool:
    if spellings(item) & actor.names:
        return True
    gov = item.get("government_of")
    return bool(gov) and ATD + "Government" in actor.classes and gov in actor.states


def actor_matches(spec: str, actor: Actor, organisations: list[dict] | None = None) -> bool:
    """A gold actor (an ISO3 code, 'unnamed', or a name) against an actor of the graph. A name the gold's
    organisations list spells (its name, acronym or another spelling) stands for all of that item's spellings:
    an actor given as "CCS" is matched by "Colectivo Camino Seguro"."""
    if spec == "unnamed":
        return actor.kind == "unnamed"
    if ISO3.fullmatch(spec) and actor.kind in ("state", "organisation") and spec in actor.states:
        return True
    if fold(spec) in actor.names:  # three capitals are an acronym too ("IDC")
        return True
    return any(fold(spec) in spellings(item) and org_matches(item, actor) for item in organisations or ())


def best_matching(n_gold: int, n_found: int, ok: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    """A maximum one-to-one matching of gold items to found records (augmenting paths)."""
    edges = [[j for j in range(n_found) if ok(i, j)] for i in range(n_gold)]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(n_gold):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    correct: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.found += other.found
        self.correct += other.correct

    def figures(self) -> dict:
        p = self.correct / self.found if self.found else None
        r = self.correct / self.gold if self.gold else None
        if p is None and r is None:
            f1 = None  # nothing to find and nothing found
        elif p is None or r is None or p + r == 0:
            f1 = 0.0   # gold items and nothing found, or found items where the gold has none
        else:
            f1 = 2 * p * r / (p + r)
        return {"gold": self.gold, "found": self.found, "correct": self.correct,
                "precision": _round(p), "recall": _round(r), "f1": _round(f1)}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def _score(gold: list, found: list, ok: Callable[[Any, Any], bool], show_gold: Callable[[Any], str],
           show_found: Callable[[Any], str]) -> Score:
    pairs = best_matching(len(gold), len(found), lambda i, j: ok(gold[i], found[j]))
    matched_gold, matched_found = {i for i, _ in pairs}, {j for _, j in pairs}
    return Score(len(gold), len(found), len(pairs),
                 [show_gold(g) for i, g in enumerate(gold) if i not in matched_gold],
                 [show_found(f) for j, f in enumerate(found) if j not in matched_found])


def _show_record(text: str) -> Callable[[Record], str]:
    def show(r: Record) -> str:
        passage = " ".join(text[r.spans[0][0]:r.spans[0][1]].split()) if r.spans else "(no evidence)"
        value = f"{r.value:g} " if r.value is not None else ""
        return f"{value}{passage[:100]}" + (f" [counted: {r.counted}]" if r.counted else "")
    return show


def _show_actor(a: Actor) -> str:
    return f"{a.iri.rsplit('/id/', 1)[-1]} ({', '.join(sorted(a.names)[:2])})"


def score_document(gold: dict, found: Found, text: str) -> dict[str, Score]:
    """Every row of the table for one document."""
    rec, q = _show_record(text), (lambda item: " ".join(item["quote"].split())[:100])
    orgs = gold["organisations"]

    def ev(item: dict, r: Record) -> bool:
        return evidence_matches(item["quote"], text, r)

    def with_actor(item: dict, r: Record) -> bool:
        """The evidence matches and the record is attributed to (one of) the gold actor(s), if the gold names one."""
        specs = _as_list(item.get("actor"))
        return ev(item, r) and (not specs or any(actor_matches(s, found.actors[a], orgs) for s in specs
                                                 for a in r.links))

    def with_partners(item: dict, r: Record) -> bool:
        return ev(item, r) and all(any(actor_matches(p, found.actors[a], orgs) for a in r.links)
                                   for p in item["partners"])

    def stat_show(item: dict) -> str:
        return f"{item['value']:g} {item['unit']} {item['counted']} ({q(item)})"

    return {
        "states": _score(gold["states"], found.states, lambda g, f: g == f, str, str),
        "organisations": _score(gold["organisations"], found.organisations, org_matches,
                                lambda g: g["name"], _show_actor),
        "people": _score(gold["people"], found.people, lambda g, f: bool(spellings(g) & f.names),
                         lambda g: g["name"], _show_actor),
        # a figure matches a gold one of the same value where the text gives it (the same value elsewhere in the
        # document — "2 days" for "two of the five targets" — is another statistic)
        "statistics": _score(gold["statistics"], found.statistics, lambda g, f: value_matches(g, f) and ev(g, f),
                             stat_show, rec),
        "statistics+counted": _score(gold["statistics"], found.statistics,
                                     lambda g, f: value_matches(g, f) and ev(g, f)
                                     and counted_matches(g["counted"], f.counted), stat_show, rec),
        "practices": _score(gold["practices"], found.practices, ev, q, rec),
        "practices+actor": _score(gold["practices"], found.practices, with_actor,
                                  lambda g: f"[{', '.join(_as_list(g.get('actor'))) or '-'}] {q(g)}", rec),
        "partnerships": _score(gold["partnerships"], found.partnerships, ev, q, rec),
        "partnerships+partners": _score(gold["partnerships"], found.partnerships, with_partners,
                                        lambda g: f"[{', '.join(g['partners'])}] {q(g)}", rec),
        "list_items": _score(gold["list_items"], found.list_items, ev, lambda g: f"[{g['kind']}] {q(g)}", rec),
        "unnamed_actors": _score(gold["unnamed_actors"], found.unnamed_actors, ev,
                                 lambda g: f"[{g['kind']}] {q(g)}", rec),
    }


def _as_list(value: str | list[str] | None) -> list[str]:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def chatham_violations(gold: dict, found: Found, text: str) -> list[str]:
    """Links from what an anonymous passage states to an actor it must not be linked to.

    The records of a passage are the nodes with evidence lying at least half inside it; a violation is
    a link from one of them to a State (or a government, body or mission of it) or a named person or
    organisation that the gold lists under must_not_link."""
    out = []
    for item in gold["chatham_house"]:
        passages = occurrences(text, item["quote"])
        for r in found.evidenced:
            inside = any(_inside(s, p) >= OVERLAP for s in r.spans for p in passages)
            if not inside:
                continue
            for iri in r.links:
                actor = found.actors[iri]
                for forbidden in item["must_not_link"]:
                    if actor.kind != "unnamed" and actor_matches(forbidden, actor, gold.get("organisations")):
                        out.append(f"{r.iri} links to {iri} (must not link: {forbidden}) in "
                                   f"“{' '.join(item['quote'].split())[:80]}”")
    return out


def _inside(span: tuple[int, int], passage: tuple[int, int]) -> float:
    """The share of a record's evidence span that lies inside a passage."""
    shared = min(span[1], passage[1]) - max(span[0], passage[0])
    return max(shared, 0) / (span[1] - span[0]) if span[1] > span[0] else 0.0


# -- the measurement ------------------------------------------------------------------------------------
def evaluate(gold_dir: Path, reference_data: Path, names: tuple[str, ...] | list[str] = (),
             base: str = DEFAULT_BASE) -> dict:
    """Build the gold documents and score each document's graph against its gold. A plain dict (JSON)."""
    t0 = time.perf_counter()
    docs = load_documents(Path(gold_dir))
    if names:
        unknown = sorted(set(names) - {d.name for d in docs})
        if unknown:
            raise GoldError(f"{Path(gold_dir) / DOCUMENTS}: no document named {', '.join(unknown)}; "
                            f"known: {', '.join(d.name for d in docs)}")
        docs = [d for d in docs if d.name in names]
    builds, errors = build(docs, Path(reference_data), base)
    per_doc: dict[str, dict[str, Score]] = {}
    violations: dict[str, list[str]] = {}
    conforms, shacl_results = True, 0
    for result, ids in builds:
        conforms = conforms and result.conforms
        shacl_results += _result_count(result)
        reader = GraphReader(EmbeddedStore.from_nquads(result.nquads or b""))
        graphs = reader.graphs()
        for doc in docs:
            if doc.name in ids:
                graph, doc_iri = graphs.get(ids[doc.name], (f"{base}graph/doc/{ids[doc.name]}", ""))
                found = reader.read(graph, doc_iri, doc.text)
                per_doc[doc.name] = score_document(doc.gold, found, doc.text)
                violations[doc.name] = chatham_violations(doc.gold, found, doc.text)
    for doc in docs:
        if doc.name not in per_doc:  # the loaders failed on it: nothing found
            per_doc[doc.name] = score_document(doc.gold, Found(), doc.text)
            violations[doc.name] = []
    return _report(gold_dir, docs, per_doc, violations, errors, conforms if builds else None, shacl_results,
                   time.perf_counter() - t0)


def _result_count(result: BuildResult) -> int:
    from rdflib import URIRef
    return len(set(result.report_graph.subjects(URIRef(RDF_TYPE), URIRef("http://www.w3.org/ns/shacl#ValidationResult"))))


def _report(gold_dir, docs, per_doc, violations, errors, conforms, shacl_results, seconds) -> dict:
    micro = {t: Score() for t in TYPES}
    for scores in per_doc.values():
        for t in TYPES:
            micro[t].add(scores[t])
    return {
        "gold_dir": str(gold_dir),
        "documents": [d.name for d in docs],
        "conforms": conforms,
        "shacl_results": shacl_results,
        "build_errors": errors,
        "seconds": round(seconds, 1),
        "micro": {t: micro[t].figures() for t in TYPES},
        "chatham_house": {"passages": sum(len(d.gold["chatham_house"]) for d in docs),
                          "violations": sum(len(v) for v in violations.values())},
        "per_document": {name: {t: {**scores[t].figures(), "missed": scores[t].missed,
                                    "spurious": scores[t].spurious} for t in TYPES}
                         | {"chatham_house_violations": violations[name]}
                         for name, scores in per_doc.items()},
    }


SHORT = {"states": "states", "organisations": "orgs", "people": "people", "statistics": "stats",
         "statistics+counted": "stats+cnt", "practices": "pract", "practices+actor": "pract+act",
         "partnerships": "partn", "partnerships+partners": "partn+ptn", "list_items": "lists",
         "unnamed_actors": "unnamed"}  # column heads of the per-document table


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def render(report: dict, verbose: bool = False) -> str:
    lines = [f"atdkg eval: {len(report['documents'])} documents from {report['gold_dir']}; build conforms="
             f"{report['conforms']} ({report['shacl_results']} SHACL results); {report['seconds']} s"]
    for name, error in report["build_errors"].items():
        lines.append(f"  build failed for {name}: {error}")
    lines += ["", f"{'type':<22} {'gold':>5} {'found':>6} {'correct':>8} {'precision':>10} {'recall':>7} {'F1':>6}"]
    for t, f in report["micro"].items():
        lines.append(f"{t:<22} {f['gold']:>5} {f['found']:>6} {f['correct']:>8} {_fmt(f['precision']):>10} "
                     f"{_fmt(f['recall']):>7} {_fmt(f['f1']):>6}")
    ch = report["chatham_house"]
    lines.append(f"{'chatham_house':<22} {ch['passages']:>5} passages checked, {ch['violations']} violations")
    lines += ["", "per document (F1; – where neither gold nor extraction has any):"]
    lines.append(f"{'document':<34}" + "".join(f"{SHORT[t]:>10}" for t in TYPES))
    for name, scores in report["per_document"].items():
        lines.append(f"{name[:34]:<34}" + "".join(f"{_fmt(scores[t]['f1']):>10}" for t in TYPES))
    if verbose:
        lines += _details(report)
    return "\n".join(lines)


def _details(report: dict) -> list[str]:
    lines = []
    for name, scores in report["per_document"].items():
        lines += ["", f"== {name}"]
        for t in TYPES:
            for m in scores[t]["missed"]:
                lines.append(f"  {t}: missed   {m}")
            for s in scores[t]["spurious"]:
                lines.append(f"  {t}: spurious {s}")
        for v in scores["chatham_house_violations"]:
            lines.append(f"  chatham_house: VIOLATION {v}")
    return lines


def main(gold: Path, docs: tuple[str, ...], verbose: bool, as_json: bool, reference_data: Path) -> int:
    """`atdkg eval`: 0 when measured (whatever the scores), 2 when the gold set cannot be read."""
    import click
    try:
        report = evaluate(Path(gold), Path(reference_data), docs)
    except GoldError as e:
        click.echo(f"error: {e}", err=True)
        return 2
    click.echo(json.dumps(report, ensure_ascii=False, indent=1) if as_json else render(report, verbose))
    return 0
