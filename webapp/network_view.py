"""/network — the actor network (Cytoscape.js with JS, a table of edges and nodes without), its JSON
twin /network.json, the SPARQL editor's examples (/sparql/examples.json) and the front-end libraries
from npm (/vendor/…, an allow-list of files under node_modules/).

Filters (GET): ``level`` (person, organisation, state; default state), ``relation`` (repeat or
comma-separate; default all), ``as_of`` (YYYY-MM-DD). A bad value is a 400 with a short message.
The network data is loaded from the store once per process (named queries, network/projections.py);
each request projects and analyses it (network/analysis.py) and exports it (network/export.py).
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request, send_file, url_for

from atdkg import queries
from atdkg.queries.binding import bind_values

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
def _loading_lock(ext: dict):
    """A lock for loading the network data, made in the process (and after gevent has patched
    threading) that uses it: loading waits on query children, and a real lock held across that wait
    would block every other coroutine of the worker that asks for it."""
    key = ("network-lock", os.getpid())
    if key not in ext:
        with _creating:
            ext.setdefault(key, threading.Lock())
    return ext[key]


def _data():
    """The network's link records, loaded from the store once per process."""
    ext = current_app.extensions["atdkg"]
    if "network" not in ext:
        with _loading_lock(ext):
            if "network" not in ext:
                from atdkg.network.projections import NetworkData

                from .store import trusted_store
                ext["network"] = NetworkData.load(trusted_store())
    return ext["network"]


def _filters() -> dict:
    from atdkg.network.projections import FilterError, filters
    try:
        f = filters(request.args.get("level"), request.args.getlist("relation"), request.args.get("as_of"))
    except FilterError as e:
        abort(400, f"{e.param}: {e}")
    return {"level": f.level, "relations": list(f.relations), "as_of": f.as_of or ""}


def _graph(f: dict):
    from atdkg.network import analysis
    from atdkg.network.projections import project
    return analysis.annotate(project(_data(), f["level"], f["relations"] or None, f["as_of"] or None))


def _query_string(f: dict) -> dict:
    out = {"level": f["level"]}
    if f["relations"]:
        out["relation"] = ",".join(f["relations"])
    if f["as_of"]:
        out["as_of"] = f["as_of"]
    return out


def _local(iri: str) -> str | None:
    base = current_app.config["BASE_IRI"]
    return "/id/" + iri[len(base) + 3:] if iri.startswith(base + "id/") else None


@bp.route("/network.json")
def network_json():
    from atdkg.network import export
    f = _filters()
    doc = export.cytoscape(_graph(f))
    for node in doc["elements"]["nodes"]:
        path = _local(node["data"]["iri"])
        if path:
            node["data"]["href"] = path
    return Response(json.dumps(doc, ensure_ascii=False), mimetype="application/json")


@bp.route("/network")
def network_page():
    from atdkg.network.projections import LEVELS, RELATIONS
    f = _filters()
    graph = _graph(f)
    nodes = sorted(({"id": n, "href": _local(n), **d} for n, d in graph.nodes(data=True)),
                   key=lambda d: (-d.get("weighted_degree", 0), d["label"]))
    edges = sorted(({"source": graph.nodes[u]["label"], "target": graph.nodes[v]["label"],
                     "source_href": _local(u), "target_href": _local(v), **d}
                    for u, v, d in graph.edges(data=True)), key=lambda e: (-e["weight"], e["source"], e["target"]))
    return render_template("network.html", f=f, levels=LEVELS, relations=RELATIONS, nodes=nodes, edges=edges,
                           json_url=url_for("network_view.network_json", **_query_string(f)), sides=SIDES,
                           labelled=min(LABELLED, len(nodes)))


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
