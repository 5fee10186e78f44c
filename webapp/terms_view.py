"""Local pages for the dataset's own terms, so that no link under the base leaves the explorer:
``/ontology`` (every class and property, each addressable as ``/ontology#LocalName``, like pyLODE's
single-page documentation), ``/vocab`` (every SKOS concept scheme and its concepts) and
``/vocab/<concept>`` (a concept's readable page, as for entities). Twins: ``/ontology.ttl`` and
``/vocab.ttl`` are the files the graph was built with, ``.json`` the pages' rows.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app
from werkzeug.utils import safe_join

from atdkg import ontology as ontology_files

from . import entity_view
from .pages import page
from .store import named

bp = Blueprint("terms", __name__)


def _plain(rows) -> list[dict]:
    return [{k: str(v) for k, v in r.items()} for r in rows]


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]


@bp.route("/ontology", defaults={"fmt": None})
@bp.route("/ontology.<fmt>")
def ontology(fmt):
    if fmt == "ttl":
        return Response(ontology_files.ONTOLOGY.read_text(encoding="utf-8"), mimetype="text/turtle")
    rows = _plain(named("ontology-terms").rows)
    labels = {r["term"]: r.get("label", "") for r in rows if r.get("label")}
    terms: dict[str, dict] = {}
    for r in rows:
        t = terms.setdefault(r["term"], {"iri": r["term"], "id": _local(r["term"]), "kind": r["kind"],
                                         "label": r.get("label") or _local(r["term"]),
                                         "definition": r.get("definition", ""),
                                         "instances": int(r.get("instances") or 0),
                                         "parents": [], "domains": [], "ranges": []})
        for key, plural in (("parent", "parents"), ("domain", "domains"), ("range", "ranges")):
            v = r.get(key)
            if v and v not in [x["iri"] for x in t[plural]]:
                t[plural].append({"iri": v, "label": entity_view.label_of(v, labels)})
    classes = [t for t in terms.values() if t["kind"] == "class"]
    properties = [t for t in terms.values() if t["kind"] == "property"]
    data = {"classes": classes, "properties": properties}
    table = [{"iri": t["iri"], "kind": t["kind"], "label": t["label"], "definition": t["definition"],
              "parents": [p["iri"] for p in t["parents"]], "domains": [d["iri"] for d in t["domains"]],
              "ranges": [r["iri"] for r in t["ranges"]], "instances": t["instances"]} for t in terms.values()]
    if fmt not in (None, "json", "csv"):
        abort(404, f"no .{fmt} version of this page; try ttl, json, csv")
    return page(fmt, "ontology.html", data, table, classes=classes, properties=properties,
                base=current_app.config["BASE_IRI"])


def schemes() -> list[dict]:
    out: dict[str, dict] = {}
    for r in _plain(named("vocabulary-concepts").rows):
        s = out.setdefault(r["scheme"], {"iri": r["scheme"], "id": _local(r["scheme"]),
                                         "label": r.get("schemeLabel") or _local(r["scheme"]),
                                         "definition": r.get("schemeDefinition", ""), "concepts": []})
        if r.get("concept"):
            s["concepts"].append({"iri": r["concept"], "id": _local(r["concept"]),
                                  "label": r.get("label") or _local(r["concept"]),
                                  "definition": r.get("definition", ""),
                                  "notation": r.get("notation", ""), "uses": int(r.get("uses") or 0)})
    return sorted(out.values(), key=lambda s: s["label"].casefold())


@bp.route("/vocab", defaults={"fmt": None})
@bp.route("/vocab.<fmt>")
def vocab(fmt):
    if fmt == "ttl":
        return Response(ontology_files.VOCABULARIES.read_text(encoding="utf-8"), mimetype="text/turtle")
    if fmt not in (None, "json", "csv"):
        abort(404, f"no .{fmt} version of this page; try ttl, json, csv")
    data = schemes()
    table = [{"scheme": s["iri"], "schemeLabel": s["label"], "concept": c["iri"], "label": c["label"],
              "definition": c["definition"], "uses": c["uses"]} for s in data for c in s["concepts"]]
    return page(fmt, "vocab.html", data, table, schemes=data)


@bp.route("/vocab/<path:rest>")
def concept(rest: str):
    """A concept or a scheme under the base's vocab/ namespace: the entity page, with its twins."""
    if safe_join("/", rest) is None:
        abort(400, "a vocabulary path cannot go up a directory")
    from .entities import entity_response
    return entity_response(current_app.config["BASE_IRI"] + "vocab/", "/vocab/", rest)
