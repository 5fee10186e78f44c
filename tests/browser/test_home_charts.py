"""The home page's story and charts, the statistics charts and the network's legend, as a person sees
them in chromium (1400 and 390 px wide): marks counted against the named queries and the JSON twins,
bars and map shapes visible and inside the page, a State opened from the map, no sideways scroll on a
phone, no console errors. Screenshots of / in test-output/home-1400.png and home-390.png."""
from __future__ import annotations

import json
import urllib.request

from .test_browser import NO_SIDEWAYS_SCROLL, shot, sparql_csv

WIDE, PHONE = {"width": 1400, "height": 900}, {"width": 390, "height": 844}

VISIBLE_BOXES = """(selector) => [...document.querySelectorAll(selector)].map(e => {
  const r = e.getBoundingClientRect();
  return {w: r.width, h: r.height, left: r.left + window.scrollX, right: r.right + window.scrollX};
})"""


# a point of the page inside a path's fill (the centre of a State's box may be sea: Thailand's is the Gulf)
POINT_IN_PATH = """(selector) => {
  const p = document.querySelector(selector), b = p.getBBox(), m = p.getScreenCTM();
  for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
    const pt = new DOMPoint(b.x + b.width * i / 20, b.y + b.height * j / 20);
    if (p.isPointInFill(pt)) { const s = pt.matrixTransform(m); return [s.x, s.y]; }
  }
  return null;
}"""


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.loads(r.read().decode("utf-8"))


def named_rows(server: str, name: str) -> list[dict]:
    """A named query's rows, as its SPARQL JSON download gives them."""
    doc = get_json(f"{server}/queries/{name}.json")
    return doc["results"]["bindings"]


def assert_boxes_inside(page, selector: str, count: int) -> None:
    boxes = page.evaluate(VISIBLE_BOXES, selector)
    assert len(boxes) == count, (selector, len(boxes), count)
    width = page.evaluate("document.documentElement.clientWidth")
    for b in boxes:
        assert b["w"] > 0 and b["h"] > 0, (selector, b)
        assert b["left"] >= 0 and b["right"] <= width + 0.5, (selector, b, width)


def test_home_map_timeline_and_bars(page, server):
    states = named_rows(server, "home-state-activity")
    exchanges = {r["exchange"] for r in sparql_csv(
        server, "SELECT DISTINCT ?exchange WHERE { ?exchange a atd:PeerLearningExchange }")}
    twin = get_json(server + "/?format=json")
    for viewport, name in ((WIDE, "home-1400"), (PHONE, "home-390")):
        page.set_viewport_size(viewport)
        page.goto(server + "/")
        assert page.locator("#story").is_visible() and "Working Group" in page.locator("#story").inner_text()
        assert page.locator("#figures li").count() == 7
        # the map: one shaded, linked path per State with activity, each drawn with a size
        page.locator("svg.world-map").wait_for()
        assert page.locator("svg.world-map").is_visible()
        assert_boxes_inside(page, "svg.world-map path.country.active", len(states))
        assert page.locator("svg.world-map a.map-state").count() == len(states)
        fills = set(page.evaluate("[...document.querySelectorAll('svg.world-map path.country.active')]"
                                  ".map(p => getComputedStyle(p).fill)"))
        grey = page.evaluate("getComputedStyle(document.querySelector('svg.world-map path.country:not(.active)'))"
                             ".fill")
        assert grey not in fills and len(fills) >= 2, (fills, grey)
        # the timeline: one mark per exchange
        assert_boxes_inside(page, "svg.timeline-chart circle.timeline-mark", len(exchanges))
        # one bar per category and per objective with data, each longer than nothing
        assert_boxes_inside(page, "#practice-categories rect.bar-mark", len(twin["practiceCategories"]))
        assert_boxes_inside(page, "#gcm-objectives rect.bar-mark", len(twin["objectives"]))
        assert_boxes_inside(page, "#participation .stack-row", len(twin["participation"]))
        for figure in ("#timeline", "#state-map", "#practice-categories", "#gcm-objectives", "#participation"):
            assert page.locator(f"{figure} figcaption").is_visible()
            # the chart itself is named (a labelled list or group of links; role=img would hide the links)
            assert page.locator(f"{figure} [aria-label]").first.get_attribute("aria-label")
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"/ scrolls sideways at {viewport['width']} px"
        shot(page, name)
    # the data behind a chart opens in place
    page.set_viewport_size(WIDE)
    page.locator("#practice-categories details summary").click()
    assert page.locator("#practice-categories details table tbody tr").count() == len(twin["practiceCategories"])
    assert not page.errors, page.errors


def test_clicking_a_state_on_the_map_opens_it(page, server):
    page.set_viewport_size(WIDE)
    page.goto(server + "/")
    most_active = named_rows(server, "home-state-activity")[0]
    code = most_active["code"]["value"]
    shape = page.locator(f"svg.world-map path[data-state='{code}']")
    shape.scroll_into_view_if_needed()
    x, y = page.evaluate(POINT_IN_PATH, f"svg.world-map path[data-state='{code}']")
    page.mouse.move(x, y)
    assert page.evaluate("(c) => getComputedStyle(document.querySelector(`path[data-state='${c}']`)).fill", code) \
        == "rgb(224, 123, 0)"  # the hover colour
    page.mouse.click(x, y)
    page.wait_for_url(f"**/id/state/{code}")
    assert most_active["label"]["value"] in page.locator("h1").inner_text()
    assert not page.errors, page.errors


def test_clicking_an_exchange_on_the_timeline_opens_it(page, server):
    page.set_viewport_size(PHONE)
    page.goto(server + "/")
    first = page.locator("svg.timeline-chart a.timeline-link").first
    href = first.get_attribute("href")
    first.locator("circle").click()
    page.wait_for_url("**" + href)
    assert not page.errors, page.errors


def test_statistics_charts(page, server):
    twin = get_json(server + "/statistics.json")
    for viewport in (WIDE, PHONE):
        page.set_viewport_size(viewport)
        page.goto(server + "/statistics")
        charts = page.locator("figure.chart")
        assert charts.count() >= 2
        for i in range(charts.count()):
            assert charts.nth(i).locator("figcaption").is_visible()
            assert charts.nth(i).locator("[aria-label]").first.get_attribute("aria-label")
        populations = {s.get("population") or "not stated" for s in twin}
        assert_boxes_inside(page, "#statistics-by-population rect.bar-mark", len(populations))
        assert page.locator("table#statistics-table tbody tr").count() == len(twin)
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"/statistics scrolls sideways at {viewport['width']} px"
        shot(page, f"statistics-{viewport['width']}")
    assert not page.errors, page.errors


def test_network_legend_short_page_and_labels(page, server):
    page.set_viewport_size(WIDE)
    page.goto(server + "/network")
    page.wait_for_selector("#network-graph[data-ready=true]")
    legend = page.locator("#network-legend")
    assert legend.is_visible()
    box = legend.bounding_box()
    assert box["width"] > 0 and box["height"] > 0
    assert legend.locator("li").count() >= 5  # the sides' colours and what size and lines mean
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, f"the network page is {height} px tall at 1400 px"
    # labels only where they do not pile up: the well-connected nodes, the rest on hover
    labelled = page.evaluate("window.atdkgNetwork.nodes().filter(n => n.hasClass('labelled')).length")
    total = page.evaluate("window.atdkgNetwork.nodes().length")
    assert 0 < labelled < total
    # what is drawn: the names shown are exactly the labelled nodes', and no two of them cross
    for level in ("state", "organisation"):
        page.goto(server + f"/network?level={level}")
        page.wait_for_selector("#network-graph[data-ready=true]")
        # a name's box as Cytoscape drew it: its main label's bounds (kept by the renderer in
        # _private.labelBounds; the public boundingBox() of a label beside its dot spans the dot too)
        drawn = page.evaluate("""() => window.atdkgNetwork.nodes().filter(n => n.style('label') !== '')
            .map(n => { const b = n._private.labelBounds.main;
                        return [n.hasClass('labelled'), {x1: b.x1, x2: b.x2, y1: b.y1, y2: b.y2}]; })""")
        assert drawn and all(is_labelled for is_labelled, _ in drawn), level
        boxes = [b for _, b in drawn]
        crossing = [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes))
                    if boxes[i]["x1"] < boxes[j]["x2"] and boxes[j]["x1"] < boxes[i]["x2"]
                    and boxes[i]["y1"] < boxes[j]["y2"] and boxes[j]["y1"] < boxes[i]["y2"]]
        assert not crossing, f"{len(crossing)} pairs of names cross at level {level}"
    # zoomed in well past the fitted view, every name shows
    names_when_zoomed = page.evaluate("""() => { const cy = window.atdkgNetwork; cy.zoom(cy.zoom() * 2);
        return cy.nodes().filter(n => n.style('label') !== '').length; }""")
    assert names_when_zoomed == page.evaluate("window.atdkgNetwork.nodes().length")
    page.goto(server + "/network")
    page.wait_for_selector("#network-graph[data-ready=true]")
    # the tables are still in the page, folded
    assert page.locator("details#network-tables table#network-nodes").count() == 1
    shot(page, "network-1400")
    page.set_viewport_size(PHONE)
    page.goto(server + "/network")
    page.wait_for_selector("#network-graph[data-ready=true]")
    assert page.locator("#network-legend").is_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "/network scrolls sideways at 390 px"
    shot(page, "network-390")
    assert not page.errors, page.errors
