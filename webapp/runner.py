"""Run SPARQL for the web tier in child processes that can be stopped, limited and replaced.

Oxigraph cannot interrupt a query from Python, and a thread that ran on would eat a core for good.
So queries run in children forked from the web worker, which share the loaded store copy-on-write.
Each child is isolated as soon as it starts (webapp/sandbox.py: no network, a memory ceiling, no
inherited sockets) and serves one query at a time; the worker keeps a small pool of them.

Two pools per worker, with one contract (a job in, an answer or a named failure out):

- ``trusted``: the named queries of queries/ that pages run; rows come back as rdflib terms.
- ``adhoc``: queries from /sparql. The child parses the text and walks its algebra
  (webapp/safety.py) before evaluating anything, evaluates, caps the rows or triples and the bytes,
  and serialises the answer itself — the web worker only forwards bytes it knows the size of.
  Ad hoc children run at a lower CPU priority than the web worker and the trusted pool.

Failures are told apart, because the client's answer differs: the time limit (the parent kills the
child at its deadline: 503), the memory ceiling (the child dies or reports MemoryError: 503), a
query the parser cannot take (the child dies before it reported the query parsed: 400), a refusal
or a syntax error found by the check (400). A child that failed is never reused; one that has
answered ``max_uses`` queries is replaced, so its heap cannot creep.
"""
from __future__ import annotations

import heapq
import itertools
import os
import selectors
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Protocol

from atdkg.queries.stores import EmbeddedStore, QuerySyntaxError, QueryTimeout, Result, StoreError

from . import sandbox
from .safety import Refused

if TYPE_CHECKING:
    from .forkserver import ForkServer


class QueryRefused(Refused):
    """Refused by the check, or could not be parsed within the limits (400)."""


class QueryResources(StoreError):
    """The query went over the memory ceiling (503)."""


class Busy(StoreError):
    """Every child of the pool stayed busy for the whole wait (503 with Retry-After)."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Limits:
    timeout: float = 30.0          # wall-clock seconds per query, enforced by the parent
    max_rows: int = 10_000         # rows (SELECT) or triples (CONSTRUCT/DESCRIBE) per answer
    max_bytes: int = 32 * 2**20    # bytes of one serialised answer
    memory_mb: float = 1024.0      # address space a child may add to what it shares with the worker
    nice: int = 0                  # added to the child's scheduling niceness


@dataclass
class AdhocQuery:
    text: str                      # as the client sent it
    prefixes: dict[str, str]       # declared outside the text (the standard ones)
    select_format: str | None      # how to write SELECT/ASK results; None: no accepted format
    graph_format: str | None       # how to write CONSTRUCT/DESCRIBE results; None: none accepted
    default_graphs: tuple = ()     # the protocol's default-graph-uri (already checked as local)
    named_graphs: tuple = ()


@dataclass
class Answer:
    form: str                      # SELECT, ASK, CONSTRUCT or DESCRIBE
    format: str | None             # the format of body; None when nothing accepted fits the form
    body: bytes
    count: int                     # rows or triples in body
    truncated: str | None          # None, "rows" or "bytes"
    seconds: float = 0.0           # evaluation time (what a client's budget is charged)


# -- the child --------------------------------------------------------------------------------------
def _child_main(store: EmbeddedStore, conn, limits: Limits, local_graphs: frozenset) -> None:
    # (the parent's end of the pipe is closed already: else recv() would never see EOF when the
    # worker goes away, and this child would outlive it.) The fork also copied the web server's
    # signal handlers (gunicorn's SIGTERM handler only sets a flag): restore the defaults so
    # terminating this child terminates it
    set_handler = sandbox.original("signal", "signal")  # gevent's would reach for its event loop
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2,
                signal.SIGCHLD, signal.SIGWINCH):
        set_handler(sig, signal.SIG_DFL)
    sandbox.isolate(memory_mb=limits.memory_mb, nice=limits.nice, keep_fds=(conn.fileno(),))
    sys.setrecursionlimit(8000)  # rdflib's parser recurses ~50 frames per nesting level (safety.MAX_DEPTH)
    while True:
        try:
            kind, job = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        sandbox.limit_cpu(limits.timeout + 10)  # a backstop; the parent kills at the deadline
        reply: tuple[str, Result | Answer | str]
        try:
            if kind == "rows":
                reply = ("ok", store.query(job[0], limit=job[1], timeout=None))
            elif kind == "check":  # only the check: the query is evaluated elsewhere (a SPARQL server)
                from . import safety
                reply = ("ok", safety.check(job[0], job[2], job[1]))
            else:
                reply = ("ok", _adhoc(store, conn, job, limits, local_graphs))
        except MemoryError:
            reply = ("memory", "")
        except Refused as e:
            reply = ("refused", str(e))
        except QuerySyntaxError as e:
            reply = ("syntax", str(e))
        except Exception as e:  # noqa: BLE001 - every failure goes back to the parent as data
            reply = ("error", f"{type(e).__name__}: {str(e)[:500]}")
        try:
            conn.send(reply)
        except MemoryError:
            os._exit(3)
        except (OSError, ValueError):
            os._exit(0)


def _adhoc(store: EmbeddedStore, conn, job: AdhocQuery, limits: Limits, local_graphs) -> Answer:
    import pyoxigraph as ox

    from . import safety
    form = safety.check(job.text, local_graphs, job.prefixes)
    conn.send(("parsed", form))  # from here on a death is the evaluation's, not the parser's
    fmt = job.graph_format if form in ("CONSTRUCT", "DESCRIBE") else job.select_format
    if fmt is None:
        return Answer(form, None, b"", 0, None)
    # the protocol's dataset, if the client gave one (None: Oxigraph's default, as if not given)
    default_graph: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = [
        ox.NamedNode(g) for g in job.default_graphs] or None
    named_graphs: list[ox.NamedNode | ox.BlankNode] | None = [ox.NamedNode(g) for g in job.named_graphs] or None
    started = time.perf_counter()
    try:
        results = store.store.query(job.text, prefixes=job.prefixes,
                                    use_default_graph_as_union=not (job.default_graphs or job.named_graphs),
                                    default_graph=default_graph, named_graphs=named_graphs)
    except SyntaxError as e:  # Oxigraph disagrees with rdflib's parser: its message stands
        raise QuerySyntaxError(f"malformed query: {e}") from None
    result = _collect(results, limits.max_rows)
    body, count, truncated = _write_bounded(result, fmt, limits.max_bytes)
    return Answer(form, fmt, body, count, truncated, time.perf_counter() - started)


def _collect(results, cap: int) -> Result:
    """At most ``cap`` rows or triples, as rdflib terms (what queries.formats writes)."""
    import pyoxigraph as ox
    from rdflib import Graph

    from atdkg.queries.stores import from_ox
    if isinstance(results, ox.QueryBoolean):
        return Result("ask", boolean=bool(results))
    if isinstance(results, ox.QuerySolutions):
        names = [v.value for v in results.variables]
        rows: list[dict] = []
        for solution in results:
            if len(rows) >= cap:
                return Result("select", names, rows, truncated=True)
            rows.append({n: from_ox(v) for n in names if (v := solution[n]) is not None})
        return Result("select", names, rows)
    graph, truncated = Graph(), False
    for triple in results:
        if len(graph) >= cap:
            truncated = True
            break
        graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
    return Result("graph", graph=graph, truncated=truncated)


def _write_bounded(result: Result, fmt: str, max_bytes: int) -> tuple[bytes, int, str | None]:
    """The result written in ``fmt``, halving the rows until it fits in ``max_bytes``."""
    from atdkg.queries import formats
    truncated = "rows" if result.truncated else None
    while True:
        body = formats.write(result, fmt).encode("utf-8")
        count = len(result.triples) if result.kind == "graph" else len(result.rows)
        if len(body) <= max_bytes or count == 0:
            if len(body) > max_bytes:  # even the head alone is too large (an enormous ASK cannot be)
                body = b""
            return body, count, truncated
        truncated = "bytes"
        result = _first(result, count // 2)


def _first(result: Result, n: int) -> Result:
    if result.kind == "graph":
        from rdflib import Graph
        g = Graph()
        for t in itertools.islice(result.triples, n):
            g.add(t)
        return Result("graph", graph=g, truncated=True)
    return Result("select", result.vars, result.rows[:n], truncated=True)


# -- the parent ---------------------------------------------------------------------------------------
_CREATING = threading.Lock()


def _readable(conn, timeout: float) -> bool:
    """Wait until the child has written, letting other requests run meanwhile. A selector made now,
    not Connection.poll: under gunicorn's gevent worker the selectors module is patched to wait
    cooperatively, while multiprocessing bound the blocking one when it was imported."""
    if conn.poll(0):
        return True
    with selectors.DefaultSelector() as selector:
        selector.register(conn.fileno(), selectors.EVENT_READ)
        return bool(selector.select(timeout))


def _real_fork():
    """os.fork as the OS provides it, even where gevent has patched it (see webapp/forkserver.py for
    why a gevent worker must not fork query children itself)."""
    return sandbox.original("os", "fork")


class _Child:
    """One forked query process and the parent's end of its pipe. ``status`` tells its exit status
    (None while it runs): waitpid for a child of ours, the fork server's word for one of its own."""

    def __init__(self, pid: int, conn, status=None):
        self.pid = pid
        self.conn = conn
        self.uses = 0
        self._status = status or self._waitpid
        self.exitcode: int | None = None

    def _waitpid(self) -> int | None:
        try:
            pid, status = sandbox.original("os", "waitpid")(self.pid, os.WNOHANG)
        except ChildProcessError:  # reaped elsewhere: it has ended, how is unknown
            return 1
        return os.waitstatus_to_exitcode(status) if pid else None

    def ready(self) -> bool:
        """An idle child never writes: a readable pipe means it has ended (EOF)."""
        try:
            return not self.conn.poll(0)
        except (OSError, EOFError, ValueError):
            return False

    def wait(self, seconds: float) -> int | None:
        deadline = time.monotonic() + seconds
        while self.exitcode is None:
            try:
                self.exitcode = self._status()
            except OSError:
                return None
            if self.exitcode is not None or time.monotonic() > deadline:
                break
            time.sleep(0.01)  # cooperative under gevent
        return self.exitcode

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if self._status == self._waitpid:
            self.wait(5)  # ours to reap (the fork server reaps its own)
        try:
            self.conn.close()
        except OSError:
            pass


class QueryPool:
    """Up to ``size`` children in this worker; requests beyond wait (by arrival plus ``priority``) for at most
    ``wait`` seconds. Children are created when first needed, in the process that uses them: a pool
    copied by a fork (gunicorn's preloading master → workers) starts empty in the copy."""

    def __init__(self, store: EmbeddedStore, local_graphs, limits: Limits = Limits(), size: int = 2,
                 wait: float = 10.0, max_uses: int = 500, name: str = "query"):
        self.store = store
        self.local_graphs = frozenset(local_graphs)
        self.limits = limits
        self.size = size
        self.wait = wait
        self.max_uses = max_uses
        self.name = name
        self._owner: int | None = None
        self._setup()

    # -- children -------------------------------------------------------------------------------------
    def _setup(self) -> None:
        self._owner = os.getpid()
        self.forkserver: ForkServer | None = None
        self.forkserver_name: str | None = None
        self._condition: threading.Condition | None = None
        self._idle: list[_Child] = []
        self._count = 0  # children alive or being created
        self._waiting: list[tuple[float, int]] = []
        self._seq = itertools.count()

    def _mine(self) -> None:
        if self._owner != os.getpid():
            self._setup()  # the parent's children and locks are not ours

    @property
    def _cond(self) -> threading.Condition:
        """Made at first use, not at setup: setup may run in gunicorn's post_fork hook, before gevent
        patches threading, and a real lock waited on by a coroutine blocks the whole worker."""
        if self._condition is None:
            with _CREATING:  # held for no more than this check: never across a wait
                if self._condition is None:
                    self._condition = threading.Condition()
        return self._condition

    def use_forkserver(self, server: ForkServer, name: str) -> None:
        """Have ``server`` fork this pool's children (registered there as ``name`` → child_main)."""
        self._mine()
        self.forkserver, self.forkserver_name = server, name

    def child_main(self, fd: int) -> None:
        """What a child of this pool runs, on its end ``fd`` of the pipe; never returns."""
        _child_main(self.store, Connection(fd), self.limits, self.local_graphs)

    def _spawn(self) -> _Child:
        server, name = self.forkserver, self.forkserver_name
        if server is not None and name is not None and server.usable():
            pid, fd = server.spawn(name)
            os.set_blocking(fd, True)
            return _Child(pid, Connection(fd), status=lambda: server.status(pid))
        # a socket pair as raw descriptors, each end wrapped in a Connection only in the process that
        # uses it; blocking, as multiprocessing reads and writes a message with plain blocking calls
        ours, theirs = (s.detach() for s in socket.socketpair())
        os.set_blocking(ours, True)
        os.set_blocking(theirs, True)
        pid = _real_fork()()
        if pid == 0:  # the child: serve jobs until the pipe closes; never return into the server's code
            code = 1
            try:
                sandbox.original("os", "close")(ours)
                self.child_main(theirs)
                code = 0
            finally:
                os._exit(code)
        os.close(theirs)
        return _Child(pid, Connection(ours))

    def _acquire(self, priority: float) -> _Child:
        self._mine()
        with self._cond:
            # start-time fair queueing: arrival time plus the seconds of query time the client has
            # used, so a heavier client waits behind later arrivals, but never for longer than its use
            ticket = (time.monotonic() + priority, next(self._seq))
            heapq.heappush(self._waiting, ticket)
            deadline = time.monotonic() + self.wait
            try:
                while not (self._waiting[0] == ticket and (self._idle or self._count < self.size)):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise Busy(f"every {self.name} process stayed busy for {self.wait:g} s; try again shortly",
                                   retry_after=max(1, int(self.wait)))
                    self._cond.wait(remaining)
            finally:
                self._waiting.remove(ticket)
                heapq.heapify(self._waiting)
                self._cond.notify_all()  # the next waiter may now be first
            while self._idle:
                child = self._idle.pop()
                if child.ready():
                    return child
                child.kill()
                self._count -= 1
            self._count += 1
        try:
            return self._spawn()
        except BaseException:
            with self._cond:
                self._count -= 1
                self._cond.notify_all()
            raise

    def _release(self, child: _Child, healthy: bool) -> None:
        child.uses += 1
        if not healthy or child.uses >= self.max_uses:
            child.kill()
        with self._cond:
            if healthy and child.uses < self.max_uses:
                self._idle.append(child)
            else:
                self._count -= 1
            self._cond.notify_all()

    def _receive(self, child: _Child, deadline: float, timeout: float):
        if not _readable(child.conn, max(0.0, deadline - time.monotonic())):
            raise QueryTimeout(f"the query did not finish within {timeout:g} s")
        return child.conn.recv()

    # -- jobs -----------------------------------------------------------------------------------------
    def rows(self, text: str, limit: int | None = None, timeout: float | None = None) -> Result:
        """A trusted query's rows as rdflib terms, capped at ``limit`` (default ``max_rows``);
        ``Result.truncated`` says if more existed."""
        timeout = min(timeout or self.limits.timeout, self.limits.timeout)
        cap = min(limit, self.limits.max_rows) if limit else self.limits.max_rows
        child = self._acquire(0.0)
        healthy = False
        try:
            child.conn.send(("rows", (text, cap)))
            status, value = self._receive(child, time.monotonic() + timeout, timeout)
            healthy = status not in ("memory", "error")
        except (EOFError, BrokenPipeError, ConnectionError, OSError):
            raise QueryResources(self._death(child)) from None
        finally:
            self._release(child, healthy)
        return self._unwrap(status, value)

    def adhoc(self, job: AdhocQuery, priority: float = 0.0) -> Answer:
        """Check, evaluate and write an ad hoc query in a child; see the module's docstring for failures."""
        timeout = self.limits.timeout
        child = self._acquire(priority)
        healthy, parsed = False, False
        started = time.monotonic()
        deadline = started + timeout
        try:
            child.conn.send(("adhoc", job))
            status, value = self._receive(child, deadline, timeout)
            if status == "parsed":
                parsed = True
                status, value = self._receive(child, deadline, timeout)
            healthy = status not in ("memory", "error")
        except QueryTimeout as e:
            e.seconds = time.monotonic() - started
            raise
        except (EOFError, BrokenPipeError, ConnectionError, OSError):
            if not parsed:
                raise QueryRefused("the query could not be parsed within this endpoint's limits "
                                   f"(is it nested very deeply?); {self._death(child)}") from None
            raise QueryResources(self._death(child)) from None
        finally:
            self._release(child, healthy)
        return self._unwrap(status, value)

    def check(self, text: str, prefixes: dict[str, str], graphs) -> str:
        """Only /sparql's check (safety.check) in a child, for a query a SPARQL server will evaluate: the
        parser gets the child's stack and time limit, and a query that makes it run long or die costs a
        child, not the web worker. Returns the form; failures as for ``adhoc`` before "parsed"."""
        timeout = self.limits.timeout
        child = self._acquire(0.0)
        healthy = False
        try:
            child.conn.send(("check", (text, prefixes, frozenset(graphs))))
            status, value = self._receive(child, time.monotonic() + timeout, timeout)
            healthy = status not in ("memory", "error")
        except (EOFError, BrokenPipeError, ConnectionError, OSError):
            raise QueryRefused("the query could not be parsed within this endpoint's limits "
                               f"(is it nested very deeply?); {self._death(child)}") from None
        finally:
            self._release(child, healthy)
        return self._unwrap(status, value)

    def _death(self, child: _Child) -> str:
        """Why a child died, from its exit status (a negative status is the signal that ended it)."""
        code = child.wait(2)
        if code == -signal.SIGXCPU:
            return "the query used more CPU time than allowed and was stopped"
        if code in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGKILL, -signal.SIGBUS, 3):
            # Oxigraph aborts when an allocation fails under RLIMIT_AS; SIGKILL: the kernel's OOM killer
            return (f"the query needed more than this endpoint's limits ({self.limits.memory_mb:g} MB of "
                    "memory per query) and was stopped")
        return f"the query process ended unexpectedly (exit status {code})"

    def _unwrap(self, status: str, value):
        if status == "ok":
            return value
        if status == "refused":
            raise QueryRefused(value)
        if status == "syntax":
            raise QuerySyntaxError(value)
        if status == "memory":
            raise QueryResources(f"the query needed more than this endpoint's limit of "
                                 f"{self.limits.memory_mb:g} MB of memory and was stopped")
        raise StoreError(f"the query failed: {value}")

    def close(self) -> None:
        if self._owner != os.getpid():
            return
        with self._cond:
            for child in self._idle:
                child.kill()
            self._count -= len(self._idle)
            self._idle = []


class Pool(Protocol):
    """What the web tier asks of a pool: QueryPool (children over the embedded store) or
    webapp/remote.py's RemotePool (a SPARQL server)."""

    def rows(self, text: str, limit: int | None = None, timeout: float | None = None) -> Result: ...

    def adhoc(self, job: AdhocQuery, priority: float = 0.0) -> Answer: ...

    def close(self) -> None: ...


class TrustedStore:
    """The ``.run(named_query, values)`` interface of a store (network/projections.py's NetworkData
    loads through it), answered by the trusted pool."""

    def __init__(self, pool: Pool):
        self.pool = pool

    def run(self, q, values: dict | None = None, limit: int | None = None, timeout: float | None = None) -> Result:
        from atdkg.queries.binding import bind_values
        return self.pool.rows(bind_values(q.full_text, q.bindings(values)), limit=limit, timeout=timeout)

    def query(self, text: str, limit: int | None = None, timeout: float | None = None) -> Result:
        return self.pool.rows(text, limit=limit, timeout=timeout)
