"""/sparql — the SPARQL 1.1 Protocol, query only, safe to expose.

GET ?query=…, POST form (query=…) and POST direct (application/sparql-query). Results by
Accept (or ?format=): SPARQL JSON/XML, CSV, TSV for SELECT/ASK; Turtle, JSON-LD, N-Triples
for CONSTRUCT/DESCRIBE; ``format=html`` (the editor page's plain form, for browsers without
JavaScript): the editor page again with the results as a table, or the error (line and column in
the text as typed) next to the query. Without a query: the editor page for browsers, the service
description for RDF clients. CORS is open here (no credentials) and nowhere else.
"""
from __future__ import annotations

import json
import time

from flask import Blueprint, Response, abort, current_app, render_template, request
from werkzeug.exceptions import HTTPException, ServiceUnavailable, TooManyRequests

from atdkg import queries
from atdkg.queries import formats
from atdkg.queries.stores import QuerySyntaxError, QueryTimeout, StoreError

from . import csp_with_style_hashes, safety, store
from .budget import OverBudget, client_key
from .hosts import public_url
from .remote import RemoteFailure
from .runner import AdhocQuery, Busy, QueryRefused, QueryResources

bp = Blueprint("sparql", __name__)

RESULT_TYPES = {"application/sparql-results+json": "json", "application/json": "json",
                "application/sparql-results+xml": "xml", "application/xml": "xml", "text/csv": "csv",
                "text/tab-separated-values": "tsv"}
GRAPH_TYPES = {"text/turtle": "turtle", "application/ld+json": "jsonld", "application/n-triples": "nt"}
MEDIA = {**{v: k for k, v in RESULT_TYPES.items() if k.startswith(("application/sparql", "text/"))},
         **{v: k for k, v in GRAPH_TYPES.items()}}
CHARSET = "; charset=utf-8"
# YASR's results table (its column-resizer) adds these two stylesheets as <style> elements: the layout
# rules of the table's column grips, and the cursor while a column is dragged. Under the site's
# `style-src 'self'` they are blocked, and the grips then stack up as a 1,100 px blank above a table
# wider than the page. The editor page allows exactly these texts by hash (any other inline style stays
# blocked); a new YASGUI version that changes them shows up as a CSP error in the browser tests.
YASR_STYLESHEETS = (
    " .grip-resizable{table-layout:fixed;} .grip-resizable > tbody > tr > td, .grip-resizable > tbody > tr > th"
    "{overflow:hidden} .grip-padding > tbody > tr > td, .grip-padding > tbody > tr > th{padding-left:0!important; "
    "padding-right:0!important;} .grip-container{ height:0px; position:relative;} .grip-handle{margin-left:-5px; "
    "position:absolute; z-index:5; } .grip-handle .grip-resizable{position:absolute;background-color:red;"
    "filter:alpha(opacity=1);opacity:0;width:10px;height:100%;cursor: col-resize;top:0px} .grip-lastgrip"
    "{position:absolute; width:1px; } .grip-drag{ border-left:1px dotted black;\t} .grip-flex{width:auto!important;} "
    ".grip-handle.grip-disabledgrip .grip-resizable{cursor:default; display:none;}",
    "*{cursor:col-resize!important}",
)
HTML_ROWS = 1000  # rows the plain form's table shows (the other formats give up to MAX_ROWS)


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


def _formats() -> tuple[str | None, str | None]:
    """The format for results (SELECT/ASK) and for graphs (CONSTRUCT/DESCRIBE), from ?format= or
    Accept: the form is known only once the query child has parsed the query, so both are chosen
    now; None where nothing acceptable is offered (406 if the query turns out to be of that form)."""
    explicit = request.args.get("format") or request.form.get("format")
    if explicit:
        known = set(RESULT_TYPES.values()) | set(GRAPH_TYPES.values())
        if explicit not in known:
            abort(400, f"format={explicit[:40]}: choose one of {', '.join(sorted(known))}")
        return (explicit if explicit in RESULT_TYPES.values() else None,
                explicit if explicit in GRAPH_TYPES.values() else None)
    if not request.accept_mimetypes or request.accept_mimetypes.provided is False:
        return "json", "turtle"
    best = [request.accept_mimetypes.best_match(list(offered)) for offered in (RESULT_TYPES, GRAPH_TYPES)]
    return (RESULT_TYPES[best[0]] if best[0] else None, GRAPH_TYPES[best[1]] if best[1] else None)


def client() -> str:
    return client_key(request.remote_addr or "")


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint():
    if request.method == "OPTIONS":
        return _cors(Response(status=204))
    text = _query_text()
    if text is None:
        return _cors(_no_query())
    if (request.args.get("format") or request.form.get("format")) == "html":
        return _html_answer(text)
    if not text.strip():
        abort(400, "the query is empty")
    try:
        safety.precheck(text)
        safety.check_dataset(store.local_graphs(), request.values.getlist("default-graph-uri"),
                             request.values.getlist("named-graph-uri"))
    except safety.Refused as e:
        abort(400, str(e))
    select_format, graph_format = _formats()
    job = AdhocQuery(text, queries.PREFIX_MAP, select_format, graph_format,
                     tuple(request.values.getlist("default-graph-uri")),
                     tuple(request.values.getlist("named-graph-uri")))
    answer = _run(job)
    if answer.format is None:
        offered = GRAPH_TYPES if answer.form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
        abort(406, f"none of the accepted media types can express a {answer.form} result; offered: "
              + ", ".join(offered))
    response = Response(answer.body, mimetype=MEDIA[answer.format])
    response.headers["Content-Type"] = MEDIA[answer.format] + CHARSET
    if answer.truncated:
        unit = "triples" if answer.form in ("CONSTRUCT", "DESCRIBE") else "rows"
        if answer.truncated == "rows":
            limit = current_app.config["MAX_ROWS"]
            response.headers["X-Result-Truncated"] = f"true; limit={limit}"
            response.headers["Warning"] = f'199 - "results truncated to {limit} {unit}"'
        else:
            mb = current_app.config["MAX_RESULT_MB"]
            response.headers["X-Result-Truncated"] = f"true; bytes={int(mb * 2**20)}; {unit}={answer.count}"
            response.headers["Warning"] = f'199 - "results truncated to {answer.count} {unit} ({mb:g} MB)"'
    return _cors(response)


def _run(job: AdhocQuery):
    """Evaluate in a query child, within the client's budget; every failure is a short 4xx/5xx."""
    budget = store.budget()
    try:
        ticket = budget.admit(client())
    except OverBudget as e:
        raise TooManyRequests(str(e), retry_after=e.retry_after) from None
    started, seconds = time.monotonic(), None
    try:
        answer = store.adhoc().adhoc(job, priority=ticket.used)
        seconds = answer.seconds
        return answer
    except (QueryRefused, safety.Refused, QuerySyntaxError) as e:
        seconds = 0.0  # refused before evaluation: nothing to charge
        abort(400, str(e))
    except Busy as e:
        seconds = 0.0
        raise ServiceUnavailable(str(e), retry_after=e.retry_after) from None
    except QueryTimeout as e:
        seconds = getattr(e, "seconds", None)  # the evaluation's time, not the wait for a free child
        raise ServiceUnavailable(str(e), retry_after=10) from None
    except QueryResources as e:
        raise ServiceUnavailable(str(e), retry_after=10) from None
    except RemoteFailure as e:  # the SPARQL server behind this explorer (--endpoint) failed
        seconds = 0.0
        abort(502, str(e))
    except StoreError as e:
        abort(503, str(e))
    finally:
        budget.settle(ticket, time.monotonic() - started if seconds is None else seconds)


def _no_query() -> Response:
    """The editor for browsers; the service description for everyone else."""
    best = request.accept_mimetypes.best_match(["text/html", "text/turtle", "application/ld+json",
                                               "application/n-triples"])
    if best == "text/html" or (best is None and not request.accept_mimetypes):
        return editor_page()
    if best is None:
        abort(400, "missing query parameter")
    return Response(formats.write(_service_description(), GRAPH_TYPES[best]), mimetype=best)


def editor_page(query: str | None = None, error: str | None = None, table: dict | None = None,
                status: int = 200) -> Response:
    """The editor: YASGUI when `npm ci` has installed it, else (and without JavaScript) the plain form;
    with the plain form's results or error when there are some."""
    from .network_view import vendor_available
    examples = [{"name": q.name, "title": q.title} for q in queries.catalogue().values()]
    response = Response(render_template("sparql.html", examples=examples, prefixes=queries.PREFIXES,
                                        endpoint=public_url("/sparql"), query=query, error=error, table=table),
                        status=status)
    if vendor_available("yasgui"):
        response.headers["Content-Security-Policy"] = csp_with_style_hashes(*YASR_STYLESHEETS)
    return response


def _html_answer(text: str) -> Response:
    """format=html: run the query as the protocol would (same checks, budget and limits) and show the
    answer as a table on the editor page; a refusal (400, 429, 503 …) is shown there too, query kept."""
    try:
        if not text.strip():
            abort(400, "the query is empty")
        try:
            safety.precheck(text)
        except safety.Refused as e:
            abort(400, str(e))
        answer = _run(AdhocQuery(text, queries.PREFIX_MAP, "json", "turtle", (), ()))
    except HTTPException as e:
        code = e.code or 400
        return editor_page(text, error=e.description or e.name, status=code)
    body = answer.body.decode("utf-8") if isinstance(answer.body, bytes) else str(answer.body)
    if answer.form in ("CONSTRUCT", "DESCRIBE"):
        table = {"form": answer.form, "turtle": body, "truncated": bool(answer.truncated)}
    else:
        data = json.loads(body)
        if "boolean" in data:
            table = {"form": answer.form, "boolean": data["boolean"]}
        else:
            columns = data["head"]["vars"]
            bindings = data["results"]["bindings"]
            rows = [[b.get(v) for v in columns] for b in bindings[:HTML_ROWS]]
            table = {"form": answer.form, "columns": columns, "rows": rows, "count": len(bindings),
                     "truncated": bool(answer.truncated) or len(bindings) > HTML_ROWS, "shown": len(rows)}
    return editor_page(text, table=table)


def _service_description():
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF

    from atdkg.queries.stores import Result
    SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
    FMT = Namespace("http://www.w3.org/ns/formats/")
    g = Graph()
    g.bind("sd", SD)
    service = URIRef(public_url("/sparql") + "#service")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(public_url("/sparql"))))
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
           Literal(f"Read-only; no SERVICE; queries time out after {current_app.config['QUERY_TIMEOUT']:g} s; "
                   f"answers are capped at {current_app.config['MAX_ROWS']} rows or triples and "
                   f"{current_app.config['MAX_RESULT_MB']:g} MB; each client may use "
                   f"{current_app.config['QUERY_BUDGET']:g} s of query time per "
                   f"{current_app.config['QUERY_BUDGET_WINDOW']:g} s (then 429 with Retry-After).")))
    return Result("graph", graph=g)
