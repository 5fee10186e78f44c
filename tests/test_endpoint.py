"""The explorer in front of a SPARQL server (`atdkg serve --endpoint URL`, webapp/remote.py): what differs
from the embedded store. The pages and /sparql's rules themselves are tested in both modes by the
``explorer_mode`` fixture (test_pages.py, test_webapp.py, test_entity_pages.py); here, the failures of a
server — down, failing, slow, busy — each a 502 or 503 with a message and never a traceback, what is
unavailable without a build directory, the cache, and the real `atdkg serve --endpoint` under gunicorn."""
from __future__ import annotations

import http.server
import json
import os
import socket
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from atdkg import server_process
from atdkg.server_process import free_port

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
TSV_ONLY = "text/tab-separated-values"


def _sparql(client, query, accept="application/sparql-results+json"):
    return client.post("/sparql", data={"query": query}, headers={"Accept": accept})


def _message(r) -> str:
    assert b"Traceback" not in r.data
    return json.loads(r.data)["message"] if r.mimetype == "application/json" else r.data.decode()


# -- fake servers that fail ----------------------------------------------------------------------------
@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never answers (a server busy with a long query)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        srv.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(srv.accept()[0])
            except OSError:
                pass
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.getsockname()[1]}/query"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    srv.close()


@pytest.fixture
def failing_server():
    """An HTTP server that answers every query with 500 and a message of its own."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = b"storage engine exploded"
            self.send_response(500)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/query"
    srv.shutdown()
    srv.server_close()


def _graphs_known(app) -> None:
    """As if the server's named graphs had been asked for (none): a server that never answers would
    otherwise hold /sparql's check of FROM and default-graph-uri, which asks for them first."""
    graphs = app.extensions["atdkg"]["graphs"]
    graphs._graphs, graphs._when = frozenset(), time.monotonic()


@pytest.fixture
def recording_server():
    """An HTTP server that records each query's form fields and answers a SELECT of 5 rows in SPARQL TSV
    (whatever the query): another server than Oxigraph, to see what is sent and how TSV is read."""
    received: list[dict] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            fields = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
            received.append({**fields, "accept": self.headers["Accept"]})
            body = "?s\t?label\n" + "".join(f'<urn:x:{i}>\t"row {i}"@en\n' for i in range(5))
            self.send_response(200)
            self.send_header("Content-Type", "text/tab-separated-values; charset=utf-8")
            self.send_header("Content-Length", str(len(body.encode())))
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/sparql", received
    srv.shutdown()
    srv.server_close()


@pytest.mark.parametrize(("param", "sent"), [("timeout", "2"), ("timeout:ms", "2000")])
def test_the_servers_own_time_limit_is_sent_and_rows_are_read_up_to_the_cap(make_app, recording_server, param,
                                                                            sent):
    url, received = recording_server
    app = make_app(ENDPOINT=url, PAGE_CACHE_MB=0, QUERY_TIMEOUT=2.0, MAX_ROWS=3, ENDPOINT_TIMEOUT_PARAM=param,
                   ENDPOINT_GRAPHS_SECONDS=3600)
    _graphs_known(app)
    r = _sparql(app.test_client(), "SELECT ?s ?label WHERE { ?s rdfs:label ?label }")
    assert r.status_code == 200, r.data[:300]
    rows = json.loads(r.data)["results"]["bindings"]
    assert [b["label"] for b in rows] == [{"type": "literal", "value": f"row {i}", "xml:lang": "en"} for i in range(3)]
    assert r.headers["X-Result-Truncated"] == "true; limit=3"
    query = received[-1]
    # what is left of the time limit once the check has run: at most the limit, in the unit asked for
    assert 0.5 * float(sent) < float(query["timeout"][0]) <= float(sent) and query["accept"] == TSV_ONLY
    # the standard prefixes are declared in the text sent, as the embedded store is given them
    assert "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in query["query"][0]


# -- failures ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/events", "/id/state/PRT", "/network", "/search?q=detention",
                                  "/document/001"])
def test_a_server_that_is_down_is_a_502_naming_it_on_every_page(make_app, path):
    down = f"http://127.0.0.1:{free_port()}/query"
    app = make_app(ENDPOINT=down, PAGE_CACHE_MB=0)  # made without asking the server anything
    r = app.test_client().get(path)
    assert r.status_code == 502, (path, r.status_code, r.data[:300])
    assert "cannot reach it" in _message(r) and "Connection refused" in _message(r)
    assert down not in _message(r)  # the server's address may be internal: the log has it


def test_a_server_that_is_down_is_a_502_on_sparql_and_costs_no_budget(make_app):
    down = f"http://127.0.0.1:{free_port()}/query"
    app = make_app(ENDPOINT=down, PAGE_CACHE_MB=0, QUERY_BUDGET=1.0)
    client = app.test_client()
    for _ in range(5):  # a failure charges nothing: no 429 after a few
        r = _sparql(client, COUNT)
        assert r.status_code == 502 and "cannot reach it" in _message(r)


def test_a_server_error_is_a_502_with_the_servers_message(make_app, failing_server):
    app = make_app(ENDPOINT=failing_server, PAGE_CACHE_MB=0)
    client = app.test_client()
    for r in (client.get("/events"), _sparql(client, COUNT)):
        assert r.status_code == 502
        assert "HTTP 500" in _message(r) and "storage engine exploded" in _message(r)


def test_a_slow_server_is_a_503_at_the_time_limit(make_app, silent_server):
    app = make_app(ENDPOINT=silent_server, PAGE_CACHE_MB=0, QUERY_TIMEOUT=1.0)
    client = app.test_client()
    for r in (client.get("/events"), _sparql(client, COUNT)):
        started = time.monotonic()
        assert r.status_code == 503 and r.headers["Retry-After"]
        assert "did not finish" in _message(r)
        assert time.monotonic() - started < 5


def test_requests_to_the_server_are_bounded_per_worker(make_app, silent_server):
    """QUERY_CHILDREN requests of /sparql in flight to the server at once; the next waits QUERY_WAIT, then 503."""
    app = make_app(ENDPOINT=silent_server, PAGE_CACHE_MB=0, QUERY_TIMEOUT=3.0, QUERY_CHILDREN=1, QUERY_WAIT=0.3,
                   CLIENT_CONCURRENCY=5, ENDPOINT_GRAPHS_SECONDS=3600)
    _graphs_known(app)
    first = threading.Thread(target=lambda: _sparql(app.test_client(), COUNT))
    first.start()
    time.sleep(0.5)
    r = _sparql(app.test_client(), COUNT, accept="text/csv")
    first.join()
    assert r.status_code == 503 and "stayed busy for 0.3 s" in _message(r), _message(r)


def test_a_query_is_checked_before_anything_is_sent(make_app, silent_server):
    """SERVICE, updates and FROM outside the dataset are refused here; the server (which never answers)
    would make each of them a 503 if it had been asked."""
    app = make_app(ENDPOINT=silent_server, PAGE_CACHE_MB=0, QUERY_TIMEOUT=1.0, ENDPOINT_GRAPHS_SECONDS=3600)
    _graphs_known(app)
    client = app.test_client()
    for query in ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
                  "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                  "SELECT * FROM <http://127.0.0.1:9/> WHERE { ?s ?p ?o }",
                  "SELECT * WHERE { ?s ?p }"):
        r = _sparql(client, query)
        assert r.status_code == 400, (query, r.status_code, r.data[:200])


# -- what works without the build -------------------------------------------------------------------------
@pytest.fixture
def bare_app(explorer_endpoint, monkeypatch, tmp_path):
    """`atdkg serve --endpoint URL` with no --data-dir: no build directory at all."""
    from atdkg.webapp import create_app, store
    monkeypatch.delenv("ATDKG_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    app = create_app({"ENDPOINT": explorer_endpoint, "PAGE_CACHE_DIR": str(tmp_path / "cache")})
    yield app
    store.close(app)


def test_without_a_build_directory_pages_say_what_they_lack(bare_app, tmp_path):
    assert bare_app.config["BUILD_DIR"] is None and bare_app.extensions["atdkg"]["store"] is None
    client = bare_app.test_client()
    r = client.get("/document/001")
    assert r.status_code == 200
    page = r.data.decode()
    assert 'id="no-source"' in page and "--data-dir" in page and "the texts are in the build directory" in page
    assert "without the build directory" in page  # the coverage section says why it is empty
    passages = json.loads(client.get("/document/001?format=json").data)
    assert passages and all(int(p["end"]) > int(p["start"]) for p in passages)  # the graph's passages are there
    assert client.get("/downloads/graph.nq").status_code == 404
    for path in ("/", "/events", "/id/state/PRT", "/validation", "/downloads", "/network"):
        assert client.get(path).status_code == 200, path
    assert not (tmp_path / "cache").exists()  # in front of a server, answers are never written to disk


def test_the_cache_is_keyed_by_the_server(make_app, explorer_endpoint, failing_server, tmp_path):
    """Two explorers sharing a cache directory, in front of two servers: neither serves the other's answer."""
    shared = str(tmp_path / "shared")
    good = make_app(ENDPOINT=explorer_endpoint, PAGE_CACHE_DIR=shared).test_client()
    assert good.get("/events").status_code == 200
    assert good.get("/events").headers["X-Cache"] == "hit"
    bad = make_app(ENDPOINT=failing_server, PAGE_CACHE_DIR=shared).test_client()
    assert bad.get("/events").status_code == 502
    assert not Path(shared).exists()


# -- the real server ---------------------------------------------------------------------------------------
def test_serve_refuses_an_endpoint_that_is_not_a_url():
    from atdkg.cli import main
    r = CliRunner().invoke(main, ["serve", "--endpoint", "ftp://example.org/sparql"])
    assert r.exit_code != 0 and "--endpoint" in r.output and "not an http(s) URL" in r.output


def test_atdkg_serve_endpoint_under_gunicorn(explorer_endpoint, tmp_path):
    """The production server in front of Oxigraph's: pages, /sparql with its rules and limits, two workers."""
    env = {"ATDKG_ENDPOINT": explorer_endpoint, "ATDKG_DATA": str(tmp_path / "no-data"), "ATDKG_MAX_ROWS": "50",
           "ATDKG_QUERY_TIMEOUT": "3"}
    proc, base = server_process.start(free_port(), env, wait=60)
    try:
        def get(path, accept="text/html"):
            req = urllib.request.Request(base + path, headers={"Accept": accept})
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    return r.status, dict(r.headers), r.read()
            except urllib.error.HTTPError as e:
                return e.code, dict(e.headers), e.read()
        for path in ("/", "/events", "/actors", "/id/state/PRT", "/network"):
            status, _, body = get(path)
            assert status == 200, (path, status, body[:300])
        status, headers, body = get("/sparql?" + urllib.parse.urlencode({"query": "SELECT ?s WHERE { ?s ?p ?o }"}),
                                    "text/csv")
        assert status == 200 and body.count(b"\n") == 51 and headers["X-Result-Truncated"] == "true; limit=50"
        status, _, body = get("/sparql?" + urllib.parse.urlencode(
            {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}), "application/json")
        assert status == 400 and b"SERVICE" in body
        status, _, body = get("/sparql?" + urllib.parse.urlencode(
            {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"}), "application/json")
        assert status == 503 and b"did not finish within 3 s" in body
        assert server_process.group_alive(proc)
    finally:
        server_process.stop(proc)
    assert not os.path.exists(tmp_path / "no-data")
