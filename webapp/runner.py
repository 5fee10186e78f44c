"""Run SPARQL for the web tier in a child process that can be stopped.

Oxigraph cannot interrupt a query from Python, and a thread that runs on would eat a core
for good. So queries run in a forked child that shares the loaded store copy-on-write; when
one overruns its timeout the child is killed and a fresh one forked, and the next request is
served normally. Results come back as rdflib terms (picklable), capped at ``max_rows`` with
the truncation signalled, never silent.
"""
from __future__ import annotations

import multiprocessing as mp
import signal
import threading
from dataclasses import dataclass

from queries.stores import EmbeddedStore, QueryTimeout, Result, StoreError


def _serve(store: EmbeddedStore, conn, parent_end) -> None:
    # the fork copied the parent's end of the pipe too: close it, or recv() never sees EOF when
    # the web worker goes away and this child would outlive it
    parent_end.close()
    # the fork also copied the web server's signal handlers (gunicorn's SIGTERM handler only sets a
    # flag): restore the defaults so terminating this child terminates it
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(sig, signal.SIG_DFL)
    while True:
        try:
            text, limit = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", store.query(text, limit=limit, timeout=None)))
        except Exception as e:  # noqa: BLE001 - every failure goes back to the parent as data
            conn.send(("error", e))


@dataclass
class _Child:
    process: mp.Process
    conn: object


class QueryRunner:
    def __init__(self, store: EmbeddedStore, timeout: float = 30.0, max_rows: int = 10_000):
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        self._lock = threading.Lock()  # one query at a time per runner (one runner per web worker)
        self._child: _Child | None = None

    def _spawn(self) -> _Child:
        ctx = mp.get_context("fork")
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(self.store, child, parent), daemon=True)
        proc.start()
        child.close()
        return _Child(proc, parent)

    def _kill(self) -> None:
        if self._child is not None:
            self._child.process.kill()
            self._child.process.join(5)
            self._child.conn.close()
            self._child = None

    def query(self, text: str, timeout: float | None = None, limit: int | None = None) -> Result:
        """Rows capped at ``limit`` (default ``max_rows``); ``Result.truncated`` says if more existed."""
        timeout = min(timeout or self.timeout, self.timeout)
        cap = min(limit, self.max_rows) if limit else self.max_rows
        with self._lock:
            if self._child is None or not self._child.process.is_alive():
                self._child = self._spawn()
            try:
                self._child.conn.send((text, cap))
                if not self._child.conn.poll(timeout):
                    self._kill()
                    raise QueryTimeout(f"the query did not finish within {timeout:g} s")
                status, value = self._child.conn.recv()
            except (EOFError, BrokenPipeError, ConnectionError):
                self._kill()
                raise StoreError("the query process ended unexpectedly") from None
        if status == "error":
            raise value
        return value

    def close(self) -> None:
        with self._lock:
            self._kill()
