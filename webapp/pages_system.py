"""The catalogue of named queries, the validation report, search, downloads and the VoID description."""
from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request, send_file
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from atdkg import ontology, queries
from atdkg.queries import formats

from .hosts import public_url
from .pages import PAGING, family, only_params, page, paginate, rows_of
from .store import trusted

bp = Blueprint("pages_system", __name__)

DUMPS = {"graph.ttl": "text/turtle", "graph.nq": "application/n-quads", "graph.trig": "application/trig",
         "graph.jsonld": "application/ld+json"}
ONTOLOGY = {"atd.ttl": "text/turtle", "vocabularies.ttl": "text/turtle", "shapes.ttl": "text/turtle"}
VOID = Namespace("http://rdfs.org/ns/void#")
MAX_Q = 200


def build_dir() -> Path:
    """The build's files (summary, validation report, downloads). In front of a SPARQL server without
    --data-dir there is none: a path that holds nothing, so each page says what it lacks."""
    return Path(current_app.config["BUILD_DIR"] or NO_BUILD)


NO_BUILD = "/nonexistent/atdkg-no-build-directory"


def summary() -> dict:
    path = build_dir() / "summary.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


# -- the named-query catalogue ------------------------------------------------------------------------
def catalogue_rows() -> list[dict]:
    return queries.entries()


@family("/queries", bp)
def query_catalogue(fmt: str | None) -> Response:
    only_params(PAGING)
    rows = catalogue_rows()
    shown = paginate(rows)
    table = [dict(r, params=[p["name"] for p in r["params"]]) for r in rows]
    return page(fmt, "queries.html", {"queries": shown.items, **shown.fields()}, table, queries=shown.items,
                paged=shown)


@bp.route("/queries/<name>")
def named_query(name: str):
    stem, dot, ext = name.rpartition(".")
    fmt = None
    if dot and ext in ("csv", "json"):
        name, fmt = stem, ext
    try:
        q = queries.get(name)
    except queries.QueryError:
        abort(404, f"no query named {name[:80]!r}; see /queries for the catalogue")
    values = {p.name: request.args.get(p.name, p.default or "") for p in q.params}
    unknown = sorted(set(request.args) - set(values))
    if unknown:
        abort(400, f"query {q.name} takes no parameter {unknown[0][:40]!r}; it takes {', '.join(values) or 'none'}")
    from atdkg.queries.binding import bind_values
    if not request.args and any(p.default is None for p in q.params):
        result = None  # a parameter without default: show the form, run nothing yet
    else:
        try:
            text = bind_values(q.full_text, q.bindings(values))
        except queries.QueryError as e:
            abort(400, str(e))
        result = trusted().rows(text, limit=current_app.config["MAX_ROWS"])
    if fmt:
        if result is None:
            abort(400, f"query {q.name} needs {', '.join(p.name for p in q.params if p.default is None)}")
        kind = "csv" if fmt == "csv" else "json"
        media = "text/csv" if fmt == "csv" else "application/sparql-results+json"
        if result.kind == "graph":
            return Response(formats.write(result, "jsonld" if fmt == "json" else "nt"),
                            mimetype="application/ld+json" if fmt == "json" else "application/n-triples")
        return Response(formats.write(result, kind), mimetype=media)
    from urllib.parse import urlencode
    qs = urlencode(values)
    # no twins to link before the required parameters are given: they would answer 400
    twins = {} if result is None else {s: f"/queries/{q.name}.{s}" + (f"?{qs}" if qs else "") for s in ("json", "csv")}
    return render_template("query.html", q=q, values=values, result=result, twins=twins,
                           twin_types={"json": "application/sparql-results+json", "csv": "text/csv"})


# -- validation ---------------------------------------------------------------------------------------
@family("/validation", bp)
def validation(fmt):
    info = summary()
    results = []
    report = build_dir() / "shacl-report.ttl"
    if report.exists():
        g = Graph()
        g.parse(report, format="turtle")
        sh = Namespace("http://www.w3.org/ns/shacl#")
        for r in g.subjects(RDF.type, sh.ValidationResult):
            results.append({k: str(g.value(r, p) or "") for k, p in (
                ("focusNode", sh.focusNode), ("path", sh.resultPath), ("severity", sh.resultSeverity),
                ("shape", sh.sourceShape), ("message", sh.resultMessage), ("value", sh.value))})
    results.sort(key=lambda r: (r["severity"], r["focusNode"], r["path"]))
    data = {"conforms": info.get("conforms"), "triples": info.get("triples"), "quads": info.get("quads"),
            "warnings": info.get("warnings"), "classes": info.get("classes", {}), "results": results}
    return page(fmt, "validation.html", data, results, info=data, results=results)


# -- search -------------------------------------------------------------------------------------------
SEARCH_LIMIT, MAX_SEARCH_LIMIT = 100, 500  # hits per answer unless ?limit= (suggestions ask for 8)


def search_limit() -> int:
    raw = request.args.get("limit", "")
    if not raw:
        return SEARCH_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_SEARCH_LIMIT:
        abort(400, f"limit={raw[:20]!r}: give a whole number from 1 to {MAX_SEARCH_LIMIT}")
    return int(raw)


@family("/search", bp)
def search(fmt):
    """Ranked hits (webapp/search.py); each with its kind and page. JSON twin: {q, count, hits}; suggestions
    as you type call /search.json?q=…&limit=8 (static/js/search-suggest.js)."""
    from .entities import local_path
    from .search import index
    q = request.args.get("q", "")
    if len(q) > MAX_Q:
        abort(400, f"the search text is {len(q)} characters; at most {MAX_Q} are allowed")
    limit = search_limit()
    hits, count = index().search(q, limit) if q.strip() else ([], 0)
    for h in hits:
        h["href"] = local_path(h["entity"]) or h["entity"]
    table = [{k: h[k] for k in ("entity", "label", "kind", "match", "href", "matched", "types")} for h in hits]
    return page(fmt, "search.html", {"q": q, "count": count, "hits": hits}, table, q=q, hits=hits, count=count)


# -- downloads and VoID -------------------------------------------------------------------------------
@family("/downloads", bp)
def downloads(fmt):
    files = [{"name": n, "href": f"/downloads/{n}", "type": t,
              "bytes": (build_dir() / n).stat().st_size if (build_dir() / n).exists() else None}
             for n, t in DUMPS.items()]
    files += [{"name": f"ontology/{n}", "href": f"/downloads/ontology/{n}", "type": t,
               "bytes": ontology.FILES[n].stat().st_size} for n, t in ONTOLOGY.items()]
    files.append({"name": "void.ttl", "href": "/void.ttl", "type": "text/turtle", "bytes": None})
    return page(fmt, "downloads.html", files, files, files=files, info=summary())


@bp.route("/downloads/<name>")
def dump(name: str):
    if name not in DUMPS or not (build_dir() / name).exists():
        abort(404, f"no download {name[:80]!r}; there are {', '.join(DUMPS)}")
    return send_file(build_dir() / name, mimetype=DUMPS[name], as_attachment=False)


@bp.route("/downloads/ontology/<name>")
def ontology_file(name: str):
    if name not in ONTOLOGY:
        abort(404, f"no ontology file {name[:80]!r}; there are {', '.join(ONTOLOGY)}")
    return send_file(ontology.FILES[name], mimetype=ONTOLOGY[name])


@bp.route("/void.ttl")
def void():
    """A VoID description computed from the build's summary and two named queries."""
    root = public_url("/")  # never the request's Host: this answer is cached for everyone
    ds = URIRef(root + "void.ttl#dataset")
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    info = summary()
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal("atd-kg: alternatives to immigration detention knowledge graph", lang="en")))
    g.add((ds, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    g.add((ds, VOID.sparqlEndpoint, URIRef(root + "sparql")))
    g.add((ds, VOID.uriSpace, Literal(current_app.config["BASE_IRI"] + "id/")))
    for n in DUMPS:
        g.add((ds, VOID.dataDump, URIRef(root + "downloads/" + n)))
    if "triples" in info:
        g.add((ds, VOID.triples, Literal(int(info["triples"]), datatype=XSD.integer)))
    if "documents" in info:
        g.add((ds, DCTERMS.source, Literal(f"{info['documents']} source documents")))
    for i, r in enumerate(rows_of("page-void-classes")):
        part = URIRef(f"{root}void.ttl#class-{i}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(r["class"])))
        g.add((part, VOID.entities, Literal(int(r["entities"]), datatype=XSD.integer)))
    for i, r in enumerate(rows_of("page-void-properties")):
        part = URIRef(f"{root}void.ttl#property-{i}")
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(r["property"])))
        g.add((part, VOID.distinctSubjects, Literal(int(r["subjects"]), datatype=XSD.integer)))
    return Response(g.serialize(format="turtle"), mimetype="text/turtle")
