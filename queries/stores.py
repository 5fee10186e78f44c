"""One store interface, three engines.

- ``EmbeddedStore`` (the default): Oxigraph in-process (pyoxigraph), loaded from the build's
  N-Quads; nothing to start. Chosen by measurement (README, "Choosing the embedded store").
- ``RdflibStore``: rdflib's memory store, kept for comparison and for code that already holds
  an rdflib Dataset (the build).
- ``RemoteStore`` (in ``queries/remote.py``, importable from here too): any SPARQL 1.1
  endpoint — queries through SPARQLWrapper, loading through the SPARQL 1.1 Graph Store HTTP
  Protocol (one PUT per named graph, so pushing twice leaves the same data).

Results come back as rdflib terms whatever the engine, so formats and comparisons are shared.
Named queries rely on the default graph being the union of the named graphs (Oxigraph:
``--union-default-graph``; Fuseki: ``tdb2:unionDefaultGraph true``).
"""
from __future__ import annotations

import threading
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
    seconds: float | None = None  # how long the query ran before it was stopped, where known (the query pool sets it)


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

    @property
    def triples(self) -> Graph:
        """The graph of a CONSTRUCT or DESCRIBE result (kind "graph")."""
        if self.graph is None:
            raise ValueError(f"a {self.kind} result has no graph")
        return self.graph


def parse_query(text: str, prefixes: dict | None = None, where: str = "malformed query"):
    """The query parsed by rdflib's SPARQL parser — parsed only, never evaluated (an ASK over
    constants or an aggregate would otherwise run right here, with no time limit). ``prefixes``
    are declared outside ``text``; errors give the line and column in ``text`` itself:
    "line 4, column 3, at 'FILTER': …". Updates are named as such."""
    import re

    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import Query, parseUpdate

    from .lexical import for_rdflib
    head = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in (prefixes or {}).items())
    try:
        return Query.parse_string(for_rdflib(head + text), parse_all=True)
    except RecursionError:
        raise QuerySyntaxError(f"{where}: the query is nested too deeply to parse") from None
    except ParseException as e:
        try:
            parseUpdate(head + text)
        except Exception:  # noqa: BLE001 - not an update either: report the query parser's error
            pass
        else:
            raise QuerySyntaxError(f"{where}: this is a SPARQL update (INSERT, DELETE, LOAD, DROP …); "
                                   "only queries are run here") from None
        found = re.search(r"found (.+?)\s+\(at char", str(e))
        line = e.lineno - head.count("\n")
        raise QuerySyntaxError(f"{where}: line {line}, column {e.col}" + (f", at {found.group(1)}" if found else "")
                               + ": " + (e.msg or "syntax error")) from None
    except Exception as e:  # noqa: BLE001 - pyparsing raises others on odd input; still a syntax problem
        raise QuerySyntaxError(f"{where}: {type(e).__name__}: {str(e)[:200]}") from None


def check_syntax(text: str, prefixes: dict | None = None, where: str = "malformed query") -> str:
    """A clear syntax error with line and column before any server is asked (nothing is evaluated).
    Returns the query form: SELECT, ASK or CONSTRUCT (DESCRIBE answers like CONSTRUCT)."""
    form = parse_query(text, prefixes, where)[1].name
    return {"SelectQuery": "SELECT", "AskQuery": "ASK"}.get(form, "CONSTRUCT")


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


# -- stores --------------------------------------------------------------------------------------------
class EmbeddedStore:
    """Oxigraph in process, holding the build's dataset; the default graph is the union."""

    name = "embedded (Oxigraph)"

    def __init__(self, store: ox.Store):
        self.store = store

    @classmethod
    def from_build(cls, build_dir: Path) -> EmbeddedStore:
        """The build's graph, only if the build is whole: held first (so the next build's swap keeps it
        while this process lives), then checked against its manifest, then loaded and counted.
        Every failure is StoreUnavailable with one line naming the file."""
        from atdkg.loaders import integrity
        path = Path(build_dir) / "graph.nq"
        if not path.exists():
            raise StoreUnavailable(f"{path}: no build to query; run `atdkg build` first")
        real = Path(build_dir).resolve()  # one build throughout, even if data/build is swapped meanwhile
        held_before = integrity.is_held(real)
        try:
            integrity.hold(real)
            manifest = integrity.verify(real)
            store = _load_nquads(real / "graph.nq")
            expected = int(manifest["counts"]["quads"])
            if len(store) != expected:
                raise StoreUnavailable(f"{real / 'graph.nq'}: {len(store):,} quads loaded, expected "
                                       f"{expected:,}: {integrity.CORRUPT}")
        except (integrity.IntegrityError, StoreUnavailable) as e:
            if not held_before:
                integrity.release(real)  # a build we refuse must not be kept alive by us
            raise StoreUnavailable(str(e)) from None
        return cls(store)

    @classmethod
    def from_nquads(cls, data: bytes) -> EmbeddedStore:
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


def _load_nquads(path: Path) -> ox.Store:
    """An N-Quads file into a new store; a file that does not parse or read is one line, not a traceback."""
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    except OSError as e:
        raise StoreUnavailable(f"{path}: cannot be read ({e.strerror or e})") from None
    except (SyntaxError, ValueError) as e:
        reason = str(e).splitlines()[0][:300] if str(e) else type(e).__name__
        raise StoreUnavailable(f"{path}: does not parse as N-Quads ({reason}); run `atdkg build`") from None
    return store


class RdflibStore:
    """rdflib's memory store (for comparison); named queries use prepared queries and initBindings."""

    name = "rdflib memory"

    def __init__(self, dataset: Dataset):
        self.dataset = dataset

    @classmethod
    def from_build(cls, build_dir: Path) -> RdflibStore:
        ds = Dataset(default_union=True)
        ds.parse(Path(build_dir) / "graph.nq", format="nquads")
        return cls(ds)

    def _result(self, res, limit) -> Result:
        if res.type == "ASK":
            return Result("ask", boolean=bool(res.askAnswer))
        if res.type in ("CONSTRUCT", "DESCRIBE"):
            return Result("graph", graph=res.graph)
        names = [str(v) for v in res.vars]
        rows: list[dict] = []
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


# RemoteStore lives in queries/remote.py, which imports the errors and Result from here; it is
# re-exported lazily (PEP 562) so that `from queries.stores import RemoteStore` keeps working and
# neither module needs the other half-initialised, whichever is imported first.
_MOVED_TO_REMOTE = ("RemoteStore", "from_json", "_retry_after")


def __getattr__(name: str):
    if name in _MOVED_TO_REMOTE:
        from . import remote
        return getattr(remote, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
