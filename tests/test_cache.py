"""The per-worker response cache: same answer twice, revalidation, and what is never kept."""
from __future__ import annotations

import pytest

Q = "SELECT ?s ?label WHERE { ?s a atd:State ; rdfs:label ?label } ORDER BY ?label"


@pytest.fixture(scope="module")
def app(make_app):
    return make_app(PAGE_CACHE_MB=4)


@pytest.fixture
def client(app):
    return app.test_client()


def test_a_page_is_rendered_once_then_served_from_the_cache(client, app):
    first = client.get("/id/state/THA")
    second = client.get("/id/state/THA")
    assert first.status_code == second.status_code == 200
    assert first.headers["X-Cache"] == "miss" and second.headers["X-Cache"] == "hit"
    assert first.data == second.data and b"Thailand" in second.data
    # the cached answer keeps every header the app sets, security headers included
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Content-Type", "ETag"):
        assert first.headers[header] == second.headers[header]
    assert app.extensions["atdkg-cache"].hits >= 1


def test_revalidation_with_the_etag_gets_304_without_a_body(client):
    etag = client.get("/events").headers["ETag"]
    again = client.get("/events", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/events", headers={"If-None-Match": '"other"'}).status_code == 200


def test_each_negotiated_format_is_its_own_entry(client):
    html = client.get("/id/state/PRT", headers={"Accept": "text/html"})
    turtle = client.get("/id/state/PRT", headers={"Accept": "text/turtle"})
    turtle_again = client.get("/id/state/PRT", headers={"Accept": "text/turtle"})
    assert html.mimetype == "text/html" and turtle.mimetype == "text/turtle"
    assert turtle_again.headers["X-Cache"] == "hit" and turtle_again.data == turtle.data != html.data


def test_get_queries_are_cached_and_posts_are_not(client):
    get = [client.get("/sparql", query_string={"query": Q}, headers={"Accept": "text/csv"}) for _ in range(2)]
    assert [r.headers.get("X-Cache") for r in get] == ["miss", "hit"] and get[0].data == get[1].data
    post = client.post("/sparql", data={"query": Q}, headers={"Accept": "text/csv"})
    assert post.status_code == 200 and "X-Cache" not in post.headers and post.data == get[0].data


def test_errors_are_never_kept(client):
    for _ in range(2):
        r = client.get("/id/state/NOPE")
        assert r.status_code == 404 and "X-Cache" not in r.headers
    for _ in range(2):
        r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p"}, headers={"Accept": "text/csv"})
        assert r.status_code == 400 and "X-Cache" not in r.headers


def test_the_budget_bounds_the_cache_least_recently_used_out_first(make_app):
    app = make_app(PAGE_CACHE_MB=0.05, PAGE_CACHE_DIR=False)  # about 50 KB, the memory tier alone
    client, cache = app.test_client(), app.extensions["atdkg-cache"]

    def ask(n):
        return client.get("/sparql", query_string={"query": f"SELECT ({n} AS ?n) WHERE {{}}"},
                          headers={"Accept": "text/csv"}).headers["X-Cache"]
    assert ask(0) == "miss" and ask(0) == "hit"
    for n in range(1, 200):
        ask(n)
    assert cache.max_bytes // 2 < cache.size <= cache.max_bytes
    assert ask(0) == "miss"  # the oldest went first
    assert ask(199) == "hit"


def test_the_cache_can_be_turned_off(make_app):
    client = make_app(PAGE_CACHE_MB=0).test_client()
    assert all("X-Cache" not in client.get("/events").headers for _ in range(2))


def test_workers_share_answers_through_the_build_directory(make_app, tmp_path):
    """Two apps (two gunicorn workers) over one cache directory: one renders, the other reads it."""
    first = make_app(PAGE_CACHE_DIR=str(tmp_path)).test_client()
    second = make_app(PAGE_CACHE_DIR=str(tmp_path)).test_client()
    rendered = first.get("/actors")
    shared = second.get("/actors")
    assert rendered.headers["X-Cache"] == "miss" and shared.headers["X-Cache"] == "hit"
    assert shared.data == rendered.data and shared.headers["ETag"] == rendered.headers["ETag"]
    assert len(list(tmp_path.iterdir())) >= 1


def test_an_unwritable_cache_directory_leaves_the_memory_tier(make_app, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory would go")
    client = make_app(PAGE_CACHE_DIR=str(blocker / "cache")).test_client()
    assert [client.get("/events").headers["X-Cache"] for _ in range(2)] == ["miss", "hit"]


def test_a_large_answer_is_kept_on_disk_only(make_app, tmp_path):
    app = make_app(PAGE_CACHE_MB=0.01, PAGE_CACHE_DIR=str(tmp_path))  # ~10 KB: a page is over an eighth of it
    client, cache = app.test_client(), app.extensions["atdkg-cache"]
    first, again = client.get("/actors"), client.get("/actors")
    assert len(first.data) > cache.max_bytes // 8
    assert first.headers["X-Cache"] == "miss" and again.headers["X-Cache"] == "hit" and again.data == first.data
    assert cache.size == 0  # never in memory
