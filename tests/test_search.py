"""/search (webapp/search.py) and the /sparql editor page's plain-HTML paths, with Flask's test client:
ranking, kinds and links, the suggestions' JSON, the no-node_modules message on /sparql and /network, the
plain form's table and its errors at the user's own line, and the editor page's CSP."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

IDC = "https://w3id.org/atd-kg/id/org/idc"


@pytest.fixture(scope="module")
def app(make_app):
    return make_app(QUERY_TIMEOUT=10.0, MAX_ROWS=10_000)


@pytest.fixture(scope="module")
def bare_app(make_app, tmp_path_factory):
    """The explorer where `npm ci` has not run: node_modules is an empty folder."""
    return make_app(NODE_MODULES=str(tmp_path_factory.mktemp("node_modules")))


@pytest.fixture
def client(app):
    return app.test_client()


def hits(client, q: str, **args) -> list[dict]:
    r = client.get("/search.json", query_string={"q": q, **args})
    assert r.status_code == 200, r.data[:300]
    return json.loads(r.data)["hits"]


# -- ranking ------------------------------------------------------------------------------------------
def test_an_acronym_finds_its_organisation_first(client):
    found = hits(client, "IDC")
    assert found[0]["entity"] == IDC and found[0]["label"] == "International Detention Coalition"
    assert found[0]["match"] == "exact" and "IDC" in found[0]["matched"]
    # then the organisation whose name starts with it, before any practice, unnamed actor or metric
    assert found[1]["label"] == "IDC Grassroots Group" and found[1]["match"] == "prefix"


def test_entities_before_technical_nodes(client):
    for q in ("IDC", "thailand", "gottardo", "detention coalition"):
        groups = [h["group"] for h in hits(client, q)]
        assert "technical" in groups, q  # the query does reach technical nodes …
        first_technical = groups.index("technical")
        assert "entity" not in groups[first_technical:], (q, groups)  # … and ranks every one after the entities


def test_exact_then_prefix_then_words(client):
    found = hits(client, "thailand")
    assert found[0]["label"] == "Thailand" and found[0]["match"] == "exact"
    entities = [h for h in found if h["group"] == "entity"]
    order = ["exact", "prefix", "words", "contains"]
    ranks = [order.index(h["match"]) for h in entities]
    assert ranks == sorted(ranks), [(h["label"], h["match"]) for h in entities]
    assert {"Government of Thailand", "Asylum Access Thailand"} <= {h["label"] for h in entities}


def test_accents_case_and_word_starts(client):
    assert hits(client, "mario")[0]["label"] == "Mário Martins"
    assert hits(client, "ACIK")[0]["label"] == "Demet Açık"
    assert hits(client, "carol gott")[0]["label"] == "Carolina Gottardo"  # every word a word start
    assert hits(client, "ottard")[0]["label"] == "Carolina Gottardo"      # inside a word, from 3 characters
    assert all(h["match"] != "contains" for h in hits(client, "tt"))  # 2 characters: no matches inside words


# -- kinds and links ----------------------------------------------------------------------------------
def test_each_hit_shows_its_kind_and_links_to_its_page(client):
    found = {h["label"]: h for h in hits(client, "IDC")}
    assert found["International Detention Coalition"]["kind"] == "civil-society network"
    assert found["IDC Grassroots Group"]["kind"] == "organisational unit"
    assert hits(client, "gottardo")[0]["kind"] == "person"     # foaf:Person has no label: named for it
    assert hits(client, "thailand")[0]["kind"] == "State"
    html = client.get("/search?q=IDC").data.decode()
    first = re.search(r'<ol class="hits">\s*<li class="hit hit-(\w+)"><a href="([^"]+)">([^<]+)</a> '
                      r'<span class="kind">([^<]+)</span>', html)
    assert first and first.groups() == ("entity", "/id/org/idc", "International Detention Coalition",
                                        "civil-society network")
    assert client.get("/id/org/idc").status_code == 200
    count = json.loads(client.get("/search.json?q=IDC").data)["count"]
    assert f"{count} results for <q>IDC</q>" in html and html.count('<li class="hit ') == count


def test_twins_and_limit(client):
    r = client.get("/search.json?q=IDC&limit=8")
    data = json.loads(r.data)
    assert len(data["hits"]) == 8 and data["count"] > 8 and data["hits"][0]["href"] == "/id/org/idc"
    rows = list(csv.DictReader(io.StringIO(client.get("/search.csv?q=IDC").data.decode())))
    assert rows[0]["label"] == "International Detention Coalition" and rows[0]["kind"] == "civil-society network"
    assert len(rows) == data["count"]
    for bad in ("0", "x", "-1", "501", "1e3"):
        r = client.get("/search.json", query_string={"q": "IDC", "limit": bad})
        assert r.status_code == 400 and b"limit" in r.data and b"Traceback" not in r.data
    assert hits(client, "   ") == [] and hits(client, "zzqqxx") == []


def test_the_search_page_is_a_form_and_a_list_without_javascript(client):
    html = client.get("/search?q=gottardo").data.decode()
    assert '<form method="get" action="/search"' in html and 'name="q"' in html
    assert 'href="/id/person/carolina-gottardo">Carolina Gottardo</a>' in html
    assert 'src="/static/js/search-suggest.js"' in html and "<script>" not in html  # an enhancement only


# -- /sparql and /network without node_modules ------------------------------------------------------------
def test_without_node_modules_the_pages_say_what_to_run(bare_app, app):
    bare = bare_app.test_client()
    for path, fallback in (("/sparql", 'id="sparql-form"'), ("/network", 'id="network-edges"')):
        html = bare.get(path, headers={"Accept": "text/html"}).data.decode()
        note = re.search(r'<p class="vendor-missing" role="note">(.*?)</p>', html, re.S)
        assert note, path
        assert "<code>npm ci</code>" in note.group(1) and "<code>./run.sh</code>" in note.group(1)
        assert fallback in html and "/vendor/" not in html  # the plain form or table, no dead script tags
    for path in ("/sparql", "/network"):  # with the libraries installed: no such note
        assert "vendor-missing" not in app.test_client().get(path, headers={"Accept": "text/html"}).data.decode()


# -- /sparql: errors at the user's own line ---------------------------------------------------------------
BROKEN = "SELECT ?s\nWHERE {\n  ?s ?p ?o FILTER(\n}"  # the user's line 3 opens what is never closed


def test_a_syntax_error_names_the_users_own_line(client):
    r = client.post("/sparql", data={"query": BROKEN}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 400
    message = json.loads(r.data)["message"]
    assert re.search(r"\bline 3, column \d+", message), message  # not 15: the 12 predeclared prefixes are not counted
    r = client.post("/sparql", data={"query": "\n\n" + BROKEN})
    assert "line 5," in json.loads(r.data)["message"]


def test_the_plain_form_shows_the_error_next_to_the_query(client):
    r = client.post("/sparql", data={"query": BROKEN, "format": "html"})
    assert r.status_code == 400 and r.mimetype == "text/html"
    html = r.data.decode()
    error = re.search(r'<p class="sparql-error" id="sparql-error" role="alert">(.*?)</p>', html, re.S)
    assert error and "line 3, column" in error.group(1)
    assert "  ?s ?p ?o FILTER(\n}</textarea>" in html  # the query is kept to be fixed


def test_the_plain_form_shows_results_as_a_table(client):
    query = "SELECT ?state ?name WHERE { ?state a atd:State ; rdfs:label ?name } ORDER BY ?name"
    html = client.post("/sparql", data={"query": query, "format": "html"}).data.decode()
    table = re.search(r'<section id="sparql-results".*?</section>', html, re.S).group(0)
    assert "<th>state</th><th>name</th>" in table
    assert '<a href="/id/state/THA">https://w3id.org/atd-kg/id/state/THA</a></td><td>Thailand</td>' in table
    assert re.search(r"<p>(\d+) results</p>", table).group(1) == str(table.count("<tr>") - 1)
    ask = client.post("/sparql", data={"query": "ASK { ?s a atd:State }", "format": "html"}).data.decode()
    assert "ASK: <strong>true</strong>" in ask


def test_the_editor_page_allows_only_yasrs_two_stylesheets(client):
    """YASR's column grips come as two fixed <style> texts: /sparql allows exactly those, by hash; every
    other page keeps style-src 'self' alone, and nowhere is 'unsafe-inline'."""
    editor = client.get("/sparql", headers={"Accept": "text/html"}).headers["Content-Security-Policy"]
    hashes = re.findall(r"'sha256-[A-Za-z0-9+/=]+'", editor)
    assert len(hashes) == 2 and "unsafe" not in editor and "script-src 'self';" in editor
    assert "style-src 'self';" in client.get("/search").headers["Content-Security-Policy"]


def test_yasr_still_injects_the_stylesheet_allowed(app):
    """The hash allows one text: if a new YASGUI changes it, this says so before a browser does."""
    from pathlib import Path

    from atdkg.webapp.network_view import ROOT, VENDOR_FILES
    from atdkg.webapp.sparql import YASR_STYLESHEETS
    bundle = (Path(ROOT) / "node_modules" / VENDOR_FILES["yasgui.min.js"]).read_text(encoding="utf-8")
    assert "`" + YASR_STYLESHEETS[0] + "`" in bundle
    assert "`*{cursor:`+" in bundle and "`!important}`" in bundle  # the drag cursor: '*{cursor:' + dragCursor + …


def test_the_index_folds_names_as_everything_else_does(app):
    """search.fold_name's ASCII fast path gives atdkg.terms.fold's key for every name in the graph."""
    from atdkg.terms import fold
    from atdkg.webapp import search
    with app.app_context():
        names = [written for _, _, written in search.index().names]
    assert len(names) > 500
    for text in [*names, "- & Co", "a ' b", "  x--y ;", "O'Neil & Sons,", "UNHCR’s", "Açık"]:
        assert search.fold_name(text) == fold(text), text
