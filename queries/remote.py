"""A SPARQL 1.1 server as a store: queries through SPARQLWrapper, loading through the SPARQL 1.1
Graph Store HTTP Protocol (one PUT per named graph, so pushing twice leaves the same data).

Moved out of ``queries/stores.py`` (which still re-exports ``RemoteStore``, ``from_json`` and
``_retry_after``) so the network code has a module of its own.
"""
from __future__ import annotations

import email.utils
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from . import NamedQuery, QueryError
from .binding import bind_values
from .stores import (DEFAULT_TIMEOUT, QuerySyntaxError, QueryTimeout, Result, StoreError, StoreUnavailable,
                     check_syntax)


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
