"""The home page: what the exchanges were, when, who took part and where, and where to start.

Everything on it comes from named queries (queries/home-*.rq, queries/chart-*.rq and a few the other
pages use) and is drawn on the server: the timeline, the bars and the world map are SVG in the HTML,
so the page needs no JavaScript and no script library. The map's outlines come from the `world-atlas`
npm package, projected here (webapp/worldmap.py); without `npm ci` the map's table stays.

The JSON twin is ``/?format=json`` (or ``Accept: application/json``): every figure, chart and table
of the page as plain data. Each chart's rows are also the CSV of its named query
(``/queries/<name>.csv``).
"""
from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, Response, current_app, render_template, request

from . import page_data, worldmap
from .network_view import _node_modules
from .pages import rows_of

bp = Blueprint("home", __name__)

NEWEST_DOCUMENTS = 5
ACTIVITY_STEPS = 4  # shades of the map; a State's step is its activity's share of the most active State's
FIGURES = [  # (summary column, what it is called, the page that lists them)
    ("exchanges", "exchanges", "/events"), ("states", "States", "/actors#states"),
    ("organisations", "organisations", "/actors#organisations"), ("people", "people", "/actors#people"),
    ("practices", "practices", "/practices"), ("commitments", "commitments", "/commitments"),
    ("statistics", "statistics", "/statistics"),
]
PARTICIPANT_KINDS = ["people", "organisations", "States", "unnamed actors", "placeholders"]


@bp.app_template_filter("local_href")
def local_href(iri: str) -> str:
    """The explorer's path of a graph IRI (``/id/…``); other IRIs as they are (links in SVG are built
    from graph IRIs only)."""
    base = current_app.config["BASE_IRI"] + "id/"
    return "/id/" + iri[len(base):] if iri.startswith(base) else iri


def _int(row: dict, key: str) -> int:
    try:
        return int(row.get(key) or 0)
    except ValueError:
        return 0


def long_date(iso: str) -> str:
    """'2020-11-17' → '17 November 2020' (the documents' own style); anything else as it is."""
    try:
        d = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{d.day} {d:%B %Y}"


def summary() -> dict:
    rows = rows_of("home-summary")
    row = rows[0] if rows else {}
    return {k: (_int(row, k) if k not in ("workingGroup", "workingGroupLabel", "firstDate", "lastDate") else
                row.get(k, "")) for k in ("workingGroup", "workingGroupLabel", "exchanges", "firstDate", "lastDate",
                                           "states", "organisations", "people", "practices", "commitments",
                                           "statistics", "documents")} | {
        "firstDateText": long_date(row.get("firstDate", "")), "lastDateText": long_date(row.get("lastDate", ""))}


def exchanges() -> list[dict]:
    """One entry per exchange (the query has one row per exchange and document), oldest first."""
    out: dict[str, dict] = {}
    for r in rows_of("exchanges"):
        ex = out.setdefault(r["exchange"], {"exchange": r["exchange"], "date": r["date"], "title": r["title"],
                                            "documents": []})
        if r["documentId"] not in ex["documents"]:
            ex["documents"].append(r["documentId"])
    return sorted(out.values(), key=lambda e: e["date"])


def participation(timeline: list[dict]) -> list[dict]:
    """Per exchange (in timeline order), the actors who took part, by kind."""
    counts: dict[str, dict[str, int]] = {e["exchange"]: dict.fromkeys(PARTICIPANT_KINDS, 0) for e in timeline}
    for r in rows_of("chart-exchange-participation"):
        if r["exchange"] in counts and r["kind"] in PARTICIPANT_KINDS:
            counts[r["exchange"]][r["kind"]] = _int(r, "actors")
    return [{"exchange": e["exchange"], "date": e["date"], "title": e["title"], **counts[e["exchange"]],
             "total": sum(counts[e["exchange"]].values())} for e in timeline]


def state_activity() -> list[dict]:
    rows = [{"state": r["state"], "label": r["label"], "code": r["code"], "m49": r.get("m49", ""),
             **{k: _int(r, k) for k in ("hostings", "participations", "practices", "activity")}}
            for r in rows_of("home-state-activity")]
    top = max((r["activity"] for r in rows), default=0)
    for r in rows:  # shade 1 (least) … ACTIVITY_STEPS (most), by share of the most active State
        r["shade"] = max(1, -(-r["activity"] * ACTIVITY_STEPS // top)) if top else 0
    return rows


def world_map(activity: list[dict]) -> dict | None:
    """The map's countries, each with its State's activity where it has one; None without world-atlas."""
    countries = worldmap.countries(_node_modules())
    if countries is None:
        return None
    by_code = {r["m49"]: r for r in activity if r["m49"]}
    shapes = [{"id": c.id, "name": c.name, "path": c.path, "state": by_code.get(c.id)} for c in countries]
    drawn = {c.id for c in countries}
    # active shapes last: their outlines are drawn over their neighbours'
    shapes.sort(key=lambda s: s["state"] is not None)
    return {"width": worldmap.WIDTH, "height": worldmap.HEIGHT, "shapes": shapes,
            "missing": [r for r in activity if r["m49"] not in drawn]}


def timeline_marks(timeline: list[dict]) -> dict:
    """Positions of the exchanges on a vertical time axis (SVG user units): by date, from January of the
    first year to December of the last, with a tick per year."""
    if not timeline:
        return {"height": 0, "marks": [], "years": []}
    days = [date.fromisoformat(e["date"][:10]) for e in timeline]
    start, end = date(days[0].year, 1, 1), date(days[-1].year, 12, 31)
    top, length = 20, 100 * (end.year - start.year + 1)
    span = (end - start).days or 1

    def y(d: date) -> float:
        return round(top + length * (d - start).days / span, 1)

    marks, previous = [], None
    for e, d in zip(timeline, days):
        label_y = y(d) if previous is None else max(y(d), previous + 52)  # titles of close dates must not touch
        marks.append(dict(e, y=y(d), label_y=round(label_y, 1), lines=_wrap(e["title"], 38, 2)))
        previous = label_y
    years = [{"year": year, "y": y(date(year, 1, 1))} for year in range(start.year, end.year + 2)]
    height = max(years[-1]["y"], marks[-1]["label_y"] + 40) + 10
    return {"height": height, "marks": marks, "years": years}


def _wrap(text: str, width: int, lines: int) -> list[str]:
    """Words to at most ``lines`` lines of about ``width`` characters; an ellipsis if cut."""
    out: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
            if len(out) == lines:
                out[-1] += " …"
                return out
        else:
            current = f"{current} {word}".strip()
    if current:
        out.append(current)
    return out


def bars(rows: list[dict], key: str, label: str, href=None) -> list[dict]:
    """Rows of a bar chart: label, value, the bar's length in per cent of the longest, a link."""
    top = max((_int(r, key) for r in rows), default=0)
    return [{"label": r[label], "value": _int(r, key), "percent": round(100 * _int(r, key) / top, 1) if top else 0,
             "href": href(r) if href else None} for r in rows]


def newest_documents() -> list[dict]:
    docs = [{"documentId": r["documentId"], "title": r["title"], "genre": r["genre"], "date": r.get("date", ""),
             "exchange": r["exchange"], "exchangeLabel": r["exchangeLabel"]} for r in rows_of("documents")]
    return sorted(docs, key=lambda d: (d["date"], d["documentId"]), reverse=True)[:NEWEST_DOCUMENTS]


@page_data.loader("home")
def home_data() -> dict:
    """Everything the home page shows, read once per app like the list pages' rows (webapp/page_data.py):
    eight queries, seconds at 10^6 triples; in front of a SPARQL server, 32 clients asking for the home page
    at once sent them once per coroutine and were answered 503."""
    timeline = exchanges()
    return {"facts": summary(), "timeline": timeline, "activity": state_activity(),
            "categories": rows_of("chart-practice-categories"), "objectives": rows_of("chart-commitment-objectives"),
            "taking_part": participation(timeline), "documents": newest_documents(), "classes": rows_of("overview")}


@bp.route("/")
def home():
    d = page_data.get("home")
    facts, timeline, activity, categories = d["facts"], d["timeline"], d["activity"], d["categories"]
    objectives, taking_part, documents, classes = d["objectives"], d["taking_part"], d["documents"], d["classes"]
    if request.accept_mimetypes.best == "application/json" or request.args.get("format") == "json":
        data = {"summary": facts, "exchanges": timeline, "participation": taking_part, "stateActivity": activity,
                "practiceCategories": categories, "objectives": objectives, "newestDocuments": documents,
                "classes": classes}
        return Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype="application/json")
    return render_template(
        "home.html", facts=facts, figures=FIGURES, timeline=timeline, marks=timeline_marks(timeline),
        participation=taking_part, kinds=PARTICIPANT_KINDS, activity=activity, world=world_map(activity),
        steps=ACTIVITY_STEPS, documents=documents, classes=classes,
        top_categories=[{"label": r["label"], "href": "/practices?" + _query("category", r["category"])}
                        for r in categories[:3]],
        category_bars=bars(categories, "practices", "label",
                           lambda r: "/practices?" + _query("category", r["category"])),
        objective_bars=bars([dict(r, label=f"{r['number']}. {r['label']}") for r in objectives], "items", "label",
                            lambda r: "/commitments?" + _query("objective", r["objective"])))


def _query(name: str, value: str) -> str:
    from urllib.parse import urlencode
    return urlencode({name: value})
