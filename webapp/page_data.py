"""The list pages' data, read from the graph once per app and kept with its indexes.

A build never changes under a running server (webapp/cache.py): the rows behind /events, /actors,
/practices, /commitments and /statistics are the same for every request, so each page's named
queries run once, their rows are shaped and indexed (``facet_index``), and a request only selects,
counts and renders the page it shows. At 10^6 triples the queries take seconds and their rows
tens of megabytes; a request then costs milliseconds.

``warm(app)`` loads everything; `atdkg serve` calls it in gunicorn's master before the workers are
forked (``preload_app``), so they share the data copy-on-write and no visitor waits for it. Elsewhere
(tests, `--debug`) each page's data is loaded at its first request.

The queries run in the trusted pool without the ``MAX_ROWS`` cap of ``store.named``: a page that
pages itself must see every row (capped, a list of 10^6 triples silently lost most of its items).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

EXTENSION = "atdkg-page-data"

_loaders: dict[str, Callable[[], Any]] = {}


def loader(name: str):
    """Register ``fn`` as the loader of the page data ``name`` (see ``get``)."""
    def register(fn):
        _loaders[name] = fn
        return fn
    return register


def get(name: str) -> Any:
    """The data ``name`` for this app, loaded at the first call. No lock: two coroutines that both
    find it missing both load it, and the same data is kept (a lock held across a query would stall
    a gevent worker)."""
    kept = current_app.extensions.setdefault(EXTENSION, {})
    if name not in kept:
        kept[name] = _loaders[name]()
    return kept[name]


def warm(app: Flask) -> None:
    """Load every page's data now (in the master, before the workers fork), then let the master's
    query children go: the workers make their own."""
    from . import (
        pages,  # noqa: F401 - registers the loaders
        store,
    )
    with app.app_context():
        for name in _loaders:
            get(name)
        store.trusted().close()


def all_rows(name: str, **params) -> list[dict[str, str]]:
    """A named query's rows as strings, every row (no ``MAX_ROWS`` cap; see the module's docstring)."""
    from atdkg import queries
    from atdkg.queries.binding import bind_values

    from . import store
    q = queries.get(name)
    text = bind_values(q.full_text, q.bindings({k: str(v) for k, v in params.items()}))
    return [{k: str(v) for k, v in r.items()} for r in store.trusted().rows(text).rows]


# -- facets ---------------------------------------------------------------------------------------
@dataclass
class FacetIndex:
    """Items with facet values, indexed for selecting and counting.

    ``values[k][f]``: the values of item k (its position in the list) for facet f; ``postings[f][v]``:
    the items having value v; ``choices[f]``: every value any item has, in display order; ``any_of``: the
    facets where an item needs one of the chosen values (an item has one kind), not all of them."""
    values: list[dict[str, frozenset]]
    postings: dict[str, dict[str, frozenset]]
    choices: dict[str, list[str]]
    any_of: frozenset = frozenset()
    _all_counts: dict[str, Counter] = field(default_factory=dict)

    def matching(self, chosen: dict[str, list[str]]) -> list[int]:
        """The items (positions, in list order) having every chosen value: AND within and across facets
        (within an ``any_of`` facet, OR)."""
        wanted = [self.postings[f].get(v, frozenset()) for f, vs in chosen.items() if f not in self.any_of
                  for v in vs]
        wanted += [frozenset().union(*(self.postings[f].get(v, frozenset()) for v in vs))
                   for f, vs in chosen.items() if f in self.any_of and vs]
        if not wanted:
            return list(range(len(self.values)))
        wanted.sort(key=len)
        first, rest = wanted[0], wanted[1:]
        return sorted(k for k in first if all(k in s for s in rest))

    def counts(self, chosen: dict[str, list[str]], matching: list[int]) -> dict[str, Counter]:
        """Per facet, per value: how many items the selection plus that value leaves. Adding a value of
        facet f keeps the items that match the selection and have the value (a value already chosen
        keeps them all, and they all have it), so one pass over the matching items counts them all."""
        if not chosen:
            if not self._all_counts:
                self._all_counts.update(self._count(range(len(self.values))))
            return self._all_counts
        return self._count(matching)

    def _count(self, items: Iterable[int]) -> dict[str, Counter]:
        out: dict[str, Counter] = {f: Counter() for f in self.choices}
        for k in items:
            for f, vs in self.values[k].items():
                out[f].update(vs)
        return out


def facet_index(values: Sequence[Mapping[str, Iterable[str]]], facets: Iterable[str],
                order: Callable[[str], Any] = str, any_of: Iterable[str] = ()) -> FacetIndex:
    """Index ``values`` (per item, per facet, its values); ``order`` sorts each facet's choices."""
    facets = list(facets)
    frozen = [{f: frozenset(item.get(f, ())) for f in facets if item.get(f)} for item in values]
    postings: dict[str, dict[str, set]] = {f: {} for f in facets}
    for k, item in enumerate(frozen):
        for f, vs in item.items():
            for v in vs:
                postings[f].setdefault(v, set()).add(k)
    return FacetIndex(frozen, {f: {v: frozenset(ks) for v, ks in p.items()} for f, p in postings.items()},
                      {f: sorted(p, key=order) for f, p in postings.items()}, frozenset(any_of))
