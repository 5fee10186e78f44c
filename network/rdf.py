"""Network metrics and communities as RDF, in their own named graph ``{base}graph/network``.

A build step (atdkg/build.py calls ``add_metrics_graph`` after emitting, before validating):
the State- and organisation-level projections over all relation kinds are computed from the
in-memory dataset through the named queries (an embedded Oxigraph store loaded from it), and
written as

    {base}id/metric/{level}/{actor}      a atd:NetworkMetrics ; atd:metricsOf <actor> ;
                                         atd:networkLevel "state" ; atd:degree 7 ; atd:weightedDegree 12 ;
                                         atd:betweenness 0.123456 ; atd:pagerank 0.045678 ;
                                         atd:community {base}id/community/{level}/{n} ;
                                         prov:wasGeneratedBy {base}id/activity/network-analysis .
    {base}id/community/{level}/{n}       a atd:NetworkCommunity ; atd:communitySize 12 .
    {base}id/activity/network-analysis   a atd:NetworkAnalysis, prov:Activity ; prov:used <documents> .

Derived values are not extracted from a passage, so they carry ``prov:wasGeneratedBy`` the analysis
activity (which ``prov:used`` the source documents) instead of ``prov:wasDerivedFrom`` evidence.
Decimals are rounded to six places; with sorted projections and a seeded Louvain the graph is the
same at every build.
"""
from __future__ import annotations

import hashlib

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV

from atdkg.terms import ATD

from . import analysis
from .projections import RELATIONS, NetworkData, project

METRIC_LEVELS = ("state", "organisation")
LEVEL_LABEL = {"state": "State level", "organisation": "organisation level", "person": "person level"}


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def decimal(value: float) -> Literal:
    return Literal(f"{value:.6f}", datatype=XSD.decimal)


def _slug(base: str, iri: str) -> str:
    prefix = base + "id/"
    if iri.startswith(prefix):
        return iri[len(prefix):].replace("/", "-")
    return hashlib.sha1(iri.encode()).hexdigest()[:16]


def metrics_graph(data: NetworkData, base: str, graph: Graph, levels=METRIC_LEVELS) -> Graph:
    """Write the metrics of each level's projection (all relation kinds) into ``graph``."""
    ID = Namespace(base + "id/")
    if not data.links:
        return graph  # no relation between actors in any document: nothing was analysed, nothing to say
    activity = ID["activity/network-analysis"]
    graph.add((activity, RDF.type, ATD.NetworkAnalysis))
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, RDFS.label, en("Network analysis of the actor graph (atdkg build)")))
    graph.add((activity, DCTERMS.description, en(
        f"Projections at {' and '.join(LEVEL_LABEL[x] for x in levels)} over the relations "
        f"{', '.join(RELATIONS)} (network/projections.py); degree, weighted degree, unweighted normalised "
        f"betweenness, PageRank (damping {analysis.DAMPING}) and Louvain communities (seed {analysis.SEED}).")))
    documents = sorted({ev.document for link in data.links for ev in link.evidence})
    for doc in documents:
        graph.add((activity, PROV.used, ID[f"document/{doc}"]))
    for level in levels:
        network = project(data, level)
        values = analysis.metrics(network)
        groups = analysis.communities(network)
        for number, members in enumerate(groups, start=1):
            node = ID[f"community/{level}/{number}"]
            names = [network.nodes[m]["label"] for m in members]
            shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
            graph.add((node, RDF.type, ATD.NetworkCommunity))
            graph.add((node, RDFS.label, en(f"Community {number} at {LEVEL_LABEL[level]} "
                                             f"({len(members)} actors: {shown})")))
            graph.add((node, ATD.networkLevel, Literal(level)))
            graph.add((node, ATD.communitySize, Literal(len(members))))
            graph.add((node, PROV.wasGeneratedBy, activity))
        for actor in network:
            v = values[actor]
            node = ID[f"metric/{level}/{_slug(base, actor)}"]
            graph.add((node, RDF.type, ATD.NetworkMetrics))
            label = f"{network.nodes[actor]['label']}: network metrics at {LEVEL_LABEL[level]}"
            graph.add((node, RDFS.label, en(label)))
            graph.add((node, ATD.metricsOf, URIRef(actor)))
            graph.add((node, ATD.networkLevel, Literal(level)))
            graph.add((node, ATD.degree, Literal(v["degree"])))
            graph.add((node, ATD.weightedDegree, Literal(v["weighted_degree"])))
            graph.add((node, ATD.betweenness, decimal(v["betweenness"])))
            graph.add((node, ATD.pagerank, decimal(v["pagerank"])))
            graph.add((node, ATD.community, ID[f"community/{level}/{v['community']}"]))
            graph.add((node, PROV.wasGeneratedBy, activity))
    return graph


def add_metrics_graph(ds: Dataset, base: str, store=None) -> Graph:
    """Compute the metrics from the dataset (through the named queries on an embedded store
    loaded from it, or on ``store`` if the caller already holds one with the same data) and add
    them as the named graph ``{base}graph/network``."""
    from atdkg.queries.stores import EmbeddedStore
    if store is None:
        store = EmbeddedStore.from_nquads(ds.serialize(format="nquads", encoding="utf-8"))
    data = NetworkData.load(store)
    return metrics_graph(data, base, ds.graph(URIRef(base + "graph/network")))
