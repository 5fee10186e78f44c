"""`--timeout` is a total deadline for one remote query and for one whole push, however slowly the
server trickles; a push that fails half-way says which named graphs it replaced, and `--resume`
finishes it or `--rollback` undoes it.

Real sockets throughout: a trickling server on 127.0.0.1, and a proxy that makes a real Oxigraph
server fail after some PUTs."""
from __future__ import annotations

import http.client
import re
import shutil
import socket
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
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


# -- a real server that fails half-way through a push ----------------------------------------------------------------
class FailingProxy:
    """Forwards every request to a real server, except that once ``fail_after`` PUTs have been
    forwarded, every further PUT is answered 500 (``fail_after = None``: never)."""

    def __init__(self, upstream: str):
        self.upstream = urllib.parse.urlsplit(upstream)
        self.fail_after: int | None = None
        self.forwarded_puts: list[str] = []  # graph IRIs, in order
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.command == "PUT":
                    if proxy.fail_after is not None and len(proxy.forwarded_puts) >= proxy.fail_after:
                        return self._send(500, "text/plain", b"injected failure")
                    graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("graph", [""])[0]
                    proxy.forwarded_puts.append(graph)
                conn = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=60)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
                    conn.request(self.command, self.path, body=body or None, headers=headers)
                    answer = conn.getresponse()
                    self._send(answer.status, answer.getheader("Content-Type"), answer.read())
                finally:
                    conn.close()

            def _send(self, status, content_type, data):
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/query"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def proxy(oxigraph_server):
    p = FailingProxy(oxigraph_server)
    yield p
    p.close()


def _http(method: str, url: str, data: bytes | None = None, **headers) -> bytes:
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=60) as response:
        return response.read()


def server_quads(base: str) -> set[str]:
    """Every quad the server holds, as N-Quads lines (the build has no blank nodes)."""
    text = _http("GET", f"{base}/store", Accept="application/n-quads").decode("utf-8")
    return {line for line in text.splitlines() if line.strip()}


def clear(base: str) -> None:
    _http("POST", f"{base}/update", b"CLEAR ALL", **{"Content-Type": "application/sparql-update"})


@pytest.fixture
def empty_server(oxigraph_server):
    """The session's Oxigraph server emptied for this test, and given back its content afterwards."""
    saved = server_quads(oxigraph_server)
    clear(oxigraph_server)
    yield oxigraph_server
    clear(oxigraph_server)
    if saved:
        _http("POST", f"{oxigraph_server}/store", "\n".join(sorted(saved)).encode("utf-8") + b"\n",
              **{"Content-Type": "application/n-quads"})


def build_graphs(data: Path) -> list[str]:
    quads = ox.parse(path=str(data / "build" / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    return sorted({q.graph_name.value for q in quads})


def pushed_alone(base: str, data: Path) -> set[str]:
    """What the server holds after the build is pushed, in one go, onto an empty server (the
    reference: the server's own canonical forms of literals included). The server is emptied again."""
    clear(base)
    result, _ = atdkg("push", "--endpoint", f"{base}/query", "--data-dir", data)
    assert result.exit_code == 0, result.output
    quads = server_quads(base)
    clear(base)
    return quads


def journal(data: Path) -> list[Path]:
    return [p for p in (data / ".push-journal").glob("*") if p.is_dir()] if (data / ".push-journal").exists() else []


def listed(report: str, state: str) -> list[str]:
    """The graphs a failure report lists under ``state`` (one per line: "  replaced      IRI")."""
    return [line.split()[len(state.split())] for line in report.splitlines() if line.strip().startswith(state + " ")]


def fail_half_way(proxy: FailingProxy, data: Path, after: int = 3):
    proxy.fail_after = after
    result, _ = atdkg("push", "--endpoint", proxy.url, "--timeout", "60", "--data-dir", data)
    proxy.fail_after = None
    return result


def test_a_failed_push_says_what_it_replaced_and_resume_finishes_it(empty_server, proxy, data_dir):
    expected = pushed_alone(empty_server, data_dir)
    graphs = build_graphs(data_dir)
    assert len(graphs) == 8 and len(expected) > 5000

    failed = fail_half_way(proxy, data_dir, after=3)
    assert failed.exit_code == 3 and "HTTP 500" in failed.output, failed.output
    report = failed.output
    assert listed(report, "replaced") == graphs[:3] and listed(report, "not replaced") == graphs[3:], report
    assert re.search(r"^to finish .*: atdkg push .*--resume$", report, re.M), report
    assert re.search(r"^to undo .*: atdkg push .*--rollback$", report, re.M), report
    assert server_quads(empty_server) < expected  # three graphs are there, the rest are not
    assert journal(data_dir)

    proxy.forwarded_puts.clear()
    resumed, _ = atdkg("push", "--resume", "--endpoint", proxy.url, "--data-dir", data_dir)
    assert resumed.exit_code == 0, resumed.output
    assert proxy.forwarded_puts == graphs[3:]  # only the graphs not yet replaced
    assert server_quads(empty_server) == expected
    assert not journal(data_dir)  # done: nothing left to resume or roll back


def write_other_build(data: Path, other: Path, keep: list[str]) -> None:
    """A different build: a few triples of the graphs ``keep`` plus a marker in each, and a graph the
    real build does not have (a push leaves it alone)."""
    quads = [q for q in ox.parse(path=str(data / "build" / "graph.nq"), format=ox.RdfFormat.N_QUADS)
             if q.graph_name.value in keep]
    out = []
    for iri in keep:
        out += [q for q in quads if q.graph_name.value == iri][:5]
        out.append(ox.Quad(ox.NamedNode("urn:x:marker"), ox.NamedNode("urn:x:from"), ox.Literal("other build"),
                           ox.NamedNode(iri)))
    out.append(ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.Literal("c"),
                       ox.NamedNode("https://example.org/not-in-the-build")))
    (other / "build").mkdir(parents=True)
    ox.serialize(out, str(other / "build" / "graph.nq"), format=ox.RdfFormat.N_QUADS)


def test_rollback_restores_what_the_server_held(empty_server, proxy, data_dir, tmp_path):
    graphs = build_graphs(data_dir)
    other = tmp_path / "other"
    write_other_build(data_dir, other, keep=[graphs[0], graphs[2]])  # graphs[1] will not exist before
    first, _ = atdkg("push", "--endpoint", f"{empty_server}/query", "--data-dir", other)
    assert first.exit_code == 0, first.output
    before = server_quads(empty_server)
    assert len(before) == 13

    failed = fail_half_way(proxy, data_dir, after=3)
    assert failed.exit_code == 3, failed.output
    assert server_quads(empty_server) != before

    rolled, _ = atdkg("push", "--rollback", "--endpoint", proxy.url, "--data-dir", data_dir)
    assert rolled.exit_code == 0, rolled.output
    assert server_quads(empty_server) == before
    assert not journal(data_dir)


def test_resume_refuses_a_changed_build_and_push_refuses_to_start_over(empty_server, proxy, data_dir):
    failed = fail_half_way(proxy, data_dir, after=1)
    assert failed.exit_code == 3, failed.output
    held = server_quads(empty_server)

    again, _ = atdkg("push", "--endpoint", proxy.url, "--data-dir", data_dir)
    assert again.exit_code == 2 and "unfinished push" in again.output and "--resume" in again.output, again.output

    with open(data_dir / "build" / "graph.nq", "a", encoding="utf-8") as f:
        f.write('<urn:x:s> <urn:x:p> "rebuilt" <urn:x:g> .\n')
    resumed, _ = atdkg("push", "--resume", "--endpoint", proxy.url, "--data-dir", data_dir)
    assert resumed.exit_code == 2 and "build changed" in resumed.output, resumed.output
    assert server_quads(empty_server) == held  # refused before touching anything

    rolled, _ = atdkg("push", "--rollback", "--endpoint", proxy.url, "--data-dir", data_dir)
    assert rolled.exit_code == 0, rolled.output
    assert server_quads(empty_server) == set()


def test_resume_and_rollback_with_nothing_journaled(empty_server, data_dir):
    for flag in ("--resume", "--rollback"):
        result, _ = atdkg("push", flag, "--endpoint", f"{empty_server}/query", "--data-dir", data_dir)
        assert result.exit_code == 2 and "no unfinished push" in result.output, result.output
