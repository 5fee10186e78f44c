"""/network — the actor network (Cytoscape.js with JS, a table of edges and nodes without), its JSON
twin /network.json, the SPARQL editor's examples (/sparql/examples.json) and the front-end libraries
from npm (/vendor/…, an allow-list of files under node_modules/).

Filters (GET): ``level`` (person, organisation, state; default state), ``relation`` (repeat or
comma-separate; default all), ``as_of`` (YYYY-MM-DD), ``top`` (how many actors to show, 1–1000, default
150). A bad value is a 400 with a short message.

What a request costs must not grow with the corpus. At 500 documents (1.4·10^6 triples) projecting and
analysing one network takes 20–40 s of CPU and its full export is 170 MB of JSON, so:
- each network (level, relations, as of) is projected and analysed once per process and kept
  (``_analysed``); the three unfiltered levels are page data (webapp/page_data.py), computed in
  gunicorn's master before the workers fork. A filtered one is computed at its first request, once
  however many ask at the same time, in gevent's thread pool so that the worker goes on answering
  other requests meanwhile; the last ``KEPT`` are kept;
- a page shows the ``top`` actors by PageRank (metrics from the whole network) and the heaviest
  ``LINKS_SHOWN`` links among them; each link in the JSON twin carries its first ``EVIDENCE_SHOWN``
  events and passages and how many there are (at 500 documents the organisation network's view went
  from 27 MB to a few). The whole network, every passage included, is `atdkg network --format …` (GraphML,
  GEXF, Cytoscape.js JSON, CSV).
"""
from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request, send_file, url_for

from atdkg import queries
from atdkg.queries.binding import bind_values

from . import page_data

bp = Blueprint("network_view", __name__)
vendor = Blueprint("vendor", __name__)

ROOT = Path(__file__).resolve().parent.parent
# the only files served from node_modules (name under /vendor/ → path under node_modules/)
VENDOR_FILES = {
    "yasgui.min.js": "@zazuko/yasgui/build/yasgui.min.js",
    "yasgui.min.css": "@zazuko/yasgui/build/yasgui.min.css",
    "cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
}
VENDOR_GROUPS = {"yasgui": ("yasgui.min.js", "yasgui.min.css"), "cytoscape": ("cytoscape.min.js",)}
# the network's legend: the sides of network/analysis.py, as the drawing colours them (webapp/static/network.css
# and js/network.js use the same colours)
SIDES = [("government", "States, governments, their bodies and missions, local governments"),
         ("civil society", "civil-society organisations and networks, academia, foundations"),
         ("international", "UN entities, intergovernmental organisations, the Working Group"),
         ("unnamed", "actors the documents leave unnamed (Chatham House Rule)"), ("other", "")]
LABELLED = 10  # names drawn for this many best-connected actors (by PageRank); the rest on hover or zoom
TOP = 150  # actors shown by default: a drawing of more is a hairball, a table of more is not read
TOP_MAX = 1000
LINKS_SHOWN = 2000  # the heaviest links among the actors shown (150 actors at 500 documents: 10^4 links)
EVIDENCE_SHOWN = 3  # events and passages per link in /network.json (with their counts)
LINK_ROWS = 500  # rows of the links table on the page (the heaviest links; all those shown in the JSON twin)
KEPT = 8  # filtered networks kept per process (the unfiltered ones are always kept)
_creating = threading.Lock()  # guards only the creation of the per-process lock below, never a wait


def _node_modules() -> Path:
    return Path(current_app.config.get("NODE_MODULES") or ROOT / "node_modules")


@vendor.app_template_global()
def vendor_available(group: str) -> bool:
    """Whether `npm ci` has installed the files of a library (pages degrade to plain HTML otherwise)."""
    return all((_node_modules() / VENDOR_FILES[f]).is_file() for f in VENDOR_GROUPS[group])


@vendor.route("/vendor/<name>")
def vendor_file(name: str):
    if name not in VENDOR_FILES:
        abort(404, f"/vendor/ serves only {', '.join(sorted(VENDOR_FILES))}")
    path = _node_modules() / VENDOR_FILES[name]
    if not path.is_file():
        abort(404, f"{name} is not installed: run `npm ci`")
    mimetype = "text/css" if name.endswith(".css") else "text/javascript"
    return send_file(path, mimetype=mimetype, max_age=3600)


# -- the network -------------------------------------------------------------------------------------
def _loading_lock(ext: dict, what):
    """A lock for computing ``what``, made in the process (and after gevent has patched threading)
    that uses it: loading waits on query children, and a real lock held across that wait would block
    every other coroutine of the worker that asks for it."""
    key = ("network-lock", os.getpid(), what)
    if key not in ext:
        with _creating:
            ext.setdefault(key, threading.Lock())
    return ext[key]


def _data():
    """The network's link records, loaded from the store once per process."""
    ext = current_app.extensions["atdkg"]
    if "network" not in ext:
        with _loading_lock(ext, "network"):
            if "network" not in ext:
                from atdkg.network.projections import NetworkData

                from .store import trusted_store
                ext["network"] = NetworkData.load(trusted_store())
    return ext["network"]


def _analyse(data, level: str, relations: tuple[str, ...], as_of: str):
    from atdkg.network import analysis
    from atdkg.network.projections import project
    return analysis.annotate(project(data, level, list(relations) or None, as_of or None))


def _unfiltered(level: str):
    return lambda: _analyse(_data(), level, (), "")


for _level in ("state", "organisation", "person"):
    page_data.loader(f"network-{_level}")(_unfiltered(_level))


def _off_the_loop(fn, *args):
    """Run CPU-bound ``fn`` in gevent's thread pool when the worker is a gevent one (the hub keeps
    answering other requests while the thread computes: the GIL is handed over every few
    milliseconds); elsewhere (tests, --debug) simply call it."""
    try:
        from gevent import get_hub, monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        return fn(*args)
    if not monkey.is_module_patched("threading"):
        return fn(*args)
    return get_hub().threadpool.apply(fn, args)


def _analysed(f: dict):
    """The projected and analysed network for the filters ``f`` (see the module's docstring)."""
    relations, as_of = tuple(f["relations"]), f["as_of"]
    if not relations and not as_of:
        return page_data.get(f"network-{f['level']}")
    ext = current_app.extensions["atdkg"]
    kept = ext.setdefault(("network-kept", os.getpid()), OrderedDict())
    key = (f["level"], relations, as_of)
    if key not in kept:
        with _loading_lock(ext, key):  # one computation per network, however many ask for it
            if key not in kept:
                kept[key] = _off_the_loop(_analyse, _data(), *key)
                while len(kept) > KEPT:
                    kept.popitem(last=False)
    kept.move_to_end(key)
    return kept[key]


def _filters() -> dict:
    from atdkg.network.projections import FilterError, filters
    try:
        f = filters(request.args.get("level"), request.args.getlist("relation"), request.args.get("as_of"))
    except FilterError as e:
        abort(400, f"{e.param}: {e}")
    raw = request.args.get("top", "")
    if raw and not (raw.isdigit() and 1 <= int(raw) <= TOP_MAX):
        abort(400, f"top: expected a whole number of actors from 1 to {TOP_MAX}, got {raw[:40]!r}")
    return {"level": f.level, "relations": list(f.relations), "as_of": f.as_of or "", "top": int(raw or TOP)}


def _shown(f: dict):
    """(the whole analysed network, the view: its ``top`` actors by PageRank and the heaviest links
    among them)."""
    graph = _analysed(f)
    nodes = graph.nodes
    ranked = sorted(graph, key=lambda n: (-nodes[n].get("pagerank", 0), -nodes[n].get("weighted_degree", 0),
                                          nodes[n]["label"], n))
    among = graph.subgraph(ranked[:f["top"]])
    if among.number_of_edges() <= LINKS_SHOWN:
        return graph, among
    import networkx as nx
    heaviest = sorted(among.edges(data="weight"), key=lambda e: (-e[2], e[0], e[1]))[:LINKS_SHOWN]
    view = nx.Graph(**graph.graph)
    view.add_nodes_from(among.nodes(data=True))  # every actor shown, linked or not
    view.add_edges_from((u, v, among.edges[u, v]) for u, v, _ in sorted(heaviest, key=lambda e: (e[0], e[1])))
    return graph, view


def _sample(values: list) -> list:
    return values[:EVIDENCE_SHOWN]


def _query_string(f: dict) -> dict:
    out: dict = {"level": f["level"]}
    if f["top"] != TOP:
        out["top"] = f["top"]
    if f["relations"]:
        out["relation"] = ",".join(f["relations"])
    if f["as_of"]:
        out["as_of"] = f["as_of"]
    return out


def _local(iri: str) -> str | None:
    base = current_app.config["BASE_IRI"]
    return "/id/" + iri[len(base) + 3:] if iri.startswith(base + "id/") else None


def _counts(whole, shown) -> dict:
    return {"actors": shown.number_of_nodes(), "actors_in_network": whole.number_of_nodes(),
            "links": shown.number_of_edges(), "links_in_network": whole.number_of_edges()}


@bp.route("/network.json")
def network_json():
    from atdkg.network import export
    f = _filters()
    whole, shown = _shown(f)
    doc = export.cytoscape(shown)
    doc["data"]["shown"] = {"top": f["top"], **_counts(whole, shown)}
    for node in doc["elements"]["nodes"]:
        path = _local(node["data"]["iri"])
        if path:
            node["data"]["href"] = path
    for edge in doc["elements"]["edges"]:
        d = edge["data"]
        d["events_count"], d["evidence_count"] = len(d["events"]), len(d["evidence"])
        d["events"], d["evidence"] = _sample(d["events"]), _sample(d["evidence"])
    return Response(json.dumps(doc, ensure_ascii=False), mimetype="application/json")


@bp.route("/network")
def network_page():
    from atdkg.network.projections import LEVELS, RELATIONS
    f = _filters()
    whole, graph = _shown(f)
    nodes = sorted(({"id": n, "href": _local(n), **d} for n, d in graph.nodes(data=True)),
                   key=lambda d: (-d.get("weighted_degree", 0), d["label"]))
    heaviest = sorted(graph.edges(data=True), key=lambda e: (-e[2]["weight"], graph.nodes[e[0]]["label"],
                                                             graph.nodes[e[1]]["label"]))[:LINK_ROWS]
    edges = [{"source": graph.nodes[u]["label"], "target": graph.nodes[v]["label"],
              "source_href": _local(u), "target_href": _local(v), **d} for u, v, d in heaviest]
    return render_template("network.html", f=f, levels=LEVELS, relations=RELATIONS, nodes=nodes, edges=edges,
                           json_url=url_for("network_view.network_json", **_query_string(f)), sides=SIDES,
                           labelled=min(LABELLED, len(nodes)), counts=_counts(whole, graph),
                           links_shown=LINKS_SHOWN,
                           tops=sorted({50, TOP, 500, TOP_MAX, f["top"]}), top_default=TOP)


# -- the SPARQL editor's examples ----------------------------------------------------------------------
@bp.route("/sparql/examples.json")
def sparql_examples():
    """The named queries (queries/*.rq) with their full text, for the editor; parameters that have a
    default are bound to it (a VALUES block), the others left as variables."""
    out = []
    for q in queries.catalogue().values():
        params = [{"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                  for p in q.params]
        text = q.full_text
        if q.params and all(p.default is not None for p in q.params):
            try:
                text = bind_values(q.full_text, q.bindings({}))
            except queries.QueryError:
                pass
        out.append({"name": q.name, "title": q.title, "description": q.description, "params": params,
                    "query": text})
    body = {"endpoint": url_for("sparql.endpoint"), "prefixes": queries.PREFIX_MAP, "examples": out}
    return Response(json.dumps(body, ensure_ascii=False, indent=1), mimetype="application/json")
