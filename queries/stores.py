"""One store interface, three engines.

- ``EmbeddedStore`` (the default): Oxigraph in-process (pyoxigraph), loaded from the build's
  N-Quads; nothing to start. Chosen by measurement (README, "Choosing the embedded store").
- ``RdflibStore``: rdflib's memory store, kept for comparison and for code that already holds
  an rdflib Dataset (the build).
- ``RemoteStore``: any SPARQL 1.1 endpoint — queries through SPARQLWrapper, loading through the
  SPARQL 1.1 Graph Store HTTP Protocol (one PUT per named graph, so pushing twice leaves the
  same data).

Results come back as rdflib terms whatever the engine, so formats and comparisons are shared.
Named queries rely on the default graph being the union of the named graphs (Oxigraph:
``--union-default-graph``; Fuseki: ``tdb2:unionDefaultGraph true``).
"""
from __future__ import annotations

import email.utils
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from . import NamedQuery, QueryError
from .binding import bind_values

DEFAULT_TIMEOUT = 30.0


class StoreError(Exception):
    """The store or server failed (not the user's query): unreachable, timed out, HTTP 5xx."""


class StoreUnavailable(StoreError):
    pass


class QueryTimeout(StoreError):
    pass


class QuerySyntaxError(QueryError):
    """The query text does not parse; the message has the parser's line and column."""


@dataclass
class Result:
    kind: str  # select | ask | graph
    vars: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False


def check_syntax(text: str, prefixes: dict | None = None, where: str = "malformed query") -> str:
    """Parse with Oxigraph's parser (on an empty store): a clear error with line and column
    (of ``text`` as given; ``prefixes`` may be declared outside it) before any server is asked.
    Returns the query form: SELECT, ASK or CONSTRUCT (DESCRIBE answers like CONSTRUCT)."""
    try:
        results = ox.Store().query(text, prefixes=prefixes)
    except SyntaxError as e:
        raise QuerySyntaxError(f"{where}: {_locate(text, prefixes) or ''}{e}") from None
    if isinstance(results, ox.QuerySolutions):
        return "SELECT"
    return "ASK" if isinstance(results, ox.QueryBoolean) else "CONSTRUCT"


def _locate(text: str, prefixes: dict | None) -> str | None:
    """Where the statement that fails starts, from rdflib's parser (Oxigraph reports the furthest
    point it read, often the end of the query): "line 4, column 3, at 'FILTER': "."""
    import re

    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery
    head = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in (prefixes or {}).items())
    try:
        parseQuery(head + text)
    except ParseException as e:
        found = re.search(r"found (.+?)\s+\(at char", str(e))
        return (f"line {e.lineno - head.count(chr(10))}, column {e.col}"
                + (f", at {found.group(1)}" if found else "") + ": ")
    except Exception:  # noqa: BLE001 - rdflib may fail differently; Oxigraph's message stands
        return None
    return None


def _run_with_timeout(fn, timeout: float | None):
    """Run ``fn`` in a worker thread and give up after ``timeout`` seconds.

    Oxigraph and rdflib cannot be interrupted from Python: a timed-out query is abandoned (its
    thread is a daemon) and the caller gets QueryTimeout at once."""
    if not timeout:
        return fn()
    box: dict = {}

    def work():
        try:
            box["value"] = fn()
        except BaseException as e:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = e
    t = threading.Thread(target=work, daemon=True)
    t.start()
    t.join(timeout)
    if t.is_alive():
        raise QueryTimeout(f"the query did not finish within {timeout:g} s (use --timeout to allow more)")
    if "error" in box:
        raise box["error"]
    return box["value"]


# -- term conversion ------------------------------------------------------------------------------
def from_ox(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value) if dt == str(XSD.string) else Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"unsupported term {term!r}")


def from_json(cell: dict):
    kind = cell["type"]
    if kind == "uri":
        return URIRef(cell["value"])
    if kind == "bnode":
        return BNode(cell["value"])
    if "xml:lang" in cell:
        return Literal(cell["value"], lang=cell["xml:lang"])
    dt = cell.get("datatype")
    return Literal(cell["value"], datatype=URIRef(dt)) if dt and dt != str(XSD.string) else Literal(cell["value"])


# -- stores --------------------------------------------------------------------------------------------
class EmbeddedStore:
    """Oxigraph in process, holding the build's dataset; the default graph is the union."""

    name = "embedded (Oxigraph)"

    def __init__(self, store: ox.Store):
        self.store = store

    @classmethod
    def from_build(cls, build_dir: Path) -> "EmbeddedStore":
        path = Path(build_dir) / "graph.nq"
        if not path.exists():
            raise StoreUnavailable(f"{path}: no build to query; run `atdkg build` first")
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        return cls(store)

    @classmethod
    def from_nquads(cls, data: bytes) -> "EmbeddedStore":
        store = ox.Store()
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        return cls(store)

    def __len__(self) -> int:
        return len(self.store)

    def query(self, text: str, limit: int | None = None, timeout: float | None = DEFAULT_TIMEOUT) -> Result:
        def run():
            try:
                res = self.store.query(text, use_default_graph_as_union=True)
            except SyntaxError as e:
                raise QuerySyntaxError(f"malformed query: {e}") from None
            if isinstance(res, ox.QueryBoolean):
                return Result("ask", boolean=bool(res))
            if isinstance(res, ox.QuerySolutions):
                names = [v.value for v in res.variables]
                rows, truncated = [], False
                # terms repeat across rows (the same IRIs, labels, dates): convert each once
                seen: dict = {}

                def term(t):
                    r = seen.get(t)
                    if r is None:
                        r = seen[t] = from_ox(t)
                    return r
                for sol in res:
                    if limit is not None and len(rows) >= limit:
                        truncated = True
                        break
                    rows.append({n: term(v) for n in names if (v := sol[n]) is not None})
                return Result("select", names, rows, truncated=truncated)
            g = Graph()
            for t in res:
                g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
            return Result("graph", graph=g)
        return _run_with_timeout(run, timeout)

    def run(self, q: NamedQuery, values: dict | None = None, **kw) -> Result:
        return self.query(bind_values(q.full_text, q.bindings(values)), **kw)


class RdflibStore:
    """rdflib's memory store (for comparison); named queries use prepared queries and initBindings."""

    name = "rdflib memory"

    def __init__(self, dataset: Dataset):
        self.dataset = dataset

    @classmethod
    def from_build(cls, build_dir: Path) -> "RdflibStore":
        ds = Dataset(default_union=True)
        ds.parse(Path(build_dir) / "graph.nq", format="nquads")
        return cls(ds)

    def _result(self, res, limit) -> Result:
        if res.type == "ASK":
            return Result("ask", boolean=bool(res.askAnswer))
        if res.type in ("CONSTRUCT", "DESCRIBE"):
            return Result("graph", graph=res.graph)
        names = [str(v) for v in res.vars]
        rows = []
        for row in res:
            if limit is not None and len(rows) >= limit:
                return Result("select", names, rows, truncated=True)
            rows.append({n: row[n] for n in names if row[n] is not None})
        return Result("select", names, rows)

    def query(self, text: str, limit: int | None = None, timeout: float | None = DEFAULT_TIMEOUT) -> Result:
        check_syntax(text)
        return _run_with_timeout(lambda: self._result(self.dataset.query(text), limit), timeout)

    def run(self, q: NamedQuery, values: dict | None = None, limit=None, timeout=DEFAULT_TIMEOUT) -> Result:
        bindings = q.bindings(values)
        return _run_with_timeout(
            lambda: self._result(self.dataset.query(q.prepared, initBindings=bindings), limit), timeout)


def _retry_after(value: str | None, cap: float) -> float:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), capped."""
    if not value:
        return min(1.0, cap)
    try:
        return max(0.0, min(float(value), cap))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, min(when.timestamp() - time.time(), cap))


class RemoteStore:
    """A SPARQL 1.1 endpoint over HTTP (SPARQLWrapper for queries, Graph Store Protocol for loading)."""

    name = "remote SPARQL endpoint"

    def __init__(self, endpoint: str, graph_store: str | None = None, retries: int = 3, max_wait: float = 10.0):
        parsed = urllib.parse.urlparse(endpoint)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise QueryError(f"--endpoint {endpoint!r} is not an http(s) URL")
        self.endpoint = endpoint
        self.graph_store = graph_store or self._guess_graph_store(endpoint)
        self.retries = retries
        self.max_wait = max_wait

    @staticmethod
    def _guess_graph_store(endpoint: str) -> str:
        """Oxigraph serves queries at /query and graphs at /store; Fuseki at /ds/sparql and /ds/data."""
        for suffix, gsp in (("/query", "/store"), ("/sparql", "/data")):
            if endpoint.rstrip("/").endswith(suffix):
                return endpoint.rstrip("/")[: -len(suffix)] + gsp
        return endpoint

    def _with_retries(self, call, what: str):
        for attempt in range(self.retries + 1):
            try:
                return call()
            except urllib.error.HTTPError as e:
                body = e.read().decode("utf-8", "replace")[:500] if hasattr(e, "read") else ""
                if e.code in (429, 503) and attempt < self.retries:
                    time.sleep(_retry_after(e.headers.get("Retry-After"), self.max_wait))
                    continue
                if e.code == 400:
                    raise QuerySyntaxError(f"{what}: the server rejected the query (HTTP 400): {body}") from None
                if 400 <= e.code < 500:
                    raise QueryError(f"{what}: HTTP {e.code} {e.reason}: {body}") from None
                raise StoreError(f"{what}: HTTP {e.code} {e.reason}"
                                 + (f" after {attempt + 1} attempts" if e.code in (429, 503) else "")
                                 + (f": {body}" if body else "")) from None
            except (socket.timeout, TimeoutError):
                raise QueryTimeout(f"{what}: no answer within the timeout") from None
            except urllib.error.URLError as e:
                if isinstance(e.reason, (socket.timeout, TimeoutError)):
                    raise QueryTimeout(f"{what}: no answer within the timeout") from None
                raise StoreUnavailable(f"{what}: cannot reach {self.endpoint}: {e.reason}") from None
            except ConnectionError as e:
                raise StoreUnavailable(f"{what}: cannot reach {self.endpoint}: {e}") from None

    def query(self, text: str, limit: int | None = None, timeout: float | None = DEFAULT_TIMEOUT) -> Result:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper, TURTLE
        from SPARQLWrapper.SPARQLExceptions import (EndPointInternalError, EndPointNotFound, QueryBadFormed,
                                                    Unauthorized)
        form = check_syntax(text)
        sw = SPARQLWrapper(self.endpoint)
        sw.setMethod(POST)
        sw.setQuery(text)
        # SPARQLWrapper guesses the form from the first keyword anywhere in the text (a comment
        # saying "removed" reads as MOVE); the parser knows better
        sw.queryType = form
        if timeout:
            sw.setTimeout(int(max(1, timeout)))
        graph_query = form == "CONSTRUCT"
        sw.setReturnFormat(TURTLE if graph_query else JSON)

        def call():
            try:
                return sw.query()
            except QueryBadFormed as e:
                raise QuerySyntaxError(f"the server rejected the query: {e}") from None
            except EndPointNotFound:
                raise StoreUnavailable(f"{self.endpoint}: not found (HTTP 404); is it the query endpoint?") from None
            except Unauthorized:
                raise QueryError(f"{self.endpoint}: unauthorised (HTTP 401)") from None
            except EndPointInternalError as e:
                raise StoreError(f"{self.endpoint}: server error (HTTP 500): {str(e)[:300]}") from None
        response = self._with_retries(call, "query")
        raw = response.response.read()
        if graph_query:
            g = Graph()
            g.parse(data=raw, format="turtle")
            return Result("graph", graph=g)
        try:
            doc = json.loads(raw)
        except ValueError:  # e.g. the server hit its own timeout half-way through the results
            raise StoreError(f"{self.endpoint}: the server sent malformed results "
                             f"({len(raw)} bytes, starting {raw[:60]!r})") from None
        if "boolean" in doc:
            return Result("ask", boolean=bool(doc["boolean"]))
        names = doc["head"]["vars"]
        bindings = doc["results"]["bindings"]
        truncated = limit is not None and len(bindings) > limit
        rows = [{n: from_json(b[n]) for n in names if n in b} for b in bindings[:limit]]
        return Result("select", names, rows, truncated=truncated)

    def run(self, q: NamedQuery, values: dict | None = None, **kw) -> Result:
        return self.query(bind_values(q.full_text, q.bindings(values)), **kw)

    def put_graph(self, graph_iri: str, ntriples: bytes, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Replace one named graph (Graph Store Protocol PUT: idempotent)."""
        url = f"{self.graph_store}?{urllib.parse.urlencode({'graph': graph_iri})}"
        req = urllib.request.Request(url, data=ntriples, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
        self._with_retries(lambda: urllib.request.urlopen(req, timeout=timeout).close(), f"PUT {graph_iri}")

    def push(self, build_dir: Path, timeout: float = DEFAULT_TIMEOUT) -> dict[str, int]:
        """Load every named graph of a build (graph.nq), replacing what the server holds under
        the same names; graphs the build does not have are left alone."""
        path = Path(build_dir) / "graph.nq"
        if not path.exists():
            raise StoreUnavailable(f"{path}: no build to push; run `atdkg build` first")
        graphs: dict[str, list] = {}
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
            if isinstance(quad.graph_name, ox.NamedNode):
                graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
        counts = {}
        for iri in sorted(graphs):
            data = ox.serialize(graphs[iri], format=ox.RdfFormat.N_TRIPLES)
            self.put_graph(iri, data, timeout)
            counts[iri] = len(graphs[iri])
        return counts
