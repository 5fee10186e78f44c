"""The same named queries give the same answers on the embedded store, rdflib and a real
SPARQL server; pushing is idempotent; parameters are bound, never spliced."""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import pytest
from rdflib import Literal

from atdkg import queries
from atdkg.queries.stores import EmbeddedStore, RdflibStore, RemoteStore

# compared by value
NUMERIC = {"integer", "decimal", "double", "float", "nonNegativeInteger", "positiveInteger", "long", "int"}


def concat_columns(text: str) -> dict[str, str]:
    """Columns built by GROUP_CONCAT: their order is not defined by SPARQL, so compare as sets."""
    return {m.group(2): m.group(1) for m in re.finditer(
        r'GROUP_CONCAT\([^;]*;\s*separator\s*=\s*"([^"]*)"\)\s*AS\s*\?(\w+)', text)}


def normalised(result, text: str) -> Counter:
    concat = concat_columns(text)

    def cell(var, term):
        if isinstance(term, Literal) and term.datatype and str(term.datatype).rsplit("#", 1)[-1] in NUMERIC:
            return (var, "number", Decimal(str(term.toPython())))
        if var in concat:
            return (var, "set", frozenset(x for x in str(term).split(concat[var]) if x))
        return (var, term.n3())
    return Counter(frozenset(cell(v, t) for v, t in row.items()) for row in result.rows)


@pytest.fixture(scope="module")
def embedded(build_dir):
    return EmbeddedStore.from_build(build_dir)


@pytest.fixture(scope="module")
def remote(oxigraph_server, build_dir):
    store = RemoteStore(f"{oxigraph_server}/query")
    store.push(build_dir)
    return store


SELECTS = [q for q in queries.catalogue().values() if not q.text.lstrip("#+ \n").upper().startswith("CONSTRUCT")
           and "CONSTRUCT" not in q.text]


@pytest.mark.parametrize("name", [q.name for q in SELECTS])
def test_every_named_query_is_equal_on_embedded_rdflib_and_server(name, embedded, remote, dataset):
    q = queries.get(name)
    expected = normalised(embedded.run(q), q.text)
    assert sum(expected.values()) > 0, f"{name} returns nothing: the comparison would be vacuous"
    assert normalised(remote.run(q), q.text) == expected
    assert normalised(RdflibStore(dataset).run(q), q.text) == expected


def test_describe_is_equal_on_embedded_and_server(embedded, remote):
    from rdflib.compare import isomorphic
    q = queries.get("describe")
    iri = {"iri": "https://w3id.org/atd-kg/id/person/carolina-gottardo"}
    a, b = embedded.run(q, iri).graph, remote.run(q, iri).graph
    assert len(a) > 10 and isomorphic(a, b)


def _count(store) -> int:
    r = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(r.rows[0]["n"])


def test_push_twice_leaves_the_same_data(remote, build_dir, embedded):
    before = _count(remote)
    assert before == len(embedded)  # every quad of the build is in a named graph on the server
    counts = remote.push(build_dir)
    assert _count(remote) == before
    assert len(counts) == 8 and sum(counts.values()) == before  # 4 documents, entities, reference, ontology, network


HOSTILE = ['" } DROP ALL #', "line\nbreak", "back\\slash\\", "quote'\"s", "nul\x00byte", "emoji 🎉🏳️‍🌈",
           "x" * 10_000, "<http://evil/>", "?role", "} UNION { ?s ?p ?o }", "\u2028\u2029", "\t\r\f\b"]


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:20]))
def test_hostile_parameter_values_are_data_not_query(value, embedded, remote, dataset):
    q = queries.get("working-group-members")
    before = _count(remote)
    for store in (embedded, remote, RdflibStore(dataset)):
        result = store.run(q, {"role": value})
        assert result.rows == []  # no role is called that: bound as a value, it matches nothing
    assert _count(remote) == before
    echo = embedded.query("SELECT ?v WHERE { BIND(1 AS ?one) }")  # the store still answers
    assert echo.kind == "select"
