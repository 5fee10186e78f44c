"""Round trip of the VALUES binder: whatever the value, the bound query holds exactly it."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from atdkg.queries import QueryError
from atdkg.queries.binding import bind_values, term_to_sparql, where_group_start
from atdkg.queries.stores import from_ox

ECHO = "SELECT ?v WHERE { ?s ?p ?o }"  # an empty store: the VALUES row is the only answer
STORE = ox.Store()


def echo(term):
    rows = list(STORE.query(bind_values("SELECT ?v WHERE { OPTIONAL { ?s ?p ?o } }", {"v": term})))
    return [from_ox(r["v"]) for r in rows]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_any_string_round_trips(text):
    assert echo(Literal(text)) == [Literal(text)]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30), st.sampled_from(["en", "fr", "es-419"]))
def test_language_strings_and_typed_literals_round_trip(text, lang):
    assert echo(Literal(text, lang=lang)) == [Literal(text, lang=lang)]
    assert echo(Literal("2021-06-29", datatype=XSD.date)) == [Literal("2021-06-29", datatype=XSD.date)]


@pytest.mark.parametrize("value", ['" } DROP ALL #', "x" * 10_000, "nul\x00", "🎉", "a\\\"b\n"])
def test_the_classics(value):
    assert echo(Literal(value)) == [Literal(value)]


def test_iris_with_forbidden_characters_are_refused():
    assert echo(URIRef("https://example.org/a?b=c#d")) == [URIRef("https://example.org/a?b=c#d")]
    for bad in ["http://x/> } DROP ALL <http://y/", "http://x/ y", 'http://x/"']:
        with pytest.raises(QueryError):
            term_to_sparql(URIRef(bad))


def test_the_values_block_opens_the_where_group_not_a_string_or_a_construct_template():
    q = 'CONSTRUCT { ?s ?p "WHERE {" } # WHERE {\nWHERE { ?s ?p ?o }'
    at = where_group_start(q)
    assert q[:at].endswith("WHERE {") and q[at:] == " ?s ?p ?o }"
    bound = bind_values(q, {"s": URIRef("http://x/")})
    assert ox.Store().query(bound) is not None


def test_named_query_parameters_are_checked():
    from atdkg import queries
    q = queries.get("session-moderators")
    with pytest.raises(QueryError, match="not a date"):
        q.bindings({"date": "2021-13-45"})
    with pytest.raises(QueryError, match="unknown parameter"):
        q.bindings({"dat": "2021-06-29"})
    with pytest.raises(QueryError, match="missing parameter iri"):
        queries.get("describe").bindings({})
    with pytest.raises(QueryError, match="did you mean session-moderators"):
        queries.get("session-moderator")
