"""The explorer shows what the build counted (build/coverage.json): a Coverage section on a document's
text view and entity page, its JSON and CSV twins, each unread sentence linked to and underlined in the
text; a build without coverage data says so, and a new build brings its own coverage."""
from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from atdkg.layouts import pdf_layout
from atdkg.loaders.integrity import write_manifest
from atdkg.loaders.relations import sentences
from atdkg.loaders.sources import load_manifest, read_text
from atdkg.loaders.text import normalise, vocabulary
from atdkg.webapp.coverage import line_starts, locate

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def app(make_app):
    return make_app(QUERY_TIMEOUT=10.0)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def recorded(build_dir) -> dict[str, dict]:
    """What the build wrote, per document."""
    return {d["id"]: d for d in json.loads((build_dir / "coverage.json").read_text(encoding="utf-8"))}


@pytest.fixture
def build_copy(build_dir, tmp_path):
    """A copy of the session's build in tmp_path/data/build; ``seal()`` rewrites its manifest after an edit
    (as if the build had been written so), ``app()`` serves it (query children stopped at teardown)."""
    from atdkg.webapp import create_app, store
    target = tmp_path / "data" / "build"
    shutil.copytree(build_dir, target, ignore=shutil.ignore_patterns(".lock", "cache"))
    apps = []

    class Copy:
        path = target

        @staticmethod
        def seal():
            write_manifest(target)

        @staticmethod
        def app():
            a = create_app({"DATA_DIR": str(target.parent), "PAGE_CACHE_DIR": False})
            apps.append(a)
            return a
    yield Copy
    for a in apps:
        store.close(a)


def page_text(client, url: str) -> str:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.data[:300])
    return r.data.decode()


def number(page: str, ident: str) -> str:
    m = re.search(rf'<span id="{ident}">([^<]*)</span>', page)
    assert m, ident
    return m.group(1)


class Items(HTMLParser):
    """The unread sentences as a page lists them: line, link, names, sentence."""

    def __init__(self):
        super().__init__()
        self.items: list[dict] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class") or ""
        if tag == "li" and cls == "unread-item":
            self.items.append({"line": int(a["data-line"]), "href": None, "names": [], "text": ""})
        elif self.items and tag == "a" and cls == "unread-link":
            self.items[-1]["href"] = a["href"]
        elif self.items and tag == "span" and cls == "tag":
            self._in = "name"
        elif self.items and tag == "q":
            self._in = "text"

    def handle_endtag(self, tag):
        if tag in ("span", "q"):
            self._in = None

    def handle_data(self, data):
        if self._in == "name":
            self.items[-1]["names"].append(data)
        elif self._in == "text":
            self.items[-1]["text"] += data


def listed(page: str) -> list[dict]:
    parser = Items()
    parser.feed(page)
    return parser.items


def shown_percent(doc: dict) -> str:
    return f'{1000 * doc["yielded"] // doc["sentences"] / 10:g}'


# -- the page shows what the build counted ---------------------------------------------------------
@pytest.mark.parametrize("url", ["/document/{}", "/id/document/{}", "/document/{}/coverage"])
def test_the_numbers_on_the_page_are_those_in_coverage_json(client, recorded, url):
    for doc_id, doc in recorded.items():
        page = page_text(client, url.format(doc_id))
        assert number(page, "coverage-sentences") == str(doc["sentences"])
        assert number(page, "coverage-yielded") == str(doc["yielded"])
        assert number(page, "coverage-unread") == str(len(doc["unread"]))
        assert number(page, "coverage-percent") == shown_percent(doc)
        silent = doc["sentences"] - doc["yielded"] - len(doc["unread"])
        assert f"The other {silent} name nothing and yielded nothing." in page


def test_percent_is_rounded_down_to_one_decimal():
    from atdkg.webapp.coverage import DocumentCoverage
    def share(yielded, sentences):
        return DocumentCoverage("x", "x.txt", sentences, yielded, ()).percent
    assert (share(95, 143), share(2, 3), share(999, 1000), share(3, 3), share(0, 5)) == (66.4, 66.6, 99.9, 100, 0)
    assert share(0, 0) is None


def test_every_unread_sentence_is_listed_with_its_line_names_and_a_link_into_the_text(client, recorded, build_dir):
    assert sum(len(d["unread"]) for d in recorded.values()) > 0, "the corpus has unread sentences to show"
    for doc_id, doc in recorded.items():
        items = listed(page_text(client, f"/document/{doc_id}"))
        assert [(i["line"], i["names"], " ".join(i["text"].split())) for i in items] == \
               [(u["line"], u["names"], u["text"]) for u in doc["unread"]]
        text = read_text(build_dir / "sources" / doc["file"])
        starts = line_starts(text)
        view = page_text(client, f"/document/{doc_id}")
        for item in items:
            m = re.fullmatch(rf"/document/{doc_id}#unread-(\d+)-(\d+)", item["href"])
            assert m, item["href"]  # every sentence of the real corpus is found in its text
            start, end = int(m.group(1)), int(m.group(2))
            assert 1 <= item["line"] <= len(starts)  # the line exists ...
            assert f'id="line-{item["line"]}"' in view  # ... and the text view can be opened at it
            assert starts[item["line"] - 1] <= start < end <= len(text)  # the sentence is at or after it
            assert f'<span class="unread" id="unread-{start}-{end}">' in view
            # what is underlined reads, once normalised as the loaders read it, as the sentence listed
            read = " ".join(line.text for line in normalise(text[start:end]).lines)
            assert " ".join(read.split()) == " ".join(item["text"].split())


def test_the_entity_page_links_to_the_text_view(client, recorded):
    doc_id = next(k for k, d in recorded.items() if d["unread"])
    items = listed(page_text(client, f"/id/document/{doc_id}"))
    assert [i["href"] for i in items] == [i["href"] for i in listed(page_text(client, f"/document/{doc_id}"))]
    assert all(i["href"].startswith(f"/document/{doc_id}#") for i in items)


def test_the_text_view_nests_marks_inside_unread_sentences(client, recorded):
    """Evidence passages (the names inside an unread sentence have some) are cut at its boundaries:
    the markup stays well nested, and the text reads exactly as the source."""
    for doc_id in recorded:
        view = page_text(client, f"/document/{doc_id}")
        pre = view[view.index('<pre class="source">') + len('<pre class="source">'):view.index("</pre>")]
        stack: list[str] = []
        for closing, tag in re.findall(r"<(/?)(\w+)[^>]*>", pre):
            if closing:
                assert stack and stack.pop() == tag, (doc_id, tag)
            else:
                stack.append(tag)
        assert not stack
        source = read_text(DATA / "sources" / recorded[doc_id]["file"])
        assert html.unescape(re.sub(r"<[^>]+>", "", pre)) == source


# -- the twins ------------------------------------------------------------------------------------------
def test_json_and_csv_twins_equal_the_page(client, recorded):
    for doc_id, doc in recorded.items():
        page = page_text(client, f"/document/{doc_id}/coverage")
        for suffix, media in (("json", "application/json"), ("csv", "text/csv")):
            href = f"/document/{doc_id}/coverage.{suffix}"
            assert f'rel="alternate" type="{media}" href="{href}"' in page
            assert f'href="{href}"' in page_text(client, f"/document/{doc_id}")
        twin = json.loads(client.get(f"/document/{doc_id}/coverage.json").data)
        assert twin["available"] is True and twin["document"] == doc_id
        assert (twin["sentences"], twin["yielded"], twin["unread_count"]) == \
               (doc["sentences"], doc["yielded"], len(doc["unread"]))
        assert f'{twin["percent"]:g}' == number(page, "coverage-percent")
        items = listed(page)
        assert [(u["line"], u["names"], u["text"], u["href"]) for u in twin["unread"]] == \
               [(i["line"], i["names"], " ".join(i["text"].split()), i["href"]) for i in items]
        r = client.get(f"/document/{doc_id}/coverage.csv")
        assert r.status_code == 200 and r.mimetype == "text/csv"
        rows = list(csv.DictReader(io.StringIO(r.data.decode())))
        assert [(int(r["line"]), r["names"], r["text"], r["href"]) for r in rows] == \
               [(u["line"], "; ".join(u["names"]), u["text"], u["href"]) for u in twin["unread"]]
        assert {r["document"] for r in rows} <= {doc_id}
        entity = json.loads(client.get(f"/id/document/{doc_id}.json").data)
        assert entity["coverage"] == twin


def test_no_other_twin_and_no_other_document(client):
    assert client.get("/document/002/coverage.xml").status_code == 404
    assert client.get("/document/999/coverage").status_code == 404
    assert client.get("/document/999/coverage.json").status_code == 404
    assert "coverage" not in json.loads(client.get("/id/person/carolina-gottardo.json").data)
    assert 'id="coverage"' not in page_text(client, "/id/person/carolina-gottardo")


# -- a build without coverage, a new build, untrusted text ---------------------------------------------
def test_a_build_without_coverage_data_says_so_plainly(build_copy):
    (build_copy.path / "coverage.json").unlink()  # a build from before coverage was recorded
    build_copy.seal()
    client = build_copy.app().test_client()
    for url in ("/document/002", "/id/document/002", "/document/002/coverage"):
        page = page_text(client, url)
        assert 'id="coverage-missing"' in page and "has no coverage data" in page, url
        assert "coverage-yielded" not in page and " of 0 " not in page and "unread-item" not in page
    assert '<pre class="source">' in page_text(client, "/document/002")  # the text is still shown
    twin = json.loads(client.get("/document/002/coverage.json").data)
    assert twin["available"] is False and "has no coverage data" in twin["message"] and "unread" not in twin
    assert json.loads(client.get("/id/document/002.json").data)["coverage"] == twin
    r = client.get("/document/002/coverage.csv")
    assert r.status_code == 404 and b"has no coverage data" in r.data  # no empty table that reads as zero


def test_a_document_missing_from_coverage_json_says_so(build_copy):
    path = build_copy.path / "coverage.json"
    path.write_text(json.dumps([d for d in json.loads(path.read_text()) if d["id"] != "001"]), encoding="utf-8")
    build_copy.seal()
    client = build_copy.app().test_client()
    page = page_text(client, "/document/001")
    assert "has no entry for document 001" in page and "coverage-yielded" not in page
    assert "coverage-yielded" in page_text(client, "/document/002")


def test_an_unreadable_coverage_json_says_so(build_copy):
    (build_copy.path / "coverage.json").write_text('{"not": "a list"}', encoding="utf-8")
    build_copy.seal()
    page = page_text(build_copy.app().test_client(), "/document/002")
    assert "cannot be read" in page and "coverage-yielded" not in page


def test_the_coverage_shown_is_that_of_the_build_served(build_copy):
    """An app serves the build it started on, the counts and the text its sentences are found in; the
    next app (made after a swap: webapp/server.py) serves the new build's."""
    data = build_copy.path.parent
    first = data / ".builds" / "a"
    first.parent.mkdir()
    build_copy.path.rename(first)
    second = data / ".builds" / "b"
    shutil.copytree(first, second)
    # the second build: one unread sentence left in 002, and its text one line further down
    docs = json.loads((second / "coverage.json").read_text(encoding="utf-8"))
    doc = next(d for d in docs if d["id"] == "002")
    first_unread = doc["unread"][0]
    kept = dict(first_unread, line=first_unread["line"] + 1,  # the offsets a build records move with the text
                start=first_unread["start"] + 1, end=first_unread["end"] + 1)
    doc["unread"], doc["yielded"] = [kept], doc["yielded"] + len(doc["unread"]) - 1
    (second / "coverage.json").write_text(json.dumps(docs), encoding="utf-8")
    source = second / "sources" / doc["file"]
    source.write_text("\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
    write_manifest(second)
    link = data / "build"
    os.symlink(".builds/a", link)
    old = build_copy.app().test_client()
    os.replace(_symlink(data, ".builds/b"), link)  # what `atdkg build` does: one rename
    new = build_copy.app().test_client()
    # the first request to the old app comes after the swap: nothing of the new build may show
    before = json.loads(old.get("/document/002/coverage.json").data)
    assert before["unread_count"] == len(next(d for d in json.loads((first / "coverage.json").read_text())
                                              if d["id"] == "002")["unread"]) > 1
    after = json.loads(new.get("/document/002/coverage.json").data)
    assert (after["unread_count"], after["yielded"]) == (1, doc["yielded"])
    assert after["unread"][0]["start"] == before["unread"][0]["start"] + 1  # found in the new build's text
    assert number(page_text(old, "/document/002"), "coverage-unread") == str(before["unread_count"])
    assert number(page_text(new, "/document/002"), "coverage-unread") == "1"


def _symlink(data: Path, target: str) -> Path:
    tmp = data / ".build.new"
    os.symlink(target, tmp)
    return tmp


def test_sentences_and_names_are_untrusted_text(build_copy):
    path = build_copy.path / "coverage.json"
    docs = json.loads(path.read_text(encoding="utf-8"))
    hostile = {"line": 3, "names": ['<img src=x onerror="alert(1)">'], "text": '<script>alert("x")</script> & "q"'}
    next(d for d in docs if d["id"] == "002")["unread"].insert(0, hostile)
    path.write_text(json.dumps(docs), encoding="utf-8")
    build_copy.seal()
    client = build_copy.app().test_client()
    for url in ("/document/002", "/id/document/002", "/document/002/coverage"):
        r = client.get(url)
        page = r.data.decode()
        # no tag from the text: the only scripts are the explorer's own files
        scripts = re.findall(r"<script[^>]*>", page)
        assert "<img" not in page and all(s.startswith('<script src="/static/') for s in scripts), url
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;q&#34;" in page
        assert "unsafe-inline" not in r.headers["Content-Security-Policy"]
        assert " style=" not in page  # the CSP allows no inline styles: none are needed
    # not in the text: its link opens its line instead of marking anything
    (item, *_) = listed(page_text(client, "/document/002"))
    assert item["href"] == "/document/002#line-3"
    assert "could not be marked in the text" in page_text(client, "/document/002")
    assert json.loads(client.get("/document/002/coverage.json").data)["unread"][0]["start"] is None


# -- finding a sentence in its text --------------------------------------------------------------------
LAYOUTS = {
    "original": lambda t: t,
    "pdf-full": pdf_layout,
    "pdf-narrow-pages": lambda t: pdf_layout(t, width=58, pages=25),
    "wrapped-hyphenated-markdown": lambda t: pdf_layout(t, bullets=False, pages=None, markdown=True),
    "crlf-bom": lambda t: "\ufeff" + t.replace("\n", "\r\n"),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_locate_finds_every_sentence_where_the_loaders_read_it(layout):
    """coverage.json gives a sentence as its line and its collapsed text; ``locate`` must find the very
    offsets the normaliser read it from — through line breaks, hyphenation, page breaks with running
    headers, markdown links and emphasis, CRLF and a BOM."""
    manifest = load_manifest(DATA / "sources")
    texts = {s.id: LAYOUTS[layout](read_text(DATA / "sources" / s.file)) for s in manifest}
    words = set().union(*(vocabulary(t) for t in texts.values()))
    checked = 0
    for text in texts.values():
        starts = line_starts(text)
        after: dict[int, int] = {}
        for line in normalise(text, words).lines:
            for a, b in sentences(line.text):
                start, end = line.span(a, b)
                end = len(text[:end].rstrip())
                found = locate(text, " ".join(line.text[a:b].split()), after.get(line.lineno, starts[line.lineno - 1]))
                assert found == (start, end), (layout, line.lineno, line.text[a:b][:80])
                after[line.lineno] = end
                checked += 1
    assert checked > 300


def test_locate_gives_none_rather_than_a_wrong_place():
    text = "Line one.\nThe Riverside Council met.\n"
    assert locate(text, "The Riverside Council met.", 10) == (10, 36)
    assert locate(text, "The Riverside Council met.", 11) is None  # searched from after it
    assert locate(text, "A sentence that is not there.", 0) is None
    assert locate(text, "   ", 0) is None


@pytest.mark.parametrize("url", ["/document/%00/coverage", "/document/002/coverage.", "/document/002/coverage.txt",
                                 "/document/" + "9" * 500 + "/coverage.csv", "/document/%0A/coverage.json",
                                 "/document/<script>/coverage", "/document/002/coverage/x"])
def test_odd_coverage_urls_never_give_a_traceback(client, url):
    r = client.get(url)
    assert r.status_code in (400, 404) and b"Traceback" not in r.data and b"went wrong" not in r.data


def test_a_build_that_records_offsets_is_shown_at_them_and_an_older_one_is_searched(build_copy):
    """coverage.json gives each unread sentence's [start, end) (as evidence spans are given); a build written
    before it did is still shown, its sentences found near their lines."""
    path = build_copy.path / "coverage.json"
    docs = json.loads(path.read_text(encoding="utf-8"))
    doc = next(d for d in docs if d["id"] == "002")
    text = (build_copy.path / "sources" / doc["file"]).read_text(encoding="utf-8")
    for u in doc["unread"]:  # the passage as written (Markdown residue and line breaks in it), the sentence's words
        passage, words = text[u["start"]:u["end"]], u["text"].split()
        assert passage.startswith(words[0]) and passage.endswith(words[-1])
    shown = json.loads(build_copy.app().test_client().get("/document/002/coverage.json").data)
    assert [(u["start"], u["end"]) for u in shown["unread"]] == [(u["start"], u["end"]) for u in doc["unread"]]
    for u in doc["unread"]:
        del u["start"], u["end"]
    path.write_text(json.dumps(docs), encoding="utf-8")
    write_manifest(build_copy.path)
    older = json.loads(build_copy.app().test_client().get("/document/002/coverage.json").data)
    assert [(u["start"], u["end"]) for u in older["unread"]] == [(u["start"], u["end"]) for u in shown["unread"]]
