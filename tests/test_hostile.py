"""Hostile input against a real `atdkg serve` (gunicorn, 2 workers, query children) on 127.0.0.1:
one test per finding of the hostile-input review (issue 10), each reproduced against the server as a
stranger would meet it.

Every client of these tests has its own loopback address (127.0.0.0/8 all reaches this machine), so
the per-client query budget sees them as the different clients they stand for.
"""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from atdkg import server_process
from atdkg.server_process import free_port

LIMITS = {"ATDKG_QUERY_TIMEOUT": "4", "ATDKG_QUERY_MEMORY_MB": "300", "ATDKG_QUERY_BUDGET": "6",
          "ATDKG_QUERY_BUDGET_WINDOW": "60", "ATDKG_MAX_ROWS": "1000", "ATDKG_MAX_RESULT_MB": "1"}
CROSS = "?a ?b ?c . ?d ?e ?f"


# -- a served copy of the build -------------------------------------------------------------------------
def _copy_build(build_dir: Path, root: Path) -> Path:
    data = root / "data"
    data.mkdir(parents=True)
    shutil.copytree(build_dir, data / "build", ignore=shutil.ignore_patterns("cache", ".lock"))
    return data


@pytest.fixture(scope="module")
def served(build_dir, tmp_path_factory):
    data = _copy_build(build_dir, tmp_path_factory.mktemp("hostile"))
    proc, base = server_process.start(free_port(), {"ATDKG_DATA": str(data), **LIMITS})
    yield proc, base
    server_process.stop(proc)


@pytest.fixture(scope="module")
def base(served):
    return served[1]


@pytest.fixture(scope="module", params=["embedded", "endpoint"])
def served_either(request, build_dir, tmp_path_factory):
    """The server above, and `atdkg serve --endpoint` in front of the same build in Oxigraph's server (with
    the same limits): the refusals and bounds that do not depend on query children hold for both."""
    if request.param == "embedded":
        yield request.getfixturevalue("served")
        return
    data = _copy_build(build_dir, tmp_path_factory.mktemp("hostile-endpoint"))
    proc, base = server_process.start(free_port(), {"ATDKG_DATA": str(data), "ATDKG_ENDPOINT":
                                                    request.getfixturevalue("explorer_endpoint"), **LIMITS})
    yield proc, base
    server_process.stop(proc)


@pytest.fixture(scope="module")
def base_either(served_either):
    return served_either[1]


def request(base: str, path: str, *, client: str = "127.0.0.1", method: str = "GET", body: bytes | None = None,
            headers: dict | None = None, timeout: float = 60) -> tuple[int, dict, bytes, float]:
    """(status, headers, body, seconds) of one request from the loopback address ``client``."""
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout, source_address=(client, 0))
    started = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data, time.perf_counter() - started
    finally:
        conn.close()


def sparql(base: str, query: str, *, client: str = "127.0.0.1", accept: str = "text/csv", timeout: float = 60):
    body = urllib.parse.urlencode({"query": query}).encode()
    return request(base, "/sparql", client=client, method="POST", body=body, timeout=timeout,
                   headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})


def group_processes(proc) -> list[int]:
    """The server's processes: its process group (gunicorn master, workers, query children)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[2]) == proc.pid:  # the process group id
                    pids.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return pids


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def workers(proc) -> set[int]:
    """The gunicorn workers: the master's direct children that are not query children."""
    found = set()
    for pid in group_processes(proc):
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
        if ppid == proc.pid:
            found.add(pid)
    return found


@pytest.fixture
def listener():
    """A TCP listener on 127.0.0.1 that counts every connection made to it."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    srv.settimeout(0.1)
    hits = []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
                hits.append(1)
                conn.close()
            except OSError:
                pass
    t = threading.Thread(target=watch, daemon=True)
    t.start()
    yield srv.getsockname()[1], hits
    stop.set()
    t.join()
    srv.close()


# -- 1. SSRF: SERVICE in any spelling ------------------------------------------------------------------
SERVICE_SPELLINGS = {
    "after a dot": "SELECT ?x WHERE {{ ?a ?b ?c .SERVICE <{url}> {{ ?x ?y ?z }} }} LIMIT 1",
    "plain": "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "lower case": "select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
    "mixed case, no spaces": "SELECT * WHERE{{SeRvIcE<{url}>{{?s ?p ?o}}}}",
    "after an escaped quote in a prefixed name":
        "PREFIX e: <http://example.org/> "
        "SELECT * WHERE {{ e:a\\' e:p ?c .SERVICE <{url}> {{ ?x ?y ?z }} e:b\\' e:p ?c }}",
    "unicode escape": "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "long unicode escape": "SELECT * WHERE {{ SERV\\U00000049CE <{url}> {{ ?s ?p ?o }} }}",
    "comment inside": "SELECT * WHERE {{ SERVICE#comment\n<{url}>#\n{{ ?s ?p ?o }} }}",
    "silent, in OPTIONAL": "SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }}",
    "variable endpoint": "SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    "prefixed endpoint": "PREFIX x: <{url}> SELECT * WHERE {{ SERVICE x:q {{ ?s ?p ?o }} }}",
    "relative to BASE": "BASE <{url}> SELECT * WHERE {{ SERVICE <q> {{ ?s ?p ?o }} }}",
    "in a subquery": "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "in FILTER EXISTS": "SELECT * WHERE {{ ?a ?b ?c FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "in MINUS": "SELECT * WHERE {{ ?a ?b ?c MINUS {{ SERVICE <{url}> {{ ?a ?p ?o }} }} }}",
    "in UNION": "SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
    "ASK": "ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT": "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "FROM": "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
    "FROM NAMED": "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
}


@pytest.mark.parametrize("spelling", SERVICE_SPELLINGS)
def test_service_in_any_spelling_is_refused_and_nothing_connects(base_either, listener, spelling):
    port, hits = listener
    query = SERVICE_SPELLINGS[spelling].format(url=f"http://127.0.0.1:{port}/x")
    for accept in ("text/csv", "application/sparql-results+json", "text/turtle"):
        status, _, body, _ = sparql(base_either, query, client="127.0.1.1", accept=accept)
        assert status == 400, (spelling, status, body[:200])
    time.sleep(0.3)
    assert hits == [], f"{spelling}: the server connected to the listener {len(hits)} times"


def test_query_children_cannot_open_network_sockets(build_dir, listener):
    """The second wall: a child evaluating SERVICE with the parser check skipped still cannot connect."""
    from atdkg.queries.stores import EmbeddedStore, StoreError
    from atdkg.webapp.runner import Limits, QueryPool
    port, hits = listener
    pool = QueryPool(EmbeddedStore.from_build(build_dir), set(), Limits(timeout=10))
    try:
        with pytest.raises(StoreError, match=r"Permission denied|os error 13"):
            pool.rows(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}")
        assert pool.rows("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"].toPython() > 5000
    finally:
        pool.close()
    time.sleep(0.3)
    assert hits == []


# -- 2. memory bombs ----------------------------------------------------------------------------------
def _doublings(n: int) -> str:
    binds = " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(n))
    return f'SELECT (STRLEN(?x{n}) AS ?n) WHERE {{ BIND("abcdefgh" AS ?x0) {binds} }}'


MEMORY_BOMBS = {
    "ORDER BY over a cross product": f"SELECT * WHERE {{ {CROSS} }} ORDER BY ?c ?f LIMIT 10",
    "GROUP_CONCAT over a cross product": f"SELECT (GROUP_CONCAT(STR(?c)) AS ?g) WHERE {{ {CROSS} }}",
    "28 doublings of CONCAT": _doublings(28),
}


@pytest.mark.parametrize("bomb", MEMORY_BOMBS)
def test_memory_bombs_end_with_503_under_the_ceiling(served, bomb):
    proc, base = served
    baseline = max(rss_mb(p) for p in group_processes(proc))
    peak, done = [baseline], threading.Event()

    def sample():
        while not done.is_set():
            peak.append(max([rss_mb(p) for p in group_processes(proc)] or [0]))
            time.sleep(0.05)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        # a client per bomb: on a loaded machine two bombs that run to the 4 s limit use up one client's
        # 6 s budget, and the third would be a 429 before any memory was at stake
        client = f"127.0.2.{list(MEMORY_BOMBS).index(bomb) + 1}"
        status, headers, body, _ = sparql(base, MEMORY_BOMBS[bomb], client=client)
    finally:
        done.set()
        sampler.join()
    # the ceiling is 300 MB beyond what a child shares with its worker; 100 MB of slack for measuring
    assert max(peak) < baseline + 300 + 100, f"peak {max(peak):.0f} MB, baseline {baseline:.0f} MB"
    assert status == 503, (status, body[:300])
    assert "retry-after" in headers
    after = sparql(base, "ASK { ?s ?p ?o }", client=client)
    assert after[0] == 200, after[2][:300]


# -- 3. queries that used to be evaluated by the syntax check, in the web worker -----------------------
def _sum_bomb() -> str:
    names = [f"?v{i}" for i in range(9)]
    values = " ".join(f"VALUES {n} {{ 1 2 3 4 5 6 7 8 9 10 }}" for n in names)
    return f"ASK {{ {values} FILTER({' + '.join(names)} = 0) }}"


def test_syntax_check_bombs_end_at_the_time_limit_and_pages_keep_answering(base):
    answers = {}

    def bomb(k):
        answers[k] = sparql(base, _sum_bomb(), client=f"127.0.3.{k + 1}")
    bombs = [threading.Thread(target=bomb, args=(k,)) for k in range(2)]
    for t in bombs:
        t.start()
    time.sleep(0.5)
    pages = []
    while any(t.is_alive() for t in bombs):
        # uncached pages (a new search each time) are rendered while both bombs run
        status, _, _, seconds = request(base, f"/search?q=migr{len(pages)}", client="127.0.3.9")
        pages.append((status, seconds))
        time.sleep(0.2)
    for t in bombs:
        t.join()
    for status, _, body, seconds in answers.values():
        assert status == 503 and b"did not finish within 4 s" in body
        assert 3.5 < seconds < 8
    assert pages and all(s == 200 for s, _ in pages)
    assert max(t for _, t in pages) < 1.0, pages


# -- 4. fairness: slow sockets, expensive queries, a budget per client ---------------------------------
def _slow_socket(port: int, stop: threading.Event) -> None:
    """Send a request's headers one byte at a time, never finishing them."""
    s = socket.create_connection(("127.0.0.1", port), source_address=("127.0.4.200", 0))
    try:
        for ch in b"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10_000:
            if stop.is_set():
                return
            s.send(bytes([ch]))
            stop.wait(0.5)
    except OSError:
        pass
    finally:
        s.close()


def test_slow_sockets_and_expensive_queries_leave_pages_fast_and_heavy_clients_get_429(base):
    port = urllib.parse.urlsplit(base).port
    stop = threading.Event()
    slow = [threading.Thread(target=_slow_socket, args=(port, stop), daemon=True) for _ in range(20)]
    heavy_answers: list[tuple[int, dict]] = []

    def heavy(k):
        while not stop.is_set():
            status, headers, _, _ = sparql(base, f"SELECT (COUNT(*) AS ?n) WHERE {{ {CROSS} . ?g ?h ?i }}",
                                           client=f"127.0.4.{k + 1}")
            heavy_answers.append((status, headers))
            if status == 429:
                stop.wait(1)
    heavies = [threading.Thread(target=heavy, args=(k,), daemon=True) for k in range(8)]
    for t in slow + heavies:
        t.start()
    time.sleep(1)
    pages, ended = [], time.time() + 14
    paths = ["/", "/events", "/actors", "/id/state/THA", "/practices", "/search?q=detention"]
    try:
        while time.time() < ended:
            for path in paths:
                status, _, _, seconds = request(base, path, client="127.0.4.100")
                pages.append((status, seconds))
    finally:
        stop.set()
        for t in heavies:
            t.join(30)
    latencies = sorted(t for _, t in pages)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    assert all(s == 200 for s, _ in pages), [s for s, _ in pages if s != 200][:5]
    # (benchmarks.hostile measures the 500 ms target at full scale; here a margin for a noisy machine)
    assert p95 < 1.0, f"pages p95 {p95:.3f} s over {len(pages)} requests"
    limited = [h for s, h in heavy_answers if s == 429]
    assert limited, [s for s, _ in heavy_answers]
    assert all(int(h["retry-after"]) >= 1 for h in limited)
    # a client that has not used its budget is not limited by the others' use
    assert sparql(base, "ASK { ?s ?p ?o }", client="127.0.4.101")[0] == 200


def test_many_concurrent_uncached_pages_are_all_answered(base):
    """More page renders at once than each worker has query children: they wait their turn
    cooperatively (a lock that blocked the worker's thread would hang them all)."""
    results = []

    def client(k):
        for n in range(5):
            results.append(request(base, f"/search?q=c{k}x{n}", client=f"127.0.4.{150 + k}", timeout=30)[::3])
    threads = [threading.Thread(target=client, args=(k,)) for k in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 120 and all(status == 200 for status, _ in results), results[:5]


# -- 5. the Host header -------------------------------------------------------------------------------
def _absolute_urls(base: str, host: str) -> dict[str, tuple[int, bytes]]:
    return {path: request(base, path, headers={"Host": host, "Accept": accept})[::2]
            for path, accept in (("/void.ttl", "text/turtle"), ("/sparql", "text/turtle"), ("/sparql", "text/html"))}


def test_host_header_cannot_poison_answers_even_across_a_restart(build_dir, tmp_path):
    data = _copy_build(build_dir, tmp_path)
    env = {"ATDKG_DATA": str(data), "ATDKG_PUBLIC_URL": "https://kg.example.org/"}
    for allowed in ("", "*"):  # unknown hosts refused; and, where every host is accepted, still not used
        proc, base = server_process.start(free_port(), {**env, "ATDKG_ALLOWED_HOSTS": allowed})
        try:
            evil = _absolute_urls(base, "evil.example")
            normal = _absolute_urls(base, urllib.parse.urlsplit(base).netloc)
        finally:
            server_process.stop(proc)
        if not allowed:
            assert all(status == 400 for status, _ in evil.values()), evil
        for status, body in normal.values():
            assert status == 200 and b"evil.example" not in body
            assert b"https://kg.example.org/sparql" in body
        for status, body in evil.values():
            assert b"evil.example" not in body or status == 400


# -- 6. deep nesting ------------------------------------------------------------------------------------
NESTED = {
    "braces": "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000,
    "braces, unclosed": "SELECT * WHERE " + "{" * 5000,
    "parentheses": "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 3000 + "?o" + ")" * 3000 + ") }",
    "blank node lists": "SELECT * WHERE { ?s ?p " + "[ ?q " * 3000 + "?o" + " ]" * 3000 + " }",
    "escaped braces": "SELECT * WHERE " + "\\u007B" * 3000 + " ?s ?p ?o " + "\\u007D" * 3000,
}


@pytest.mark.parametrize("shape", NESTED)
def test_deeply_nested_queries_get_400_and_no_worker_dies(served_either, shape):
    proc, base = served_either
    before = workers(proc)
    in_flight = []

    first = 2 * list(NESTED).index(shape) + 1

    def slow_query(k):  # a request in flight on the workers meanwhile must be answered
        in_flight.append(sparql(base, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }",
                                client=f"127.0.6.{first + k}")[0])
    threads = [threading.Thread(target=slow_query, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    status, _, body, seconds = request(base, "/sparql", client="127.0.6.9", method="POST",
                                       body=NESTED[shape].encode(),
                                       headers={"Content-Type": "application/sparql-query"})
    for t in threads:
        t.join()
    assert status == 400 and b"nest" in body, (status, body[:200])
    assert seconds < 2
    assert workers(proc) == before, "a worker died"
    assert len(in_flight) == 2 and set(in_flight) <= {200, 503}, in_flight  # answered (503: the 4 s limit)


# -- 7. bounded outputs ---------------------------------------------------------------------------------
def test_construct_and_describe_answers_are_capped_and_say_so(base_either):
    base = base_either
    for query in ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "DESCRIBE ?s WHERE { ?s ?p ?o }"):
        status, headers, body, _ = sparql(base, query, client="127.0.7.1", accept="application/n-triples")
        assert status == 200
        assert headers["x-result-truncated"].startswith("true")
        assert body.count(b"\n") <= 1000 and len(body) <= 2**20


def test_large_answers_are_cut_to_the_byte_limit_and_say_so(base_either):
    base = base_either
    big = f"SELECT ?s (CONCAT({', '.join(['STR(?s)'] * 40)}) AS ?long) WHERE {{ ?s ?p ?o }}"  # ~2.5 MB in all
    status, headers, body, _ = sparql(base, big, client="127.0.7.2", accept="application/sparql-results+json")
    assert status == 200 and len(body) <= 2**20
    assert "bytes=" in headers["x-result-truncated"]
    assert json.loads(body)["results"]["bindings"]  # still a complete, valid document


def test_the_disk_cache_stays_within_its_bound(make_app, tmp_path):
    app = make_app(PAGE_CACHE_MB=1, PAGE_CACHE_DISK_MB=0.5, PAGE_CACHE_DIR=str(tmp_path / "cache"))
    client = app.test_client()
    for k in range(300):
        assert client.get(f"/search?q=a{k}").status_code == 200
        assert client.get(f"/sparql?query=ASK%7B%7D&k={k}").status_code == 200
    on_disk = sum(f.stat().st_size for f in (tmp_path / "cache").rglob("*") if f.is_file())
    assert 0 < on_disk <= 0.5 * 2**20, on_disk


def test_sigterm_still_stops_every_process(build_dir, tmp_path):
    data = _copy_build(build_dir, tmp_path)
    proc, base = server_process.start(free_port(), {"ATDKG_DATA": str(data)})
    try:
        for k in range(4):
            assert sparql(base, "ASK { ?s ?p ?o }", client=f"127.0.8.{k + 1}")[0] == 200
            assert request(base, f"/search?q=x{k}")[0] == 200
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        deadline = time.time() + 15
        while server_process.group_alive(proc) and time.time() < deadline:
            time.sleep(0.2)
        assert not server_process.group_alive(proc), "workers or query children outlived the server"
    finally:
        server_process.stop(proc)


# -- 8. what is served is one whole build: a rebuild is picked up atomically ----------------------------
DOORS = {"SPARQL": None, "VoID": "/void.ttl", "validation": "/validation.json", "download": "/downloads/graph.nq"}


def _answers(base: str) -> dict[str, bytes]:
    """What the server says about its build through four doors: the store, and three of its files."""
    out = {}
    for door, path in DOORS.items():
        if path is None:
            out[door] = sparql(base, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", client="127.0.9.1")[2]
        else:
            out[door] = request(base, path, client="127.0.9.1")[2]
    return out


def _quads(answers: dict[str, bytes]) -> dict[str, int]:
    return {"SPARQL": int(answers["SPARQL"].decode().split()[-1]),
            "validation": json.loads(answers["validation"])["quads"],
            "download": len({line for line in answers["download"].split(b"\n") if line.strip()})}


def test_a_rebuild_is_picked_up_whole_by_a_running_server(data_copy):
    from atdkg.build import build_graph, write_build
    write_build(build_graph(data_copy), data_copy / "build", data_copy / "sources")
    proc, base = server_process.start(free_port(), {"ATDKG_DATA": str(data_copy)})
    try:
        before = _answers(base)
        assert len(set(_quads(before).values())) == 1, _quads(before)
        # a second build with one document fewer, swapped in while the server runs
        manifest = data_copy / "sources" / "manifest.csv"
        lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
        manifest.write_text("".join(lines[:-1]), encoding="utf-8")
        (data_copy / "sources" / lines[-1].split(",")[1]).unlink()
        write_build(build_graph(data_copy), data_copy / "build", data_copy / "sources")
        expected = json.loads((data_copy / "build" / "summary.json").read_text())["quads"]
        seen, after, deadline = [], None, time.time() + 60
        while time.time() < deadline:
            seen.append(_answers(base))
            if _quads(seen[-1])["SPARQL"] == expected:
                after = after or len(seen)
                if len(seen) >= after + 3:  # a few more rounds on the new build
                    break
            time.sleep(0.2)
        final = seen[-1]
        assert set(_quads(final).values()) == {expected}, _quads(final)
        # every answer through every door is the old build's or the new one's, never a third thing
        for door in DOORS:
            assert {a[door] for a in seen} <= {before[door], final[door]}, door
        assert final["VoID"] != before["VoID"]
    finally:
        server_process.stop(proc)
