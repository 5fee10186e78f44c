"""The SPARQL editor and search as a person sees them (chromium via Playwright against `atdkg serve`):
after Run the results table is in view under the editor and no wider than the window, with no console
error (CSP included); a syntax error on the user's line 3 is reported as line 3; typing "IDC" suggests the
International Detention Coalition first and Enter opens its page; the results page lists it first; at
390 px neither page scrolls sideways. Screenshots in test-output/."""
from __future__ import annotations

import re

from .test_browser import shot

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
BOX = """(selector) => {
  const r = document.querySelector(selector).getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height,
          vw: document.documentElement.clientWidth, vh: window.innerHeight};
}"""


def open_editor(page, server):
    page.goto(server + "/sparql")
    page.wait_for_selector("#yasgui[data-ready=true]")


def set_query(page, text: str) -> None:
    page.evaluate("(text) => { window.atdkgYasgui.getTab().setQuery(text); }", text)


def test_results_table_in_view_after_run(page, server):
    page.set_viewport_size({"width": 1400, "height": 900})
    open_editor(page, server)
    page.locator(".yasqe_queryButton").first.click()
    page.locator(".yasr table td").filter(has_text="2021-06-29").first.wait_for()
    page.wait_for_timeout(300)  # the scroll that brings the answer into view runs after YASR has drawn
    box = page.evaluate(BOX, ".yasr table")
    assert box["height"] > 100 and page.locator(".yasr table tbody tr").count() >= 3
    assert box["top"] >= 0 and box["bottom"] <= box["vh"], box  # all of it in the window, not 1,100 px below
    assert box["left"] >= 0 and box["right"] <= box["vw"] and box["width"] <= box["vw"], box
    editor = page.evaluate(BOX, ".yasqe")
    assert editor["bottom"] <= box["top"] and box["top"] - editor["bottom"] < 150, (editor, box)  # right under it
    assert page.locator(".yasr table").is_visible()
    shot(page, "g-editor-results-1400")
    assert not page.errors, page.errors  # no CSP violation, no failed request, nothing at all


def test_results_read_as_values_and_link_into_the_explorer(page, server):
    """YASR's simple view by default (no <…> around IRIs, no ^^datatype), and a result under the base
    opens its page here rather than at w3id.org."""
    page.set_viewport_size({"width": 1400, "height": 900})
    open_editor(page, server)
    page.locator(".yasqe_queryButton").first.click()
    page.locator(".yasr table td").filter(has_text="2021-06-29").first.wait_for()
    cells = page.locator(".yasr table tbody td").all_inner_texts()
    assert cells and not [c for c in cells if "<http" in c or "^^" in c], cells[:6]
    link = page.locator(".yasr a.iri", has_text="2021-06-29").first
    assert link.get_attribute("href") == "/id/event/2021-06-29"
    link.click()
    page.wait_for_url("**/id/event/2021-06-29")
    assert "peer-learning exchange on 29 June 2021" in page.locator("#summary").inner_text()
    assert not page.errors, page.errors


def test_syntax_error_reported_on_the_users_line(page, server):
    open_editor(page, server)
    set_query(page, "SELECT ?s\nWHERE {\n  ?s ?p ?o FILTER(\n}")
    page.locator(".yasqe_queryButton").first.click()
    response = page.locator(".yasr").get_by_text(re.compile(r"malformed query"))
    response.wait_for()
    text = response.inner_text()
    assert re.search(r"line 3, column \d+", text), text
    shot(page, "g-editor-syntax-error")
    # the browser logs the 400 itself ("Failed to load resource" is filtered); nothing else may appear
    assert not page.errors, page.errors


def test_plain_form_error_on_the_users_line(page, server):
    """The form as a browser without JavaScript would send it (results as a table on the page)."""
    page.goto(server + "/sparql")
    page.wait_for_selector("#yasgui[data-ready=true]")
    page.evaluate("""() => { const f = document.getElementById('sparql-form'); f.hidden = false;
      f.querySelector('textarea').value = 'SELECT ?s\\nWHERE {\\n  ?s ?p ?o FILTER(\\n}'; }""")
    page.locator("#sparql-form button[type=submit]").click()
    page.wait_for_selector("#sparql-error")
    assert re.search(r"line 3, column \d+", page.locator("#sparql-error").inner_text())
    assert page.locator("#sparql-error").is_visible()


def test_suggestions_as_you_type_and_enter_opens_the_page(page, server):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(server + "/search")
    box = page.locator("#search-q")
    box.press_sequentially("IDC", delay=40)
    options = page.locator("#search-suggestions [role=option]")
    options.first.wait_for()
    assert page.locator("#search-suggestions").is_visible()
    assert box.get_attribute("aria-expanded") == "true"
    assert 2 <= options.count() <= 8
    first = options.first
    assert first.locator(".name").inner_text() == "International Detention Coalition"
    assert first.locator(".kind").inner_text() == "civil-society network"
    listbox = page.evaluate(BOX, "#search-suggestions")
    assert listbox["bottom"] <= listbox["vh"] and listbox["right"] <= listbox["vw"], listbox
    shot(page, "h-search-suggestions-1400")
    box.press("ArrowDown")
    assert first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    box.press("Escape")
    assert page.locator("#search-suggestions").is_hidden() and box.get_attribute("aria-expanded") == "false"
    box.press("ArrowDown")  # opens the list again
    options.first.wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/id/org/idc")
    assert "International Detention Coalition" in page.locator("h1").inner_text()
    assert not page.errors, page.errors


def test_results_page_lists_the_acronyms_organisation_first(page, server):
    page.goto(server + "/search")
    page.locator("#search-q").fill("IDC")
    page.locator("#search-form button[type=submit]").click()
    page.wait_for_url("**/search?q=IDC")
    first = page.locator("ol.hits > li").first
    assert first.locator("a").inner_text() == "International Detention Coalition"
    assert first.locator("a").get_attribute("href") == "/id/org/idc"
    assert first.locator(".kind").inner_text() == "civil-society network"
    assert first.is_visible()
    shot(page, "h-search-results-1400")
    assert not page.errors, page.errors


def test_no_sideways_scroll_on_a_phone(page, server):
    page.set_viewport_size({"width": 390, "height": 844})
    open_editor(page, server)
    page.locator(".yasqe_queryButton").first.click()
    page.locator(".yasr table td").first.wait_for()
    page.wait_for_timeout(300)
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "/sparql scrolls sideways at 390 px"
    shot(page, "g-editor-results-390")
    page.goto(server + "/search")
    page.locator("#search-q").press_sequentially("IDC", delay=40)
    page.locator("#search-suggestions [role=option]").first.wait_for()
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "/search with suggestions scrolls sideways at 390 px"
    shot(page, "h-search-suggestions-390")
    page.goto(server + "/search?q=IDC")
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "/search?q=IDC scrolls sideways at 390 px"
    shot(page, "h-search-results-390")
    assert not page.errors, page.errors
