"""A SPARQL 1.1 server as a store: queries through SPARQLWrapper, loading through the SPARQL 1.1
Graph Store HTTP Protocol (one PUT per named graph, so pushing twice leaves the same data).

``timeout`` is a total deadline: for one query (connect, send, status and headers, body, retries on
429/503 and their waits) and for one whole push (every graph's GET, PUT and retries). A per-socket-
operation timeout, which is all urllib and SPARQLWrapper offer, lets a server that sends a byte every
few seconds hold the client for ever; here every connect, send and read gets only the time left, and a
watchdog shuts the sockets down when the deadline passes, so no blocking call outlives it.

A push keeps a journal (``push_journal``): it saves each graph's previous content before replacing it,
says on failure which graphs were replaced, and can be resumed or rolled back.

Moved out of ``queries/stores.py`` (which still re-exports ``RemoteStore``, ``from_json`` and
``_retry_after``) so the network code has a module of its own.
"""
from __future__ import annotations

import contextlib
import email.utils
import functools
import http.client
import io
import json
import shutil
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import weakref
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from . import NamedQuery, QueryError
from .binding import bind_values
from .push_journal import PushJournal, build_id
from .stores import DEFAULT_TIMEOUT, QuerySyntaxError, QueryTimeout, Result, StoreError, StoreUnavailable, check_syntax

JOURNAL_DIR = ".push-journal"  # in the data directory, next to build/


class PushRefused(ValueError):
    """The push cannot go on as asked (an unfinished push is journaled, or none is, or the build
    changed since): the user has to choose, so the CLI exits 2."""


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
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):  # neither seconds nor a date: wait as if none were given
        return min(1.0, cap)
    return max(0.0, min(when.timestamp() - time.time(), cap))


# -- the total deadline --------------------------------------------------------------------------------------
class Deadline:
    """The end of one operation's time (``seconds`` None or 0: no end), shared by every request in it."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds or None
        self._end = time.monotonic() + seconds if seconds else None
        self._fired = False
        self._sockets: weakref.WeakSet = weakref.WeakSet()
        self._lock = threading.Lock()
        self._watchdog: threading.Timer | None = None

    def __enter__(self) -> Deadline:
        return self

    def __exit__(self, *exc) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()

    def left(self) -> float | None:
        """Seconds left (never negative); None when there is no deadline."""
        return None if self._end is None else max(0.0, self._end - time.monotonic())

    def passed(self) -> bool:
        return self._fired or (self._end is not None and time.monotonic() >= self._end)

    def socket_timeout(self) -> float | None:
        """The timeout for the next blocking socket call: the time left. Raises TimeoutError when none is."""
        left = self.left()
        if left is not None and (left <= 0 or self._fired):
            raise TimeoutError("total deadline passed")
        return left

    def error(self, what: str, url: str, detail: str = "") -> QueryTimeout:
        return QueryTimeout(f"{what}: no complete answer within {self.seconds:g} s (total deadline; --timeout) "
                            f"from {url}" + (f": {detail}" if detail else ""))

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down when the deadline passes: a recv or send blocked in the kernel then
        returns at once, whatever timeout it was given."""
        if self._end is None:
            return
        with self._lock:
            self._sockets.add(sock)
            if self._watchdog is None:
                left = self.left()
                assert left is not None, "a deadline with an end has time left"
                self._watchdog = threading.Timer(left, self._expire)
                self._watchdog.daemon = True
                self._watchdog.start()
        if self._fired:
            self._expire()

    def _expire(self) -> None:
        self._fired = True  # first: a reader woken by the shutdown must see that it was the deadline
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:  # already closed
                pass


@contextlib.contextmanager
def _deadline(timeout):
    """A Deadline for ``timeout`` seconds, or the caller's own Deadline (e.g. a push's, across its graphs)."""
    if isinstance(timeout, Deadline):
        yield timeout
        return
    with Deadline(timeout) as deadline:
        yield deadline


# -- an HTTP transport that keeps to the deadline ------------------------------------------------------------
class _DeadlineReader(io.RawIOBase):
    """The socket's bytes, each recv given only the time left. An end of data after the watchdog
    fired is the deadline, not the answer's end (a close-delimited body would otherwise look complete)."""

    def __init__(self, sock: socket.socket, deadline: Deadline):
        super().__init__()
        self._sock, self._deadline = sock, deadline
        self._raw = sock.makefile("rb", buffering=0)  # holds a reference: the socket stays open while read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int | None:
        self._sock.settimeout(self._deadline.socket_timeout())
        try:
            n = self._raw.readinto(buffer)
        except OSError:
            if self._deadline.passed():
                raise TimeoutError("total deadline passed") from None
            raise
        if not n and self._deadline.passed():
            raise TimeoutError("total deadline passed")
        return n

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class _DeadlineResponse(http.client.HTTPResponse):
    def __init__(self, sock, *args, deadline: Deadline, **kwargs):
        super().__init__(sock, *args, **kwargs)
        self.fp.close()  # http.client's own file over the socket: replaced by one that keeps to the deadline
        self.fp = io.BufferedReader(_DeadlineReader(sock, deadline))


class _DeadlineConnectionMixin:
    """Resolve, connect, send and read within the deadline; the socket is watched from its creation."""

    response_class: type[http.client.HTTPResponse]  # as HTTPConnection declares it

    def __init__(self, *args, deadline: Deadline, **kwargs):
        super().__init__(*args, **kwargs)
        self._deadline = deadline
        # http.client only calls response_class(sock, method=...): a partial with the deadline serves
        self.response_class = functools.partial(_DeadlineResponse, deadline=deadline)  # type: ignore[assignment]
        self._create_connection = self._connect_in_time

    def _connect_in_time(self, address, timeout=None, source_address=None):
        host, port = address
        error: OSError | None = None
        for family, kind, proto, _, target in _resolve(host, port, self._deadline):
            sock = socket.socket(family, kind, proto)
            try:
                self._deadline.watch(sock)
                sock.settimeout(self._deadline.socket_timeout())
                if source_address:
                    sock.bind(source_address)
                sock.connect(target)
                return sock
            except OSError as e:
                sock.close()
                if self._deadline.passed():
                    raise TimeoutError("total deadline passed") from None
                error = e
        raise error or OSError(f"{host}: no address to connect to")

    def connect(self):
        super().connect()
        self._deadline.watch(self.sock)  # for HTTPS, the TLS socket that replaced the plain one

    def send(self, data):
        if self.sock is not None:
            self.sock.settimeout(self._deadline.socket_timeout())
        super().send(data)


class _DeadlineHTTPConnection(_DeadlineConnectionMixin, http.client.HTTPConnection):
    pass


class _DeadlineHTTPSConnection(_DeadlineConnectionMixin, http.client.HTTPSConnection):
    pass


def _resolve(host: str, port: int, deadline: Deadline) -> list:
    """getaddrinfo within the deadline: it ignores socket timeouts, so it runs in a thread that is
    abandoned (a daemon) if the name server does not answer in time."""
    box: dict = {}

    def lookup():
        try:
            box["addresses"] = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
        except OSError as e:
            box["error"] = e
    worker = threading.Thread(target=lookup, daemon=True)
    worker.start()
    worker.join(deadline.left())
    if worker.is_alive():
        raise TimeoutError(f"resolving {host}: total deadline passed")
    if "error" in box:
        raise box["error"]
    return box["addresses"]


class _DeadlineHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: Deadline):
        super().__init__()
        self._deadline = deadline

    def http_open(self, req):
        return self.do_open(functools.partial(_DeadlineHTTPConnection, deadline=self._deadline), req)


class _DeadlineHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: Deadline):
        super().__init__()
        self._deadline = deadline

    def https_open(self, req):
        return self.do_open(functools.partial(_DeadlineHTTPSConnection, deadline=self._deadline), req,
                            context=self._context, check_hostname=self._check_hostname)


def _opener(deadline: Deadline) -> urllib.request.OpenerDirector:
    """urllib's usual opener (proxies from the environment, redirects), its HTTP(S) kept to the deadline."""
    return urllib.request.build_opener(_DeadlineHTTPHandler(deadline), _DeadlineHTTPSHandler(deadline))


def _read_body(response, into=None) -> bytes:
    """The whole body (or copied into the file ``into``, for graphs too large to hold twice); a body
    cut short of its Content-Length or chunking raises IncompleteRead, and one cut by the deadline
    TimeoutError: never a partial answer."""
    if into is not None:
        shutil.copyfileobj(response, into, 1 << 16)
        return b""
    return response.read()


# -- the store -----------------------------------------------------------------------------------------------
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

    # -- one HTTP exchange, retried on 429/503, within the deadline ------------------------------------------
    def _with_retries(self, call, what: str, url: str, deadline: Deadline):
        for attempt in range(self.retries + 1):
            if deadline.passed():
                raise deadline.error(what, url)
            try:
                return call()
            except urllib.error.HTTPError as e:
                body = self._error_body(e, what, url, deadline)
                if e.code in (429, 503) and attempt < self.retries:
                    self._wait_to_retry(e, what, url, deadline)
                    continue
                raise self._http_error(e, body, what, url, attempt + 1) from None
            except TimeoutError:
                raise deadline.error(what, url) from None
            except urllib.error.URLError as e:
                if isinstance(e.reason, (socket.timeout, TimeoutError)) or deadline.passed():
                    raise deadline.error(what, url) from None
                raise StoreUnavailable(f"{what}: cannot reach {url}: {e.reason}") from None
            except (ConnectionError, http.client.HTTPException, OSError) as e:
                if deadline.passed():
                    raise deadline.error(what, url) from None
                if isinstance(e, ConnectionError):
                    raise StoreUnavailable(f"{what}: cannot reach {url}: {e}") from None
                raise StoreError(f"{what}: {url} broke off or garbled its answer: "
                                 f"{type(e).__name__}: {e}") from None

    @staticmethod
    def _error_body(e: urllib.error.HTTPError, what: str, url: str, deadline: Deadline) -> str:
        """The start of an error answer's body, for the message (read within the deadline too)."""
        try:
            return e.read(2000).decode("utf-8", "replace").strip()[:500]
        except (OSError, http.client.HTTPException):
            if deadline.passed():
                raise deadline.error(what, url) from None
            return ""
        finally:
            e.close()

    def _wait_to_retry(self, e: urllib.error.HTTPError, what: str, url: str, deadline: Deadline) -> None:
        wait = _retry_after(e.headers.get("Retry-After"), self.max_wait)
        left = deadline.left()
        if left is not None and wait >= left:  # the wait alone would pass the deadline: say so now
            raise deadline.error(what, url, f"HTTP {e.code} {e.reason}, and waiting the {wait:g} s it asks "
                                            "for (Retry-After) would pass the deadline") from None
        time.sleep(wait)

    @staticmethod
    def _http_error(e: urllib.error.HTTPError, body: str, what: str, url: str, attempts: int) -> Exception:
        tail = f": {body}" if body else ""
        if e.code == 400:
            thing = "query" if what == "query" else "request"
            return QuerySyntaxError(f"{what}: the server rejected the {thing} (HTTP 400){tail}")
        if e.code == 404:
            return StoreUnavailable(f"{what}: {url} not found (HTTP 404); is it the right endpoint?{tail}")
        if e.code == 401:
            return QueryError(f"{what}: {url}: unauthorised (HTTP 401){tail}")
        if 400 <= e.code < 500 and e.code != 429:
            return QueryError(f"{what}: HTTP {e.code} {e.reason} from {url}{tail}")
        if e.code in (429, 503):
            return StoreError(f"{what}: HTTP {e.code} {e.reason} from {url} after {attempts} attempts{tail}")
        return StoreError(f"{what}: server error (HTTP {e.code} {e.reason}) from {url}{tail}")

    def _exchange(self, request: urllib.request.Request, what: str, deadline: Deadline, into=None,
                  missing_ok: bool = False, url: str | None = None) -> bytes | None:
        """Send ``request`` and read the whole answer, all within ``deadline`` (retries included).
        ``missing_ok``: HTTP 404 is an answer (None), not an error. ``url``: the one messages name."""
        def call():
            if into is not None:  # a retry starts the file afresh
                into.seek(0)
                into.truncate()
            try:
                with _opener(deadline).open(request, timeout=deadline.left()) as response:
                    return _read_body(response, into)
            except urllib.error.HTTPError as e:
                if missing_ok and e.code == 404:
                    e.close()
                    return None
                raise
        return self._with_retries(call, what, url or request.full_url, deadline)

    # -- queries ---------------------------------------------------------------------------------------------
    def _query_request(self, text: str, form: str) -> urllib.request.Request:
        from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
        sw = SPARQLWrapper(self.endpoint)
        sw.setMethod(POST)
        sw.setQuery(text)
        # SPARQLWrapper guesses the form from the first keyword anywhere in the text (a comment
        # saying "removed" reads as MOVE); the parser knows better
        sw.queryType = form
        sw.setReturnFormat(TURTLE if form == "CONSTRUCT" else JSON)
        # SPARQLWrapper builds the request (protocol form, Accept for the format); the transfer is ours,
        # because its query() can only give urlopen a per-socket-operation timeout
        return sw._createRequest()

    def query(self, text: str, limit: int | None = None, timeout: float | None = DEFAULT_TIMEOUT) -> Result:
        form = check_syntax(text)
        request = self._query_request(text, form)
        with _deadline(timeout) as deadline:
            raw = self._exchange(request, "query", deadline)
        assert raw is not None, "only a missing_ok exchange answers None"
        return self._result(raw, form == "CONSTRUCT", limit)

    def _result(self, raw: bytes, graph_query: bool, limit: int | None) -> Result:
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

    # -- Graph Store Protocol --------------------------------------------------------------------------------
    def _graph_url(self, graph_iri: str) -> str:
        return f"{self.graph_store}?{urllib.parse.urlencode({'graph': graph_iri})}"

    def put_graph(self, graph_iri: str, ntriples: bytes,
                  timeout: float | Deadline | None = DEFAULT_TIMEOUT) -> None:
        """Replace one named graph (Graph Store Protocol PUT: idempotent)."""
        req = urllib.request.Request(self._graph_url(graph_iri), data=ntriples, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
        with _deadline(timeout) as deadline:
            self._exchange(req, f"PUT {graph_iri}", deadline, url=self.graph_store)

    def save_graph(self, graph_iri: str, into: Path, timeout: float | Deadline | None = DEFAULT_TIMEOUT) -> bool:
        """Write the server's content of one named graph to ``into`` (N-Triples); False if the server
        has no such graph (HTTP 404)."""
        req = urllib.request.Request(self._graph_url(graph_iri), headers={"Accept": "application/n-triples"})
        with _deadline(timeout) as deadline, open(into, "wb") as f:
            return self._exchange(req, f"GET {graph_iri}", deadline, into=f, missing_ok=True,
                                  url=self.graph_store) is not None

    def delete_graph(self, graph_iri: str, timeout: float | Deadline | None = DEFAULT_TIMEOUT) -> None:
        """Remove one named graph; one that is already absent (HTTP 404) is fine."""
        req = urllib.request.Request(self._graph_url(graph_iri), method="DELETE")
        with _deadline(timeout) as deadline:
            self._exchange(req, f"DELETE {graph_iri}", deadline, missing_ok=True, url=self.graph_store)

    # -- push, resume, rollback ------------------------------------------------------------------------------
    def _journal(self, build_dir: Path, journal_dir: Path | None) -> PushJournal:
        return PushJournal(journal_dir or Path(build_dir).parent / JOURNAL_DIR, self.graph_store)

    def push(self, build_dir: Path, timeout: float | None = DEFAULT_TIMEOUT, *, resume: bool = False,
             journal_dir: Path | None = None, command: str = "atdkg push") -> dict[str, int]:
        """Load every named graph of a build (graph.nq), replacing what the server holds under the
        same names; graphs the build does not have are left alone. ``timeout`` bounds the whole push.

        Each graph's previous content is saved in the journal before its PUT; a failure names the
        graphs replaced and those not. ``resume=True`` replaces only the graphs a failed push of the
        same build had not replaced. ``command`` is how the messages tell the user to go on.
        Returns the triples per graph replaced by this call."""
        path = Path(build_dir) / "graph.nq"
        if not path.exists():
            raise StoreUnavailable(f"{path}: no build to push; run `atdkg build` first")
        graphs: dict[str, list] = {}
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
            if isinstance(quad.graph_name, ox.NamedNode):
                graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
        journal = self._journal(build_dir, journal_dir)
        state = self._begin(journal, build_id(path), sorted(graphs), resume, command)
        with _deadline(timeout) as deadline:
            try:
                counts = self._replace_pending(graphs, state, journal, deadline)
            except (StoreError, QueryError, OSError) as e:
                raise self._push_failed(e, state, journal, command) from None
        journal.clear()
        return counts

    def _begin(self, journal: PushJournal, build: str, graphs: list[str], resume: bool, command: str) -> dict:
        """The journal state to work from: a fresh one, or (``resume``) the failed push's, same build only."""
        if not resume:
            if journal.exists():
                state = journal.load()
                done = sum(g["state"] == "replaced" for g in state["graphs"])
                raise PushRefused(f"an unfinished push to {self.graph_store} (started {state['started']}, "
                                  f"{done} of {len(state['graphs'])} named graphs replaced) is journaled in "
                                  f"{journal.dir}: finish it with `{command} --resume` or undo it with "
                                  f"`{command} --rollback` before pushing again")
            return journal.start(build, graphs)
        if not journal.exists():
            raise PushRefused(f"--resume: no unfinished push to {self.graph_store} is journaled in {journal.dir}; "
                              f"nothing to resume (a plain `{command}` pushes the whole build)")
        state = journal.load()
        if state["build"] != build or [g["iri"] for g in state["graphs"]] != graphs:
            raise PushRefused(f"--resume: the build changed since the push that failed (journaled build "
                              f"{state['build'][:12]}, now {build[:12]}); resuming would leave the server with "
                              f"graphs of two builds. Undo that push with `{command} --rollback`, then push again")
        return state

    def _replace_pending(self, graphs: dict[str, list], state: dict, journal: PushJournal,
                         deadline: Deadline) -> dict[str, int]:
        counts = {}
        for position, entry in enumerate(state["graphs"]):
            if entry["state"] == "replaced":
                continue
            iri = entry["iri"]
            if entry["existed"] is None:
                # before the PUT is sent: from then on the server's old content may be gone. A graph whose
                # PUT failed keeps its first saving (the server may have applied the PUT anyway)
                snapshot = journal.snapshot(position)
                entry["existed"] = self.save_graph(iri, snapshot, deadline)
                entry["saved"] = snapshot.name if entry["existed"] else None
                if not entry["existed"]:
                    snapshot.unlink(missing_ok=True)
                journal.save(state)
            data = ox.serialize(graphs[iri], format=ox.RdfFormat.N_TRIPLES)
            assert data is not None, "serialize returns the bytes when given no output"
            self.put_graph(iri, data, deadline)
            entry["state"] = "replaced"
            journal.save(state)
            counts[iri] = len(graphs[iri])
        return counts

    def _push_failed(self, cause: Exception, state: dict, journal: PushJournal, command: str) -> Exception:
        """The same kind of error (so the same exit code), its message extended with what was replaced
        and how to go on. Nothing sent yet: the server is unchanged and the journal is dropped."""
        entries = state["graphs"]
        if all(g["existed"] is None for g in entries):  # no graph's content was saved, so no PUT was sent
            journal.clear()
            return type(cause)(f"{cause}\nthe push to {self.graph_store} stopped before replacing any named "
                               "graph: the server is unchanged")
        replaced = [g["iri"] for g in entries if g["state"] == "replaced"]
        lines = [str(cause),
                 f"the push to {self.graph_store} stopped after replacing {len(replaced)} of {len(entries)} "
                 "named graphs:"]
        for g in entries:
            if g["state"] == "replaced":
                lines.append(f"  replaced      {g['iri']}")
            elif g["existed"] is not None:
                lines.append(f"  not replaced  {g['iri']}  (its PUT failed; the server may have applied it)")
            else:
                lines.append(f"  not replaced  {g['iri']}")
        lines += [f"the server's previous content of the graphs it touched is saved in {journal.dir}",
                  f"to finish this push (same build only): {command} --resume",
                  f"to undo it (previous content back, new graphs deleted): {command} --rollback"]
        if isinstance(cause, QueryTimeout):
            lines.append("(add --timeout SECONDS to either for more time)")
        error = type(cause)("\n".join(lines))
        # for Python callers; on the cause's own type (its exit code), which declares no such attribute
        error.replaced = replaced  # type: ignore[attr-defined]
        return error

    def rollback(self, build_dir: Path, timeout: float | None = DEFAULT_TIMEOUT, *,
                 journal_dir: Path | None = None, command: str = "atdkg push") -> dict[str, list[str]]:
        """Undo a push that failed half-way: put back each touched graph's saved content, delete the
        graphs it created. Running it again after a failure is safe (every step is idempotent)."""
        journal = self._journal(build_dir, journal_dir)
        if not journal.exists():
            raise PushRefused(f"--rollback: no unfinished push to {self.graph_store} is journaled in "
                              f"{journal.dir}; nothing to roll back")
        state = journal.load()
        done: dict[str, list[str]] = {"restored": [], "deleted": []}
        with _deadline(timeout) as deadline:
            try:
                for entry in state["graphs"]:
                    self._restore(entry, journal, deadline, done)
            except (StoreError, QueryError, OSError) as e:
                raise type(e)(f"{e}\nthe rollback undid {len(done['restored']) + len(done['deleted'])} named "
                              f"graphs, then stopped; the journal in {journal.dir} is kept: run "
                              f"`{command} --rollback` again to finish it") from None
        journal.clear()
        return done

    def _restore(self, entry: dict, journal: PushJournal, deadline: Deadline, done: dict) -> None:
        if entry["existed"] is None:  # never touched: its PUT was not sent
            return
        if entry["existed"]:
            self.put_graph(entry["iri"], (journal.dir / entry["saved"]).read_bytes(), deadline)
            done["restored"].append(entry["iri"])
        else:
            self.delete_graph(entry["iri"], deadline)
            done["deleted"].append(entry["iri"])
