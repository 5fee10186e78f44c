"""The page families of the explorer (webapp/pages.py, webapp/pages_system.py): content drawn from the
graph, facets that combine and live in the URL, machine-readable twins, and no traceback for odd input."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef

from atdkg.queries.stores import RdflibStore

V = "https://w3id.org/atd-kg/vocab/"
VOID = Namespace("http://rdfs.org/ns/void#")


@pytest.fixture(scope="module")
def app(make_app, explorer_mode):
    return make_app(QUERY_TIMEOUT=10.0, MAX_ROWS=10_000, **explorer_mode)


@pytest.fixture
def client(app):
    return app.test_client()


def text(r) -> str:
    assert r.status_code == 200, r.data[:300]
    return r.data.decode()


def csv_rows(r) -> list[dict]:
    assert r.status_code == 200 and r.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(r.data.decode())))


# -- every page answers, links its twins, and the twins parse ---------------------------------------
PAGES = ["/events", "/actors", "/practices", "/commitments", "/statistics", "/queries", "/validation",
         "/search?q=gottardo", "/downloads"]


@pytest.mark.parametrize("url", PAGES)
def test_page_and_twins(client, url):
    html = text(client.get(url))
    path, _, query = url.partition("?")
    for suffix, check in (("json", json.loads), ("csv", lambda d: list(csv.reader(io.StringIO(d))))):
        twin = f"{path}.{suffix}" + (f"?{query}" if query else "")
        assert f'rel="alternate" type="{"application/json" if suffix == "json" else "text/csv"}" href="{twin}"' in html
        r = client.get(twin)
        assert r.status_code == 200 and r.mimetype == ("application/json" if suffix == "json" else "text/csv")
        assert check(r.data.decode())
    # browsing works without JavaScript: the content is in the HTML; a script (suggestions on /search) only enhances
    assert not re.search(r"<script(?![^>]*\ssrc=)", html) and ("<script" not in html or url.startswith("/search"))


# -- events ---------------------------------------------------------------------------------------------
def test_events_timeline(client):
    html = text(client.get("/events"))
    dates = re.findall(r'<time datetime="([\d-]+)"', html)
    assert dates == sorted(dates) and "2021-06-29" in dates
    exchange = html[html.index('datetime="2021-06-29"'):]
    exchange = exchange[:exchange.index("</li>")]
    assert re.search(r'href="/id/person/carolina-gottardo">Carolina Gottardo</a> <small>\(moderator\)', exchange)
    assert "Permanent Mission of" in exchange and 'href="/document/001"' in exchange
    data = json.loads(client.get("/events.json").data)["events"]  # a page of them (tests/test_pagination.py)
    june = next(e for e in data if e["date"] == "2021-06-29")
    assert {"Carolina Gottardo", "moderator"} <= {v for s in june["speakers"] for v in (s["name"], s["role"])}
    assert any(i["number"] == "3" and i["start"].startswith("2021-06-29T16:25") for i in june["items"])


# -- actors ---------------------------------------------------------------------------------------------
def test_actors(client):
    html = text(client.get("/actors"))
    assert re.search(r'<a href="/id/state/THA">Thailand</a></td><td>THA</td><td>Asia</td>', html)
    # States come first and fill the first page; the organisations are one facet value away
    orgs = text(client.get("/actors?kind=organisation&size=100"))
    assert "Permanent mission" in orgs or "permanent mission" in orgs.lower()
    rows = csv_rows(client.get("/actors.csv"))
    wg = [r for r in rows if r["iri"].endswith("/id/org/idc")]
    assert wg and int(wg[0]["memberships"]) >= 1
    gottardo = next(r for r in rows if r["label"] == "Carolina Gottardo")
    assert gottardo["kind"] == "Person" and int(gottardo["participations"]) >= 1


# -- practices: facets combine (AND), counts follow the selection, values live in the URL --------------
def test_practice_facets_combine(client, dataset):
    category, target = V + "practice-ending-child-detention", V + "target-children"
    expected = RdflibStore(dataset).query(
        "PREFIX atd: <https://w3id.org/atd-kg/ontology#> SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { "
        f"?p a atd:Practice ; atd:practiceCategory <{category}> ; atd:targetGroup <{target}> }}").rows[0]["n"]
    r = client.get("/practices", query_string={"category": category, "target": target})
    html = text(r)
    assert int(re.search(r'id="practice-count">(\d+)<', html).group(1)) == int(expected) > 0
    data = json.loads(client.get("/practices.json", query_string={"category": category, "target": target}).data)
    assert data["count"] == int(expected) == len(data["practices"])
    assert data["selection"] == {"category": [category], "target": [target]}
    # counts reflect the selection: a value's count is what selecting it too would leave
    for entry in data["facets"]["event"]:
        narrowed = json.loads(client.get("/practices.json", query_string={
            "category": category, "target": target, "event": entry["value"]}).data)
        assert narrowed["count"] == entry["count"]
    # the facet links round-trip: following one keeps the current selection
    link = re.search(r'href="(/practices\?[^"]*event=[^"]+)"', html).group(1).replace("&amp;", "&")
    assert "category=" in link and "target=" in link
    assert client.get(link).status_code == 200


def test_practice_region_never_inferred_for_unnamed_actors(client):
    data = json.loads(client.get("/practices.json").data)
    asia = next(e for e in data["facets"]["region"] if e["label"] == "Asia")
    in_asia = json.loads(client.get("/practices.json", query_string={"region": asia["value"]}).data)
    assert [p["actorLabel"] for p in in_asia["practices"]] == ["Thailand"]
    unnamed = [p for p in data["practices"] if "/id/unnamed/" in p["actor"]]
    assert unnamed and all(p["region"] == "" for p in unnamed)
    assert all(p["evidence"] for p in data["practices"])


@pytest.mark.parametrize("query", [{"category": "https://example.org/nope"}, {"target": V + "practice-legislation"},
                                   {"actor": "https://w3id.org/atd-kg/id/person/nobody"}, {"colour": "red"},
                                   {"region": '" } DROP ALL #'}])
def test_unknown_facet_values_are_refused(client, query):
    r = client.get("/practices", query_string=query)
    assert r.status_code == 400 and b"Traceback" not in r.data


# -- commitments, statistics -----------------------------------------------------------------------------
def test_commitments(client):
    data = json.loads(client.get("/commitments.json").data)
    pledges = [i for lst in data["lists"] if lst["kindLabel"] == "pledge ideas" for i in lst["items"]]
    assert [i["number"] for i in pledges] == list(range(1, 19))
    assert [o["number"] for o in pledges[17]["objectives"]] == [13, 23]
    assert pledges[17]["evidence"]
    html = text(client.get("/commitments"))
    assert "pledge ideas, 18 items" in html
    only = json.loads(client.get("/commitments.json", query_string={"objective": V + "gcm-objective-23"}).data)
    assert only["lists"] and all(any(o["number"] == 23 for o in i["objectives"])
                                 for lst in only["lists"] for i in lst["items"])
    assert client.get("/commitments", query_string={"objective": V + "gcm-objective-99"}).status_code == 400


def test_statistics(client):
    rows = csv_rows(client.get("/statistics.csv"))
    participants = [r for r in rows if r["countedThing"] == "participants"]
    assert participants and participants[0]["value"] == "130"
    html = text(client.get("/statistics"))
    assert ">130<" in html and 'href="/document/' in html


# -- named queries ----------------------------------------------------------------------------------------
def test_query_catalogue_and_form(client):
    html = text(client.get("/queries?size=500"))  # the whole catalogue on one page
    assert 'href="/queries/session-moderators"' in html
    page = text(client.get("/queries/session-moderators"))
    assert 'name="date" value="2021-06-29"' in page and "Carolina Gottardo" in page
    page = text(client.get("/queries/session-moderators?date=2022-01-27"))
    assert "Patrick Eba" in page and 'href="/queries/session-moderators.csv?date=2022-01-27"' in page
    rows = csv_rows(client.get("/queries/session-moderators.csv?date=2022-01-27"))
    assert len(rows) == 2 and any(r["name"] == "Patrick Eba" for r in rows)
    data = json.loads(client.get("/queries/session-moderators.json?date=2022-01-27").data)
    assert len(data["results"]["bindings"]) == 2


@pytest.mark.parametrize("url, code", [("/queries/no-such-query", 404),
                                       ("/queries/session-moderators?date=tomorrow", 400),
                                       ("/queries/session-moderators?dat=2022-01-27", 400),
                                       ("/queries/describe.csv", 400), ("/queries/describe?iri=not%20an%20iri", 400)])
def test_query_errors(client, url, code):
    r = client.get(url)
    assert r.status_code == code and b"Traceback" not in r.data


# -- search -------------------------------------------------------------------------------------------
def test_search_folds_accents_and_case(client):
    assert "Mário Martins" in text(client.get("/search?q=mario"))
    assert "Demet Açık" in text(client.get("/search?q=ACIK"))
    hits = json.loads(client.get("/search.json?q=acik").data)["hits"]
    assert hits[0]["label"] == "Demet Açık"
    assert "Search names" in text(client.get("/search"))
    assert client.get("/search", query_string={"q": "x" * 201}).status_code == 400


@pytest.mark.parametrize("q", ['" } DROP ALL #', "<script>alert(1)</script>", "'; DELETE WHERE { ?s ?p ?o } #",
                               "\\", "%"])
def test_hostile_search_text(client, q):
    html = text(client.get("/search", query_string={"q": q}))
    assert "<script>alert" not in html
    if q.startswith("<script>"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Mário Martins" in text(client.get("/search?q=mario"))  # nothing was dropped


# -- downloads, VoID, validation ----------------------------------------------------------------------
def test_downloads_and_void(client, build_dir):
    html = text(client.get("/downloads"))
    for name in ("graph.ttl", "graph.nq", "graph.trig", "graph.jsonld", "ontology/shapes.ttl", "void.ttl"):
        assert name in html
    r = client.get("/downloads/graph.nq")
    assert r.mimetype == "application/n-quads"
    ds = Dataset()
    ds.parse(data=r.data.decode(), format="nquads")
    assert len(ds) > 5000 or sum(1 for _ in ds.quads()) > 5000
    assert client.get("/downloads/ontology/atd.ttl").mimetype == "text/turtle"
    assert client.get("/downloads/../summary.json").status_code == 404
    assert client.get("/downloads/summary.json").status_code == 404
    void = Graph()
    void.parse(data=client.get("/void.ttl").data.decode(), format="turtle")
    summary = json.loads((build_dir / "summary.json").read_text())
    dataset = next(void.subjects(predicate=VOID.sparqlEndpoint))
    assert void.value(dataset, VOID.triples) == Literal(summary["triples"])
    assert len(list(void.objects(dataset, VOID.dataDump))) == 4
    state = next(p for p in void.objects(dataset, VOID.classPartition)
                 if void.value(p, VOID["class"]) == URIRef("https://w3id.org/atd-kg/ontology#State"))
    assert int(void.value(state, VOID.entities)) == summary["classes"]["State"]


def test_validation(client):
    data = json.loads(client.get("/validation.json").data)
    assert data["conforms"] is True and data["results"] == [] and data["triples"] > 5000
    assert "conforms to the shapes" in text(client.get("/validation"))


@pytest.mark.parametrize("url", ["/practices?event=", "/practices?category=%00", "/events.xml", "/actors.json?x=1",
                                 "/search?q=%F0%9F%98%80", "/search.csv?q=" + "%C3%A9" * 5, "/statistics.txt",
                                 "/queries/session-moderators?date=" + "9" * 500, "/downloads/graph.exe",
                                 "/commitments?kind=javascript:alert(1)"])
def test_odd_input_never_gives_a_traceback(client, url):
    r = client.get(url)
    assert r.status_code in (200, 400, 404) and b"Traceback" not in r.data and b"went wrong" not in r.data
