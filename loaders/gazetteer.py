"""Gazetteers: the States, organisations and GCM objectives that names resolve to.

Built at load time from the verified reference files (``data/reference``, copied
unchanged from the project's shared reference folder) and the project's curated
additions (``data/gazetteer/organisations.csv``: classes, parents, aliases as the
documents spell them, and organisations the reference does not list).

Governments and permanent missions are not listed: "Government of X" and "Permanent
Mission of X" are derived from State X (keys ``GOV-XXX`` and ``PM-XXX``, ISO 3166-1
alpha-3), so every State named anywhere has both.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .names import fold
from .sources import SourceError


@dataclass
class State:
    iso3: str
    iso2: str
    numeric: str
    label: str
    names: set[str]
    region_code: str
    region: str
    subregion_code: str
    subregion: str
    intermediate_code: str
    intermediate: str
    wikidata: str | None
    adjectives: set[str] = field(default_factory=set)  # "Kenyan": a form that names this State and no other
    ambiguous: set[str] = field(default_factory=set)  # names that are also ordinary words ("Chad", "Turkey")


def _name_pattern(name: str) -> str:
    """A listed name as a pattern: its first letter as written, the rest in any case ("the Council of europe" is the
    listed "Council of Europe"); an acronym exactly ("IOM", not "Iom")."""
    if len(name) <= 6 or name.isupper() or " " not in name:
        return re.escape(name)
    return re.escape(name[0]) + "(?i:" + re.escape(name[1:]) + ")"


@dataclass
class Org:
    key: str
    label: str
    cls: str
    acronyms: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    parent: str | None = None
    state: str | None = None  # the State whose government this body belongs to (ISO3)
    based_in: str | None = None  # where a non-governmental body is based (ISO3)
    wikidata: str | None = None
    listed: bool = True  # False for organisations minted from a document (not in the gazetteer)

    @property
    def names(self) -> list[str]:
        return [self.label, *self.acronyms, *self.aliases]


@dataclass
class Objective:
    number: int
    title: str
    short_label: str
    alt_title: str | None
    paragraph: str | None


class GazetteerError(SourceError, ValueError):
    """Bad gazetteer data: the message names the file and line (the command line reports it as bad input)."""


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _split(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").split(";") if p.strip()]


class Gazetteer:
    """Name → State / organisation resolution over the reference and curated lists."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        ref = self.data_dir / "reference"
        self.states = self._load_states(ref / "m49_countries.csv", ref / "states.csv")
        self._load_state_names(self.data_dir / "gazetteer" / "state_names.csv")
        self.orgs = self._load_orgs(ref / "organisations.csv", self.data_dir / "gazetteer" / "organisations.csv")
        self.objectives = self._load_objectives(ref / "gcm_objectives.csv",
                                                self.data_dir / "gazetteer" / "gcm_objective_alt_titles.csv")
        self.derived_names = self._load_derived_names(self.data_dir / "gazetteer" / "derived_organisations.csv")

    # -- loading -----------------------------------------------------------------
    @staticmethod
    def _load_states(m49: Path, named: Path) -> dict[str, State]:
        states: dict[str, State] = {}
        for r in _rows(m49):
            iso3 = r["ISO-alpha3 Code"]
            if not iso3:
                continue
            states[iso3] = State(
                iso3, r["ISO-alpha2 Code"], r["M49 Code"], r["Country or Area"], {r["Country or Area"]},
                r["Region Code"], r["Region Name"], r["Sub-region Code"], r["Sub-region Name"],
                r["Intermediate Region Code"], r["Intermediate Region Name"], None)
        for r in _rows(named):
            s = states.get(r["iso_alpha3"])
            if s is None:
                raise GazetteerError(f"{named}: {r['iso_alpha3']} is not an ISO alpha-3 code in {m49.name}")
            # the short name the documents use ("United Kingdom", not the M49 long form)
            s.label = r["state"]
            s.names |= {r["state"], r["english_short_name_iso_m49"], r["common_name_cldr"]}
            s.wikidata = r["wikidata_qid"] or None
        return states

    def _load_state_names(self, path: Path) -> None:
        """The names running text uses for each State besides the M49 one (gazetteer/state_names.csv)."""
        if not path.exists():
            return
        for line, r in enumerate(_rows(path), start=2):
            s = self.states.get(r["iso_alpha3"])
            if s is None:
                raise GazetteerError(f"{path}:{line}: {r['iso_alpha3']!r} is not an ISO alpha-3 code of the M49 list")
            s.names |= set(_split(r["names"]))
            s.adjectives |= set(_split(r["adjectives"]))
            s.ambiguous |= set(_split(r["ambiguous"]))

    def _load_orgs(self, reference: Path, curated: Path) -> dict[str, Org]:
        ref = {r["org_key"]: r for r in _rows(reference)}
        orgs: dict[str, Org] = {}
        for line, r in enumerate(_rows(curated), start=2):
            key = r["key"]
            base = ref.get(key, {})
            label = r["label"] or base.get("canonical_name_en")
            if not label:
                raise GazetteerError(f"{curated}:{line}: organisation {key!r} has no label here or in {reference.name}")
            qid = base.get("wikidata_qid") or None
            if qid and not base.get("qid_verification", "").startswith("verified"):
                qid = None  # provisional or single-source identifiers are not asserted
            if key == "OSCE":
                qid = "Q81299"
            acronyms = _split(r["acronyms"]) or [a.split(" (")[0] for a in _split(base.get("acronyms"))]
            aliases = _split(r["aliases"]) + [a.split(" (")[0] for a in _split(base.get("other_names"))]
            for iso in (r["state"], r["based_in"]):
                if iso and iso not in self.states:
                    raise GazetteerError(f"{curated}:{line}: {iso!r} is not an ISO 3166-1 alpha-3 code")
            orgs[key] = Org(key, label, r["class"], acronyms, aliases, r["parent"] or None,
                            r["state"] or None, r["based_in"] or None, qid)
        for key in ref:
            if key not in orgs:
                raise GazetteerError(f"{curated}: reference organisation {key!r} has no row (class and aliases)")
        return orgs

    @staticmethod
    def _load_objectives(path: Path, alt_titles: Path) -> dict[int, Objective]:
        out = {}
        for r in _rows(path):
            n = int(r["number"])
            out[n] = Objective(n, r["official_title"], r["unnm_short_label"], None, r["commitment_paragraph"] or None)
        for line, r in enumerate(_rows(alt_titles), start=2):  # other titles in use (gazetteer/…_alt_titles.csv)
            n = int(r["number"]) if r["number"].strip().isdigit() else 0
            if n not in out:
                raise GazetteerError(f"{alt_titles}:{line}: {r['number']!r} is not an objective of {path.name}")
            out[n].alt_title = r["alt_title"].strip() or None
        return out

    @staticmethod
    def _load_derived_names(path: Path) -> dict[str, tuple[str, list[str]]]:
        """Label and other names of the organisations every State has (gazetteer/derived_organisations.csv)."""
        names = {r["prefix"]: (r["label"], _split(r["aliases"])) for r in _rows(path)}
        if missing := {"GOV", "PM"} - names.keys():
            raise GazetteerError(f"{path}: no row for {', '.join(sorted(missing))}")
        return names

    # -- States ------------------------------------------------------------------
    @cached_property
    def _state_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for s in self.states.values():
            for n in s.names:
                index.setdefault(fold(n), s.iso3)
        return index

    @cached_property
    def _state_regex(self) -> re.Pattern:
        names = sorted({n for s in self.states.values() for n in s.names if len(n) > 3}, key=len, reverse=True)
        return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")

    def resolve_state(self, name: str) -> str | None:
        return self._state_index.get(fold(re.sub(r"^the\s+", "", name.strip(), flags=re.I)))

    def find_states(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, ISO3) of every State name in ``text``."""
        return [(m.start(), m.end(), self._state_index[fold(m.group(1))]) for m in self._state_regex.finditer(text)]

    # -- organisations -------------------------------------------------------------
    @cached_property
    def _org_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for o in self.orgs.values():
            for n in o.names:
                index.setdefault(fold(n), o.key)
            for a in o.acronyms:
                index.setdefault(fold(f"{o.label} ({a})"), o.key)
                for alias in o.aliases:
                    index.setdefault(fold(f"{alias} ({a})"), o.key)
        return index

    @cached_property
    def _org_regex(self) -> re.Pattern:
        names: set[str] = set()
        for o in self.orgs.values():
            # (a two-letter name only as an acronym in capitals, matched as written: "EU", "AU" — not "un" in French)
            names.update(n for n in o.names if (len(n) > 2 or (len(n) == 2 and n.isupper()))
                         and not n.lower().startswith(("the ", "working group")))
        ordered = sorted(names, key=len, reverse=True)
        return re.compile(r"(?<![\w/])(" + "|".join(_name_pattern(n) for n in ordered) + r")(?![\w/])")

    def resolve_org(self, name: str, state: str | None = None) -> str | None:
        """The key of a listed organisation called ``name`` (honouring its State), else None."""
        text = re.sub(r"^the\s+", "", name.strip(), flags=re.I)
        if m := re.fullmatch(r"Government of (?:the )?(.+)", text, flags=re.I):
            iso = self.resolve_state(m.group(1))
            return f"GOV-{iso}" if iso else None
        if m := re.fullmatch(r"Permanent Mission of (?:the )?(.+?)(?: to the (?:UN|United Nations)(?: Office)?)?"
                             r"(?: (?:in|at) Geneva)?", text, flags=re.I):
            iso = self.resolve_state(m.group(1))
            return f"PM-{iso}" if iso else None
        key = self._org_index.get(fold(text))
        if key and state and self.orgs[key].state and self.orgs[key].state != state:
            return None  # e.g. another country's "Directorate-General Immigration"
        return key

    def find_orgs(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, key) of listed organisation names in ``text``, longest first."""
        return [(m.start(), m.end(), self._org_index[fold(m.group(1))]) for m in self._org_regex.finditer(text)]

    def org(self, key: str) -> Org:
        """The organisation for a key, deriving governments and permanent missions."""
        if key in self.orgs:
            return self.orgs[key]
        kind, _, iso = key.partition("-")
        state = self.states.get(iso)
        if kind in ("GOV", "PM") and state:
            label, aliases = self.derived_names[kind]
            label, aliases = label.replace("{state}", state.label), [a.replace("{state}", state.label) for a in aliases]
            if kind == "GOV":
                return Org(key, label, "Government", aliases=aliases, state=iso)
            return Org(key, label, "PermanentMission", aliases=aliases, parent=f"GOV-{iso}", state=iso)
        raise KeyError(key)
