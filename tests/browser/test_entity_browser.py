"""Readable entity pages as a person sees them (Debian's chromium via Playwright, against `atdkg serve`):
a State's page shows its mission's co-hostings and its representative's speeches, a person's page opens
with a summary sentence in the first screen, at 1400 and 390 px; and a screenshot of every page family at
both widths (test-output/family-<name>-<width>.png; the README shows two)."""
from __future__ import annotations

import pytest

from .test_browser import NO_SIDEWAYS_SCROLL, shot

WIDTHS = ((1400, 900), (390, 844))
IN_FIRST_SCREEN = """(sel) => {
  const r = document.querySelector(sel).getBoundingClientRect();
  return r.height > 0 && r.top >= 0 && r.top < window.innerHeight;
}"""


@pytest.mark.parametrize("width, height", WIDTHS)
def test_state_page_shows_co_hostings_and_speeches(page, server, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(server + "/id/state/PRT")
    summary = page.locator("#summary")
    assert summary.is_visible() and page.evaluate(IN_FIRST_SCREEN, "#summary")
    said = " ".join(summary.inner_text().split())
    assert "co-hosted 3 exchanges" in said and "Mário Martins took part 2 times" in said
    hosted = page.locator("section#hosting tbody tr")
    assert hosted.count() == 3
    for i in range(3):
        row = hosted.nth(i)
        row.scroll_into_view_if_needed()
        assert row.is_visible() and "Permanent Mission of Portugal" in row.inner_text()
    speeches = page.locator("section#participation tbody tr", has_text="Mário Martins")
    assert speeches.count() == 2
    speeches.first.scroll_into_view_if_needed()
    assert speeches.first.is_visible()
    assert page.locator("details#raw").is_visible() and not page.locator("details#raw table").first.is_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"the State page scrolls sideways at {width} px"
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, f"entity-state-{width}")
    assert not page.errors, page.errors


@pytest.mark.parametrize("width, height", WIDTHS)
def test_person_page_opens_with_a_summary_sentence(page, server, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(server + "/id/person/carolina-gottardo")
    assert page.locator("h1").inner_text() == "Carolina Gottardo"
    summary = page.locator("#summary")
    assert summary.is_visible() and page.evaluate(IN_FIRST_SCREEN, "#summary")
    said = " ".join(summary.inner_text().split())
    assert said.startswith("Carolina Gottardo — Executive Director, International Detention Coalition;")
    assert "moderator in Session 1" in said and said.endswith("27 January 2022.")
    link = summary.locator("a", has_text="International Detention Coalition")
    link.click()
    page.wait_for_url("**/id/org/idc")
    assert "International Detention Coalition" in page.locator("h1").inner_text()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.goto(server + "/id/person/carolina-gottardo")
    shot(page, f"entity-person-{width}")
    assert not page.errors, page.errors


FAMILIES = {"home": "/", "events": "/events", "actors": "/actors", "practices": "/practices",
            "commitments": "/commitments", "statistics": "/statistics", "queries": "/queries",
            "query": "/queries/session-moderators", "sparql": "/sparql", "search": "/search?q=detention",
            "downloads": "/downloads", "validation": "/validation", "network": "/network",
            "state": "/id/state/PRT", "person": "/id/person/carolina-gottardo", "organisation": "/id/org/idc",
            "exchange": "/id/event/2021-06-29", "session": "/id/event/2021-06-29/session-1",
            "document": "/document/002", "ontology": "/ontology", "vocab": "/vocab",
            "concept": "/vocab/role-moderator"}


@pytest.mark.parametrize("width, height", WIDTHS)
def test_screenshots_of_every_page_family(page, server, width, height):
    """Each family renders with a visible heading and no sideways scroll; its screenshot is kept."""
    page.set_viewport_size({"width": width, "height": height})
    wide = []
    for name, path in FAMILIES.items():
        page.goto(server + path)
        assert page.locator("main h1").first.is_visible(), name
        if not page.evaluate(NO_SIDEWAYS_SCROLL):
            wide.append(name)
        shot(page, f"family-{name}-{width}")
    assert not wide, f"these pages scroll sideways at {width} px: {wide}"
    assert not page.errors, page.errors
