"""The store, opened once per process and shared by every request (Flask's get_/init_app pattern),
with the query pools that evaluate for the web tier and the per-client query budget."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pyoxigraph as ox
from flask import Flask, abort, current_app
from werkzeug.exceptions import ServiceUnavailable

from atdkg import queries
from atdkg.queries.stores import EmbeddedStore, QueryTimeout, Result

from .budget import ClientBudget
from .runner import Limits, Pool, QueryPool, TrustedStore


def init_app(app: Flask) -> None:
    """Load the build now, so every worker forked later shares it copy-on-write; or, with an
    ``ENDPOINT``, load nothing and send every query to that SPARQL server (webapp/remote.py)."""
    c = app.config
    if c.get("ENDPOINT"):
        _init_remote(app)
        return
    store = EmbeddedStore.from_build(Path(c["BUILD_DIR"]))
    graphs = {str(r["g"]) for r in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows}
    limits = Limits(timeout=c["QUERY_TIMEOUT"], max_rows=c["MAX_ROWS"], max_bytes=int(c["MAX_RESULT_MB"] * 2**20),
                    memory_mb=c["QUERY_MEMORY_MB"])
    # rdflib's SPARQL grammar takes ~0.5 s to build: build it once here, not in every child
    import rdflib.plugins.sparql.algebra
    import rdflib.plugins.sparql.parser  # noqa: F401
    # named queries are ours: no row cap of their own (pages pass MAX_ROWS; the network loads all links)
    trusted = QueryPool(store, graphs, dataclasses.replace(limits, max_rows=2**62), size=c["PAGE_QUERY_CHILDREN"],
                        wait=c["QUERY_TIMEOUT"], name="page query")
    adhoc = QueryPool(store, graphs, dataclasses.replace(limits, nice=c["QUERY_NICE"]), size=c["QUERY_CHILDREN"],
                      wait=c["QUERY_WAIT"], name="SPARQL query")
    app.extensions["atdkg"] = {
        "store": store,
        "trusted": trusted,
        "adhoc": adhoc,
        "budget": ClientBudget(c["QUERY_BUDGET"], c["QUERY_BUDGET_WINDOW"], c["CLIENT_CONCURRENCY"]),
        "graphs": graphs,
    }


def _init_remote(app: Flask) -> None:
    """The same two pools and budget over a SPARQL server; nothing is loaded or asked now (the server
    may start after the explorer: until it answers, pages are 502s that say so)."""
    from .remote import RemotePool
    c = app.config
    limits = Limits(timeout=c["QUERY_TIMEOUT"], max_rows=c["MAX_ROWS"], max_bytes=int(c["MAX_RESULT_MB"] * 2**20))
    graphs = RemoteGraphs(float(c["ENDPOINT_GRAPHS_SECONDS"]))
    common = {"timeout_param": c["ENDPOINT_TIMEOUT_PARAM"], "graphs": graphs.get}
    trusted = RemotePool(c["ENDPOINT"], dataclasses.replace(limits, max_rows=2**62), size=c["PAGE_QUERY_CHILDREN"],
                         wait=c["QUERY_TIMEOUT"], name="page query", **common)
    # the children that check /sparql's queries: the embedded kind, over an empty store (nothing to evaluate)
    checker = QueryPool(EmbeddedStore(ox.Store()), (), dataclasses.replace(limits, nice=c["QUERY_NICE"],
                                                                          memory_mb=c["QUERY_MEMORY_MB"]),
                        size=c["QUERY_CHILDREN"], wait=c["QUERY_WAIT"], name="SPARQL check")
    adhoc = RemotePool(c["ENDPOINT"], limits, size=c["QUERY_CHILDREN"], wait=c["QUERY_WAIT"], name="SPARQL query",
                       checker=checker, **common)
    graphs.pool = trusted
    app.extensions["atdkg"] = {
        "store": None,
        "trusted": trusted,
        "adhoc": adhoc,
        "checker": checker,
        "budget": ClientBudget(c["QUERY_BUDGET"], c["QUERY_BUDGET_WINDOW"], c["CLIENT_CONCURRENCY"]),
        "graphs": graphs,
    }


class RemoteGraphs:
    """The server's named graphs (what FROM and default-graph-uri may name), asked when first needed and
    again after ``seconds``: the server's data may change under a running explorer."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.pool: Pool | None = None
        self._graphs: frozenset[str] = frozenset()
        self._when = -float("inf")

    def get(self) -> frozenset[str]:
        import time
        if time.monotonic() - self._when > self.seconds:
            assert self.pool is not None, "set by _init_remote"
            rows = self.pool.rows("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }").rows
            self._graphs, self._when = frozenset(str(r["g"]) for r in rows), time.monotonic()
        return self._graphs


def start_forkserver(app: Flask) -> None:
    """In a gunicorn worker, before gevent: one fork server makes both pools' children."""
    from .forkserver import ForkServer
    ext = app.extensions["atdkg"]
    # over a SPARQL server, only /sparql's checks run in children
    pools = {"check": ext["checker"]} if ext["store"] is None else {"page": ext["trusted"], "sparql": ext["adhoc"]}
    server = ForkServer({name: pool.child_main for name, pool in pools.items()})
    server.start()
    for name, pool in pools.items():
        pool.use_forkserver(server, name)


def close(app: Flask) -> None:
    """Stop this process's query children (tests; a worker's children also end with it)."""
    ext = app.extensions["atdkg"]
    ext["trusted"].close()
    ext["adhoc"].close()
    if "checker" in ext:
        ext["checker"].close()
    ext["budget"].close()


def trusted() -> Pool:
    return current_app.extensions["atdkg"]["trusted"]


def adhoc() -> Pool:
    return current_app.extensions["atdkg"]["adhoc"]


def budget() -> ClientBudget:
    return current_app.extensions["atdkg"]["budget"]


def trusted_store() -> TrustedStore:
    return TrustedStore(trusted())


def local_graphs() -> set[str]:
    graphs = current_app.extensions["atdkg"]["graphs"]
    return set(graphs.get()) if isinstance(graphs, RemoteGraphs) else graphs


def named(name: str, **params) -> Result:
    """Run a named query from queries/ with parameters bound; 404 for an unknown name."""
    try:
        q = queries.get(name)
    except queries.QueryError:
        abort(404, f"no query named {name}")
    from atdkg.queries.binding import bind_values
    text = bind_values(q.full_text, q.bindings({k: str(v) for k, v in params.items()}))
    try:
        return trusted().rows(text, limit=current_app.config["MAX_ROWS"])
    except QueryTimeout as e:
        # the server is busy or the graph large, not broken: a 503 that says when to come back, not a 500
        raise ServiceUnavailable(f"this page's query {name} did not finish in time ({e}); try again shortly",
                                 retry_after=30) from None
