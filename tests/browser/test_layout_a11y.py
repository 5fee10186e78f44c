"""Layout and accessibility across the explorer's page families, in a real browser (Debian's chromium via
Playwright) against `atdkg serve`: nothing scrolls sideways at 390 px; axe-core (npm, injected from
node_modules/) finds no serious or critical violation at 1400 px; paging keeps the facets; the facet sidebar
is closed on a phone and open on a wide screen; a document's targeted passage is highlighted in every
fragment and its Markdown syntax is hidden. Screenshots in test-output/."""
from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .test_browser import NO_SIDEWAYS_SCROLL, shot, sparql_csv

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ATD = "https://w3id.org/atd-kg/ontology#"
ID = "https://w3id.org/atd-kg/id/"

# one page of each family; entity pages are found in the graph (one entity of each kind, below)
PAGES = {"home": "/", "events": "/events", "actors": "/actors", "actors-page-2": "/actors?page=2",
         "practices": "/practices", "commitments": "/commitments", "statistics": "/statistics",
         "queries": "/queries", "named-query": "/queries/session-moderators", "sparql": "/sparql",
         "search": "/search?q=migration", "downloads": "/downloads", "validation": "/validation",
         "network": "/network", "document": "/document/002", "coverage": "/document/002/coverage",
         "ontology": "/ontology", "vocab": "/vocab", "concept": "/vocab/role-moderator"}
ENTITY_KINDS = {"state": ATD + "State", "organisation": ATD + "PermanentMission",
                "person": "http://xmlns.com/foaf/0.1/Person", "exchange": ATD + "PeerLearningExchange",
                "agenda-item": ATD + "AgendaItem", "source-document": ATD + "SourceDocument",
                "practice": ATD + "Practice", "statistic": ATD + "Statistic", "list": ATD + "ItemList",
                "list-item": ATD + "PledgeIdea", "evidence": ATD + "Evidence", "unnamed-actor": ATD + "UnnamedActor",
                "participation": ATD + "Participation", "partnership": ATD + "Partnership",
                "community": ATD + "NetworkCommunity"}
def entity_pages(server: str) -> dict[str, str]:
    values = " ".join(f"<{c}>" for c in ENTITY_KINDS.values())
    rows = sparql_csv(server, f"SELECT ?class (MIN(STR(?s)) AS ?e) WHERE {{ VALUES ?class {{ {values} }} "
                              f"?s a ?class FILTER(STRSTARTS(STR(?s), '{ID}')) }} GROUP BY ?class")
    found = {r["class"]: r["e"] for r in rows}
    missing = [k for k, c in ENTITY_KINDS.items() if c not in found]
    assert not missing, f"the graph has no entity of kind {missing}"
    return {f"entity-{k}": "/id/" + found[c][len(ID):] for k, c in ENTITY_KINDS.items()}


@pytest.fixture(scope="module")
def families(server) -> dict[str, str]:
    return {**PAGES, **entity_pages(server)}


OVERFLOWING = """() => {
  const w = document.documentElement.clientWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= w + 1) continue;
    let p = el.parentElement, clipped = false;  // inside a box that scrolls or clips on its own: fine
    for (; p && p !== document.body; p = p.parentElement)
      if (getComputedStyle(p).overflowX !== 'visible') { clipped = true; break; }
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.split(' ').join('.') : '';
    if (!clipped) out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls} (right edge ${
      Math.round(r.right)})`);
  }
  return out.slice(0, 4);
}"""


def test_no_page_scrolls_sideways_on_a_phone(browser, server, families):
    """At 390×844 no page family is wider than the window, and the header's links are all inside it."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    failures = []
    for name, url in families.items():
        page.goto(server + url)
        if name == "network":
            page.wait_for_selector("#network-graph[data-ready=true]")
        if not page.evaluate(NO_SIDEWAYS_SCROLL):
            width = page.evaluate("document.documentElement.scrollWidth")
            failures.append(f"{name} ({url}): {width} px wide; {page.evaluate(OVERFLOWING)}")
        outside = page.evaluate("""() => [...document.querySelectorAll('header a')]
            .filter(a => { const r = a.getBoundingClientRect(); return r.left < 0 || r.right > innerWidth; })
            .map(a => a.textContent)""")
        if outside:
            failures.append(f"{name} ({url}): header links outside the window: {outside}")
        if name in ("actors", "practices", "commitments", "document", "queries", "events"):
            shot(page, f"layout-390-{name}")
    context.close()
    assert not failures, "\n".join(failures)


def test_wide_tables_scroll_in_their_own_box(browser, server):
    """On a phone the actors' tables keep their columns readable and scroll inside their box."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + "/actors")
    box = page.locator(".table-scroll").first
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
    inner, outer = box.evaluate("b => [b.scrollWidth, b.clientWidth]")
    assert inner > outer, "the States table fits 390 px only by crushing its columns"
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    context.close()


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => (await axe.run(document)).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + n.failureSummary
                      .split('\\n').slice(1).join(' ').trim())}))""")


def readable(violations: list[dict]) -> str:
    return "\n".join(f"  {v['impact']} {v['id']}: {v['help']}\n" + "\n".join(f"    {n}" for n in v["nodes"])
                     for v in violations)


FAMILY_NAMES = [*PAGES, *(f"entity-{k}" for k in ENTITY_KINDS)]


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_axe_finds_no_serious_violation(browser, server, families, name):
    """axe-core's rules at 1400×900; the page's CSP is bypassed only so that the injected script runs."""
    assert AXE.is_file(), "axe-core is not installed: run `npm ci`"
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(server + families[name])
    if name == "sparql":
        page.wait_for_selector("#yasgui[data-ready=true]")
    if name == "network":
        page.wait_for_selector("#network-graph[data-ready=true]")
    violations = axe_violations(page)
    context.close()
    assert not violations, f"{families[name]}:\n{readable(violations)}"


def summary_range(page) -> tuple[int, int, int]:
    text = " ".join(page.locator(".paging-summary").first.inner_text().split())
    m = re.match(r"Showing (\d+)–(\d+) of (\d+)", text)
    assert m, text
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def test_next_and_previous_keep_the_facets(page, server):
    """Practices of one category, two a page: Next and Previous keep the category and show the right range."""
    page.set_viewport_size({"width": 1400, "height": 900})
    data = page.context.request.get(server + "/practices.json").json()
    value = max(data["facets"]["category"], key=lambda e: e["count"])
    assert value["count"] >= 3, "no category with three practices to page through"
    page.goto(server + "/practices?" + urllib.parse.urlencode({"category": value["value"], "size": 2}))
    assert summary_range(page) == (1, 2, value["count"])
    assert page.locator("li.practice").count() == 2
    assert int(page.locator("#practice-count").inner_text()) == value["count"]  # the whole selection
    counts_before = page.locator("aside.facets").inner_text()
    page.locator("a.pager-next").first.click()
    page.wait_for_url(re.compile(r"page=2"))
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert query == {"category": [value["value"]], "size": ["2"], "page": ["2"]}
    assert summary_range(page) == (3, min(4, value["count"]), value["count"])
    assert page.locator("li.practice").count() == min(2, value["count"] - 2)
    assert page.locator("aside.facets").inner_text() == counts_before  # counts are over the whole selection
    assert page.locator("nav.pager").first.is_visible()
    shot(page, "paging-practices-page-2")
    page.locator("a.pager-prev").first.click()
    page.wait_for_load_state()
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query) == {"category": [value["value"]],
                                                                           "size": ["2"]}
    assert summary_range(page) == (1, 2, value["count"])
    assert not page.errors, page.errors


def test_facet_sidebar_closed_on_a_phone_open_on_a_wide_screen(page, server):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(server + "/practices")
    first_list = page.locator("aside.facets ul").first
    assert first_list.is_visible() and first_list.locator("li a").first.is_visible()
    sidebar, results = page.locator("aside.facets").bounding_box(), page.locator("section.results").bounding_box()
    assert sidebar["x"] + sidebar["width"] <= results["x"], "the filters are not beside the list"
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + "/practices")
    summary = page.locator("aside.facets summary")
    assert summary.is_visible() and not first_list.is_visible()
    box = summary.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] + box["height"] <= 844
    assert page.locator("li.practice").first.bounding_box()["y"] < 844  # the list starts on the first screen
    shot(page, "facets-390-closed")
    summary.click()
    assert first_list.is_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    shot(page, "facets-390-open")
    assert not page.errors, page.errors


TARGETED = """([start, end]) => [...document.querySelectorAll('pre.source mark[data-start]')]
  .filter(m => +m.dataset.start >= start && +m.dataset.end <= end)
  .map(m => { const r = m.getBoundingClientRect();
              return {strong: m.classList.contains('ev-target'), bg: getComputedStyle(m).backgroundColor,
                      shadow: getComputedStyle(m).boxShadow, w: r.width, h: r.height, top: r.top}; })"""


def most_cut_passage(server: str, doc: str) -> tuple[int, int]:
    """The document's passage cut into the most fragments by the passages that start or end inside it."""
    with urllib.request.urlopen(f"{server}/document/{doc}?format=json", timeout=30) as r:
        spans = sorted({(int(p["start"]), int(p["end"])) for p in json.load(r)})
    return max(spans, key=lambda s: sum(s[0] < t < s[1] for u in spans for t in u))


def test_targeted_passage_is_highlighted_in_every_fragment(page, server):
    start, end = most_cut_passage(server, "002")
    for width, height in ((1400, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{server}/document/002#ev-{start}-{end}")
        fragments = page.evaluate(TARGETED, [start, end])
        assert len(fragments) >= 3, fragments
        assert all(f["strong"] for f in fragments), "a fragment of the passage is not highlighted"
        assert all(f["w"] > 0 and f["h"] > 0 for f in fragments)
        assert len({f["bg"] for f in fragments}) == 1 and fragments[0]["bg"] not in ("rgba(0, 0, 0, 0)",)
        assert all(f["shadow"] != "none" for f in fragments)
        assert 0 <= fragments[0]["top"] < height, "the passage is not in view"
        others = page.evaluate("""([s, e]) => [...document.querySelectorAll('pre.source mark.ev-target')]
            .filter(m => +m.dataset.start < s || +m.dataset.end > e).length""", [start, end])
        assert others == 0
        # evidence not targeted is marked quietly: no background
        quiet = page.evaluate("""() => { const m = document.querySelector('pre.source mark:not(.ev-target)');
            return getComputedStyle(m).backgroundColor; }""")
        assert quiet == "rgba(0, 0, 0, 0)"
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        shot(page, f"document-target-{width}")
    # following another passage's link within the page moves the highlight (hashchange)
    other = page.evaluate("""() => [...document.querySelectorAll('pre.source .anchor')].map(a => a.id)
        .find(id => id !== location.hash.slice(1))""")
    s2, e2 = map(int, other.split("-")[1:])
    page.evaluate("(id) => { location.hash = id; }", other)
    page.wait_for_function("(id) => location.hash === '#' + id", arg=other)
    assert all(f["strong"] for f in page.evaluate(TARGETED, [s2, e2]))
    still = page.evaluate("""([s, e]) => [...document.querySelectorAll('pre.source mark.ev-target')]
        .filter(m => +m.dataset.start < s || +m.dataset.end > e).length""", [s2, e2])
    assert still == 0
    assert not page.errors, page.errors


def test_markdown_syntax_is_hidden_but_offsets_kept(page, server):
    page.goto(f"{server}/document/002")
    shown = page.locator("pre.source").inner_text()
    kept = page.evaluate("document.querySelector('pre.source').textContent")
    assert "](#)" in kept and "\\(IMRF\\)" in kept  # still in the DOM: offsets are into this text
    assert "](#)" not in shown and "\\(" not in shown and "[first global online" not in shown
    assert "(IMRF)" in shown and "first global online peer learning exchange on 17 November 2020" in shown
    with urllib.request.urlopen(f"{server}/document/002?format=json", timeout=30) as r:
        passages = json.load(r)
    assert len(kept) >= max(int(p["end"]) for p in passages)
    assert not page.errors, page.errors


def test_axe_on_the_editor_after_run_and_a_new_tab(browser, server):
    """YASGUI's parts that appear later (the results table, its page-size menu, a second tab) stay
    accessible too, and the "add a tab" button, moved out of the tab list, still adds exactly one tab."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(server + "/sparql")
    page.wait_for_selector("#yasgui[data-ready=true]")
    tabs = page.locator("[role=tablist] [role=tab]")
    assert tabs.count() == 1
    page.locator("button.addTab").click()
    page.wait_for_function("document.querySelectorAll('[role=tablist] [role=tab]').length === 2")
    assert page.locator("button.addTab").count() == 1 and page.locator("button.addTab").is_visible()
    tabs.first.click()
    page.locator(".yasqe_queryButton").first.click()
    page.locator(".yasr table td").first.wait_for()
    violations = axe_violations(page)
    context.close()
    assert not violations, readable(violations)
