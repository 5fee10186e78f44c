"""The home page (webapp/home.py): its figures, charts and map come from the named queries, its JSON twin
holds them, and the map's projection (webapp/worldmap.py) is right where it can be checked by hand."""
from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path

import pytest

from atdkg.webapp import worldmap

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def app(make_app):
    return make_app(QUERY_TIMEOUT=10.0)


@pytest.fixture
def client(app):
    return app.test_client()


def query_rows(client, name: str) -> list[dict]:
    r = client.get(f"/queries/{name}.csv")
    assert r.status_code == 200, r.data[:300]
    return list(csv.DictReader(io.StringIO(r.data.decode())))


def home_json(client) -> dict:
    r = client.get("/?format=json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    return json.loads(r.data)


def test_json_twin_by_parameter_and_by_accept(client):
    by_parameter = home_json(client)
    r = client.get("/", headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert json.loads(r.data) == by_parameter
    assert set(by_parameter) == {"summary", "exchanges", "participation", "stateActivity", "practiceCategories",
                                 "objectives", "newestDocuments", "classes"}
    html = client.get("/", headers={"Accept": "text/html"}).data.decode()
    assert '<link rel="alternate" type="application/json" href="/?format=json">' in html


def test_the_story_and_figures_come_from_the_graph(client):
    data = home_json(client)
    facts = data["summary"]
    exchanges = {r["exchange"]: r["date"] for r in query_rows(client, "exchanges")}
    assert facts["exchanges"] == len(exchanges) == len(data["exchanges"]) >= 3
    assert (facts["firstDate"], facts["lastDate"]) == (min(exchanges.values()), max(exchanges.values()))
    states = query_rows(client, "page-states")
    assert facts["states"] == len({r["state"] for r in states})
    assert facts["practices"] == len({r["practice"] for r in query_rows(client, "page-practices")})
    assert facts["statistics"] == len({r["stat"] for r in query_rows(client, "page-statistics")})
    assert facts["documents"] == len(query_rows(client, "documents"))
    commitments = query_rows(client, "page-commitments")
    assert 0 < facts["commitments"] <= len({r["item"] for r in commitments})
    html = client.get("/").data.decode()
    story = re.search(r'<p class="lede" id="story">(.*?)</p>', html, re.S).group(1)
    assert f"<strong>{facts['exchanges']}</strong>" in story and "Working Group" in story
    assert "17 November 2020" in story and "27 January 2022" in story
    figures = re.findall(r'<span class="figure-number">(\d+)</span> <span class="figure-name">([^<]+)</span>', html)
    assert dict((name, int(n)) for n, name in figures) == {
        "exchanges": facts["exchanges"], "States": facts["states"], "organisations": facts["organisations"],
        "people": facts["people"], "practices": facts["practices"], "commitments": facts["commitments"],
        "statistics": facts["statistics"]}
    # the class counts for researchers stay, folded away below the story
    assert re.search(r'<details class="classes">.*?<table class="numbers">', html, re.S)
    assert html.index('id="story"') < html.index('class="classes"')


def test_state_activity_is_the_sum_of_its_parts_and_counts_only_what_speaks_for_the_state(client):
    rows = query_rows(client, "home-state-activity")
    assert rows, "no State has any activity"
    for r in rows:
        assert int(r["activity"]) == int(r["hostings"]) + int(r["participations"]) + int(r["practices"]) > 0
    by_code = {r["code"]: r for r in rows}
    hosts = query_rows(client, "page-event-hosts")
    # Thailand's permanent mission co-hosted every exchange: each hosting counts for Thailand
    assert int(by_code["THA"]["hostings"]) == len({r["exchange"] for r in hosts
                                                   if "Thailand" in r["hostLabel"]}) == 3
    # practices attributed to a State (the first concept note: Canada, Mexico, Thailand)
    assert {c for c, r in by_code.items() if int(r["practices"])} == {"CAN", "MEX", "THA"}
    assert [int(r["activity"]) for r in rows] == sorted((int(r["activity"]) for r in rows), reverse=True)


def test_map_has_one_linked_shaded_path_per_active_state(client):
    rows = query_rows(client, "home-state-activity")
    html = client.get("/").data.decode()
    shaded = re.findall(r'<a href="(/id/state/[A-Z]{3})" class="map-state"><title>[^<]*</title>'
                        r'<path class="country active shade-([1-4])" data-state="([A-Z]{3})"', html)
    assert sorted(code for _, _, code in shaded) == sorted(r["code"] for r in rows)
    assert all(href == f"/id/state/{code}" for href, _, code in shaded)
    shades = {code: int(s) for _, s, code in shaded}
    most = max(rows, key=lambda r: int(r["activity"]))["code"]
    assert shades[most] == 4 and min(shades.values()) >= 1
    assert html.count('class="country"') + len(shaded) == len(worldmap.countries(ROOT / "node_modules"))
    for r in rows:  # each State's page answers
        assert client.get(f"/id/state/{r['code']}").status_code == 200


def test_bar_charts_have_one_bar_per_row_and_links_that_answer(client):
    data = home_json(client)
    html = client.get("/").data.decode()
    for chart, rows, key in (("practice-categories", data["practiceCategories"], "practices"),
                             ("gcm-objectives", data["objectives"], "items")):
        figure = re.search(rf'<figure class="chart bar-chart" id="{chart}">(.*?)</figure>', html, re.S).group(1)
        widths = [float(w) for w in re.findall(r'<rect class="bar-mark"[^>]* width="([\d.]+)"', figure)]
        assert len(widths) == len(rows) > 0
        assert max(widths) == 100.0
        values = [int(r[key]) for r in rows]
        assert widths == [round(100 * v / max(values), 1) for v in values]
        # the chart is a labelled list of links (role=img would hide the links from assistive technology)
        assert '<ol class="bars" aria-label="' in figure and "<figcaption>" in figure and "<details" in figure
        for href in re.findall(r'<span class="bar-label"><a href="([^"]+)">', figure):
            assert client.get(href.replace("&amp;", "&")).status_code == 200, href
    assert sum(int(r["practices"]) for r in data["practiceCategories"]) >= data["summary"]["practices"]


def test_timeline_one_mark_per_exchange_in_date_order(client):
    data = home_json(client)
    html = client.get("/").data.decode()
    svg = re.search(r'<svg class="timeline-chart".*?</svg>', html, re.S).group(0)
    marks = [float(y) for y in re.findall(r'<circle class="timeline-mark" cx="60" cy="([\d.]+)"', svg)]
    assert len(marks) == len(data["exchanges"]) and marks == sorted(marks)
    links = re.findall(r'<a href="(/id/event/[^"]+)" class="timeline-link">', svg)
    assert links == ["/id/event/" + e["exchange"].rsplit("/event/", 1)[1] for e in data["exchanges"]]


def test_participation_per_exchange(client):
    data = home_json(client)
    rows = query_rows(client, "chart-exchange-participation")
    for p in data["participation"]:
        mine = {r["kind"]: int(r["actors"]) for r in rows if r["exchange"] == p["exchange"]}
        assert p["total"] == sum(mine.values()) and all(p[k] == n for k, n in mine.items())


def test_equal_earth_projection():
    assert worldmap.equal_earth(0, 0) == (0.0, 0.0)
    # the projection's published extent: x of the equator's end 2.7066, y of the pole 1.3173 (radius 1)
    assert math.isclose(worldmap.equal_earth(180, 0)[0], 2.7066, abs_tol=1e-4)
    assert math.isclose(worldmap.equal_earth(0, 90)[1], 1.3173, abs_tol=1e-4)
    # the map's frame: the equator from edge to edge, the North Pole on the top edge
    assert round(worldmap.to_svg(-180, 0)[0], 6) == 0 and round(worldmap.to_svg(180, 0)[0], 6) == worldmap.WIDTH
    assert round(worldmap.to_svg(0, 90)[1], 6) == 0


def test_rings_across_the_antimeridian_are_split():
    ring = [(170.0, 10.0), (-170.0, 10.0), (-170.0, 20.0), (170.0, 20.0), (170.0, 10.0)]
    pieces = worldmap._split(ring)
    assert len(pieces) == 2
    assert all(-180 <= lon <= 180 for piece in pieces for lon, _ in piece)
    assert {min(lon for lon, _ in p) for p in pieces} == {170.0, -180.0}
    assert worldmap._split([(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]) == [[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]]


def test_path_numbers_are_short_and_exact():
    assert [worldmap._number(n) for n in (25, -5, 30, 0, -120, 7)] == ["2.5", "-.5", "3", "0", "-12", ".7"]
    path = worldmap._path([[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 0.0)]])
    assert path.startswith("M") and path.endswith("z") and "l" in path


def test_without_world_atlas_the_map_is_its_table(make_app, tmp_path):
    app = make_app(NODE_MODULES=str(tmp_path))
    html = app.test_client().get("/").data.decode()
    assert 'class="world-map"' not in html and "npm ci" in html
    assert '<table id="state-activity">' in html


def test_statistics_charts_count_what_the_table_holds(client):
    stats = json.loads(client.get("/statistics.json").data)
    html = client.get("/statistics").data.decode()
    for chart, key in (("statistics-by-population", "population"), ("statistics-by-place", "place")):
        figure = re.search(rf'<figure class="chart bar-chart" id="{chart}">(.*?)</figure>', html, re.S).group(1)
        labels = re.findall(r'<span class="bar-label">([^<]+)</span>', figure)
        values = [int(v) for v in re.findall(r'<span class="bar-value">(\d+)</span>', figure)]
        assert sorted(labels) == sorted({s.get(key) or "not stated" for s in stats})
        assert sum(values) == len(stats)
    counts = re.search(r'<figure class="chart bar-chart" id="statistics-counts">(.*?)</figure>', html, re.S).group(1)
    anchors = re.findall(r'<span class="bar-label"><a href="#(stat-[^"]+)">', counts)
    assert len(anchors) == sum(1 for s in stats if s.get("unit") == "count") > 0
    assert all(f'<tr id="{a}">' in html for a in anchors)


def test_network_page_has_a_legend_and_folded_tables(client):
    html = client.get("/network").data.decode()
    legend = re.search(r'<aside id="network-legend".*?</aside>', html, re.S).group(0)
    for side in ("government", "civil society", "international", "unnamed"):
        assert f'class="side-{side.replace(" ", "-")}"' in legend
    for relation in ("co-hosting", "co-participation", "shared-practice", "affiliation"):
        assert f'class="relation-{relation}"' in legend
    assert re.search(r'<details id="network-tables">.*<table id="network-nodes">.*<table id="network-edges">', html,
                     re.S)
    assert 'data-labelled="10"' in html
