"""The catalogue of named SPARQL queries (queries/*.rq).

Each file starts with grlc-style header comments::

    #+ title: Exchanges and their documents
    #+ description: One row per exchange and document that describes it.
    #+ param: date xsd:date 2021-06-29 "Date of the exchange (YYYY-MM-DD)"

A parameter ``NAME`` is the query variable ``?NAME``; its value is *bound* (rdflib
``initBindings``), never spliced into the query text.
"""
from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import XSD, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

QUERY_DIR = Path(__file__).resolve().parent
PREFIXES = """PREFIX atd: <https://w3id.org/atd-kg/ontology#>
PREFIX v: <https://w3id.org/atd-kg/vocab/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
TYPES = {"xsd:date": XSD.date, "xsd:integer": XSD.integer, "xsd:string": None, "iri": "iri"}
PREFIX_MAP = dict(re.findall(r"PREFIX (\w+): <([^>]+)>", PREFIXES))


def _is_date(value: str) -> bool:
    import datetime
    try:
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)) and bool(datetime.date.fromisoformat(value))
    except ValueError:
        return False


# by datatype IRI: the check of a parameter's text, and what the error message says was expected
_LEXICAL: dict[str, Callable[[str], bool]] = {XSD.integer: lambda v: re.fullmatch(r"[+-]?\d{1,18}", v) is not None,
                                              XSD.date: _is_date}
_EXPECTED: dict[str, str] = {XSD.date: "a date YYYY-MM-DD", XSD.integer: "an integer"}


class QueryError(ValueError):
    """A catalogue problem: unknown query, missing or malformed parameter, bad header."""


@dataclass
class Param:
    name: str
    type: str
    default: str | None
    description: str

    def to_term(self, value: str):
        kind = TYPES[self.type]
        if kind == "iri":
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*", value):
                raise QueryError(f"parameter {self.name}: {value!r} is not an absolute IRI")
            return URIRef(value)
        if kind is None:
            return Literal(value)
        if not _LEXICAL[kind](value):
            raise QueryError(f"parameter {self.name}: {value[:80]!r} is not {_EXPECTED[kind]}")
        return Literal(value, datatype=kind)


@dataclass
class NamedQuery:
    name: str
    path: Path
    title: str
    description: str
    params: list[Param] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def full_text(self) -> str:
        """The query with the standard prefixes, as a server receives it."""
        return PREFIXES + self.text

    @cached_property
    def prepared(self):
        # rdflib spends most of a small query's time parsing: parse once per process
        return prepareQuery(self.full_text)

    def bindings(self, values: dict[str, str] | None = None) -> dict:
        values = dict(values or {})
        known = {p.name for p in self.params}
        unknown = sorted(set(values) - known)
        if unknown:
            raise QueryError(f"query {self.name}: unknown parameter(s) {', '.join(unknown)}; "
                             f"it takes {', '.join(sorted(known)) or 'none'}")
        out = {}
        for p in self.params:
            value = values.get(p.name, p.default)
            if value is None:
                raise QueryError(f"query {self.name}: missing parameter {p.name} ({p.description})")
            out[p.name] = p.to_term(value)
        return out


def _parse_header(path: Path) -> NamedQuery:
    title = description = None
    params = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.startswith("#+"):
            if line.strip() and not line.startswith("#"):
                break
            continue
        key, _, value = line[2:].strip().partition(":")
        value = value.strip()
        if key == "title":
            title = value
        elif key == "description":
            description = f"{description} {value}" if description else value
        elif key == "param":
            parts = shlex.split(value)
            if len(parts) != 4 or parts[1] not in TYPES:
                raise QueryError(f"{path}:{lineno}: expected '#+ param: NAME TYPE DEFAULT \"description\"' "
                                 f"with TYPE one of {', '.join(TYPES)} (DEFAULT '-' for none)")
            params.append(Param(parts[0], parts[1], None if parts[2] == "-" else parts[2], parts[3]))
    if not title or not description:
        raise QueryError(f"{path}: header needs '#+ title:' and '#+ description:' lines")
    return NamedQuery(path.stem, path, title, description, params)


def catalogue(directory: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    return {q.name: q for q in (_parse_header(p) for p in sorted(Path(directory).glob("*.rq")))}


def entries(directory: Path = QUERY_DIR) -> list[dict]:
    """The catalogue as plain data (the CLI's `atdkg queries`, the /queries page and the Python API)."""
    return [{"name": q.name, "title": q.title, "description": q.description,
             "params": [{"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                        for p in q.params]} for q in catalogue(directory).values()]


def get(name: str, directory: Path = QUERY_DIR) -> NamedQuery:
    cat = catalogue(directory)
    if name not in cat:
        import difflib
        close = difflib.get_close_matches(name, cat, n=3, cutoff=0.4)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise QueryError(f"no query named {name!r}{hint} (catalogue: {', '.join(cat)})")
    return cat[name]


def run_rdflib(graph, name: str, values: dict[str, str] | None = None) -> list[dict]:
    """Run a named query on an rdflib graph or dataset; rows as dicts of rdflib terms."""
    q = get(name)
    result = graph.query(q.prepared, initBindings=q.bindings(values))
    return [{str(k): row[k] for k in result.vars if row[k] is not None} for row in result]
