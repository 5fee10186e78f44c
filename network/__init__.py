"""The actor network: projections of the graph into networkx, their analysis, exports and RDF.

- ``projections``  named queries (queries/network-*.rq) → link records → networkx graphs at the
                   person, organisation or State level (with the roll-up rules and evidence);
- ``analysis``     degree, betweenness, PageRank, Louvain communities, brokers, ego networks,
                   change over time, and the explanation of an edge;
- ``twins``        explained twinning suggestions for States not yet linked;
- ``export``       GraphML, GEXF, Cytoscape.js JSON, CSV edge and node lists (and reading them back);
- ``rdf``          metrics and communities as RDF in the named graph ``{base}graph/network`` (build step).

Nothing here walks triples: every fact comes from a named query, so the same code runs on the
embedded store, rdflib or a remote SPARQL endpoint.
"""
from .projections import LEVELS, RELATIONS, NetworkData, load, project  # noqa: F401
