"""The journal of a push in progress, so that one that fails half-way can be resumed or rolled back.

``<data>/.push-journal/<sha256 of the graph-store URL>[:16]/`` holds ``journal.json`` and, for each
named graph the push was about to replace, the server's previous content of it (N-Triples):

    {"graph_store": "http://…/store", "build": "<sha256 of graph.nq>", "started": "2026-…Z",
     "graphs": [{"iri": "https://…/graph/doc/000", "state": "pending" | "replaced",
                 "existed": null | true | false, "saved": "000.nt" | null}, …]}

``existed`` is null until the previous content has been fetched (before the graph's PUT is sent);
``saved`` names the file holding it when the graph existed. A successful push or rollback removes
the directory; its existence means a push is unfinished.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

INDEX = "journal.json"


def build_id(nquads: Path) -> str:
    """The build's identity: the SHA-256 of its graph.nq (a rebuilt corpus is another build)."""
    digest = hashlib.sha256()
    with open(nquads, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class PushJournal:
    def __init__(self, root: Path, graph_store: str):
        # one journal per server: pushes of the same data dir to two servers do not mix
        self.dir = Path(root) / hashlib.sha256(graph_store.encode("utf-8")).hexdigest()[:16]
        self.graph_store = graph_store

    def exists(self) -> bool:
        return (self.dir / INDEX).is_file()

    def load(self) -> dict:
        try:
            return json.loads((self.dir / INDEX).read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise ValueError(f"{self.dir / INDEX}: unreadable push journal ({e}); remove {self.dir} "
                             "to start afresh (the server's previous content would then be lost)") from None

    def start(self, build: str, graphs: list[str]) -> dict:
        self.dir.mkdir(parents=True, exist_ok=True)
        state = {"graph_store": self.graph_store, "build": build,
                 "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                 "graphs": [{"iri": iri, "state": "pending", "existed": None, "saved": None} for iri in graphs]}
        self.save(state)
        return state

    def save(self, state: dict) -> None:
        """Write the index whole, then rename it into place: a push killed at any moment leaves
        either the previous index or the new one, never half of one."""
        tmp = self.dir / (INDEX + ".tmp")
        tmp.write_text(json.dumps(state, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, self.dir / INDEX)

    def snapshot(self, position: int) -> Path:
        """Where the previous content of the graph at ``position`` in the index is kept."""
        return self.dir / f"{position:03d}.nt"

    def clear(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
