"""`atdkg queries`, `atdkg query`, `atdkg push` and the Python API; failures are clear and bounded."""
from __future__ import annotations

import csv
import io
import json
import threading
import time
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from click.testing import CliRunner
from rdflib import Graph

from atdkg.cli import main
from atdkg.server_process import free_port


@pytest.fixture
def in_build(build_dir, monkeypatch):
    """Run commands with data/ = the session's build; no endpoint configured."""
    monkeypatch.setenv("ATDKG_DATA", str(build_dir.parent))
    monkeypatch.delenv("ATDKG_ENDPOINT", raising=False)
    monkeypatch.setenv("ATDKG_CONFIG", "/nonexistent")
    monkeypatch.chdir(build_dir.parent)
    return build_dir


def atdkg(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result


def test_queries_lists_the_catalogue(in_build):
    out = atdkg("queries").output
    assert "session-moderators" in out and "[date=2021-06-29]" in out
    entries = json.loads(atdkg("queries", "--format", "json").output)
    assert {e["name"] for e in entries} >= {"exchanges", "describe", "government-speakers"}
    assert all(e["title"] and e["description"] for e in entries)


def test_query_csv_has_the_rows(in_build):
    result = atdkg("query", "session-moderators", "--param", "date=2022-01-27", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["number"], r["name"]) for r in rows] == [("1", "Patrick Eba"), ("2", "Verena Knaus")]


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv", "table"])
def test_select_formats(in_build, fmt):
    out = atdkg("query", "co-hosted-all", "--format", fmt).output
    if fmt == "json":
        doc = json.loads(out)
        assert doc["head"]["vars"] == ["state", "stateLabel", "exchanges"]
        assert {b["stateLabel"]["value"] for b in doc["results"]["bindings"]} == {"Portugal", "Thailand"}
    elif fmt == "xml":
        ns = {"s": "http://www.w3.org/2005/sparql-results#"}
        root = ET.fromstring(out)
        assert len(root.findall(".//s:result", ns)) == 2
    elif fmt == "tsv":
        lines = out.splitlines()
        assert lines[0] == "?state\t?stateLabel\t?exchanges" and len(lines) == 3 and "\t3" in lines[1]
    else:
        assert "Portugal" in out and "(2 rows)" in out


@pytest.mark.parametrize("fmt, parser", [("turtle", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")])
def test_construct_formats(in_build, fmt, parser):
    out = atdkg("query", "describe", "-p", "iri=https://w3id.org/atd-kg/id/state/THA", "--format", fmt).output
    g = Graph()
    g.parse(data=out, format=parser)
    assert len(g) > 5


def test_limit_and_ad_hoc_file(in_build, tmp_path):
    q = tmp_path / "q.rq"
    q.write_text("SELECT ?p WHERE { ?p a foaf:Person } ORDER BY ?p", encoding="utf-8")
    result = atdkg("query", "--file", q, "--limit", "3", "--format", "csv")
    assert len(result.stdout.strip().splitlines()) == 4  # header and three rows; the warning is on stderr
    assert "truncated to 3 rows" in result.stderr
    assert "truncated" in atdkg("query", "--file", q, "--limit", "3").output


@pytest.mark.parametrize("args, code, message", [
    (["query", "sesion-moderators"], 2, "did you mean session-moderators"),
    (["query", "describe"], 2, "missing parameter iri"),
    (["query", "session-moderators", "-p", "date=yesterday"], 2, "not a date"),
    (["query", "exchanges", "--format", "turtle"], 2, "table, csv, tsv, json, xml"),
    (["query", "exchanges", "-p", "noequals"], 2, "expected key=value"),
    (["query", "exchanges", "--endpoint", "ftp://x"], 2, "not an http(s) URL"),
])
def test_user_errors(in_build, args, code, message):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == code and message in result.output, result.output
    assert "Traceback" not in result.output


def test_malformed_query_reports_line_and_column(in_build, tmp_path):
    q = tmp_path / "bad.rq"
    q.write_text("SELECT ?x\nWHERE {\n  ?x ?y ?z .\n  FILTER (?x = )\n}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", "--file", str(q)])
    assert result.exit_code == 2 and f"{q}: line 4, column 3, at 'FILTER'" in result.output, result.output


def test_updates_are_not_queries(in_build, tmp_path):
    q = tmp_path / "drop.rq"
    q.write_text("DROP ALL", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", "--file", str(q)])
    assert result.exit_code == 2 and "this is a SPARQL update" in result.output, result.output


# -- a scripted HTTP server for the failure modes a real server rarely shows on demand --------------
class Script(BaseHTTPRequestHandler):
    responses: ClassVar[list] = []  # shared by the handler's instances: the test sets the script here
    seen: ClassVar[list] = []

    def _answer(self):
        self.seen.append(time.time())
        status, headers, body, delay = self.responses.pop(0) if self.responses else (200, {}, b"", 0)
        time.sleep(delay)
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args):
        pass


OK_JSON = (200, {"Content-Type": "application/sparql-results+json"},
           b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"1"}}]}}', 0)


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A client that gave up (what the timeout tests make happen) leaves a broken pipe behind. The default
        prints its traceback to stderr, late, from the request's thread — into whatever later test is capturing."""


@pytest.fixture
def scripted():
    port = free_port()
    server = QuietServer(("127.0.0.1", port), Script)
    Script.responses, Script.seen = [], []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}/query", Script
    server.shutdown()


def test_retry_after_is_honoured(scripted, tmp_path):
    url, script = scripted
    script.responses = [(429, {"Retry-After": "1"}, b"slow down", 0), (503, {"Retry-After": "1"}, b"", 0), OK_JSON]
    result = CliRunner().invoke(main, ["query", "exchanges", "--endpoint", url, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert len(script.seen) == 3 and script.seen[1] - script.seen[0] >= 0.9 and script.seen[2] - script.seen[1] >= 0.9


def test_retries_are_bounded(scripted):
    url, script = scripted
    script.responses = [(503, {"Retry-After": "0"}, b"busy", 0)] * 10
    result = CliRunner().invoke(main, ["query", "exchanges", "--endpoint", url])
    assert result.exit_code == 3 and "HTTP 503" in result.output and "after 4 attempts" in result.output
    assert len(script.seen) == 4


@pytest.mark.parametrize("status, code, message", [(500, 3, "server error"), (502, 3, "HTTP 502"),
                                                   (400, 2, "rejected the query"), (404, 3, "not found")])
def test_http_errors(scripted, status, code, message):
    url, script = scripted
    script.responses = [(status, {}, b"nope", 0)]
    result = CliRunner().invoke(main, ["query", "exchanges", "--endpoint", url])
    assert result.exit_code == code and message in result.output, result.output
    assert "Traceback" not in result.output


def test_truncated_results_are_a_server_failure(scripted):
    url, script = scripted
    script.responses = [(200, {"Content-Type": "application/sparql-results+json"},
                         b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", "val', 0)]
    result = CliRunner().invoke(main, ["query", "exchanges", "--endpoint", url])
    assert result.exit_code == 3 and "malformed results" in result.output, result.output
    assert "Traceback" not in result.output


def test_timeout(scripted):
    url, script = scripted
    script.responses = [(200, {}, b"{}", 3)]
    started = time.time()
    result = CliRunner().invoke(main, ["query", "exchanges", "--endpoint", url, "--timeout", "1"])
    assert result.exit_code == 3 and "timeout" in result.output
    assert time.time() - started < 2.5


def test_unreachable_server():
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(main, ["query", "exchanges", "--endpoint", url])
    assert result.exit_code == 3 and "cannot reach" in result.output and url in result.output


def test_endpoint_precedence_flag_env_config(tmp_path, monkeypatch):
    ports = [free_port(), free_port(), free_port()]
    config = tmp_path / "atdkg.toml"
    config.write_text(f'endpoint = "http://127.0.0.1:{ports[2]}/query"\n', encoding="utf-8")
    monkeypatch.setenv("ATDKG_CONFIG", str(config))
    run = lambda *a: CliRunner().invoke(main, ["query", "exchanges", *a]).output  # noqa: E731
    assert f":{ports[2]}/" in run()
    monkeypatch.setenv("ATDKG_ENDPOINT", f"http://127.0.0.1:{ports[1]}/query")
    assert f":{ports[1]}/" in run()
    assert f":{ports[0]}/" in run("--endpoint", f"http://127.0.0.1:{ports[0]}/query")


def test_push_twice_via_the_cli(oxigraph_server, in_build):
    first = atdkg("push", "--endpoint", f"{oxigraph_server}/query")
    assert first.exit_code == 0 and "named graphs" in first.output
    count = lambda: atdkg("query", "--file", in_build.parent / "count.rq", "--endpoint",  # noqa: E731
                          f"{oxigraph_server}/query", "--format", "csv").output
    (in_build.parent / "count.rq").write_text("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    before = count()
    assert atdkg("push", "--endpoint", f"{oxigraph_server}/query").exit_code == 0
    assert count() == before and int(before.split()[1]) > 5000


def test_python_api_embedded_and_remote(oxigraph_server, in_build):
    from atdkg.api import open_store
    local = open_store(data_dir=in_build.parent)
    rows = local.run("session-moderators", date="2021-06-29")
    assert [(r["number"], r["name"]) for r in rows] == [(1, "Carolina Gottardo"), (2, "Madeline Garlick"),
                                                        (3, "Verena Knaus")]
    atdkg("push", "--endpoint", f"{oxigraph_server}/query")
    remote = open_store(endpoint=f"{oxigraph_server}/query")
    as_sets = lambda rs: [{k: set(v.split("|")) if k == "orgNames" else v for k, v in r.items()} for r in rs]  # noqa: E731
    assert as_sets(remote.run("session-moderators", date="2021-06-29")) == as_sets(rows)  # GROUP_CONCAT order is free
    assert local.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a atd:State }")[0]["n"] == 16
    assert {e["name"] for e in local.catalogue()} >= {"exchanges"}


def test_embedded_timeout_ends_a_runaway_query(in_build, tmp_path):
    """A cross product on the embedded store stops at --timeout with exit 3 (in a subprocess:
    the abandoned query thread ends with the process)."""
    import subprocess
    import sys
    q = tmp_path / "cross.rq"
    q.write_text("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", encoding="utf-8")
    started = time.time()
    proc = subprocess.run([sys.executable, "-m", "atdkg.cli", "query", "--file", str(q), "--timeout", "1",
                           "--data-dir", str(in_build.parent)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3 and "did not finish within 1 s" in proc.stderr, proc.stderr
    assert time.time() - started < 20
