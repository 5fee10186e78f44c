"""`--timeout` is a total deadline for one remote query and for one whole push, however slowly the
server trickles.

Real sockets throughout: a trickling server on 127.0.0.1."""
from __future__ import annotations

import shutil
import socket
import threading
import time

import pytest
from click.testing import CliRunner

from atdkg.cli import main

DEADLINE = "no complete answer within 2 s (total deadline; --timeout)"
MARGIN = 1.5  # seconds past the deadline allowed for thread scheduling on a busy 2-core machine


# -- running the command line without ever hanging the test session ---------------------------------------------
_running: list[threading.Thread] = []


def atdkg(*args, limit: float = 20.0):
    """The CLI's result and the seconds it took. The command runs in a thread so that a client that
    never returns fails the test after ``limit`` seconds instead of hanging it (the servers below are
    stopped at teardown, which ends such a thread)."""
    box: dict = {}
    runner = threading.Thread(target=lambda: box.update(result=CliRunner().invoke(main, [str(a) for a in args])),
                              daemon=True)
    _running.append(runner)
    started = time.monotonic()
    runner.start()
    runner.join(limit)
    elapsed = time.monotonic() - started
    assert not runner.is_alive(), f"atdkg {' '.join(map(str, args))} was still running after {limit:g} s"
    return box["result"], elapsed


@pytest.fixture(autouse=True)
def _no_lingering_cli():
    """A command still running when its test failed ends once that test's servers are stopped; wait
    for it here, or it would print into the next test's CliRunner (which swaps sys.stdout globally)."""
    yield
    while _running:
        _running.pop().join(15)


@pytest.fixture
def no_config(monkeypatch):
    for name in ("ATDKG_ENDPOINT", "ATDKG_GRAPH_STORE", "ATDKG_DATA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ATDKG_CONFIG", "/nonexistent")


@pytest.fixture
def data_dir(build_dir, tmp_path, no_config):
    """A data directory of this test's own holding the session's build (the push journal goes in it)."""
    (tmp_path / "data" / "build").mkdir(parents=True)
    shutil.copy(build_dir / "graph.nq", tmp_path / "data" / "build" / "graph.nq")
    return tmp_path / "data"


# -- a server that answers one byte at a time ----------------------------------------------------------------------
def _read_request(conn: socket.socket) -> None:
    """Read one HTTP request (headers, then a Content-Length body) so the client is never stuck sending."""
    conn.settimeout(30)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return
        body += chunk


class Trickler:
    """Accepts connections on 127.0.0.1; for each request sends ``prefix`` at once, then ``byte`` every
    ``interval`` seconds until stopped (or closes the connection after ``prefix`` when ``byte`` is None)."""

    def __init__(self, prefix: bytes, byte: bytes | None = b" ", interval: float = 1.0):
        self.prefix, self.byte, self.interval = prefix, byte, interval
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/query"
        self.stopped = threading.Event()
        self.connections: list[socket.socket] = []
        self.requests = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(conn)
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket):
        try:
            _read_request(conn)
            self.requests += 1
            conn.sendall(self.prefix)
            while self.byte is not None and not self.stopped.wait(self.interval):
                conn.sendall(self.byte)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self):
        self.stopped.set()
        self.listener.close()
        for conn in self.connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


TRICKLES = {
    # the status line, then a header line that never ends
    "headers": (b"HTTP/1.1 200 OK\r\n", b"X"),
    # complete headers at once, then a body that never completes
    "body": (b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 100000\r\n\r\n",
             b" "),
}


@pytest.fixture(params=sorted(TRICKLES))
def trickler(request):
    server = Trickler(*TRICKLES[request.param])
    yield server
    server.close()


def test_query_deadline_against_a_trickling_server(trickler, no_config):
    result, elapsed = atdkg("query", "exchanges", "--endpoint", trickler.url, "--timeout", "2")
    assert result.exit_code == 3 and DEADLINE in result.output, result.output
    assert "Traceback" not in result.output
    assert 1.5 < elapsed < 2 + MARGIN, elapsed


def test_push_deadline_against_a_trickling_server(trickler, data_dir):
    result, elapsed = atdkg("push", "--endpoint", trickler.url, "--timeout", "2", "--data-dir", data_dir)
    assert result.exit_code == 3 and DEADLINE in result.output, result.output
    assert "Traceback" not in result.output
    assert 1.5 < elapsed < 2 + MARGIN, elapsed


def test_retry_after_never_waits_past_the_deadline(no_config):
    busy = Trickler(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Length: 4\r\n"
                    b"Connection: close\r\n\r\nbusy", byte=None)
    try:
        result, elapsed = atdkg("query", "exchanges", "--endpoint", busy.url, "--timeout", "2")
    finally:
        busy.close()
    assert result.exit_code == 3 and "HTTP 503" in result.output and "deadline" in result.output, result.output
    assert elapsed < 2 + MARGIN, elapsed
    assert busy.requests == 1  # a 5 s wait cannot fit in 2 s: no point asking again
