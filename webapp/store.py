"""The store, opened once per process and shared by every request (Flask's get_/init_app pattern)."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, current_app

import queries
from queries.stores import EmbeddedStore, Result

from .runner import QueryRunner


def init_app(app: Flask) -> None:
    """Load the build now, so every worker forked later shares it copy-on-write."""
    store = EmbeddedStore.from_build(Path(app.config["BUILD_DIR"]))
    graphs = {str(r["g"]) for r in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows}
    app.extensions["atdkg"] = {
        "store": store,
        "runner": QueryRunner(store, app.config["QUERY_TIMEOUT"], app.config["MAX_ROWS"]),
        "graphs": graphs,
    }


def runner() -> QueryRunner:
    return current_app.extensions["atdkg"]["runner"]


def local_graphs() -> set[str]:
    return current_app.extensions["atdkg"]["graphs"]


def named(name: str, **params) -> Result:
    """Run a named query from queries/ with parameters bound; 404 for an unknown name."""
    try:
        q = queries.get(name)
    except queries.QueryError:
        abort(404, f"no query named {name}")
    from queries.binding import bind_values
    text = bind_values(q.full_text, q.bindings({k: str(v) for k, v in params.items()}))
    return runner().query(text)
