"""Named queries → link records → networkx graphs at the person, organisation or State level.

Every fact comes from a named query (queries/network-*.rq); this module only pairs rows into
records, rolls actors up and counts.

Roll-up rules (README, "Network"):
- person level: every actor as the documents name it;
- organisation level: a person becomes the organisation of their post as of the event's date (the
  post on that date, else the latest before, else the earliest after); a post that names only a
  State ("First Lady of Colombia") makes the person that State; an organisational unit
  (atd:OrganisationalUnit) becomes the organisation it belongs to;
- State level: as the organisation level, then a government, government body or permanent
  mission becomes its State (atd:ofState). Organisations merely *based in* a country
  (civil society, academia, local governments, a national human rights institution) stay
  themselves: they do not speak for the State, and the government/civil-society sides stay apart.
- Chatham House Rule: an unnamed actor ("One State", "a campaigner") is never rolled up or merged:
  it stays its own anonymous node at every level, and it never enters the shared-practice relation.
- Placeholder speakers ("Government representative (TBC)") are slots, not actors: left out.

Weights: an edge's weight for one relation kind is the number of distinct occasions behind it
(exchanges for co-hosting, sessions or events for co-participation, documents for Working Group
listings, partnerships, shared categories, posts or documents for affiliation); its total weight is
the sum over its relation kinds.
"""
from __future__ import annotations

import datetime
import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from atdkg import queries as catalogue
from atdkg import terms
from atdkg.terms import fold

ATD = str(terms.ATD)
FOAF_PERSON = "http://xmlns.com/foaf/0.1/Person"

LEVELS = ("person", "organisation", "state")
RELATIONS = {
    "co-hosting": "both hosted the same exchange (weight: exchanges)",
    "co-lead": "both co-lead the Working Group according to the same document (weight: documents)",
    "co-member": "listed together in the Working Group (co-lead, member, observer) by the same document, "
                 "not both as co-leads (weight: documents)",
    "co-participation": "both had a part (moderator, panelist, speaker, attendee, ...) in the same session, "
                        "agenda item or exchange (weight: sessions and events)",
    "partnership": "partners in a partnership a document states: an MoU, a joint framework, work done in "
                   "collaboration (weight: partnerships)",
    "shared-practice": "documents attribute practices of the same category to both (weight: categories); "
                       "a similarity, not a collaboration",
    "affiliation": "a person's post, an organisation's parent, a government's State: the roll-up itself "
                   "(weight: posts and documents)",
}
# what counts as "already linked" for twinning: every relation but the similarity one
LINK_RELATIONS = tuple(r for r in RELATIONS if r != "shared-practice")
EDGE_QUERIES = ("network-co-hosting", "network-working-group", "network-co-participation",
                "network-partnerships", "network-shared-practice", "network-affiliations", "network-structure")
_QUERY_RELATION = {"network-co-hosting": "co-hosting", "network-co-participation": "co-participation",
                   "network-partnerships": "partnership", "network-shared-practice": "shared-practice",
                   "network-affiliations": "affiliation", "network-structure": "affiliation"}

GOVERNMENTAL = {"Government", "GovernmentBody", "PermanentMission"}  # roll up to their State
SIDES = {
    "government": {"State", "Government", "GovernmentBody", "PermanentMission", "LocalGovernment"},
    "civil society": {"CivilSocietyOrganisation", "CivilSocietyNetwork", "AcademicInstitution", "Foundation"},
    "international": {"UNEntity", "UNMandate", "IntergovernmentalOrganisation", "InternationalOrganisation",
                      "WorkingGroup", "RegionalConsultativeProcess", "LocalGovernmentNetwork"},
    "unnamed": {"UnnamedActor"},
}


class UnknownActor(ValueError):
    """A name that is no node of the network (the message lists close names)."""


@dataclass(frozen=True, order=True)
class Evidence:
    document: str  # the document id, "000"…
    passage: str   # the atd:Evidence IRI
    quote: str     # the exact passage

    def as_dict(self) -> dict:
        return {"document": self.document, "passage": self.passage, "quote": self.quote}


@dataclass
class Actor:
    iri: str
    label: str
    type: str  # the class's local name: State, Person, UnnamedActor, PermanentMission, UNEntity, ..., Organisation
    names: set[str] = field(default_factory=set)
    state: str | None = None   # atd:ofState (governments, their bodies, permanent missions)
    parent: str | None = None  # org:subOrganizationOf
    region: tuple[str, str] | None = None     # (IRI, label) of the M49 region, for States
    subregion: tuple[str, str] | None = None

    @property
    def folded(self) -> set[str]:
        return {fold(n) for n in self.names | {self.label}}


@dataclass
class Link:
    """Two actors, as the documents name them, linked by one occasion of one relation kind."""
    a: str
    b: str
    relation: str
    occasion: str  # the exchange, session, document, partnership, category or post behind the link
    label: str
    date: str
    details: set[str] = field(default_factory=set)
    evidence: set[Evidence] = field(default_factory=set)


@dataclass(frozen=True)
class Presence:
    actor: str
    exchange: str
    date: str
    how: str
    evidence: Evidence


@dataclass(frozen=True)
class Interest:
    actor: str
    thing: str
    kind: str  # Practice or ListItem
    category: tuple[str, str] | None
    objective: tuple[str, str] | None
    date: str
    evidence: Evidence


def _s(row: dict, key: str) -> str | None:
    """An optional column of a named query's row, as text."""
    value = row.get(key)
    return None if value is None else str(value)


def _r(row: dict, key: str) -> str:
    """A column the named query always binds, as text."""
    value = row.get(key)
    if value is None:
        raise ValueError(f"a network query returned a row without ?{key}: {sorted(row)}")
    return str(value)


def _evidence(row: dict) -> set[Evidence]:
    out = set()
    for suffix in ("", "A", "B"):
        if row.get("evidence" + suffix) is not None:
            out.add(Evidence(_r(row, "document" + suffix), _r(row, "evidence" + suffix), _r(row, "quote" + suffix)))
    return out


@dataclass
class NetworkData:
    """What the named queries say about actors and their links, loaded once from a store."""
    store: object
    actors: dict[str, Actor]
    posts: dict[str, list[tuple[str, str]]]  # person → [(date, organisation or State)], sorted
    links: list[Link]

    # -- loading ---------------------------------------------------------------------------------
    @classmethod
    def load(cls, store) -> NetworkData:
        actors = _actors(_rows(store, "network-actors"))
        links: dict[tuple, Link] = {}
        posts: dict[str, set] = defaultdict(set)
        for name in EDGE_QUERIES:
            for row in _rows(store, name):
                a, b, relation, details = _r(row, "a"), _r(row, "b"), _QUERY_RELATION.get(name), set()
                if name == "network-affiliations":
                    posts[a].add((_r(row, "date"), b))
                if name in ("network-working-group", "network-co-participation"):
                    ra, rb = _s(row, "roleA") or "attendee", _s(row, "roleB") or "attendee"
                    if name == "network-working-group":
                        relation = "co-lead" if ra == rb == "co-lead" else "co-member"
                    details.add(f"{_label(actors, a)} ({ra}) + {_label(actors, b)} ({rb})")
                elif name == "network-co-hosting":
                    details.add(f"hosts: {_label(actors, a)} + {_label(actors, b)}")
                assert relation is not None, f"{name}: every edge query has its relation"
                key = (a, b, relation, _r(row, "event"))
                link = links.get(key)
                if link is None:
                    link = links[key] = Link(a, b, relation, _r(row, "event"), _s(row, "eventLabel") or "",
                                             _r(row, "date"))
                link.date = min(link.date, _r(row, "date"))
                link.details |= details
                link.evidence |= _evidence(row)
        ordered = [links[k] for k in sorted(links)]
        return cls(store, actors, {p: sorted(v, key=lambda post: (post[0], _post_rank(actors, post[1]), post[1]))
                                   for p, v in posts.items()}, ordered)

    @cached_property
    def presence(self) -> list[Presence]:
        return [Presence(_r(r, "actor"), _r(r, "exchange"), _r(r, "date"), _r(r, "how"),
                         next(iter(_evidence(r)))) for r in _rows(self.store, "network-presence")]

    @cached_property
    def interests(self) -> list[Interest]:
        out = []
        for r in _rows(self.store, "network-interests"):
            cat = (_r(r, "category"), _r(r, "categoryLabel")) if r.get("category") is not None else None
            obj = (_r(r, "objective"), _r(r, "objectiveLabel")) if r.get("objective") is not None else None
            out.append(Interest(_r(r, "actor"), _r(r, "thing"), _r(r, "thingClass").rsplit("#", 1)[-1], cat, obj,
                                _r(r, "date"), next(iter(_evidence(r)))))
        return out

    @property
    def dates(self) -> list[str]:
        """The dates links are dated by (the exchanges' dates), in order."""
        return sorted({link.date for link in self.links})

    # -- roll-up ------------------------------------------------------------------------------------
    def post(self, person: str, date: str) -> str | None:
        """The organisation (or State) of a person's post as of ``date``: the post on that date, else
        the latest before, else the earliest after. Several on one date: an organisation first."""
        posts = self.posts.get(person, [])
        same = [target for d, target in posts if d == date]
        before = [target for d, target in posts if d < date]
        after = [target for d, target in posts if d > date]
        if same:
            return same[0]
        if before:
            latest = max(d for d, _ in posts if d < date)
            return next(t for d, t in posts if d == latest)
        return after[0] if after else None

    def _unit_root(self, iri: str) -> str:
        seen = {iri}
        actor = self.actors[iri]
        while actor.type == "OrganisationalUnit" and actor.parent in self.actors and actor.parent not in seen:
            iri = actor.parent
            seen.add(iri)
            actor = self.actors[iri]
        return iri

    def node_of(self, iri: str, date: str, level: str) -> str | None:
        """The node an actor becomes at ``level`` on ``date``; None for what is not an actor."""
        actor = self.actors.get(iri)
        if actor is None:  # placeholders and anything else that is not an actor
            return None
        if actor.type == "UnnamedActor" or level == "person":  # Chatham House: unnamed actors never roll up
            return iri
        if actor.type == "Person":
            iri = self.post(iri, date) or iri
        iri = self._unit_root(iri)
        if level == "organisation":
            return iri
        actor = self.actors[iri]
        if actor.type in GOVERNMENTAL and actor.state:
            return actor.state
        return iri

    def side(self, iri: str) -> str:
        """government, civil society, international, unnamed or other, from the class of what a node
        stands for (a person: their latest post's organisation)."""
        actor = self.actors[iri]
        if actor.type == "Person":
            target = self.post(iri, "9999-12-31")
            return self.side(self._unit_root(target)) if target else "other"
        if actor.type == "OrganisationalUnit" and actor.parent in self.actors:
            return self.side(self._unit_root(iri))
        return next((side for side, types in SIDES.items() if actor.type in types), "other")

    # -- finding a node by name ------------------------------------------------------------------------
    def find(self, graph: nx.Graph, text: str) -> str:
        """The node of ``graph`` a label, acronym, alternative name, ISO code or IRI names (case and
        accents ignored); failing that, the node an actor of that name was rolled up into."""
        wanted = fold(text)
        direct = sorted(n for n in graph if n == text or wanted in self.actors[n].folded)
        if len(direct) == 1:
            return direct[0]
        via = sorted(n for n in graph if any(m == text or wanted in self.actors[m].folded
                                             for m in graph.nodes[n].get("members", ())))
        found = direct or via
        level = {"state": "State"}.get(graph.graph.get("level"), graph.graph.get("level"))
        if len(found) == 1:
            return found[0]
        if found:
            raise UnknownActor(f"{text!r} names several actors at {level} level: "
                               + "; ".join(f"{self.actors[n].label} <{n}>" for n in found) + "; give one's IRI")
        known = {fold(name): n for n in graph for name in self.actors[n].names | {self.actors[n].label}}
        close = difflib.get_close_matches(wanted, sorted(known), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(self.actors[known[c]].label) for c in close)}?" if close else ""
        elsewhere = [a for a in self.actors.values() if wanted in a.folded or a.iri == text]
        if elsewhere:
            raise UnknownActor(f"{elsewhere[0].label!r} has no link at {level} level with these relations{hint}")
        raise UnknownActor(f"no actor named {text!r} in the {level}-level network{hint}")


def _rows(store, name: str) -> list[dict]:
    return store.run(catalogue.get(name), timeout=120).rows


def _label(actors: dict[str, Actor], iri: str) -> str:
    return actors[iri].label if iri in actors else iri.rsplit("/", 1)[-1]


def _post_rank(actors: dict[str, Actor], target: str) -> int:
    return 1 if actors.get(target) is not None and actors[target].type == "State" else 0


def _actors(rows: list[dict]) -> dict[str, Actor]:
    classes: dict[str, set] = defaultdict(set)
    out: dict[str, Actor] = {}
    for r in rows:
        iri = _r(r, "actor")
        classes[iri].add(_r(r, "class"))
        actor = out.get(iri)
        if actor is None:
            actor = out[iri] = Actor(iri, _r(r, "label"), "")
        actor.names.add(_r(r, "name"))
        actor.state = actor.state or _s(r, "state")
        actor.parent = actor.parent or _s(r, "parent")
        if r.get("region") is not None:
            actor.region = (_r(r, "region"), _r(r, "regionLabel"))
        if r.get("subRegion") is not None:
            actor.subregion = (_r(r, "subRegion"), _r(r, "subRegionLabel"))
    for iri, actor in out.items():
        specific = sorted(c for c in classes[iri] if c.startswith(ATD))
        actor.type = (specific[0][len(ATD):] if specific else
                      "Person" if FOAF_PERSON in classes[iri] else "Organisation")
    return out


def load(store) -> NetworkData:
    return NetworkData.load(store)


# -- filters --------------------------------------------------------------------------------------
class FilterError(ValueError):
    """A network filter that is not one of the allowed values; ``param`` names which filter."""

    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param


@dataclass(frozen=True)
class Filters:
    level: str = "state"
    relations: tuple[str, ...] = ()  # () means every relation kind
    as_of: str | None = None


def filters(level: str | None = None, relations=(), as_of: str | None = None) -> Filters:
    """The network filters checked, as the command line, the web page and ``project`` all take them:
    ``relations`` as kinds or comma-separated kinds; ``as_of`` a date YYYY-MM-DD. Raises FilterError."""
    level = level or "state"
    if level not in LEVELS:
        raise FilterError("level", f"unknown level {level[:40]!r}; choose one of {', '.join(LEVELS)}")
    kinds = [k.strip() for value in relations for k in str(value).split(",") if k.strip()]
    unknown = [k for k in kinds if k not in RELATIONS]
    if unknown:
        raise FilterError("relation", f"unknown relation {', '.join(repr(k[:40]) for k in unknown)}; "
                                      f"choose from {', '.join(RELATIONS)}")
    as_of = (as_of or "").strip() or None
    if as_of:
        try:
            if len(as_of) != 10:
                raise ValueError
            datetime.date.fromisoformat(as_of)
        except ValueError:
            raise FilterError("as_of", f"{as_of[:40]!r} is not a date YYYY-MM-DD") from None
    return Filters(level, tuple(r for r in RELATIONS if r in kinds), as_of)


# -- projection ------------------------------------------------------------------------------------
def _check(level: str, relations) -> tuple[str, ...]:
    return filters(level, relations or ()).relations or tuple(RELATIONS)


def project(data: NetworkData, level: str = "state", relations=None, as_of: str | None = None) -> nx.Graph:
    """The undirected network of ``relations`` at ``level``, with only links dated on or before
    ``as_of`` (an ISO date) when given. Nodes and edges are added in sorted order (deterministic
    analysis); each edge keeps its relation kinds, weights, events, dates and evidence."""
    relations = _check(level, relations)
    occasions: dict[tuple[str, str], dict[str, dict[str, dict]]] = {}
    members: dict[str, set[str]] = defaultdict(set)
    for link in data.links:
        if link.relation not in relations or (as_of and link.date > as_of):
            continue
        u, v = data.node_of(link.a, link.date, level), data.node_of(link.b, link.date, level)
        if u is None or v is None or u == v:
            continue
        members[u].add(link.a)
        members[v].add(link.b)
        key, via = ((u, v), (link.a, link.b)) if u < v else ((v, u), (link.b, link.a))
        occ = occasions.setdefault(key, {}).setdefault(link.relation, {}).setdefault(
            link.occasion, {"label": link.label, "date": link.date, "details": set(), "via": set(), "evidence": set()})
        occ["date"] = min(occ["date"], link.date)
        occ["details"] |= link.details
        occ["via"].add(via)
        occ["evidence"] |= link.evidence
    graph = nx.Graph(level=level, relations=list(relations), as_of=as_of or "")
    for node in sorted(members):
        actor = data.actors[node]
        graph.add_node(node, label=actor.label, type=actor.type, side=data.side(node), level=level, iri=node,
                       members=sorted(members[node]))
    for (u, v), by_relation in sorted(occasions.items()):
        graph.add_edge(u, v, **_edge_attributes(by_relation))
    return graph


def _edge_attributes(by_relation: dict[str, dict[str, dict]]) -> dict:
    events, evidence = [], set()
    for relation in (r for r in RELATIONS if r in by_relation):
        for occasion, occ in sorted(by_relation[relation].items(), key=lambda kv: (kv[1]["date"], kv[0])):
            events.append({"relation": relation, "event": occasion, "label": occ["label"], "date": occ["date"],
                           "details": sorted(occ["details"]), "via": [list(p) for p in sorted(occ["via"])]})
            evidence |= {(relation, occasion, ev) for ev in occ["evidence"]}
    weights = {r: len(by_relation[r]) for r in RELATIONS if r in by_relation}
    return {
        "weight": sum(weights.values()),
        "relations": list(weights),
        "relation_weights": weights,
        "dates": sorted({e["date"] for e in events}),
        "events": events,
        "evidence": [{"relation": r, "event": occ, **ev.as_dict()}
                     for r, occ, ev in sorted(evidence, key=lambda t: (t[2].document, t[0], t[1], t[2].passage))],
    }
