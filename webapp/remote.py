"""The query pools' contract (``rows``, ``adhoc``, ``close``) answered by a SPARQL 1.1 server over HTTP.

With ``atdkg serve --endpoint URL`` the explorer loads nothing: every named query of a page and every
/sparql query is sent to the server as text, under the same rules as the embedded pools
(webapp/runner.py):

- /sparql's checks run before anything is sent: the bracket depth (safety.precheck, in the view), then
  the parsed algebra (safety.check: no SERVICE, no update, FROM only this dataset's graphs) in a query
  child of the embedded kind, over an empty store (``checker``): the parser has the child's stack, memory
  ceiling, no network and the time limit, as over the embedded store. The server never sees a query the
  embedded explorer would refuse.
- the time limit is a total deadline on the HTTP exchange (connect, send, wait, read; queries/remote.py's
  Deadline), plus, where the server has one, its own timeout parameter (``ENDPOINT_TIMEOUT_PARAM``), so
  the server stops working too; without it a timed-out query may run on in the server.
- the row limit: answers are asked for as SPARQL TSV (SELECT) or N-Triples (CONSTRUCT, DESCRIBE), one
  row or triple per line, and reading stops after ``max_rows`` lines (or after a byte ceiling): the
  rest is never transferred, and the answer is marked truncated exactly as the embedded pool marks it
  (runner._write_bounded writes the /sparql body within ``max_bytes``).
- at most ``size`` requests of a pool are in flight to the server per web worker; others wait up to
  ``wait`` seconds, then 503 (Busy), as for a pool of children. The client budget (webapp/budget.py)
  is charged as before.

A server that cannot be reached, answers 5xx, or refuses one of our named queries is a RemoteFailure
(502 with what went wrong and the server's own message; its address only in the log); a timeout is
QueryTimeout (503 with Retry-After), as in embedded mode.
"""
from __future__ import annotations

import logging
import os
import threading
import time
import urllib.parse
import urllib.request

import pyoxigraph as ox
from rdflib import Graph

from atdkg.queries import QueryError
from atdkg.queries.remote import Deadline, RemoteStore, _opener, from_json
from atdkg.queries.stores import QuerySyntaxError, QueryTimeout, Result, StoreError, from_ox

from .runner import AdhocQuery, Answer, Busy, Limits, QueryPool, _write_bounded

log = logging.getLogger("atdkg.serve")

TSV = "text/tab-separated-values"
NTRIPLES = "application/n-triples"
JSON = "application/sparql-results+json"
# a named query's form is not parsed here (ours, and a parse costs tens of ms): the server picks by form
ANY_FORM = f"{TSV}, {NTRIPLES};q=0.9, {JSON};q=0.5"
READ_FACTOR = 4  # bytes read from the server per byte of answer allowed (TSV is terser than most formats)


class RemoteFailure(StoreError):
    """The SPARQL server could not be reached, failed (5xx), or refused a query of ours (502)."""


class RemotePool:
    """One pool's worth of requests to ``endpoint``; see the module's docstring."""

    def __init__(self, endpoint: str, limits: Limits, size: int = 2, wait: float = 10.0,
                 name: str = "query", timeout_param: str = "", graphs=frozenset, checker: QueryPool | None = None):
        """``graphs``: a callable giving this dataset's named graphs (what FROM may name), asked per check;
        ``checker``: the pool of children that run /sparql's check (``adhoc`` needs one)."""
        self.server = RemoteStore(endpoint, retries=0)  # a web request does not wait to retry: 503 says when
        self.endpoint = endpoint
        self.limits = limits
        self.size = size
        self.wait = wait
        self.name = name
        self.timeout_param = timeout_param
        self.graphs = graphs
        self.checker = checker
        self._slots: threading.Semaphore | None = None
        self._owner = -1

    # -- concurrency -----------------------------------------------------------------------------------------
    @property
    def _semaphore(self) -> threading.Semaphore:
        """Made in the process that uses it, at first use: after gunicorn forked the worker and gevent
        patched threading (a real semaphore waited on by a coroutine would block the whole worker)."""
        if self._slots is None or self._owner != os.getpid():
            self._slots, self._owner = threading.Semaphore(self.size), os.getpid()
        return self._slots

    def _acquire(self) -> threading.Semaphore:
        slots = self._semaphore
        if not slots.acquire(timeout=self.wait):
            raise Busy(f"every {self.name} connection to the SPARQL server stayed busy for {self.wait:g} s; "
                       "try again shortly", retry_after=max(1, int(self.wait)))
        return slots

    # -- one exchange ----------------------------------------------------------------------------------------
    def _request(self, text: str, accept: str, timeout: float, default_graphs=(), named_graphs=()):
        fields = [("query", text)] + [("default-graph-uri", g) for g in default_graphs] \
            + [("named-graph-uri", g) for g in named_graphs]
        if self.timeout_param:
            name, _, unit = self.timeout_param.partition(":")
            fields.append((name, str(int(timeout * 1000)) if unit == "ms" else f"{timeout:g}"))
        return urllib.request.Request(self.endpoint, data=urllib.parse.urlencode(fields).encode(), method="POST",
                                      headers={"Content-Type": "application/x-www-form-urlencoded",
                                               "Accept": accept})

    def _exchange(self, request, timeout: float, max_lines: int | None, max_bytes: int | None,
                  limit: float | None = None):
        """(media type, body, cut) within the deadline; the body stops after ``max_lines`` lines after the
        header line, or ``max_bytes`` bytes (``cut``: "rows" or "bytes" when it did, else None). ``limit``: the
        query's time limit as messages state it (``timeout`` may be what is left of it)."""
        def call():
            with _opener(deadline).open(request, timeout=deadline.left()) as response:
                media = response.headers.get_content_type()
                if media not in (TSV, NTRIPLES) or (max_lines is None and max_bytes is None):
                    return media, response.read(), None
                return (media, *_read_lines(response, media, max_lines, max_bytes))
        slots = self._acquire()
        try:
            with Deadline(timeout) as deadline:
                return self.server._with_retries(call, "query", self.endpoint, deadline)
        except QueryTimeout:
            raise QueryTimeout(f"the query did not finish within {limit or timeout:g} s (the SPARQL server's answer "
                               "did not arrive in time)") from None
        finally:
            slots.release()

    def _failure(self, e: Exception) -> RemoteFailure:
        """The failure in words for the visitor: what went wrong, not where the server is (its address may be
        internal); the log has the whole message."""
        detail = str(e).removeprefix("query: ")
        log.warning("the SPARQL server at %s failed: %s", self.endpoint, detail)
        return RemoteFailure("the SPARQL server behind this explorer failed: "
                             + detail.replace(self.endpoint, "it")[:600])

    # -- jobs ------------------------------------------------------------------------------------------------
    def rows(self, text: str, limit: int | None = None, timeout: float | None = None) -> Result:
        """A trusted query's rows as rdflib terms, capped at ``limit`` (default ``max_rows``)."""
        timeout = min(timeout or self.limits.timeout, self.limits.timeout)
        cap = min(limit, self.limits.max_rows) if limit else self.limits.max_rows
        try:
            media, body, cut = self._exchange(self._request(text, ANY_FORM, timeout), timeout, cap, None)
            return _result(media, body, cut is not None)
        except (QueryTimeout, Busy):
            raise
        except (StoreError, QueryError, ValueError, SyntaxError) as e:
            # a named query of ours refused by the server (HTTP 400) is the server's difference, not the visitor's
            raise self._failure(e) from None

    def adhoc(self, job: AdhocQuery, priority: float = 0.0) -> Answer:
        """Check (safety.check: refusals are QueryRefused / QuerySyntaxError, nothing sent), then ask the
        server and write the answer within the limits. ``priority`` is the pool's contract; requests to a
        server are not reordered."""
        assert self.checker is not None, "a pool for /sparql is given its checker"
        started = time.monotonic()
        form = self.checker.check(job.text, job.prefixes, self.graphs())
        fmt = job.graph_format if form in ("CONSTRUCT", "DESCRIBE") else job.select_format
        if fmt is None:
            return Answer(form, None, b"", 0, None)
        accept = {"SELECT": TSV, "ASK": JSON}.get(form, NTRIPLES)
        # the standard prefixes are declared outside the text, as the embedded pool passes them to Oxigraph
        text = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in job.prefixes.items()) + job.text
        timeout = max(0.1, self.limits.timeout - (time.monotonic() - started))  # the check's time counts
        try:
            media, body, cut = self._exchange(
                self._request(text, accept, timeout, job.default_graphs, job.named_graphs), timeout,
                self.limits.max_rows, self.limits.max_bytes * READ_FACTOR, limit=self.limits.timeout)
            result = _result(media, body, cut is not None)
        except QueryTimeout as e:
            e.seconds = time.monotonic() - started
            raise
        except Busy:
            raise
        except QuerySyntaxError as e:  # rdflib's parser took it, the server's did not: its message stands
            raise QuerySyntaxError(f"malformed query: the SPARQL server refused it: {e}") from None
        except (StoreError, QueryError, ValueError, SyntaxError) as e:
            raise self._failure(e) from None
        body_out, count, truncated = _write_bounded(result, fmt, self.limits.max_bytes)
        if cut == "bytes":
            truncated = "bytes"
        return Answer(form, fmt, body_out, count, truncated, time.monotonic() - started)

    def close(self) -> None:
        """Nothing to stop: no children; connections are closed after each exchange."""


def _read_lines(response, media: str, max_lines: int | None, max_bytes: int | None) -> tuple[bytes, str | None]:
    """At most the header line (TSV) plus ``max_lines`` lines, and at most ``max_bytes`` bytes, of a
    line-per-row answer; (bytes, why it was cut or None)."""
    lines: list[bytes] = []
    size = 0
    wanted = None if max_lines is None else max_lines + (1 if media == TSV else 0)
    while True:
        line = response.readline()
        if not line:
            return b"".join(lines), None
        if media == NTRIPLES and not line.strip():
            continue
        if wanted is not None and len(lines) >= wanted:
            return b"".join(lines), "rows"
        size += len(line)
        if max_bytes is not None and size > max_bytes:
            return b"".join(lines), "bytes"
        lines.append(line)


def _result(media: str, body: bytes, truncated: bool) -> Result:
    """The server's answer as rdflib terms (what queries.formats writes and pages read)."""
    if media == NTRIPLES:
        graph = Graph()
        for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
            graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return Result("graph", graph=graph, truncated=truncated)
    if media == TSV:
        results = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
        if isinstance(results, ox.QueryBoolean):
            return Result("ask", boolean=bool(results))
        names = [v.value for v in results.variables]
        seen: dict = {}  # terms repeat across rows: convert each once

        def term(t):
            r = seen.get(t)
            if r is None:
                r = seen[t] = from_ox(t)
            return r
        rows = [{n: term(v) for n in names if (v := s[n]) is not None} for s in results]
        return Result("select", names, rows, truncated=truncated)
    if media in (JSON, "application/json"):
        import json
        doc = json.loads(body)
        if "boolean" in doc:
            return Result("ask", boolean=bool(doc["boolean"]))
        names = doc["head"]["vars"]
        return Result("select", names, [{n: from_json(b[n]) for n in names if n in b}
                                        for b in doc["results"]["bindings"]], truncated=truncated)
    if media in ("text/turtle", "application/rdf+xml"):
        graph = Graph()
        graph.parse(data=body, format="turtle" if media == "text/turtle" else "xml")
        return Result("graph", graph=graph, truncated=truncated)
    raise ValueError(f"the server answered in {media!r}, which this explorer does not read "
                     f"(it asks for {TSV}, {NTRIPLES} or {JSON})")
