"""Browsing pages over the graph: events, actors, practices, commitments, statistics.

Every page has machine-readable twins at the same path with a suffix — ``/practices.json``,
``/practices.csv`` — announced with ``<link rel="alternate">`` and visible links. Pages work without
JavaScript. All SPARQL comes from named queries (queries/page-*.rq); facet values from the URL are
checked against allow-lists (a scheme's concepts, the IRIs the data holds) and filter rows in
Python, so nothing the user types reaches a query.

Facets: ``/practices?category=&target=&actor=&region=&event=`` (full IRIs; repeat a facet to require
several values — AND within and across facets). The region is the M49 region of the actor's State
(the actor itself, or the State an organisation belongs to); unnamed actors have none, never a guessed
one. Practices carry no GCM objective, so the objective facet lives on ``/commitments?objective=&kind=``
where list items have them. Values outside the allow-list (a scheme's concepts; for actor and event,
the IRIs that practices name) are refused with 400.
"""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, render_template, request

from atdkg import terms

from . import page_data
from .store import named

bp = Blueprint("pages", __name__)

TWIN_TYPES = {"json": "application/json", "csv": "text/csv"}
V, ATD = str(terms.V), str(terms.ATD)


# -- twins --------------------------------------------------------------------------------------------
def plain(row: dict) -> dict:
    return {k: str(v) for k, v in row.items()}


def rows_of(name: str, **params) -> list[dict]:
    return [plain(r) for r in named(name, **params).rows]


def to_csv(table: list[dict]) -> str:
    columns: list[str] = []
    for row in table:
        columns += [k for k in row if k not in columns]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in table:
        writer.writerow({k: ("; ".join(v) if isinstance(v, list) else v) for k, v in row.items()})
    return buf.getvalue()


def page(fmt: str | None, template: str, data, table: list[dict] | Callable[[], list[dict]] | None,
         **context) -> Response:
    """The HTML page, or its ``.json`` twin (``data``) or ``.csv`` twin (``table``, flat rows; or a function
    that makes them, so that the HTML page and the JSON twin do not build the whole selection's rows)."""
    if fmt == "json":
        return Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype=TWIN_TYPES["json"])
    if fmt == "csv" and table is not None:
        return Response(to_csv(table() if callable(table) else table), mimetype=TWIN_TYPES["csv"])
    if fmt is not None:
        abort(404, f"no .{fmt} version of this page; try {', '.join(twin_suffixes(table))}")
    suffixes = twin_suffixes(table)
    query = request.query_string.decode("ascii", "replace")
    twins = {s: f"{request.path}.{s}" + (f"?{query}" if query else "") for s in suffixes}
    return Response(render_template(template, twins=twins, twin_types=TWIN_TYPES, **context))


def twin_suffixes(table) -> list[str]:
    return ["json", "csv"] if table is not None else ["json"]


# -- pagination ---------------------------------------------------------------------------------------
PAGE_SIZE = 50         # items per page unless ?size= says otherwise
MAX_PAGE_SIZE = 500    # a larger page is refused: the CSV twin is the way to get everything
PAGING = ("page", "size")


def _whole_number(name: str, default: int, maximum: int | None = None) -> int:
    """``?name=`` as a whole number from 1 (to ``maximum``), ``default`` when absent; 400 otherwise."""
    raw = request.args.get(name)
    if raw is None:
        return default
    expected = f"a whole number from 1 to {maximum}" if maximum else "a whole number from 1"
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or int(raw) < 1 or (maximum and int(raw) > maximum):
        abort(400, f"parameter {name}: expected {expected}, got {raw[:20]!r}")
    return int(raw)


@dataclass
class Paged:
    """One page of a list: its ``items`` and where they sit in the whole selection (``total`` items)."""
    items: list
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:  # 1-based position of the first item shown; 0 when there is none
        return (self.page - 1) * self.size + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0

    def url(self, number: int | None, path: str | None = None) -> str | None:
        """This request's path and query (facets kept, in order) at page ``number``; None past either end."""
        if number is None or not 1 <= number <= self.pages:
            return None
        args = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
        if number != 1:
            args.append(("page", str(number)))
        return (path or request.path) + ("?" + urlencode(args) if args else "")

    @property
    def next(self) -> str | None:
        return self.url(self.page + 1)

    @property
    def prev(self) -> str | None:
        return self.url(self.page - 1)

    def html_url(self, number: int | None) -> str | None:
        """As ``url`` but for the HTML page even when this is a twin (``/events.json`` → ``/events``)."""
        return self.url(number, request.path.rsplit(".", 1)[0] if request.path.endswith((".json", ".csv"))
                        else request.path)

    def fields(self) -> dict:
        """What a JSON twin says about its page, as Datasette does: the whole count and the links onward."""
        return {"total": self.total, "page": self.page, "size": self.size, "pages": self.pages,
                "next": self.next, "prev": self.prev}


def paginate(items: list) -> Paged:
    """The page of ``items`` that ``?page=&size=`` ask for (400 for a bad value or a page past the last)."""
    size = _whole_number("size", PAGE_SIZE, MAX_PAGE_SIZE)
    number = _whole_number("page", 1)
    paged = Paged(items[(number - 1) * size:number * size], len(items), number, size)
    if number > paged.pages:
        abort(400, f"parameter page: expected a whole number from 1 to {paged.pages} "
                   f"({paged.total} items, {size} a page), got {number}")
    return paged


def only_params(allowed) -> None:
    """400 for a query parameter a page does not take (a typo would otherwise be silently ignored)."""
    unknown = sorted(set(request.args) - set(allowed))
    if unknown:
        abort(400, f"unknown parameter {unknown[0][:40]!r}; this page takes {', '.join(allowed)}")


def family(rule: str, blueprint: Blueprint = bp):
    """Register a view at ``rule`` and its twins at ``rule.<fmt>``."""
    def decorate(view):
        blueprint.add_url_rule(rule, view.__name__, view, defaults={"fmt": None})
        blueprint.add_url_rule(rule + ".<fmt>", view.__name__, view)
        return view
    return decorate


# -- events -------------------------------------------------------------------------------------------
@page_data.loader("events")
def events_data() -> list[dict]:
    """The exchanges in date order, each with its agenda (in time order), hosts, speakers, documents."""
    exchanges: dict[str, dict] = {}
    for r in page_data.all_rows("exchanges"):
        ex = exchanges.setdefault(r["exchange"], {
            "exchange": r["exchange"], "date": r["date"], "title": r["title"], "start": r.get("start", ""),
            "end": r.get("end", ""), "documents": [], "items": [], "hosts": [], "speakers": []})
        if r["documentId"] not in ex["documents"]:
            ex["documents"].append(r["documentId"])
    for r in page_data.all_rows("page-event-items"):
        if r["exchange"] in exchanges:
            exchanges[r["exchange"]]["items"].append(
                {k: r.get(k, "") for k in ("item", "number", "title", "start", "kindLabel")})
    for r in page_data.all_rows("page-event-hosts"):
        if r["exchange"] in exchanges:
            exchanges[r["exchange"]]["hosts"].append({"host": r["host"], "label": r["hostLabel"]})
    for r in page_data.all_rows("page-event-speakers"):
        if r["exchange"] in exchanges:
            exchanges[r["exchange"]]["speakers"].append(
                {"participant": r["participant"], "name": r["name"], "role": r["roleLabel"], "event": r["event"]})
    timeline = sorted(exchanges.values(), key=lambda e: e["date"])
    for ex in timeline:
        ex["items"].sort(key=lambda i: (i["start"], i["number"], i["title"]))
        titles = {i["item"]: i["title"] for i in ex["items"]}
        for s in ex["speakers"]:
            s["in"] = titles.get(s["event"], "the exchange")
    return timeline


@family("/events")
def events(fmt: str | None) -> Response:
    only_params(PAGING)
    timeline = page_data.get("events")
    shown = paginate(timeline)

    def table() -> list[dict]:
        return [{"date": e["date"], "title": e["title"], "kind": kind, "what": what, "who": who, "role": role}
                for e in timeline
                for kind, what, who, role in (
                    [("item", f"{i['number']} {i['title']}".strip(), "", i["start"]) for i in e["items"]]
                    + [("speaker", s["in"], s["name"], s["role"]) for s in e["speakers"]]
                    + [("host", "", h["label"], "host") for h in e["hosts"]]
                    + [("document", d, "", "") for d in e["documents"]])]
    return page(fmt, "events.html", {"events": shown.items, **shown.fields()}, table, events=shown.items,
                paged=shown)


# -- actors -------------------------------------------------------------------------------------------
ACTIVITY = {ATD + "Participation": "participations", ATD + "Hosting": "hostings",
            ATD + "WorkingGroupMembership": "memberships"}


ACTOR_KINDS = {"state": "States", "organisation": "Organisations", "person": "People"}


@page_data.loader("actors")
def actors_data() -> dict:
    """Everyone in page order — States, organisations by type, people — as (kind, type label, row).

    A State's participations and hostings are rolled up as on the home page's map (the named query
    home-state-activity): the State's own and those of its government, ministries, permanent missions
    (any depth of sub-organisation) and the people whose posts are in them or represent it. Its
    memberships stay its own."""
    activity: dict[str, dict] = defaultdict(lambda: dict.fromkeys(ACTIVITY.values(), 0))
    for r in page_data.all_rows("page-actor-activity"):
        activity[r["actor"]][ACTIVITY[r["kind"]]] = int(r["n"])
    state_activity = {r["state"]: {"participations": int(r["participations"]), "hostings": int(r["hostings"])}
                      for r in page_data.all_rows("home-state-activity")}
    states = [dict(r, **dict(activity[r["state"]], **state_activity.get(r["state"], {"participations": 0,
                                                                                        "hostings": 0})))
              for r in page_data.all_rows("page-states")]
    groups: dict[str, list] = defaultdict(list)
    for r in page_data.all_rows("page-organisations"):
        groups[r["typeLabel"]].append(dict(r, **activity[r["org"]]))
    groups = dict(sorted(groups.items()))
    people = [dict(r, **activity[r["person"]]) for r in page_data.all_rows("page-people")]
    everyone = ([("state", "", s) for s in states]
                + [("organisation", t, o) for t, orgs in groups.items() for o in orgs]
                + [("person", "", p) for p in people])
    return {"everyone": everyone, "counts": {k: sum(1 for kind, _, _ in everyone if kind == k) for k in ACTOR_KINDS},
            "group_sizes": {t: len(orgs) for t, orgs in groups.items()}, "by_kinds": {}}


@family("/actors")
def actors(fmt: str | None) -> Response:
    """States, organisations (by type) and people in one list, in that order, paged; ``?kind=`` keeps one
    of the three (repeatable: any of them)."""
    only_params(("kind", *PAGING))
    kinds = [k for k in request.args.getlist("kind") if k]
    for k in kinds:
        if k not in ACTOR_KINDS:
            abort(400, f"parameter kind: expected one of {', '.join(ACTOR_KINDS)}, got {k[:40]!r}")
    loaded = page_data.get("actors")
    everyone, counts = loaded["everyone"], loaded["counts"]
    wanted = frozenset(kinds)
    if wanted not in loaded["by_kinds"]:  # at most 8 selections: kept
        loaded["by_kinds"][wanted] = [a for a in everyone if not wanted or a[0] in wanted]
    selected = loaded["by_kinds"][wanted]
    shown = paginate(selected)
    page_states = [a for kind, _, a in shown.items if kind == "state"]
    page_groups: dict[str, list] = {}
    for kind, t, a in shown.items:
        if kind == "organisation":
            page_groups.setdefault(t, []).append(a)
    page_people = [a for kind, _, a in shown.items if kind == "person"]
    data = {"selection": {"kind": kinds} if kinds else {}, "counts": counts, "states": page_states,
            "organisations": page_groups, "people": page_people, **shown.fields()}

    def table() -> list[dict]:
        return [{"kind": {"state": "State", "person": "Person"}.get(kind, t),
                 "iri": a.get("state") or a.get("org") or a["person"], "label": a.get("label") or a["name"],
                 "region": a.get("regionLabel", "") if kind == "state" else "",
                 **{k: a[k] for k in ACTIVITY.values()}} for kind, t, a in selected]
    return page(fmt, "actors.html", data, table, states=page_states, groups=page_groups, people=page_people,
                group_sizes=loaded["group_sizes"], kind_counts=counts, kinds=kinds,
                kind_names=ACTOR_KINDS, paged=shown)


# -- practices ----------------------------------------------------------------------------------------
PRACTICE_FACETS = {"category": ("Category", V + "practice-categories"),
                   "target": ("Target group", V + "target-groups"),
                   "actor": ("Actor", None), "region": ("Region (of the actor's State)", V + "m49-regions"),
                   "event": ("Exchange", None)}


def selection(facets: dict, allowed: dict[str, set]) -> dict[str, list[str]]:
    """The facet values in the query string, each checked against its allow-list (400 otherwise)."""
    unknown = sorted(set(request.args) - set(facets) - set(PAGING))
    if unknown:
        abort(400, f"unknown facet {unknown[0][:40]!r}; the facets are {', '.join(facets)} "
                   f"(and {' and '.join(PAGING)} for paging)")
    chosen = {}
    for name in facets:
        values = [v for v in request.args.getlist(name) if v]
        for v in values:
            if v not in allowed[name]:
                abort(400, f"{v[:100]!r} is not a known value of facet {name}")
        if values:
            chosen[name] = sorted(set(values))
    return chosen


def scheme_concepts(scheme: str) -> set[str]:
    return {r["concept"] for r in page_data.all_rows("page-scheme-concepts", scheme=scheme)}


def facet_url(path: str, chosen: dict, facet: str, value: str, add: bool) -> str:
    """The page with ``value`` added to or removed from the selection: back to page 1 (the old page may
    not exist in the new selection), the page size kept."""
    params = {f: list(v) for f, v in chosen.items()}
    current = set(params.get(facet, []))
    current = current | {value} if add else current - {value}
    params[facet] = sorted(current)
    pairs = [(f, v) for f, vs in params.items() for v in vs]
    if "size" in request.args:
        pairs.append(("size", request.args["size"]))
    return path + ("?" + urlencode(pairs) if pairs else "")


@page_data.loader("practices")
def practices_data() -> dict:
    """The practices in the query's order with their facet values, indexed (webapp/page_data.py)."""
    items: dict[str, dict] = {}
    for r in page_data.all_rows("page-practices"):
        items.setdefault(r["practice"], {"iri": r["practice"], "text": r["text"], "actor": r.get("actor", ""),
                                         "actorLabel": r.get("actorLabel", ""), "event": r.get("event", ""),
                                         "eventDate": r.get("eventDate", ""), "evidence": []})
        if "documentId" in r:
            ev = {"documentId": r["documentId"], "start": r["start"], "end": r["end"]}
            if ev not in items[r["practice"]]["evidence"]:
                items[r["practice"]]["evidence"].append(ev)
    values_of: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    labels: dict[str, str] = {}
    for r in page_data.all_rows("page-practice-facets"):
        values_of[r["practice"]][r["facet"]].add(r["value"])
        labels.setdefault(r["value"], r["valueLabel"])
    allowed = {f: scheme_concepts(scheme) if scheme else {v for p in values_of.values() for v in p.get(f, ())}
               for f, (_, scheme) in PRACTICE_FACETS.items()}
    everything = list(items.values())
    for i in everything:
        i["categories"] = [{"iri": c, "label": labels.get(c, c)}
                           for c in sorted(values_of[i["iri"]].get("category", ()))]
        i["targets"] = [{"iri": c, "label": labels.get(c, c)} for c in sorted(values_of[i["iri"]].get("target", ()))]
        i["region"] = "; ".join(labels.get(c, c) for c in sorted(values_of[i["iri"]].get("region", ())))
    index = page_data.facet_index([values_of.get(i["iri"], {}) for i in everything], PRACTICE_FACETS,
                                  order=lambda v: (labels.get(v, v), v))
    return {"items": everything, "labels": labels, "allowed": allowed, "index": index}


@family("/practices")
def practices(fmt: str | None) -> Response:
    loaded = page_data.get("practices")
    everything, labels, index = loaded["items"], loaded["labels"], loaded["index"]
    chosen = selection(PRACTICE_FACETS, loaded["allowed"])
    positions = index.matching(chosen)
    tally = index.counts(chosen, positions)
    counts = {f: [{"value": v, "label": labels.get(v, v), "count": tally[f][v], "selected": v in chosen.get(f, [])}
                  for v in index.choices[f]] for f in PRACTICE_FACETS}
    matching = [everything[k] for k in positions]
    shown = paginate(matching)
    data = {"selection": chosen, "count": len(matching), "facets": counts, "practices": shown.items,
            **shown.fields()}

    def table() -> list[dict]:
        return [{"practice": i["iri"], "text": i["text"], "actor": i["actorLabel"], "actorIri": i["actor"],
                 "region": i["region"], "event": i["eventDate"],
                 "categories": [c["label"] for c in i["categories"]], "targets": [c["label"] for c in i["targets"]],
                 "evidence": [f"{e['documentId']}:{e['start']}-{e['end']}" for e in i["evidence"]]}
                for i in matching]
    return page(fmt, "practices.html", data, table, practices=shown.items, paged=shown, facets=counts, chosen=chosen,
                facet_names={f: label for f, (label, _) in PRACTICE_FACETS.items()}, labels=labels,
                facet_url=lambda f, v, add: facet_url("/practices", chosen, f, v, add))


# -- commitments --------------------------------------------------------------------------------------
COMMITMENT_FACETS = {"kind": ("List kind", V + "list-kinds"), "objective": ("GCM objective", V + "gcm-objectives")}


@page_data.loader("commitments")
def commitments_data() -> dict:
    """The list items in page order (lists by kind and label, items by number) as (list, item) pairs,
    each pair's kind and objectives indexed as facets (webapp/page_data.py)."""
    objectives: dict[str, list] = defaultdict(list)
    for r in page_data.all_rows("page-item-objectives"):
        objectives[r["item"]].append({"iri": r["objective"], "number": int(r["objectiveNumber"]),
                                      "label": r["objectiveLabel"]})
    lists: dict[str, dict] = {}
    items: dict[str, dict] = {}
    for r in page_data.all_rows("page-commitments"):
        lst = lists.setdefault(r["list"], {"list": r["list"], "label": r["listLabel"], "kind": r["kind"],
                                           "kindLabel": r["kindLabel"], "items": []})
        if r["item"] not in items:
            items[r["item"]] = {"iri": r["item"], "number": int(r["number"]), "text": r["text"], "evidence": [],
                                "objectives": sorted(objectives[r["item"]], key=lambda o: o["number"])}
            lst["items"].append(items[r["item"]])
        if "documentId" in r:
            ev = {"documentId": r["documentId"], "start": r["start"], "end": r["end"]}
            if ev not in items[r["item"]]["evidence"]:
                items[r["item"]]["evidence"].append(ev)
    labels = {r["kind"]: r["kindLabel"] for r in lists.values()}
    labels.update({o["iri"]: f"{o['number']}. {o['label']}" for os_ in objectives.values() for o in os_})
    ordered = [(lst, i) for lst in sorted(lists.values(), key=lambda x: (x["kindLabel"], x["label"]))
               for i in sorted(lst["items"], key=lambda i: i["number"])]
    index = page_data.facet_index([{"kind": [lst["kind"]], "objective": [o["iri"] for o in i["objectives"]]}
                                   for lst, i in ordered], COMMITMENT_FACETS, any_of={"kind"})
    return {"ordered": ordered, "labels": labels, "index": index,
            "allowed": {f: scheme_concepts(scheme) for f, (_, scheme) in COMMITMENT_FACETS.items()},
            "kinds": sorted({(lst["kind"], lst["kindLabel"]) for lst in lists.values()}, key=lambda k: k[1]),
            "objectives": sorted({(o["iri"], o["number"], o["label"]) for os_ in objectives.values() for o in os_},
                                 key=lambda o: o[1])}


@family("/commitments")
def commitments(fmt: str | None) -> Response:
    loaded = page_data.get("commitments")
    ordered, index = loaded["ordered"], loaded["index"]
    chosen = selection(COMMITMENT_FACETS, loaded["allowed"])
    positions = index.matching(chosen)
    matching = [ordered[k] for k in positions]
    # an option's count: the items the selection would hold with that value instead of the facet's current
    # one (a <select> picks one value), so the facet's own selection is left out when counting it
    kind_counts = index.counts({f: v for f, v in chosen.items() if f != "kind"},
                               index.matching({f: v for f, v in chosen.items() if f != "kind"}))["kind"]
    objective_counts = index.counts({f: v for f, v in chosen.items() if f != "objective"},
                                    index.matching({f: v for f, v in chosen.items() if f != "objective"}))["objective"]
    in_selection: dict[str, int] = defaultdict(int)
    first_item: dict[str, str] = {}  # a list whose first item is on an earlier page is "continued"
    for lst, i in matching:
        in_selection[lst["list"]] += 1
        first_item.setdefault(lst["list"], i["iri"])
    shown = paginate(matching)
    on_page: dict[str, dict] = {}
    for lst, i in shown.items:
        if lst["list"] not in on_page:
            on_page[lst["list"]] = dict(lst, items=[], count=in_selection[lst["list"]],
                                        continued=first_item[lst["list"]] != i["iri"])
        on_page[lst["list"]]["items"].append(i)
    page_lists = list(on_page.values())

    def table() -> list[dict]:
        return [{"list": lst["list"], "listLabel": lst["label"], "kind": lst["kindLabel"], "item": i["iri"],
                 "number": i["number"], "text": i["text"], "objectives": [str(o["number"]) for o in i["objectives"]],
                 "evidence": [f"{e['documentId']}:{e['start']}-{e['end']}" for e in i["evidence"]]}
                for lst, i in matching]
    data = {"selection": chosen, "count": len(matching),
            "lists": [{k: v for k, v in lst.items() if k != "continued"} for lst in page_lists], **shown.fields()}
    return page(fmt, "commitments.html", data, table, lists=page_lists, paged=shown, chosen=chosen,
                kinds=loaded["kinds"], objectives=loaded["objectives"], labels=loaded["labels"],
                kind_counts=kind_counts, objective_counts=objective_counts)


# -- statistics ---------------------------------------------------------------------------------------
@page_data.loader("statistics")
def statistics_data() -> dict:
    """The statistics with their passages and places, and the charts' bars."""
    stats = page_data.all_rows("page-statistics")
    about = {r["stat"]: r for r in page_data.all_rows("chart-statistics")}
    for s in stats:
        s["place"] = about.get(s["stat"], {}).get("place", "")

    def tally(key: str) -> list[dict]:
        counted: dict[str, int] = defaultdict(int)
        for s in stats:
            counted[s.get(key) or "not stated"] += 1
        return [{"label": k, "value": n} for k, n in sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))]

    def as_bars(rows: list[dict]) -> list[dict]:
        top = max((float(r["value"]) for r in rows), default=0.0)
        return [dict(r, percent=round(100 * float(r["value"]) / top, 1) if top else 0, href=r.get("href"))
                for r in rows]

    counts: list[dict] = [{"label": s.get("countedThing") or "a count",
                           "value": int(float(s["value"])) if float(s["value"]).is_integer() else float(s["value"]),
                           "href": "#" + _stat_anchor(s["stat"])}
                          for s in stats if s.get("unit") == "count"]
    counts.sort(key=lambda r: -r["value"])
    return {"stats": stats,
            "charts": {"population": as_bars(tally("population")), "place": as_bars(tally("place")),
                       "counts": as_bars(counts)}}


@family("/statistics")
def statistics(fmt):
    """The statistics with their passages, and charts of them: how many by population and by place (the
    document's words, or "not stated"), and the counts themselves (unit "count") as bars."""
    loaded = page_data.get("statistics")
    stats = loaded["stats"]
    return page(fmt, "statistics.html", stats, stats, stats=stats, charts=loaded["charts"], anchor=_stat_anchor)


def _stat_anchor(iri: str) -> str:
    return "stat-" + iri.rsplit("/", 1)[-1]
