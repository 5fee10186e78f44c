"""/network (a table without JavaScript), its Cytoscape.js JSON twin, the SPARQL editor's examples and
the npm files under /vendor/ — and how the pages degrade when `npm ci` has not been run."""
from __future__ import annotations

import json
import os

import jsonschema
import pytest

from atdkg import queries
from atdkg.network import export
from atdkg.webapp import create_app
from atdkg.webapp import store as webapp_store


@pytest.fixture(scope="module")
def app(build_dir):
    app = create_app({"DATA_DIR": str(build_dir.parent), "QUERY_TIMEOUT": 5.0})
    yield app
    webapp_store.close(app)


@pytest.fixture
def client(app):
    return app.test_client()


def cy(client, **params) -> dict:
    r = client.get("/network.json", query_string=params)
    assert r.status_code == 200 and r.mimetype == "application/json", r.data[:300]
    doc = json.loads(r.data)
    jsonschema.validate(doc, export.schema())
    return doc


def state_pairs(doc: dict, relation: str) -> set[frozenset]:
    labels = {n["data"]["id"]: n["data"]["label"] for n in doc["elements"]["nodes"]}
    types = {n["data"]["id"]: n["data"]["type"] for n in doc["elements"]["nodes"]}
    return {frozenset((labels[e["data"]["source"]], labels[e["data"]["target"]]))
            for e in doc["elements"]["edges"]
            if relation in e["data"]["relations"]
            and types[e["data"]["source"]] == types[e["data"]["target"]] == "State"}


def test_network_json_is_schema_valid_with_metrics_and_pages(client):
    doc = cy(client)
    assert doc["data"]["level"] == "state" and len(doc["elements"]["nodes"]) > 20
    for node in doc["elements"]["nodes"]:
        d = node["data"]
        assert {"degree", "weighted_degree", "betweenness", "pagerank"} <= set(d)
        assert d["href"].startswith("/id/")
    assert all(e["data"]["evidence"] for e in doc["elements"]["edges"])


def test_filters_change_the_result(client):
    everything = cy(client, level="state")
    early = cy(client, level="state", relation="co-hosting", as_of="2021-01-01")
    assert early["data"]["as_of"] == "2021-01-01" and early["data"]["relations"] == ["co-hosting"]
    assert state_pairs(early, "co-hosting") == {frozenset({"Portugal", "Thailand"})}
    assert len(state_pairs(everything, "co-hosting")) > 1
    assert all(e["data"]["relations"] == ["co-hosting"] for e in early["elements"]["edges"])
    assert len(early["elements"]["edges"]) < len(everything["elements"]["edges"])
    people = cy(client, level="person", relation="co-participation,partnership")
    assert people["data"]["level"] == "person"
    assert len(people["elements"]["nodes"]) > len(everything["elements"]["nodes"]) // 2
    assert ({r for e in people["elements"]["edges"] for r in e["data"]["relations"]}
            <= {"co-participation", "partnership"})
    repeated = cy(client, relation=["co-hosting", "co-lead"])
    assert repeated["data"]["relations"] == ["co-hosting", "co-lead"]


def test_top_shows_the_best_ranked_actors_and_the_links_among_them(client):
    whole = cy(client, level="person")
    assert whole["data"]["shown"]["actors"] == whole["data"]["shown"]["actors_in_network"] == len(
        whole["elements"]["nodes"]) > 20  # the seed network is smaller than the default top: all of it
    doc = cy(client, level="person", top=12)
    shown = doc["data"]["shown"]
    ids = {n["data"]["id"] for n in doc["elements"]["nodes"]}
    assert shown["top"] == 12 and shown["actors"] == len(ids) == 12
    assert shown["actors_in_network"] == len(whole["elements"]["nodes"])
    assert (shown["links_in_network"] == len(whole["elements"]["edges"])
            > shown["links"] == len(doc["elements"]["edges"]))
    ranks = sorted((n["data"]["pagerank"] for n in whole["elements"]["nodes"]), reverse=True)
    assert min(n["data"]["pagerank"] for n in doc["elements"]["nodes"]) == ranks[11]  # the metrics of the whole
    among = [e for e in whole["elements"]["edges"] if {e["data"]["source"], e["data"]["target"]} <= ids]
    assert len(among) == shown["links"]
    page = client.get("/network", query_string={"level": "person", "top": 12}).data.decode()
    assert f"the 12 best-connected of its {shown['actors_in_network']} actors" in page
    assert '<option value="12" selected>' in page and "top=12" in page  # the drawing loads the same view


def test_only_the_heaviest_links_among_the_actors_shown_are_drawn(client, monkeypatch):
    from atdkg.webapp import network_view
    whole = cy(client, level="organisation", relation="co-participation")
    assert len(whole["elements"]["edges"]) > 10
    monkeypatch.setattr(network_view, "LINKS_SHOWN", 10)  # the page cache keys by URL: URLs no other test asks for
    doc = cy(client, level="organisation", relation="co-participation", top=20)
    weights = sorted((e["data"]["weight"] for e in doc["elements"]["edges"]), reverse=True)
    among = [e["data"]["weight"] for e in whole["elements"]["edges"]
             if {e["data"]["source"], e["data"]["target"]} <= {n["data"]["id"] for n in doc["elements"]["nodes"]}]
    assert len(weights) == doc["data"]["shown"]["links"] == 10 and weights == sorted(among, reverse=True)[:10]
    assert len(doc["elements"]["nodes"]) == 20  # actors whose links were cut stay shown
    page = client.get("/network", query_string={"level": "organisation", "relation": "co-participation",
                                                "top": 20}).data.decode()
    assert "and the 10 heaviest links among them" in page


def test_each_link_lists_a_few_passages_and_counts_them_all(client):
    from atdkg.webapp import network_view
    doc = cy(client, level="person")
    edges = [e["data"] for e in doc["elements"]["edges"]]
    assert all(1 <= len(d["evidence"]) <= network_view.EVIDENCE_SHOWN <= 10 for d in edges)
    assert all(d["evidence_count"] >= len(d["evidence"]) and d["events_count"] >= len(d["events"]) for d in edges)
    sampled = [d for d in edges if d["evidence_count"] > network_view.EVIDENCE_SHOWN]
    assert sampled and all(len(d["evidence"]) == network_view.EVIDENCE_SHOWN for d in sampled)


def test_a_network_is_analysed_once_per_process(build_dir, monkeypatch):
    from atdkg.webapp import network_view
    calls = []
    analyse = network_view._analyse
    monkeypatch.setattr(network_view, "_analyse", lambda *a: calls.append(a[1:]) or analyse(*a))
    app = create_app({"DATA_DIR": str(build_dir.parent), "QUERY_TIMEOUT": 5.0, "PAGE_CACHE_MB": 0})
    try:
        client = app.test_client()
        for _ in range(2):
            for params in ({}, {"top": 5}, {"level": "person", "relation": "co-hosting"},
                           {"level": "person", "relation": "co-hosting", "top": 3}):
                assert client.get("/network.json", query_string=params).status_code == 200
                assert client.get("/network", query_string=params).status_code == 200
        assert sorted(calls) == [("person", ("co-hosting",), ""), ("state", (), "")]
    finally:
        webapp_store.close(app)


@pytest.mark.parametrize("path", ["/network", "/network.json"])
@pytest.mark.parametrize("params", [{"level": "planet"}, {"relation": "friendship"}, {"relation": "co-lead,nope"},
                                    {"as_of": "2021-13-01"}, {"as_of": "yesterday"}, {"as_of": "2021-1-1"},
                                    {"top": "0"}, {"top": "1001"}, {"top": "-3"}, {"top": "many"}])
def test_bad_parameters_are_400(client, path, params):
    r = client.get(path, query_string=params)
    assert r.status_code == 400
    assert b"Traceback" not in r.data and len(r.data) < 5000


def test_network_page_without_javascript_is_a_table(client):
    r = client.get("/network", query_string={"level": "state", "relation": "co-hosting", "as_of": "2021-01-01"})
    page = r.data.decode()
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert '<table id="network-edges">' in page and '<table id="network-nodes">' in page
    assert 'href="/id/state/PRT"' in page and 'href="/id/state/THA"' in page
    assert 'value="co-hosting" checked' in page and 'value="2021-01-01"' in page
    assert 'data-src="/network.json?level=state&amp;relation=co-hosting&amp;as_of=2021-01-01"' in page
    assert "<script>" not in page and " style=" not in page  # CSP: files only


def test_network_page_draws_with_cytoscape_when_installed(client, app):
    page = client.get("/network").data.decode()
    if not (export.SCHEMA_FILE.parent.parent / "node_modules" / "cytoscape").is_dir() and not os.environ.get("CI"):
        pytest.skip("node_modules/cytoscape is not installed (run `npm ci`)")
    assert 'src="/vendor/cytoscape.min.js"' in page and 'src="/static/js/network.js"' in page
    js = client.get("/vendor/cytoscape.min.js")
    assert js.status_code == 200 and js.mimetype == "text/javascript" and len(js.data) > 100_000
    assert client.get("/static/js/network.js").status_code == 200


def test_vendor_serves_only_its_allow_list(client):
    for name in ("package.json", "..%2Fpackage.json", "cytoscape.js", "yasgui.esm.js"):
        assert client.get(f"/vendor/{name}").status_code == 404
    assert client.get("/vendor/../package.json").status_code == 404
    assert client.get("/node_modules/cytoscape/package.json").status_code == 404


def test_pages_degrade_without_node_modules(build_dir, tmp_path):
    app = create_app({"DATA_DIR": str(build_dir.parent), "NODE_MODULES": str(tmp_path / "none")})
    try:
        c = app.test_client()
        sparql = c.get("/sparql", headers={"Accept": "text/html"}).data.decode()
        assert "<textarea" in sparql and "yasgui" not in sparql.lower()
        network = c.get("/network").data.decode()
        assert '<table id="network-edges">' in network and "cytoscape" not in network
        assert c.get("/vendor/cytoscape.min.js").status_code == 404
    finally:
        webapp_store.close(app)


def test_sparql_examples_list_the_catalogue(client):
    r = client.get("/sparql/examples.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    body = json.loads(r.data)
    assert body["endpoint"] == "/sparql"
    assert body["prefixes"]["atd"] == "https://w3id.org/atd-kg/ontology#"
    cat = queries.catalogue()
    assert [e["name"] for e in body["examples"]] == list(cat)
    by_name = {e["name"]: e for e in body["examples"]}
    exchanges = by_name["exchanges"]
    assert exchanges["title"] == cat["exchanges"].title and exchanges["query"] == cat["exchanges"].full_text
    moderators = by_name["session-moderators"]
    assert [p["name"] for p in moderators["params"]] == [p.name for p in cat["session-moderators"].params]
    assert all(e["query"].startswith("PREFIX atd:") for e in body["examples"])


def test_sparql_page_loads_the_editor_from_files(client):
    page = client.get("/sparql", headers={"Accept": "text/html"}).data.decode()
    assert "<textarea" in page and 'id="sparql-form"' in page  # the no-JS form stays
    if 'id="yasgui"' not in page and not os.environ.get("CI"):
        pytest.skip("node_modules/@zazuko/yasgui is not installed (run `npm ci`)")
    assert 'data-examples="/sparql/examples.json"' in page
    assert 'src="/vendor/yasgui.min.js"' in page and 'href="/vendor/yasgui.min.css"' in page
    assert "<script>" not in page
    assert client.get("/vendor/yasgui.min.css").mimetype == "text/css"
