"""The actor network: projections checked by hand against the documents, roll-up and the Chatham
House Rule, analysis, twinning, exports that round-trip, metrics in the graph, and the CLI."""
from __future__ import annotations

import csv
import io
import json
import re

import jsonschema
import networkx as nx
import pytest
from click.testing import CliRunner

from atdkg import queries
from atdkg.cli import main
from atdkg.network import analysis, export, twins
from atdkg.network.projections import LEVELS, LINK_RELATIONS, RELATIONS, NetworkData, project
from atdkg.queries.stores import EmbeddedStore, RdflibStore

ID = "https://w3id.org/atd-kg/id/"
PRT, THA, COL, NGA, GHA, BEL, MYS = (f"{ID}state/{c}" for c in ("PRT", "THA", "COL", "NGA", "GHA", "BEL", "MYS"))
UNHCR, UNICEF, IDC, WG = (f"{ID}org/{k}" for k in ("unhcr", "unicef", "idc", "wg-atd"))
EXCHANGES = ["2020-11-17", "2021-06-29", "2022-01-27"]


@pytest.fixture(scope="module")
def store(built):
    return EmbeddedStore.from_nquads(built.dataset.serialize(format="nquads", encoding="utf-8"))


@pytest.fixture(scope="module")
def data(store):
    return NetworkData.load(store)


@pytest.fixture(scope="module")
def graphs(data):
    """Every level over all relation kinds, with metrics on the nodes."""
    return {level: analysis.annotate(project(data, level)) for level in LEVELS}


def co_hosting(graph, u, v):
    e = graph.edges[u, v]
    return (e["relation_weights"]["co-hosting"],
            sorted({x["date"] for x in e["events"] if x["relation"] == "co-hosting"}))


# -- hand-checked edges -------------------------------------------------------------------------------
def test_co_hosting_weights_at_state_level(data, graphs):
    """Concept notes and report: Portugal and Thailand co-hosted all three exchanges; Colombia and
    Nigeria the second and third; Ghana only the second (29 June 2021)."""
    only = project(data, "state", ["co-hosting"])
    for graph in (only, graphs["state"]):
        assert co_hosting(graph, PRT, THA) == (3, EXCHANGES)
        assert co_hosting(graph, COL, NGA) == (2, EXCHANGES[1:])
        for other in (COL, NGA, PRT, THA):
            assert co_hosting(graph, GHA, other) == (1, ["2021-06-29"])
    assert only.edges[PRT, THA]["weight"] == 3 and only.edges[PRT, THA]["relations"] == ["co-hosting"]
    # every co-host of an exchange is linked with every other: the Working Group too
    assert {n for n in only if n.startswith(f"{ID}state/")} == {PRT, THA, COL, NGA, GHA}
    assert only.has_edge(WG, PRT) and only.edges[WG, PRT]["weight"] == 3
    assert graphs["state"].edges[COL, NGA]["weight"] == 3  # plus their officials on one panel (2021, session 3)


def test_co_lead_triangle_with_evidence_from_all_four_documents(data):
    for level in ("organisation", "state"):
        graph = project(data, level, ["co-lead"])
        assert {frozenset(e) for e in graph.edges} == {frozenset(p) for p in
                                                        ((UNHCR, UNICEF), (UNHCR, IDC), (UNICEF, IDC))}
        for u, v, e in graph.edges(data=True):
            assert e["weight"] == 4 and e["relations"] == ["co-lead"]
            assert {ev["document"] for ev in e["evidence"]} == {"000", "001", "002", "003"}
            names = {name for n in (u, v) for name in data.actors[n].names}
            assert all(any(name in ev["quote"] for name in names) for ev in e["evidence"]), e["evidence"]


def test_every_edge_keeps_relations_weights_events_dates_and_evidence(graphs):
    for level, graph in graphs.items():
        assert graph.number_of_edges() > 50, level
        for u, v, e in graph.edges(data=True):
            assert u != v
            assert e["weight"] == sum(e["relation_weights"].values()) >= 1
            assert e["relations"] == list(e["relation_weights"]) and set(e["relations"]) <= set(RELATIONS)
            for relation, weight in e["relation_weights"].items():
                events = [x for x in e["events"] if x["relation"] == relation]
                assert len({x["event"] for x in events}) == weight
                for x in events:
                    passages = [ev for ev in e["evidence"] if ev["relation"] == relation and ev["event"] == x["event"]]
                    assert passages and all(ev["quote"] and ev["document"] for ev in passages), (u, v, x)
            assert e["dates"] == sorted({x["date"] for x in e["events"]})


def test_roll_up_person_organisation_state(data, graphs):
    person, org, state = graphs["person"], graphs["organisation"], graphs["state"]
    rongvudhi = f"{ID}person/rongvudhi-virabutr"
    assert rongvudhi in person and rongvudhi not in org
    assert rongvudhi in org.nodes[f"{ID}org/permanent-mission/THA"]["members"]
    assert rongvudhi in state.nodes[THA]["members"]
    lucie = f"{ID}person/lucie-thuwis"
    assert lucie in org.nodes[f"{ID}org/gov-bel/directorate-general-immigration"]["members"]
    assert lucie in state.nodes[BEL]["members"]
    # an organisational unit rolls up to its organisation; a person to the post of that date
    assert f"{ID}person/patrick-eba" in org.nodes[UNHCR]["members"]
    assert data.node_of(f"{ID}person/carolina-gottardo", "2021-06-29", "state") == IDC
    # organisations only based in a country stay themselves, on their own side
    for based in ("aat", "suka", "lnchr", "gao"):
        assert f"{ID}org/{based}" in state and state.nodes[f"{ID}org/{based}"]["type"] != "State"
    assert state.nodes[f"{ID}org/aat"]["side"] == "civil society" and state.nodes[THA]["side"] == "government"
    assert data.node_of(f"{ID}org/aat", "2021-06-29", "state") == f"{ID}org/aat"
    # a post naming only a State: the First Lady of Colombia speaks for Colombia
    assert f"{ID}person/maria-juliana-ruiz-sandoval" in state.nodes[COL]["members"]
    # placeholders ("Government representative (TBC)") are not actors
    assert not any("/placeholder/" in n for g in graphs.values() for n in g)


def test_chatham_house_unnamed_actors_are_never_rolled_up(data, graphs, built):
    unnamed = {a.iri for a in data.actors.values() if a.type == "UnnamedActor"}
    assert len(unnamed) == 4
    for level, graph in graphs.items():
        assert unnamed & set(graph), f"the check is vacuous at {level} level"
        for iri in unnamed:
            assert all(data.node_of(iri, d, level) == iri for d in EXCHANGES)
        for node, attrs in graph.nodes(data=True):
            if set(attrs["members"]) & unnamed:
                assert attrs["members"] == [node] and attrs["type"] == "UnnamedActor" and attrs["side"] == "unnamed"
        doc = export.cytoscape(graph)  # what the explorer and every export get
        for e in doc["elements"]["edges"]:
            d = e["data"]
            for x in d["events"]:
                for raw_source, raw_target in x["via"]:
                    for raw, end in ((raw_source, d["source"]), (raw_target, d["target"])):
                        if raw in unnamed:
                            assert end == raw, (level, d["source"], d["target"], x)
                        if end.startswith(f"{ID}state/"):
                            assert raw not in unnamed
            if d["source"] in unnamed or d["target"] in unnamed:
                assert "shared-practice" not in d["relations"]
    # twinning never uses what is attributed to an unnamed actor
    rows = built.dataset.query(queries.PREFIXES + """SELECT DISTINCT ?ev WHERE {
        ?x atd:attributedTo|atd:inList/atd:reportedBy ?u . ?u a atd:UnnamedActor . ?x prov:wasDerivedFrom ?ev }""")
    anonymous = {str(r.ev) for r in rows}
    assert len(anonymous) >= 8
    used = {ev["passage"] for s in twins.suggest(data) for r in s["reasons"] for ev in r["evidence"]}
    used |= {ev.passage for p in twins.profiles(data).values() for evs in p.categories.values() for ev in evs}
    assert not used & anonymous


# -- time ---------------------------------------------------------------------------------------------
def test_as_of_keeps_only_what_was_stated_by_then(data):
    first = project(data, "state", ["co-hosting"], as_of="2021-01-01")
    assert set(first) == {PRT, THA, WG}
    assert first.edges[PRT, THA]["weight"] == 1 and first.edges[PRT, THA]["dates"] == ["2020-11-17"]
    everything = project(data, "state", as_of="2021-06-29")
    assert everything.number_of_edges() and all(e["dates"][-1] <= "2021-06-29" for *_, e in everything.edges(data=True))
    assert project(data, "state", as_of="2020-01-01").number_of_edges() == 0


def test_change_over_time_one_network_per_exchange(data, graphs):
    steps = analysis.timeline(data, "state")
    assert [d for d, _ in steps] == EXCHANGES
    sizes = [(g.number_of_nodes(), g.number_of_edges()) for _, g in steps]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
    assert set(steps[-1][1].edges) == set(graphs["state"].edges)
    changes = analysis.changes(data, "state", ["co-hosting"])
    assert changes[0]["new_actors"] == sorted(["Portugal", "Thailand",
                                               "UN Network on Migration Working Group on Alternatives to Detention"])
    assert set(changes[1]["new_actors"]) == {"Colombia", "Ghana", "Nigeria"} and changes[2]["new_actors"] == []


# -- analysis -----------------------------------------------------------------------------------------
def test_ego_network(graphs):
    graph = graphs["state"]
    one = analysis.ego(graph, THA, 1)
    assert set(one) == {THA, *graph[THA]} and one.graph["ego"] == THA
    two = analysis.ego(graph, THA, 2)
    assert set(one) < set(two) and all(nx.shortest_path_length(graph, THA, n) <= 2 for n in two)


def test_metrics_are_deterministic_and_sane(store, graphs):
    again = analysis.annotate(project(NetworkData.load(store), "state"))
    graph = graphs["state"]
    assert analysis.metrics(again) == analysis.metrics(graph)
    assert analysis.communities(again) == analysis.communities(graph)
    m = analysis.metrics(graph)
    assert abs(sum(v["pagerank"] for v in m.values()) - 1) < 1e-9
    assert all(0 <= v["betweenness"] <= 1 and v["weighted_degree"] >= v["degree"] >= 1 for v in m.values())
    groups = analysis.communities(graph)
    assert sorted(n for g in groups for n in g) == sorted(graph) and len(groups) > 1
    assert m[THA]["degree"] >= 4 and m[IDC]["degree"] == max(v["degree"] for v in m.values())


def test_pagerank_agrees_with_networkx(graphs):
    # networkx's PageRank needs SciPy (a test dependency only): the reference our own PageRank must match
    ours = analysis.pagerank(graphs["organisation"])
    theirs = nx.pagerank(graphs["organisation"], weight="weight", tol=1e-12)
    assert all(abs(ours[n] - theirs[n]) < 1e-8 for n in ours)


def test_brokers_between_government_and_civil_society(graphs):
    graph = graphs["state"]
    found = analysis.brokers(graph)
    assert found and found[0]["label"] == "International Detention Coalition"
    assert [b["score"] for b in found] == sorted((b["score"] for b in found), reverse=True)
    for b in found:
        assert b["score"] > 0 and graph.degree(b["node"]) > 1  # a leaf is on no shortest path between others
    assert any(b["government"] and b["civil society"] for b in found)


def test_twinning_suggestions_are_unlinked_explained_and_ranked(data):
    linked = project(data, "state", LINK_RELATIONS)
    everything = twins.suggest(data)
    assert everything
    for s in everything:
        assert s["state"] < s["other"] and not linked.has_edge(s["state"], s["other"])
        assert s["reasons"] and s["score"] == sum(r["points"] for r in s["reasons"])
        assert all(r["evidence"] for r in s["reasons"])
        assert {s["state"], s["other"]} != {PRT, THA}
    assert [s["score"] for s in everything] == sorted((s["score"] for s in everything), reverse=True)
    for_thailand = twins.suggest(data, THA)
    others = [s["other"] for s in for_thailand]
    assert PRT not in others and COL not in others  # co-hosts are linked already
    malaysia = next(s for s in for_thailand if s["other"] == MYS)
    assert [r["kind"] for r in malaysia["reasons"]] == ["sub-region"]
    assert "South-eastern Asia" in malaysia["reasons"][0]["text"]
    belgium = next(s for s in for_thailand if s["other"] == BEL)
    assert {r["text"] for r in belgium["reasons"]} >= {"both took part in the exchange of 2021-06-29"}
    assert twins.find_state(data, "tha") == twins.find_state(data, "Thailand") == THA


# -- back into the graph --------------------------------------------------------------------------------
def test_metrics_are_queryable_with_sparql_after_the_build(dataset, graphs):
    q = queries.get("network-metrics")
    rows = RdflibStore(dataset).run(q, {"level": "state"}).rows
    by_actor = {str(r["actor"]): r for r in rows}
    assert int(by_actor[THA]["degree"]) >= 4
    assert len(rows) == graphs["state"].number_of_nodes()
    for node, attrs in graphs["state"].nodes(data=True):
        r = by_actor[node]
        assert int(r["degree"]) == attrs["degree"] and int(r["weightedDegree"]) == attrs["weighted_degree"]
        assert abs(float(r["pagerank"]) - attrs["pagerank"]) < 1e-6
    in_graph = list(dataset.query(queries.PREFIXES + """SELECT ?d WHERE {
        GRAPH <https://w3id.org/atd-kg/graph/network> { ?m atd:metricsOf <%s> ; atd:networkLevel "organisation" ;
                                                          atd:degree ?d ; prov:wasGeneratedBy ?a }
        ?a prov:used/dcterms:identifier "002" }""".replace("%s", IDC)))
    assert len(in_graph) == 1 and int(in_graph[0].d) == graphs["organisation"].degree(IDC)


# -- exports ------------------------------------------------------------------------------------------
def _same(a: nx.Graph, b: nx.Graph) -> None:
    assert set(a) == set(b)
    assert {frozenset(e) for e in a.edges} == {frozenset(e) for e in b.edges}
    for n in a:
        assert b.nodes[n] == a.nodes[n], n
    for u, v in a.edges:
        assert b.edges[u, v] == a.edges[u, v], (u, v)


@pytest.mark.parametrize("fmt, reader", [("graphml", export.read_graphml), ("gexf", export.read_gexf)])
def test_graphml_and_gexf_round_trip(graphs, tmp_path, fmt, reader):
    for level in ("person", "state"):
        path = tmp_path / f"{level}.{fmt}"
        export.write(graphs[level], fmt, path)
        _same(graphs[level], reader(path))


def test_cytoscape_json_validates_against_the_explorer_schema(graphs):
    schema = export.schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for graph in graphs.values():
        doc = json.loads(export.cytoscape_json(graph))
        jsonschema.validate(doc, schema)
        assert len(doc["elements"]["nodes"]) == graph.number_of_nodes()
        assert len(doc["elements"]["edges"]) == graph.number_of_edges()
    broken = json.loads(export.cytoscape_json(graphs["state"]))
    del broken["elements"]["edges"][0]["data"]["evidence"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_csv_edge_and_node_lists(graphs, tmp_path):
    graph = graphs["state"]
    written = export.write(graph, "csv", tmp_path / "net.csv")
    assert [p.name for p in written] == ["net.csv", "net-nodes.csv"]
    edges = list(csv.DictReader(io.StringIO(written[0].read_text(encoding="utf-8"))))
    nodes = list(csv.DictReader(io.StringIO(written[1].read_text(encoding="utf-8"))))
    assert len(edges) == graph.number_of_edges() and len(nodes) == graph.number_of_nodes()
    row = next(r for r in edges if {r["source"], r["target"]} == {PRT, THA})
    assert row["weight"] == "3" and row["relations"] == "co-hosting" and row["documents"] == "000;001;002;003"
    assert next(r for r in nodes if r["id"] == THA)["degree"] == str(graph.degree(THA))


# -- command line ---------------------------------------------------------------------------------------
@pytest.fixture
def in_build(build_dir, monkeypatch):
    monkeypatch.setenv("ATDKG_DATA", str(build_dir.parent))
    monkeypatch.delenv("ATDKG_ENDPOINT", raising=False)
    monkeypatch.setenv("ATDKG_CONFIG", "/nonexistent")
    return build_dir


def atdkg(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_cli_exports(in_build, tmp_path):
    out = atdkg("network", "--format", "cyjs")
    assert out.exit_code == 0, out.output
    jsonschema.validate(json.loads(out.stdout), export.schema())
    graphml = tmp_path / "net.graphml"
    result = atdkg("network", "--level", "organisation", "--relation", "co-lead,co-member", "-o", graphml)
    assert result.exit_code == 0 and f"wrote {graphml}" in result.stderr
    back = export.read_graphml(graphml)
    assert back.graph["level"] == "organisation" and back.has_edge(UNHCR, UNICEF)
    assert all(set(e["relations"]) <= {"co-lead", "co-member"} for *_, e in back.edges(data=True))
    assert "degree" in back.nodes[UNHCR]
    edges = atdkg("network", "--relation", "co-hosting", "--as-of", "2021-01-01")
    assert edges.exit_code == 0 and len(edges.stdout.strip().splitlines()) == 4  # header and three co-host pairs
    assert atdkg("network", "-o", tmp_path / "net.csv").exit_code == 0 and (tmp_path / "net-nodes.csv").exists()


def test_cli_explain_lists_documents_and_passages(in_build):
    result = atdkg("network", "explain", "portugal", "THA")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Portugal — Thailand at State level: weight 3")
    assert "co-hosting (weight 3)" in out
    for date in EXCHANGES:
        assert f"  {date}  " in out
    for doc in ("000", "001", "002", "003"):
        assert f"[document {doc}]" in out
    assert "“Permanent Mission of Portugal in Geneva”" in out
    leads = atdkg("network", "explain", "UNHCR", "unicef", "--level", "organisation", "--relation", "co-lead").stdout
    assert "co-lead (weight 4)" in leads
    assert all(f"[document {d}] “UNICEF”" in leads for d in ("000", "001", "002", "003"))
    person = atdkg("network", "explain", "Rongvudhi Virabutr", "Portugal").stdout  # a person names their State
    assert person.startswith(("Portugal — Thailand", "Thailand — Portugal"))


@pytest.mark.parametrize("args, message", [
    (["network", "explain", "Thailand", "Atlantis"], "no actor named 'Atlantis'"),
    (["network", "explain", "Thialand", "Portugal"], "did you mean 'Thailand'"),
    (["network", "explain", "Thailand", "THA"], "same actor"),
    (["network", "twins", "Atlantis"], "no State named 'Atlantis'"),
    (["network", "twins", "UNHCR"], "not a State"),
    (["network", "ego", "Nobody"], "no actor named 'Nobody'"),
    (["network", "--relation", "friendship"], "unknown relation 'friendship'"),
    (["network", "metrics", "--as-of", "2021-13-01"], "not a date"),
    (["network", "-o", "net.txt"], "cannot tell the format"),
])
def test_cli_user_errors_exit_2_without_traceback(in_build, args, message):
    result = atdkg(*args)
    assert result.exit_code == 2 and message in result.output, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_metrics_twins_and_timeline(in_build):
    table = atdkg("network", "metrics", "--top", "3")
    assert table.exit_code == 0 and "International Detention Coalition" in table.stdout
    doc = json.loads(atdkg("network", "metrics", "--top", "5", "--format", "json", "--level", "organisation").stdout)
    assert len(doc["top"]) == 5 and doc["level"] == "organisation" and doc["brokers"]
    assert [r["degree"] for r in doc["top"]] == sorted((r["degree"] for r in doc["top"]), reverse=True)
    found = atdkg("network", "twins", "Thailand")
    assert found.exit_code == 0 and "Malaysia" in found.stdout and "South-eastern Asia" in found.stdout
    suggested = re.findall(r"^\s+\d+\. (.+?)  \(score \d+\)$", found.stdout, flags=re.MULTILINE)
    assert suggested[:2] == ["Belgium", "Malaysia"] and "Portugal" not in suggested
    listed = json.loads(atdkg("network", "twins", "tha", "--format", "json").stdout)
    assert all(s["other"] not in (PRT, COL, NGA, GHA) for s in listed)
    timeline = atdkg("network", "timeline", "--relation", "co-hosting").stdout
    assert [line.split(":")[0] for line in timeline.splitlines() if not line.startswith(" ")] == EXCHANGES
    ego = json.loads(atdkg("network", "ego", "Thailand", "--format", "cyjs").stdout)
    assert THA in {n["data"]["id"] for n in ego["elements"]["nodes"]}


def test_betweenness_is_exact_on_small_graphs_and_a_seeded_estimate_on_large_ones():
    import networkx as nx

    from atdkg.network import analysis
    small = nx.karate_club_graph()
    assert analysis.betweenness(small) == nx.betweenness_centrality(small, normalized=True)
    large = nx.connected_watts_strogatz_graph(3 * analysis.EXACT_BETWEENNESS, 6, 0.1, seed=1)
    estimate = analysis.betweenness(large)
    assert estimate == analysis.betweenness(large)  # seeded: the same at every build
    exact = nx.betweenness_centrality(large, normalized=True)
    top = lambda d: set(sorted(d, key=d.get, reverse=True)[:20])  # noqa: E731
    assert len(top(estimate) & top(exact)) >= 14
    assert max(abs(estimate[n] - exact[n]) for n in large) < 0.5 * max(exact.values())
