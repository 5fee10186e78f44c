"""The list pages' data kept per app (webapp/page_data.py): facet selection and counting in one pass over
the matching items give exactly what the old per-value filtering gave; a State's counts on /actors are
rolled up over its bodies and their people, as on the home page's map."""
from __future__ import annotations

import json
import random

import pytest

from atdkg.queries.stores import RdflibStore
from atdkg.webapp.page_data import facet_index

ID = "https://w3id.org/atd-kg/id/"


# -- the reference: what webapp/pages.py did before (one filter over every item per facet value) ---------
def naive_filter(items, chosen, any_of=()):
    return [k for k, values in enumerate(items)
            if all((set(vals) & values.get(f, set())) if f in any_of else set(vals) <= values.get(f, set())
                   for f, vals in chosen.items())]


def naive_counts(items, chosen, facets):
    """Per facet, each value any item has, with how many items the selection plus that value leaves."""
    out = {}
    for f in facets:
        values = sorted({v for i in items for v in i.get(f, set())})
        out[f] = {v: len(naive_filter(items, dict(chosen, **{f: sorted(set(chosen.get(f, [])) | {v})})))
                  for v in values}
    return out


def from_index(index, chosen):
    matching = index.matching(chosen)
    tally = index.counts(chosen, matching)
    return matching, {f: {v: tally[f][v] for v in index.choices[f]} for f in index.choices}


def random_items(rng: random.Random, n: int) -> list[dict[str, set]]:
    facets = {"category": [f"c{k}" for k in range(8)], "target": [f"t{k}" for k in range(5)],
              "actor": [f"a{k}" for k in range(30)], "region": ["r1", "r2", "r3"]}
    return [{f: set(rng.sample(vs, rng.choice([0, 1, 1, 2, 3] if f in ("category", "target") else [0, 1])))
             for f, vs in facets.items()} for _ in range(n)]


def random_selection(rng: random.Random, items: list[dict[str, set]]) -> dict[str, list[str]]:
    present = {f: sorted({v for i in items for v in i.get(f, ())}) for f in ("category", "target", "actor", "region")}
    chosen = {}
    for f, vs in present.items():
        k = rng.choice([0, 0, 1, 1, 2])
        if vs and k:
            chosen[f] = sorted(set(rng.sample(vs, min(k, len(vs)))))
    return chosen


@pytest.mark.parametrize("seed", range(20))
def test_one_pass_counts_equal_the_per_value_reference(seed):
    rng = random.Random(seed)
    items = random_items(rng, rng.choice([0, 1, 7, 60, 250]))
    facets = ("category", "target", "actor", "region")
    index = facet_index(items, facets)
    for _ in range(15):
        chosen = random_selection(rng, items) if items else {}
        matching, counts = from_index(index, chosen)
        assert matching == naive_filter(items, chosen)
        assert counts == {f: c for f, c in naive_counts(items, chosen, facets).items()}
    # the unselected page's counts are kept: asking twice gives the same, and still the reference's
    assert from_index(index, {}) == from_index(index, {}) == (list(range(len(items))), naive_counts(items, {}, facets))


def test_any_of_facet_keeps_items_with_one_of_the_values():
    """/commitments: an item has one kind, so two kinds chosen keep the items of either."""
    rng = random.Random(5)
    items = [{"kind": {rng.choice("KLM")}, "objective": set(rng.sample("abcdef", rng.randint(0, 3)))}
             for _ in range(200)]
    index = facet_index(items, ("kind", "objective"), any_of={"kind"})
    for chosen in ({"kind": ["K", "L"]}, {"kind": ["M"], "objective": ["a"]}, {"objective": ["a", "b"]},
                   {"kind": ["K", "L", "M"], "objective": ["c"]}):
        assert index.matching(chosen) == naive_filter(items, chosen, any_of={"kind"})


def test_choices_follow_the_order_given():
    index = facet_index([{"f": {"b"}}, {"f": {"a", "c"}}], ["f"], order=lambda v: {"a": 2, "b": 1, "c": 0}[v])
    assert index.choices["f"] == ["c", "b", "a"]


# -- the pages over the real graph -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def app(make_app):
    return make_app(QUERY_TIMEOUT=10.0, PAGE_CACHE_MB=0)


@pytest.fixture
def client(app):
    return app.test_client()


def test_practice_facet_counts_on_random_selections_equal_the_reference(app):
    from atdkg.webapp import page_data
    with app.app_context():
        index = page_data.get("practices")["index"]
    items = [{f: set(vs) for f, vs in values.items()} for values in index.values]
    rng = random.Random(12)
    for _ in range(40):
        chosen = random_selection(rng, items)
        matching, counts = from_index(index, chosen)
        assert matching == naive_filter(items, chosen)
        assert counts == naive_counts(items, chosen, index.choices)


def test_practices_json_counts_are_what_selecting_gives(client):
    """A value's count beside a facet is the number of practices the page lists once it is chosen too."""
    data = json.loads(client.get("/practices.json").data)
    for f in ("category", "actor", "region"):
        for entry in data["facets"][f][:6]:
            narrowed = json.loads(client.get("/practices.json", query_string={f: entry["value"], "size": 1}).data)
            assert narrowed["total"] == entry["count"]


def state_rows(client) -> dict[str, dict]:
    data = json.loads(client.get("/actors.json", query_string={"kind": "state", "size": 500}).data)
    return {s["state"]: s for s in data["states"]}


def test_a_state_counts_its_government_missions_and_their_people(client):
    """Portugal's Permanent Mission co-hosted the three exchanges and its Deputy Permanent Representative spoke
    twice: Portugal itself is named in none of it."""
    portugal = state_rows(client)[ID + "state/PRT"]
    assert (portugal["hostings"], portugal["participations"]) == (3, 2)
    html = client.get("/actors?kind=state").data.decode()
    assert "participations and hostings include its government's, ministries',\n  permanent missions' and their " \
           "people's" in html.replace("&#39;", "'")
    assert '<a href="/id/state/PRT">Portugal</a></td><td>PRT</td><td>Europe</td><td class="num">2</td>' \
           '<td class="num">3</td>' in html
    rows = {r.split(",")[1]: r for r in client.get("/actors.csv?kind=state").data.decode().splitlines()[1:]}
    assert rows[ID + "state/PRT"].endswith(",2,3,0")


def test_a_state_without_bodies_keeps_its_own_counts(client, dataset):
    """Mexico has no government body, mission or representative in the graph: its counts are what it did itself."""
    store = RdflibStore(dataset)
    no_bodies = store.query(
        "PREFIX atd: <https://w3id.org/atd-kg/ontology#> PREFIX org: <http://www.w3.org/ns/org#> "
        "SELECT ?s WHERE { ?s a atd:State . FILTER NOT EXISTS { ?b org:subOrganizationOf*/atd:ofState ?s } "
        "FILTER NOT EXISTS { ?p atd:representsState ?s } }").rows
    states = state_rows(client)
    assert ID + "state/MEX" in {str(r["s"]) for r in no_bodies}
    for row in no_bodies:
        state = str(row["s"])

        def own(pattern: str, state: str = state) -> int:
            return int(store.query(
                "PREFIX atd: <https://w3id.org/atd-kg/ontology#> SELECT (COUNT(DISTINCT ?n) AS ?n) WHERE { "
                + pattern.replace("STATE", f"<{state}>") + " }").rows[0]["n"])
        assert states[state]["hostings"] == own("?n a atd:Hosting ; atd:host STATE")
        assert states[state]["participations"] == own("{ ?n a atd:Participation ; atd:participant STATE } UNION "
                                                      "{ ?n a atd:Attendance ; atd:attendee STATE }")
    assert states[ID + "state/MEX"]["participations"] == 1
