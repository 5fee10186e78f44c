"""Analysis of a projected network: centralities, communities, brokers, ego networks, change over time.

Everything is deterministic: projections add nodes and edges in sorted order, Louvain runs with a
fixed seed, and PageRank is a plain power iteration (no SciPy needed).

- degree: number of neighbours; weighted degree: sum of the edges' total weights;
- betweenness: share of shortest paths through a node (unweighted: a weight counts occasions, it
  is not a distance), normalised to 0..1. Exact (Brandes) up to ``EXACT_BETWEENNESS`` nodes; above,
  estimated from that many sampled sources (Brandes & Pich 2007, seeded, so still deterministic):
  exact betweenness costs nodes × edges, which at 10^6 triples is most of the build;
- PageRank: damping 0.85 over the weighted edges;
- communities: Louvain (networkx) over the weighted edges, seed 42, numbered 1.. by size then label;
- brokers: for each node, how many shortest paths between a government-side and a
  civil-society-side node pass through it (networkx ``betweenness_centrality_subset``).
"""
from __future__ import annotations

import networkx as nx

from .projections import RELATIONS, NetworkData, project

SEED = 42
DAMPING = 0.85
EXACT_BETWEENNESS = 256


def betweenness(graph: nx.Graph) -> dict:
    if not graph.number_of_nodes():
        return {}
    sample = None if graph.number_of_nodes() <= EXACT_BETWEENNESS else EXACT_BETWEENNESS
    return nx.betweenness_centrality(graph, k=sample, normalized=True, seed=SEED)


def pagerank(graph: nx.Graph, weight: str = "weight", alpha: float = DAMPING, tol: float = 1e-12,
             max_iter: int = 1000) -> dict[str, float]:
    """PageRank by power iteration on an undirected weighted graph; isolated nodes share the
    teleport mass like dangling nodes."""
    nodes = list(graph)
    n = len(nodes)
    if not n:
        return {}
    strength = {u: sum(d.get(weight, 1) for d in graph[u].values()) for u in nodes}
    rank = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(max_iter):
        dangling = sum(rank[u] for u in nodes if not strength[u])
        new = dict.fromkeys(nodes, (1 - alpha) / n + alpha * dangling / n)
        for u in nodes:
            if strength[u]:
                share = alpha * rank[u] / strength[u]
                for v, d in graph[u].items():
                    new[v] += share * d.get(weight, 1)
        error = sum(abs(new[u] - rank[u]) for u in nodes)
        rank = new
        if error < n * tol:
            break
    return rank


def communities(graph: nx.Graph) -> list[list[str]]:
    """Louvain communities, largest first (ties: by the first label), each sorted by label."""
    if not graph.number_of_nodes():
        return []
    found = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    label = lambda n: (graph.nodes[n].get("label", n), n)  # noqa: E731
    groups = [sorted(c, key=label) for c in found]
    return sorted(groups, key=lambda c: (-len(c), label(c[0])))


def metrics(graph: nx.Graph) -> dict[str, dict]:
    """Per node: degree, weighted degree, betweenness, PageRank, community number."""
    between = betweenness(graph)
    ranks = pagerank(graph)
    community = {n: i for i, group in enumerate(communities(graph), start=1) for n in group}
    return {n: {"degree": graph.degree(n),
                "weighted_degree": int(graph.degree(n, weight="weight")),
                "betweenness": float(between.get(n, 0.0)),
                "pagerank": float(ranks.get(n, 0.0)),
                "community": community[n]} for n in graph}


def annotate(graph: nx.Graph) -> nx.Graph:
    """Write the metrics onto the nodes (for exports) and return the graph."""
    for node, values in metrics(graph).items():
        graph.nodes[node].update(values)
    return graph


def top(graph: nx.Graph, n: int | None = None, by: str = "degree") -> list[dict]:
    """Nodes ranked by ``by`` (then weighted degree, PageRank, label), with their metrics."""
    m = metrics(graph)
    rows = [{"node": node, "label": graph.nodes[node]["label"], "type": graph.nodes[node]["type"],
             "side": graph.nodes[node]["side"], **m[node]} for node in graph]
    rows.sort(key=lambda r: (-r[by], -r["weighted_degree"], -r["pagerank"], r["label"], r["node"]))
    return rows[:n] if n else rows


def brokers(graph: nx.Graph, sides: tuple[str, str] = ("government", "civil society")) -> list[dict]:
    """Nodes on shortest paths between the two sides, best broker first, with their neighbours on
    each side. Endpoints of a path do not count as its brokers."""
    a = [n for n in graph if graph.nodes[n]["side"] == sides[0]]
    b = [n for n in graph if graph.nodes[n]["side"] == sides[1]]
    if not a or not b:
        return []
    score = nx.betweenness_centrality_subset(graph, sources=a, targets=b, normalized=False)
    out = []
    for node, value in score.items():
        if value <= 0:
            continue
        nbrs = sorted(graph[node], key=lambda x: graph.nodes[x]["label"])
        out.append({"node": node, "label": graph.nodes[node]["label"], "side": graph.nodes[node]["side"],
                    "score": round(float(value), 6),
                    sides[0]: [graph.nodes[x]["label"] for x in nbrs if graph.nodes[x]["side"] == sides[0]],
                    sides[1]: [graph.nodes[x]["label"] for x in nbrs if graph.nodes[x]["side"] == sides[1]]})
    return sorted(out, key=lambda r: (-r["score"], r["label"]))


def ego(graph: nx.Graph, node: str, radius: int = 1) -> nx.Graph:
    """The actor, everyone within ``radius`` steps, and the edges among them."""
    sub = nx.ego_graph(graph, node, radius=radius)
    sub.graph.update(graph.graph, ego=node, radius=radius)
    return sub


def timeline(data: NetworkData, level: str = "state", relations=None) -> list[tuple[str, nx.Graph]]:
    """The network as of each exchange date, in order (change over time)."""
    return [(date, project(data, level, relations, as_of=date)) for date in data.dates]


def changes(data: NetworkData, level: str = "state", relations=None) -> list[dict]:
    """Per exchange date: size of the network as of then, and the actors and edges it added."""
    out: list[dict] = []
    seen_nodes: set[str] = set()
    seen_edges: set[tuple] = set()
    for date, graph in timeline(data, level, relations):
        edges = {tuple(sorted(e)) for e in graph.edges}
        names = nx.get_node_attributes(graph, "label")
        out.append({"date": date, "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
                    "density": round(nx.density(graph), 4) if graph.number_of_nodes() > 1 else 0.0,
                    "new_actors": sorted(names[n] for n in set(graph) - seen_nodes),
                    "new_edges": sorted(f"{names[u]} — {names[v]}" for u, v in edges - seen_edges)})
        seen_nodes, seen_edges = set(graph), edges
    return out


def explain(graph: nx.Graph, u: str, v: str) -> dict:
    """Why two nodes are linked: per relation kind, its weight, the events (date, details) and the
    documents' passages; when not linked, the shortest path between them, if any."""
    label = lambda n: graph.nodes[n]["label"]  # noqa: E731
    out = {"a": u, "b": v, "a_label": label(u), "b_label": label(v), "level": graph.graph.get("level"),
           "linked": graph.has_edge(u, v)}
    if not out["linked"]:
        try:
            out["path"] = [label(n) for n in nx.shortest_path(graph, u, v)]
        except nx.NetworkXNoPath:
            out["path"] = []
        return out
    data = graph.edges[u, v]
    out["weight"] = data["weight"]
    out["relations"] = []
    for relation in (r for r in RELATIONS if r in data["relation_weights"]):
        events = []
        for e in (e for e in data["events"] if e["relation"] == relation):
            passages = [ev for ev in data["evidence"] if ev["relation"] == relation and ev["event"] == e["event"]]
            events.append({**e, "evidence": passages})
        out["relations"].append({"relation": relation, "weight": data["relation_weights"][relation],
                                 "meaning": RELATIONS[relation], "events": events})
    return out
