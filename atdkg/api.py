"""A small API for notebooks and scripts.

    from atdkg.api import open_store
    kg = open_store()                                  # the embedded store over data/build
    kg.run("session-moderators", date="2021-06-29")    # list of dicts of plain Python values
    kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    pandas.DataFrame(kg.run("exchanges"))              # rows are DataFrame-friendly

``open_store(endpoint=…)`` (or $ATDKG_ENDPOINT, or the config file) runs the same queries on a
SPARQL 1.1 server instead.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Literal, URIRef

from atdkg import queries
from atdkg.queries.stores import DEFAULT_TIMEOUT, EmbeddedStore, RemoteStore, Result

from . import config


def plain(term):
    """A Python value for an RDF term: str for IRIs, int/float/Decimal/date/bool/str for literals."""
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    if isinstance(term, (URIRef, BNode)):
        return str(term)
    return term


class KnowledgeGraph:
    def __init__(self, store):
        self.store = store

    def catalogue(self) -> list[dict]:
        return [{"name": e["name"], "title": e["title"], "params": {p["name"]: p["default"] for p in e["params"]}}
                for e in queries.entries()]

    def _rows(self, result: Result) -> list[dict]:
        if result.kind == "ask":
            return [{"boolean": result.boolean}]
        if result.kind == "graph":
            return [{"subject": plain(s), "predicate": plain(p), "object": plain(o)} for s, p, o in result.triples]
        return [{k: plain(v) for k, v in row.items()} for row in result.rows]

    def run(self, name: str, timeout: float | None = DEFAULT_TIMEOUT, limit: int | None = None, **params) -> list[dict]:
        """Rows of a named query; parameters as keyword arguments (strings, as on the command line)."""
        q = queries.get(name)
        return self._rows(self.store.run(q, {k: str(v) for k, v in params.items()}, limit=limit, timeout=timeout))

    def query(self, text: str, timeout: float | None = DEFAULT_TIMEOUT, limit: int | None = None) -> list[dict]:
        """Rows of an ad-hoc query (the standard prefixes are added)."""
        return self._rows(self.store.query(queries.PREFIXES + text, limit=limit, timeout=timeout))


def open_store(endpoint: str | None = None, data_dir: str | Path | None = None,
               graph_store: str | None = None) -> KnowledgeGraph:
    url = config.endpoint(endpoint)
    if url:
        return KnowledgeGraph(RemoteStore(url, config.graph_store(graph_store)))
    return KnowledgeGraph(EmbeddedStore.from_build(config.data_dir(str(data_dir) if data_dir else None) / "build"))
