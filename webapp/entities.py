"""Entity pages and source documents (the home page is webapp/home.py).

Every entity IRI of the graph (``{base}id/…``) is served at ``/id/…`` with content negotiation
(HTML, Turtle, JSON-LD, N-Triples) and suffix twins (``.ttl``, ``.jsonld``, ``.nt``, ``.json``)
announced in ``Link: rel="alternate"`` headers. Document pages show the original text with every
evidence passage highlighted and addressable (``/document/002#ev-1286-1401``), every line addressable
(``#line-35``), and a Coverage section: how many sentences yielded a statement, and each sentence that
names something but yielded nothing, underlined in the text (``#unread-START-END``). The same section is
on the document's entity page, and on its own at ``/document/002/coverage`` with ``.json`` and ``.csv``
twins (webapp/coverage.py reads it from the build).
"""
from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from urllib.parse import urlparse

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from markupsafe import Markup, escape
from rdflib import Literal, URIRef
from werkzeug.routing import PathConverter

from atdkg.loaders.sources import read_text
from atdkg.queries import QueryError, formats

from . import coverage as build_coverage
from . import entity_view
from .pages import family, page
from .store import named

bp = Blueprint("entities", __name__)

TWINS = {"ttl": ("turtle", "text/turtle"), "jsonld": ("jsonld", "application/ld+json"),
         "nt": ("nt", "application/n-triples"), "json": ("json", "application/json")}
NEGOTIATED = {"text/turtle": "ttl", "application/ld+json": "jsonld", "application/n-triples": "nt",
              "application/json": "json"}


def base() -> str:
    return current_app.config["BASE_IRI"]


def local_path(iri: str) -> str | None:
    """The explorer's path for an IRI under the base (entities, ontology terms, vocabulary concepts), or
    None for an IRI outside the dataset: every link under the base stays in the explorer."""
    b = base()
    if iri.startswith(b + "id/"):
        return "/id/" + iri[len(b) + 3:]
    if iri.startswith(b + "ontology"):
        rest = iri[len(b) + len("ontology"):]
        return "/ontology" + (rest if rest.startswith("#") or not rest else "#" + rest.lstrip("/#"))
    if iri.startswith(b + "vocab/"):
        return "/vocab/" + iri[len(b) + 6:]
    if iri.startswith(b + "graph/"):
        return "/graph/" + iri[len(b) + 6:]
    return None


def link_for(term) -> Markup:
    """A safe link (or plain text) for a term: local pages, http(s) IRIs; never javascript: or data:."""
    if isinstance(term, Literal):
        return escape(str(term))
    iri = str(term)
    path = local_path(iri)
    if path:
        return Markup('<a href="{}">{}</a>').format(path, iri.rsplit("/id/", 1)[-1])
    if urlparse(iri).scheme in ("http", "https"):
        return Markup('<a href="{}" rel="nofollow">{}</a>').format(iri, iri)
    return escape(iri)


@bp.app_template_global()
def term_link(term, label=None) -> Markup:
    if label is not None and not isinstance(term, Literal):
        path = local_path(str(term))
        if path:
            return Markup('<a href="{}">{}</a>').format(path, str(label))
        if urlparse(str(term)).scheme in ("http", "https"):
            return Markup('<a href="{}" rel="nofollow">{}</a>').format(str(term), str(label))
    return link_for(term)


@bp.app_template_test("link_value")
def is_link_value(cell) -> bool:
    """Whether a page cell is an entity_view.Value (a term with its label), for the templates."""
    return isinstance(cell, entity_view.Value)


@bp.app_template_global()
def evidence_href(document_id: str, start, end) -> str:
    return url_for("entities.document", doc=str(document_id)) + f"#ev-{start}-{end}"


def _alternates(path: str) -> str:
    return ", ".join(f'<{path}.{suffix}>; rel="alternate"; type="{media}"' for suffix, (_, media) in TWINS.items())


# RFC 3987 (what Oxigraph enforces): the characters an IRI's path, query and fragment may hold
_IRI_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/")
_HEX = frozenset("0123456789abcdefABCDEF")


def _ucschar(cp: int) -> bool:
    if cp < 0x10000:
        return 0xA0 <= cp <= 0xD7FF or 0xF900 <= cp <= 0xFDCF or 0xFDF0 <= cp <= 0xFFEF
    plane, low = divmod(cp, 0x10000)
    return low <= 0xFFFD and plane <= 0xE and not (plane == 0xE and low < 0x1000)


def _iprivate(cp: int) -> bool:
    return 0xE000 <= cp <= 0xF8FF or (cp >= 0xF0000 and cp & 0xFFFF <= 0xFFFD)


def iri_problem(text: str) -> tuple[int, str] | None:
    """(0-based index, what is wrong) for the first character of ``text`` that cannot follow
    ``{base}id/`` in an IRI, or None. Checked before a path segment becomes an IRI: such a request
    is the client's mistake (400), and the store would reject the IRI (a 500 otherwise)."""
    part = "path"
    for i, ch in enumerate(text):
        cp = ord(ch)
        if ch in _IRI_ASCII or _ucschar(cp) or (part == "query" and _iprivate(cp)):
            continue
        if ch == "%":
            if text[i + 1:i + 2] in _HEX and text[i + 2:i + 3] in _HEX:
                continue
            return i, "'%' not followed by two hexadecimal digits"
        if ch == "?" and part != "fragment":
            part = "query"
            continue
        if ch == "#" and part != "fragment":
            part = "fragment"
            continue
        if ch == "?":
            continue
        return i, f"U+{cp:04X}" + (f" '{ch}'" if ch.isprintable() and cp < 0x80 else "")
    return None


def _check_path(prefix: str, rest: str) -> None:
    """400 naming the character and its position (1-based, in the request path) when ``rest`` cannot
    become part of an IRI; no traceback, nothing logged."""
    problem = iri_problem(rest)
    if problem:
        index, what = problem
        abort(400, f"{what} at position {len(prefix) + index + 1} of the path: an IRI cannot hold it")


class _AnyPath(PathConverter):
    """Flask's path converter with newlines too ("." skips them): /id/a%0Ab reaches the view, for its 400."""
    regex = "[^/](?s:.*?)"


def _register_anypath(state) -> None:
    state.app.url_map.converters.setdefault("anypath", _AnyPath)


# registered before the route below is added to the app (deferred functions run in order)
bp.record_once(_register_anypath)


@bp.route("/id/<anypath:rest>")
def entity(rest: str):
    return entity_response(base() + "id/", "/id/", rest)


@bp.route("/graph/<anypath:rest>")
def named_graph(rest: str):
    """A named graph's description (which document its statements came from), as an entity page."""
    return entity_response(base() + "graph/", "/graph/", rest)


def entity_response(namespace: str, prefix: str, rest: str) -> Response:
    """The page (or a twin) of the resource ``namespace + rest``, served at ``prefix + rest``."""
    _check_path(prefix, rest)
    suffix = None
    stem, dot, ext = rest.rpartition(".")
    if dot and ext in TWINS:
        rest, suffix = stem, ext
    iri = namespace + rest
    try:
        described = named("describe", iri=iri)
    except QueryError as e:  # valid in RFC 3987 yet refused as a parameter (e.g. a no-break space)
        abort(400, str(e))
    if not len(described.triples):
        abort(404, f"nothing in the graph is called {iri}")
    if suffix is None:
        best = request.accept_mimetypes.best_match(["text/html", *NEGOTIATED])
        suffix = NEGOTIATED.get(best) if best is not None and best != "text/html" else None
    path = prefix + rest
    doc_row = _source_document(iri, described.triples)
    coverage = coverage_of(doc_row) if doc_row else None
    if suffix and TWINS[suffix][0] != "json":
        fmt, media = TWINS[suffix]
        response = Response(formats.write(described, fmt), mimetype=media)
    else:
        outgoing, incoming = named("entity-outgoing", iri=iri).rows, named("entity-incoming", iri=iri).rows
        evidence = named("entity-evidence", iri=iri).rows
        view = readable_view(iri, described.triples, outgoing, incoming)
        if suffix:
            response = Response(_entity_json(iri, outgoing, incoming, evidence, view, coverage),
                                mimetype=TWINS[suffix][1])
        else:
            response = Response(render_template(
                "entity.html", iri=iri, path=path, label=view.label, view=view, outgoing=outgoing,
                incoming=incoming, evidence=evidence, twins=TWINS, coverage=coverage))
    response.headers["Link"] = _alternates(path)
    response.headers["Vary"] = "Accept"
    return response


# the entity-rollup-* queries (one per kind of fact: one UNION of them all is slow at 10^6 triples)
ROLLUP_PARTS = ("bodies", "people", "direct", "members", "actions")


def readable_view(iri: str, graph, outgoing, incoming) -> entity_view.View:
    """The page's readable view; States, organisations and people gather what their bodies and people did
    (entity-rollup-*), exchanges and agenda items their agenda (entity-exchange)."""
    from rdflib.namespace import RDF
    types = {str(t) for t in graph.objects(URIRef(iri), RDF.type)}
    kind = next((k for cls, k in entity_view.KINDS if cls in types), "thing")
    rollup = None
    if kind in ("state", "organisation", "person"):
        rollup = [row for part in ROLLUP_PARTS for row in named("entity-rollup-" + part, iri=iri).rows]
    exchange = named("entity-exchange", iri=iri).rows if kind in ("exchange", "agenda-item") else None
    return entity_view.build(iri, outgoing, incoming, rollup=rollup, exchange=exchange, link=term_link)


def _entity_json(iri: str, outgoing, incoming, evidence, view: entity_view.View, coverage: dict | None = None) -> str:
    """The page's machine-readable twin: what the page says (summary, sections), the outgoing and incoming
    links and evidence as plain JSON (and a source document's coverage, as on its page)."""
    def rows(result):
        return [{k: str(v) for k, v in r.items()} for r in result]
    twin = {"iri": iri, **view.as_json(), "outgoing": rows(outgoing), "incoming": rows(incoming),
            "evidence": rows(evidence)}
    if coverage is not None:
        twin["coverage"] = coverage
    return json.dumps(twin, ensure_ascii=False, indent=1)


def _source_document(iri: str, graph) -> dict | None:
    """The documents query's row for ``iri`` if it is a source document (its description says so)."""
    from rdflib.namespace import DCTERMS, RDF

    from atdkg.terms import ATD
    if (URIRef(iri), RDF.type, ATD.SourceDocument) not in graph:
        return None
    doc = graph.value(URIRef(iri), DCTERMS.identifier)
    return _documents().get(str(doc)) if doc is not None else None


def _documents() -> dict[str, dict]:
    return {str(r["documentId"]): r for r in named("documents").rows}


def _document_row(doc: str) -> dict:
    _check_path("/document/", doc)
    docs = _documents()
    if doc not in docs:
        abort(404, f"no document {doc[:40]}; the corpus has {', '.join(sorted(docs))}")
    return docs[doc]


@bp.route("/document/<doc>")
def document(doc: str):
    row = _document_row(doc)
    passages = named("document-passages", document=str(row["document"])).rows
    if request.args.get("format") == "json" or request.accept_mimetypes.best == "application/json":
        return Response(json.dumps([{k: str(v) for k, v in p.items()} for p in passages], indent=1),
                        mimetype="application/json")
    text, missing = _source_text(str(row["fileName"]))
    located = build_coverage.get().of(str(row["documentId"]))
    return render_template("document.html", doc=row, count=len(passages), coverage=coverage_of(row),
                           missing=missing, html=highlight(text, passages, located.unread if located else ()))


def _source_text(file_name: str) -> tuple[str, str | None]:
    """The document's text from the build's copy of the sources, or "" and why there is none: the graph
    holds the passages, not the whole texts, and in front of a SPARQL server there may be no build."""
    build = current_app.config["BUILD_DIR"]
    if build is None:
        return "", (f"The source text is not shown: this explorer serves the SPARQL server at "
                    f"{current_app.config['ENDPOINT']}, and the texts are in the build directory, not in the "
                    "graph (start it with --data-dir to show them); the passages are listed as JSON (link above).")
    try:
        return read_text(Path(build) / "sources" / file_name), None
    except (OSError, ValueError):
        return "", f"The source text {file_name} cannot be read from the build directory."


@family("/document/<doc>/coverage", bp)
def document_coverage(doc: str, fmt: str | None):
    """A document's Coverage section on its own, with ``.json`` and ``.csv`` twins. Without coverage
    data there is no table to give: the CSV twin is a 404 that says why (an empty table would read as
    "nothing unread"), the JSON twin says why in ``message``."""
    row = _document_row(doc)
    coverage = coverage_of(row)
    table = None
    if coverage["available"]:
        table = [{"document": coverage["document"], **{k: u[k] for k in ("line", "start", "end", "names", "text",
                                                                          "href")}} for u in coverage["unread"]]
    elif fmt == "csv":
        abort(404, f"no coverage table for document {coverage['document']}: {coverage['message']}")
    return page(fmt, "coverage.html", coverage, table, doc=row, coverage=coverage)


def coverage_of(row: dict) -> dict:
    """One document's coverage as the page shows it and its twins give it: what the build counted, each
    unread sentence with its line, names and the link that opens the document view on it."""
    doc = str(row["documentId"])
    out = {"document": doc, "iri": str(row["document"]), "title": str(row["title"])}
    cov = build_coverage.get()
    found = cov.of(doc)
    if found is None:
        return {**out, "available": False, "message": cov.missing(doc)}
    view = url_for("entities.document", doc=doc)
    return {**out, "available": True, "file": found.file, "sentences": found.sentences, "yielded": found.yielded,
            "percent": found.percent, "unread_count": len(found.unread), "silent": found.silent,
            "unread": [{"line": u.line, "start": u.start, "end": u.end, "names": list(u.names), "text": u.text,
                        "href": f"{view}#{u.anchor}"} for u in found.unread]}


# Markdown the converters leave in a text: a link's brackets and target ("[text](#)") and backslash escapes
# ("\\(IMRF\\)"). Readers should not see them, yet evidence anchors are character offsets into the text as it
# is, so they are kept in the page (hidden by a class), never deleted.
_MD_LINK = re.compile(r"\[(?=[^\]\n]*\]\([^)\s]*\))|\]\([^)\s]*\)")
_MD_ESCAPE = re.compile(r"\\(?=[\\`*_{}\[\]()#+\-.!|>~])")


def markup_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of Markdown syntax in ``text`` that a reader should not see."""
    return sorted((m.start(), m.end()) for pattern in (_MD_LINK, _MD_ESCAPE) for m in pattern.finditer(text))


def highlight(text: str, passages: list[dict], unread=()) -> Markup:
    """The text with each evidence passage marked and anchored (#ev-START-END), overlaps nesting as
    segments; each line anchored (#line-N); each located unread sentence (webapp/coverage.py) wrapped
    and anchored (#unread-START-END). Unread sentences never overlap one another, and every cut falls on
    a boundary of each, so the marks inside one nest within its wrapper.

    Each marked segment says where it lies (``data-start``, ``data-end``): static/js/document.js marks
    every segment of the passage the URL names, not only the first. Markdown syntax is cut into its own
    segments, wrapped in ``<span class="md">`` (hidden by document.css) and never inside a ``<mark>``, so the
    first mark after an anchor is text a reader sees."""
    spans = sorted({(int(p["start"]), int(p["end"])) for p in passages})
    opens = {u.start: u.anchor for u in unread if u.start is not None}
    closes = {u.end for u in unread if u.start is not None}
    lines = {start: n for n, start in enumerate(build_coverage.line_starts(text), 1)}
    hidden = markup_ranges(text)
    hidden_starts = {s for s, _ in hidden}
    cuts = sorted({0, len(text), *[s for s, _ in spans], *[e for _, e in spans], *opens, *closes, *lines,
                   *[s for s, _ in hidden], *[e for _, e in hidden]})
    starts: dict[int, list[int]] = {}
    ends: dict[int, int] = {}
    for s, e in spans:
        starts.setdefault(s, []).append(e)
        ends[e] = ends.get(e, 0) + 1
    hidden_ends = dict(hidden)
    out = []
    covering = 0  # evidence passages covering the current segment
    inside = False  # within an unread sentence's wrapper
    hidden_until = -1  # end of the Markdown syntax the current segment belongs to
    for a, b in itertools.pairwise(cuts):
        if inside and a in closes:
            out.append(Markup("</span>"))
            inside = False
        if a in lines:
            out.append(Markup('<span class="line" id="line-{}"></span>').format(lines[a]))
        if a in opens:
            out.append(Markup('<span class="unread" id="{}">').format(opens[a]))
            inside = True
        for e in starts.get(a, []):
            out.append(Markup('<span class="anchor" id="ev-{}-{}"></span>').format(a, e))
        covering += len(starts.get(a, ())) - ends.get(a, 0)
        if a in hidden_starts:
            hidden_until = hidden_ends[a]
        piece = escape(text[a:b])
        if b <= hidden_until:
            out.append(Markup('<span class="md">{}</span>').format(piece))
        elif covering:
            out.append(Markup('<mark data-start="{}" data-end="{}">{}</mark>').format(a, b, piece))
        else:
            out.append(piece)
    if inside:
        out.append(Markup("</span>"))
    return Markup("").join(out)
