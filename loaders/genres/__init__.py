"""The genre registry: what a document can be added as, read from ``registry.yaml`` beside this file.

One table drives every place a genre matters: the choices of ``atdkg add --genre``, which reader parses the
document (loaders/parse.py READERS), the SKOS concept and list kinds the graph declares (``concept_triples``),
and what SHACL checks (a document of a genre that describes an exchange must say which). This module imports
nothing from the readers, so the manifest reader can use it without an import cycle.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REGISTRY_FILE = Path(__file__).with_name("registry.yaml")
READER_NAMES = ("agenda", "report", "generic")  # the readers loaders/parse.py registers
ITEM_CLASSES = ("Commitment", "PolicyBriefCall", "PledgeIdea", "Recommendation", "NextStep", "Pathway", "Finding",
                "ListItem")  # ontology classes a list kind's items may have (ontology/atd.ttl)
FIELDS = ("author", "objectives", "title")


class GenreError(ValueError):
    """The registry is not as expected; the message names the file, the key and what was expected."""


@dataclass(frozen=True)
class ListRule:
    intro: re.Pattern
    kind: str


@dataclass(frozen=True)
class StatementRule:
    pattern: re.Pattern
    kind: str


@dataclass(frozen=True)
class Genre:
    key: str
    label: str
    definition: str
    reader: str
    concept: str
    describes_event: bool
    title_rank: int
    lists: tuple[ListRule, ...] = ()
    statements: tuple[StatementRule, ...] = ()
    fields: dict[str, re.Pattern] = field(default_factory=dict)
    catch_all: bool = False  # any text may be added as this genre: no other genre's look refuses it


@dataclass(frozen=True)
class ListKind:
    key: str
    label: str
    definition: str
    item_class: str


@dataclass(frozen=True)
class Registry:
    genres: dict[str, Genre]
    list_kinds: dict[str, ListKind]

    def __getitem__(self, key: str) -> Genre:
        return self.genres[key]

    def __contains__(self, key: object) -> bool:
        return key in self.genres

    def needing_no_event(self) -> list[str]:
        return [k for k, g in self.genres.items() if not g.describes_event]


def _flag(entry: dict[str, Any], key: str, where: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise GenreError(f"{where}: {key} must be true or false, not {value!r}")
    return value


def _text(entry: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise GenreError(f"{where}: {key!r} must be a non-empty string (found {value!r})")
    return value.strip()


def _pattern(value: Any, where: str) -> re.Pattern:
    if not isinstance(value, str) or not value:
        raise GenreError(f"{where}: expected a regular expression, found {value!r}")
    try:
        return re.compile(value, re.I)
    except re.error as e:
        raise GenreError(f"{where}: not a regular expression ({e})") from None


def _rules(entry: dict[str, Any], key: str, part: str, where: str) -> list[tuple[re.Pattern, str]]:
    rules = entry.get(key) or []
    if not isinstance(rules, list):
        raise GenreError(f"{where}: {key!r} must be a list of {{{part}: PATTERN, kind: KIND}}")
    out = []
    for n, rule in enumerate(rules, start=1):
        if not isinstance(rule, dict) or set(rule) != {part, "kind"}:
            raise GenreError(f"{where}: {key!r} item {n} must be {{{part}: PATTERN, kind: KIND}}, found {rule!r}")
        out.append((_pattern(rule[part], f"{where}: {key}[{n}].{part}"), _text(rule, "kind", f"{where}: {key}[{n}]")))
    return out


def load_registry(path: Path = REGISTRY_FILE) -> Registry:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise GenreError(f"{path}: cannot read the genre registry ({e})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("genres"), dict) or not raw["genres"]:
        raise GenreError(f"{path}: expected a mapping with 'genres' (one entry per genre) and 'list_kinds'")
    kinds: dict[str, ListKind] = {}
    for key, entry in (raw.get("list_kinds") or {}).items():
        where = f"{path}: list_kinds.{key}"
        if not isinstance(entry, dict):
            raise GenreError(f"{where}: expected a mapping with label, definition, item_class")
        item_class = _text(entry, "item_class", where)
        if item_class not in ITEM_CLASSES:
            raise GenreError(f"{where}: item_class {item_class!r}; expected one of {', '.join(ITEM_CLASSES)}")
        kinds[key] = ListKind(key, _text(entry, "label", where), _text(entry, "definition", where), item_class)
    genres: dict[str, Genre] = {}
    for key, entry in raw["genres"].items():
        where = f"{path}: genres.{key}"
        if not isinstance(entry, dict):
            raise GenreError(f"{where}: expected a mapping (label, definition, reader, describes_event, title_rank)")
        if not re.fullmatch(r"[a-z][a-z0-9-]*", str(key)):
            raise GenreError(f"{where}: a genre key is lowercase letters, digits and hyphens")
        reader = _text(entry, "reader", where)
        if reader not in READER_NAMES:
            raise GenreError(f"{where}: reader {reader!r}; expected one of {', '.join(READER_NAMES)}")
        if not isinstance(entry.get("describes_event"), bool) or not isinstance(entry.get("title_rank"), int):
            raise GenreError(f"{where}: describes_event must be true or false and title_rank an integer")
        fields_raw = entry.get("fields") or {}
        if not isinstance(fields_raw, dict) or not set(fields_raw) <= set(FIELDS):
            raise GenreError(f"{where}: fields must be a mapping with keys among {', '.join(FIELDS)}")
        lists = tuple(ListRule(p, k) for p, k in _rules(entry, "lists", "intro", where))
        statements = tuple(StatementRule(p, k) for p, k in _rules(entry, "statements", "pattern", where))
        for rule in (*lists, *statements):
            assert isinstance(rule, ListRule | StatementRule)
            if rule.kind not in kinds and rule.kind not in GENERAL_LIST_KINDS:
                raise GenreError(f"{where}: list kind {rule.kind!r} is neither declared under list_kinds nor one "
                                 f"of {', '.join(GENERAL_LIST_KINDS)}")
        genres[key] = Genre(key, _text(entry, "label", where), _text(entry, "definition", where), reader,
                            _text(entry, "concept", where, key), entry["describes_event"], entry["title_rank"],
                            lists, statements,
                            {f: _pattern(p, f"{where}: fields.{f}") for f, p in fields_raw.items()},
                            _flag(entry, "catch_all", where))
    for g in genres.values():
        if g.concept not in genres:
            raise GenreError(f"{path}: genres.{g.key}: concept {g.concept!r} is no genre of the registry")
    return Registry(genres, kinds)


# the list kinds of the ontology's own vocabulary (ontology/vocabularies.ttl, scheme v:list-kinds)
GENERAL_LIST_KINDS = ("policy-brief-call", "pledge-idea", "finding", "pathway", "key-factor", "challenge",
                      "recommendation", "next-step", "practice-element", "other")

REGISTRY = load_registry()
