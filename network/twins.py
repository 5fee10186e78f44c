"""Explained twinning suggestions: pairs of States not yet linked that could learn from each other.

A pair is suggested when the two States are not linked at State level by any collaboration
relation (co-hosting, Working Group, co-participation, partnership, affiliation — sharing a
practice category is a reason, not a link) and have at least one reason. Score (the sum):

- same UN M49 sub-region: 2 points; otherwise same M49 region: 1 point;
- each practice category both States have practices of: 3 points (practices attributed to the
  State, its government, a government body or its permanent mission; never an unnamed actor's);
- each GCM objective both States' practices or reported lists name: 2 points;
- each exchange both States took part in (hosted, spoke in any session, attended): 1 point.

Ranked by score, then name. "Challenges" are not used: the only lists of challenges in the
documents are attributed to unnamed actors ("One State"), and the Chatham House Rule forbids
pinning them on a named State.
"""
from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TypeGuard

from atdkg.terms import fold

from .projections import LINK_RELATIONS, Evidence, NetworkData, UnknownActor, project

POINTS = {"sub-region": 2, "region": 1, "practice": 3, "objective": 2, "exchange": 1}
M49_SOURCE = Evidence("reference", "data/reference/m49_countries.csv", "UN M49 regions (reference data)")


@dataclass
class Profile:
    categories: dict[tuple[str, str], set[Evidence]] = field(default_factory=lambda: defaultdict(set))
    objectives: dict[tuple[str, str], set[Evidence]] = field(default_factory=lambda: defaultdict(set))
    exchanges: dict[str, set[Evidence]] = field(default_factory=lambda: defaultdict(set))


def states(data: NetworkData) -> list[str]:
    return sorted(iri for iri, a in data.actors.items() if a.type == "State")


def find_state(data: NetworkData, text: str) -> str:
    """A State by name, alternative name, ISO 3166-1 alpha-3 code or IRI (case and accents ignored)."""
    wanted = fold(text)
    for iri in states(data):
        if iri == text or wanted in data.actors[iri].folded:
            return iri
    other = next((a for a in data.actors.values() if a.iri == text or wanted in a.folded), None)
    if other is not None:
        raise UnknownActor(f"{other.label!r} is a {other.type}, not a State; twinning pairs States")
    names = {fold(n): iri for iri in states(data) for n in data.actors[iri].names}
    close = difflib.get_close_matches(wanted, sorted(names), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(data.actors[names[c]].label) for c in close)}?" if close else ""
    raise UnknownActor(f"no State named {text!r}{hint} (States in the graph: "
                       f"{', '.join(data.actors[i].label for i in states(data))})")


def profiles(data: NetworkData) -> dict[str, Profile]:
    """What each State did, rolled up at State level from named actors only."""
    out: dict[str, Profile] = defaultdict(Profile)

    def is_state(iri: str | None) -> TypeGuard[str]:
        return iri is not None and data.actors[iri].type == "State"

    for i in data.interests:
        state = data.node_of(i.actor, i.date, "state")
        if not is_state(state):
            continue
        if i.category and i.kind == "Practice":
            out[state].categories[i.category].add(i.evidence)
        if i.objective:
            out[state].objectives[i.objective].add(i.evidence)
    for p in data.presence:
        state = data.node_of(p.actor, p.date, "state")
        if is_state(state):
            out[state].exchanges[p.date].add(p.evidence)
    return out


def _evidence(*groups: set[Evidence]) -> list[dict]:
    return [e.as_dict() for e in sorted(set().union(*groups))]


def reasons(data: NetworkData, a: str, b: str, prof: dict[str, Profile]) -> list[dict]:
    x, y = data.actors[a], data.actors[b]
    pa, pb = prof.get(a, Profile()), prof.get(b, Profile())
    out = []
    if x.subregion and x.subregion == y.subregion:
        out.append({"kind": "sub-region", "points": POINTS["sub-region"],
                    "text": f"both in {x.subregion[1]} (UN M49 sub-region)", "evidence": [M49_SOURCE.as_dict()]})
    elif x.region and x.region == y.region:
        out.append({"kind": "region", "points": POINTS["region"],
                    "text": f"both in {x.region[1]} (UN M49 region)", "evidence": [M49_SOURCE.as_dict()]})
    for cat in sorted(set(pa.categories) & set(pb.categories), key=lambda c: c[1]):
        out.append({"kind": "practice", "points": POINTS["practice"], "text": f"both have practices of {cat[1]}",
                    "evidence": _evidence(pa.categories[cat], pb.categories[cat])})
    for obj in sorted(set(pa.objectives) & set(pb.objectives), key=lambda o: o[1]):
        out.append({"kind": "objective", "points": POINTS["objective"], "text": f"both work towards {obj[1]}",
                    "evidence": _evidence(pa.objectives[obj], pb.objectives[obj])})
    for date in sorted(set(pa.exchanges) & set(pb.exchanges)):
        out.append({"kind": "exchange", "points": POINTS["exchange"],
                    "text": f"both took part in the exchange of {date}",
                    "evidence": _evidence(pa.exchanges[date], pb.exchanges[date])})
    return out


def suggest(data: NetworkData, state: str | None = None, limit: int | None = None) -> list[dict]:
    """Twinning suggestions for one State (or for every pair of States), best first."""
    linked = project(data, "state", LINK_RELATIONS)
    prof = profiles(data)
    everyone = states(data)
    pairs = [(state, o) for o in everyone if o != state] if state else \
        [(a, b) for i, a in enumerate(everyone) for b in everyone[i + 1:]]
    out = []
    for a, b in pairs:
        if linked.has_edge(a, b):
            continue
        why = reasons(data, a, b, prof)
        if why:
            out.append({"state": a, "state_label": data.actors[a].label, "other": b,
                        "other_label": data.actors[b].label, "score": sum(r["points"] for r in why), "reasons": why})
    out.sort(key=lambda s: (-s["score"], s["state_label"], s["other_label"]))
    return out[:limit] if limit else out
