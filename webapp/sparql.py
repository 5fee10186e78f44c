"""/sparql — the SPARQL 1.1 Protocol, query only, safe to expose.

GET ?query=…, POST form (query=…) and POST direct (application/sparql-query). Results by
Accept (or ?format=): SPARQL JSON/XML, CSV, TSV for SELECT/ASK; Turtle, JSON-LD, N-Triples
for CONSTRUCT/DESCRIBE. Without a query: the editor page for browsers, the service
description for RDF clients. CORS is open here (no credentials) and nowhere else.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

import queries
from queries import formats
from queries.stores import QuerySyntaxError, QueryTimeout, StoreError, check_syntax

from . import safety, store

bp = Blueprint("sparql", __name__)

RESULT_TYPES = {"application/sparql-results+json": "json", "application/json": "json",
                "application/sparql-results+xml": "xml", "application/xml": "xml", "text/csv": "csv",
                "text/tab-separated-values": "tsv"}
GRAPH_TYPES = {"text/turtle": "turtle", "application/ld+json": "jsonld", "application/n-triples": "nt"}
MEDIA = {**{v: k for k, v in RESULT_TYPES.items() if k.startswith(("application/sparql", "text/"))},
         **{v: k for k, v in GRAPH_TYPES.items()}}
CHARSET = "; charset=utf-8"


def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
    response.headers["Vary"] = "Accept"
    return response


def _query_text() -> str | None:
    if "update" in request.values or request.mimetype == "application/sparql-update":
        abort(403, "this endpoint is read-only: updates are not accepted")
    if request.method == "GET":
        texts = request.args.getlist("query")
    elif request.mimetype == "application/x-www-form-urlencoded":
        texts = request.form.getlist("query")
    elif request.mimetype == "application/sparql-query":
        texts = [request.get_data(as_text=True)]
    else:
        abort(415, "POST a query as application/x-www-form-urlencoded (query=…) or application/sparql-query")
    if len(texts) > 1:
        abort(400, "give exactly one query parameter")
    return texts[0] if texts else None


def _choose_format(form: str) -> str:
    """The results format from ?format= or Accept; 406 when nothing offered is acceptable."""
    offered = GRAPH_TYPES if form == "CONSTRUCT" else RESULT_TYPES
    explicit = request.args.get("format") or request.form.get("format")
    if explicit:
        if explicit not in offered.values():
            abort(400, f"format={explicit}: for this query choose one of {', '.join(sorted(set(offered.values())))}")
        return explicit
    if not request.accept_mimetypes or request.accept_mimetypes.provided is False:
        return "turtle" if form == "CONSTRUCT" else "json"
    best = request.accept_mimetypes.best_match(list(offered))
    if best is None:
        abort(406, "none of the accepted media types can express this result; offered: " + ", ".join(offered))
    return offered[best]


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint():
    if request.method == "OPTIONS":
        return _cors(Response(status=204))
    text = _query_text()
    if text is None:
        return _cors(_no_query())
    if not text.strip():
        abort(400, "the query is empty")
    try:
        safety.inspect(text, store.local_graphs(), request.values.getlist("default-graph-uri"),
                       request.values.getlist("named-graph-uri"))
        form = check_syntax(queries.PREFIXES + text if "PREFIX" not in text.upper() else text)
    except safety.Refused as e:
        abort(400, str(e))
    except QuerySyntaxError as e:
        abort(400, str(e))
    if "PREFIX" not in text.upper():
        text = queries.PREFIXES + text
    fmt = _choose_format(form)
    try:
        result = store.runner().query(text)
    except QueryTimeout as e:
        abort(503, str(e))
    except StoreError as e:
        abort(503, str(e))
    except queries.QueryError as e:
        abort(400, str(e))
    response = Response(formats.write(result, fmt), mimetype=MEDIA[fmt])
    response.headers["Content-Type"] = MEDIA[fmt] + CHARSET
    if result.truncated:
        limit = current_app.config["MAX_ROWS"]
        response.headers["X-Result-Truncated"] = f"true; limit={limit}"
        response.headers["Warning"] = f'199 - "results truncated to {limit} rows"'
    return _cors(response)


def _no_query() -> Response:
    """The editor for browsers; the service description for everyone else."""
    best = request.accept_mimetypes.best_match(["text/html", "text/turtle", "application/ld+json",
                                               "application/n-triples"])
    if best == "text/html" or best is None and not request.accept_mimetypes:
        cat = queries.catalogue()
        examples = [{"name": q.name, "title": q.title} for q in cat.values()]
        return Response(render_template("sparql.html", examples=examples, prefixes=queries.PREFIXES,
                                        endpoint=url_for("sparql.endpoint", _external=True)))
    if best is None:
        abort(400, "missing query parameter")
    return Response(formats.write(_service_description(), GRAPH_TYPES[best]), mimetype=best)


def _service_description():
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF
    from queries.stores import Result
    SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
    FMT = Namespace("http://www.w3.org/ns/formats/")
    g = Graph()
    g.bind("sd", SD)
    service = URIRef(url_for("sparql.endpoint", _external=True) + "#service")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(url_for("sparql.endpoint", _external=True))))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for f in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
              "Turtle", "JSON-LD", "N-Triples"):
        g.add((service, SD.resultFormat, FMT[f]))
    dataset = BNode("dataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    for graph in sorted(store.local_graphs()):
        named = BNode(f"g{abs(hash(graph))}")
        g.add((dataset, SD.namedGraph, named))
        g.add((named, SD.name, URIRef(graph)))
    g.add((service, URIRef("http://purl.org/dc/terms/description"),
           Literal(f"Read-only; queries time out after {current_app.config['QUERY_TIMEOUT']:g} s; "
                   f"results are capped at {current_app.config['MAX_ROWS']} rows.")))
    return Result("graph", graph=g)
