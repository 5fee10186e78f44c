"""Paged list and facet pages (webapp/pages.py: paginate, Paged): ?page=&size= are checked (a 400 names the
parameter and what was expected), the JSON twins carry the page with total, page, size and next/prev links,
the CSV twins the whole selection, and facet counts stay over the whole selection."""
from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

V = "https://w3id.org/atd-kg/vocab/"
LISTS = {"/events": "events", "/actors": None, "/practices": "practices", "/commitments": None,
         "/queries": "queries"}


@pytest.fixture(scope="module")
def app(make_app):
    return make_app(QUERY_TIMEOUT=10.0, PAGE_CACHE_MB=0)


@pytest.fixture
def client(app):
    return app.test_client()


def twin(client, url: str, **query) -> dict:
    r = client.get(url, query_string=query or None)
    assert r.status_code == 200 and r.mimetype == "application/json", r.data[:300]
    return json.loads(r.data)


def items_of(path: str, data: dict) -> list:
    if path == "/actors":
        return data["states"] + [o for orgs in data["organisations"].values() for o in orgs] + data["people"]
    if path == "/commitments":
        return [i for lst in data["lists"] for i in lst["items"]]
    return data[LISTS[path]]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("query, message", [
    ({"page": "0"}, "parameter page: expected a whole number from 1"),
    ({"page": "two"}, "parameter page: expected a whole number from 1"),
    ({"page": "-1"}, "parameter page: expected a whole number from 1"),
    ({"size": "0"}, "parameter size: expected a whole number from 1 to 500"),
    ({"size": "501"}, "parameter size: expected a whole number from 1 to 500"),
    ({"size": "1e3"}, "parameter size: expected a whole number from 1 to 500"),
    ({"page": "9" * 40}, "parameter page"),
    ({"page": "999"}, "parameter page: expected a whole number from 1 to "),
])
def test_bad_page_or_size_is_a_400_naming_it(client, path, query, message):
    for url in (path, path + ".json"):
        r = client.get(url, query_string=query)
        assert r.status_code == 400, (url, query, r.status_code)
        assert message in r.data.decode().replace("&#39;", "'"), r.data[-400:]
        assert b"Traceback" not in r.data


@pytest.mark.parametrize("path", LISTS)
def test_json_twin_pages_through_the_whole_list(client, path):
    """size=2: every page holds at most 2, the pages together are the whole list once, in order, and the
    next/prev links lead through them; the CSV twin gives the whole selection whatever the page."""
    whole = twin(client, path + ".json", size=500)
    total = whole["total"]
    assert total == len(items_of(path, whole)) and whole["pages"] == 1 and whole["next"] is None
    seen, url, number = [], f"{path}.json?size=2", 1
    while url:
        data = twin(client, url)
        assert (data["page"], data["size"], data["total"]) == (number, 2, total)
        assert len(items_of(path, data)) == min(2, total - 2 * (number - 1))
        if number > 1:
            assert parse_qs(urlsplit(data["prev"]).query).get("page", ["1"]) == [str(number - 1)]
        else:
            assert data["prev"] is None
        seen += items_of(path, data)
        url, number = data["next"], number + 1
        if url:
            assert urlsplit(url).path == path + ".json" and parse_qs(urlsplit(url).query)["size"] == ["2"]
    assert number - 1 == data["pages"] == -(-total // 2)
    assert seen == items_of(path, whole)
    rows = list(csv.DictReader(io.StringIO(client.get(f"{path}.csv?size=2&page=2").data.decode())))
    if path not in ("/events",):  # the events CSV has a row per agenda item, speaker, host and document
        assert len(rows) == total


def test_default_page_size_and_range_shown(client):
    data = twin(client, "/actors.json")
    assert data["size"] == 50 and data["page"] == 1 and data["total"] > 50
    assert data["next"] == "/actors.json?page=2"
    html = client.get("/actors?page=2").data.decode()
    assert re.search(r'Showing <span class="paging-range">51–\d+</span> of\s+<span class="paging-total">'
                     + str(data["total"]) + "</span>", html)
    assert 'href="/actors" ' in html or 'href="/actors">' in html  # previous: page 1 is the plain path
    assert "the CSV has all" in html


def test_next_and_previous_keep_the_facet_selection(client):
    category = V + "practice-ending-child-detention"
    data = twin(client, "/practices.json", category=category, size=1)
    assert data["total"] >= 2
    assert parse_qs(urlsplit(data["next"]).query) == {"category": [category], "size": ["1"], "page": ["2"]}
    html = client.get("/practices", query_string={"category": category, "size": 1, "page": 2}).data.decode()
    prev = re.search(r'<a class="pager-prev" rel="prev" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(prev).query) == {"category": [category], "size": ["1"]}
    # a facet link starts again at page 1, with the same page size
    link = re.search(r'href="(/practices\?[^"]*event=[^"]+)"', html).group(1).replace("&amp;", "&")
    assert "page=" not in link and "size=1" in link


def test_facet_counts_are_over_the_whole_selection(client):
    """The counts beside each facet value do not depend on the page shown."""
    first = twin(client, "/practices.json", size=1)
    second = twin(client, "/practices.json", size=1, page=2)
    assert first["facets"] == second["facets"] == twin(client, "/practices.json")["facets"]
    assert first["count"] == first["total"] == sum(1 for _ in twin(client, "/practices.json", size=500)["practices"])
    for entry in first["facets"]["category"]:
        narrowed = twin(client, "/practices.json", category=entry["value"], size=1)
        assert narrowed["total"] == entry["count"]


def test_actor_kinds(client):
    whole = twin(client, "/actors.json", size=500)
    for kind in ("state", "organisation", "person"):
        only = twin(client, "/actors.json", kind=kind, size=500)
        assert only["total"] == whole["counts"][kind] == only["counts"][kind]
    people = twin(client, "/actors.json", kind="person", size=500)
    assert not people["states"] and not people["organisations"] and len(people["people"]) == people["total"]
    assert client.get("/actors?kind=robot").status_code == 400
    assert client.get("/actors?colour=red").status_code == 400


def test_commitments_pages_say_which_list_continues(client):
    whole = twin(client, "/commitments.json", size=500)
    sizes = {lst["list"]: len(lst["items"]) for lst in whole["lists"]}
    assert all(lst["count"] == len(lst["items"]) for lst in whole["lists"])
    page2 = twin(client, "/commitments.json", size=7, page=2)
    for lst in page2["lists"]:
        assert lst["count"] == sizes[lst["list"]]  # the list's size in the selection, not on this page
    html = client.get("/commitments?size=7&page=2").data.decode()
    assert ", continued)" in html  # the second page starts inside a list
