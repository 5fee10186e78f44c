"""Exports: GraphML and GEXF (Gephi), Cytoscape.js JSON (the explorer), CSV edge and node lists.

GraphML and GEXF hold only scalar attributes, so list and dict attributes (members, relations,
relation weights, dates, events, evidence) are written as JSON strings; ``read_graphml`` and
``read_gexf`` decode them again, so a round trip gives the same nodes, edges and attributes.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx

FORMATS = ("graphml", "gexf", "cyjs", "csv")
SUFFIXES = {".graphml": "graphml", ".gexf": "gexf", ".json": "cyjs", ".cyjs": "cyjs", ".csv": "csv"}
NODE_COLUMNS = ("label", "type", "side", "level", "iri")
METRIC_COLUMNS = ("degree", "weighted_degree", "betweenness", "pagerank", "community")
SCHEMA_FILE = Path(__file__).resolve().parent / "cytoscape.schema.json"


def _encode(value):
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def flat(graph: nx.Graph) -> nx.Graph:
    """A copy whose list and dict attributes are JSON strings (and without None values)."""
    out = nx.Graph()
    out.graph.update({k: _encode(v) for k, v in graph.graph.items() if v is not None})
    for n, d in graph.nodes(data=True):
        out.add_node(n, **{k: _encode(v) for k, v in d.items() if v is not None})
    for u, v, d in graph.edges(data=True):
        out.add_edge(u, v, **{k: _encode(x) for k, x in d.items() if x is not None})
    return out


def _decode(value):
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def unflat(graph: nx.Graph) -> nx.Graph:
    """Decode what ``flat`` encoded; GEXF's float weights and generated edge ids are undone."""
    out = nx.Graph()
    out.graph.update({k: _decode(v) for k, v in graph.graph.items()})
    for n, d in graph.nodes(data=True):
        out.add_node(n, **{k: _decode(v) for k, v in d.items()})
    for u, v, d in graph.edges(data=True):
        attrs = {k: _decode(x) for k, x in d.items() if k != "id"}
        if isinstance(attrs.get("weight"), float) and attrs["weight"].is_integer():
            attrs["weight"] = int(attrs["weight"])
        out.add_edge(u, v, **attrs)
    return out


def graphml(graph: nx.Graph) -> str:
    buf = io.BytesIO()
    nx.write_graphml(flat(graph), buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


def gexf(graph: nx.Graph) -> str:
    buf = io.BytesIO()
    nx.write_gexf(flat(graph), buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


def read_graphml(path) -> nx.Graph:
    return unflat(nx.read_graphml(path))


def read_gexf(path) -> nx.Graph:
    return unflat(nx.read_gexf(path))


def cytoscape(graph: nx.Graph) -> dict:
    """Cytoscape.js elements JSON (network/cytoscape.schema.json): nodes and edges as ``{"data": …}``."""
    nodes = [{"data": {"id": n, **d}} for n, d in graph.nodes(data=True)]
    edges = [{"data": {"id": f"{u}|{v}", "source": u, "target": v, **d}} for u, v, d in graph.edges(data=True)]
    return {"data": {k: v for k, v in graph.graph.items()}, "elements": {"nodes": nodes, "edges": edges}}


def cytoscape_json(graph: nx.Graph) -> str:
    return json.dumps(cytoscape(graph), ensure_ascii=False, indent=1) + "\n"


def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def _csv(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def edges_csv(graph: nx.Graph) -> str:
    rows = []
    for u, v, d in graph.edges(data=True):
        rows.append([u, v, graph.nodes[u]["label"], graph.nodes[v]["label"], d["weight"], ";".join(d["relations"]),
                     ";".join(f"{r}={w}" for r, w in d["relation_weights"].items()), ";".join(d["dates"]),
                     len(d["events"]), ";".join(sorted({e["document"] for e in d["evidence"]}))])
    return _csv(["source", "target", "source_label", "target_label", "weight", "relations", "relation_weights",
                 "dates", "events", "documents"], rows)


def nodes_csv(graph: nx.Graph) -> str:
    metrics = [c for c in METRIC_COLUMNS if any(c in d for _, d in graph.nodes(data=True))]
    rows = [[n, *(d.get(c, "") for c in NODE_COLUMNS), len(d.get("members", ())), *(d.get(c, "") for c in metrics)]
            for n, d in graph.nodes(data=True)]
    return _csv(["id", *NODE_COLUMNS, "members", *metrics], rows)


def render(graph: nx.Graph, fmt: str) -> str:
    """The graph in one format as text (CSV: the edge list)."""
    if fmt == "graphml":
        return graphml(graph)
    if fmt == "gexf":
        return gexf(graph)
    if fmt == "cyjs":
        return cytoscape_json(graph)
    if fmt == "csv":
        return edges_csv(graph)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def nodes_path(path: Path) -> Path:
    """Where the node list goes beside a CSV edge list: edges.csv → edges-nodes.csv."""
    return path.with_name(f"{path.stem}-nodes{path.suffix or '.csv'}")


def write(graph: nx.Graph, fmt: str, path: Path) -> list[Path]:
    """Write the graph to ``path`` (CSV: the edge list there, the node list beside it); the files written."""
    path = Path(path)
    path.write_text(render(graph, fmt), encoding="utf-8")
    if fmt == "csv":
        path_nodes = nodes_path(path)
        path_nodes.write_text(nodes_csv(graph), encoding="utf-8")
        return [path, path_nodes]
    return [path]


def format_for(path: Path | None, fmt: str | None) -> str:
    """An explicit format, else the one the file's suffix names, else CSV."""
    if fmt:
        return fmt
    if path is not None and Path(path).suffix.lower() in SUFFIXES:
        return SUFFIXES[Path(path).suffix.lower()]
    if path is not None:
        raise ValueError(f"cannot tell the format from {Path(path).name!r}; give --format "
                         f"({', '.join(FORMATS)}) or a file ending in {', '.join(SUFFIXES)}")
    return "csv"
