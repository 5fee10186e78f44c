"""Chatham House Rule: what a report attributes to "one State", "a government" or "a
campaigner with lived experience" is never linked to a named State, person or organisation
that could stand for the speaker — not even by inference from an agenda."""
from __future__ import annotations

from atdkg.queries import PREFIXES

ANONYMOUS_STATEMENTS_LINKED_TO_NAMED = PREFIXES + """
SELECT ?actor ?statement ?named WHERE {
  ?actor a atd:UnnamedActor .
  { ?actor ?p ?named FILTER (?p != rdf:type) }                     # the actor itself links out
  UNION
  { ?statement ?p1 ?actor . ?statement ?p2 ?named .                 # something about the actor
    FILTER (?p2 NOT IN (rdf:type, atd:partner)) }
  UNION
  { ?statement atd:partner ?actor ; atd:partner ?named .            # partners may be named, but never
    ?named a ?c . FILTER (?c IN (atd:Government, atd:GovernmentBody, atd:PermanentMission)) }  # a government
  ?named a ?cls .
  FILTER (?cls IN (atd:State, foaf:Person, atd:Government, atd:GovernmentBody, atd:PermanentMission)
          || (?cls = org:Organization && EXISTS { ?statement atd:attributedTo|atd:reportedBy|atd:participant ?named }))
}"""


def test_no_anonymous_statement_is_linked_to_a_named_actor(store):
    rows = store.query(ANONYMOUS_STATEMENTS_LINKED_TO_NAMED).rows
    assert rows == [], rows


def test_the_report_has_anonymous_speakers_and_their_statements(store):
    """The check above is not vacuous: the report's "One State" speakers and the campaigner exist
    and have practices, lists and a statistic attributed to them."""
    rows = store.query(PREFIXES + """
        SELECT ?actor ?kind (COUNT(DISTINCT ?statement) AS ?n) WHERE {
          ?actor a atd:UnnamedActor ; atd:actorKind ?kind .
          OPTIONAL { ?statement atd:attributedTo|atd:reportedBy ?actor }
        } GROUP BY ?actor ?kind""").rows
    kinds = sorted(str(r["kind"]) for r in rows)
    assert kinds.count("State") == 2 and kinds.count("person") == 2
    assert sum(int(r["n"]) for r in rows if str(r["kind"]) == "State") >= 8


def test_agenda_speakers_are_not_identified_with_report_speakers(store):
    """The agenda of the same exchange names a campaigner (Mishka Pillay) and a Thai official;
    nothing joins them to the report's anonymous speakers."""
    rows = store.query(PREFIXES + """
        SELECT ?person ?actor WHERE {
          ?actor a atd:UnnamedActor .
          ?person a foaf:Person .
          { ?person ?p ?actor } UNION { ?actor ?p ?person }
          UNION { ?x ?p1 ?person ; ?p2 ?actor . FILTER (?p1 != rdf:type) }
        }""").rows
    assert rows == []


def test_no_state_is_inferred_from_a_ministry_named_in_an_anonymous_passage(store):
    """The report names a ministry while telling one State's story; the graph must not link any
    organisation first named inside an anonymous passage to a State."""
    rows = store.query(PREFIXES + """
        SELECT ?practice ?state WHERE {
          ?practice atd:attributedTo ?actor . ?actor a atd:UnnamedActor .
          ?practice (atd:attributedTo|atd:partner|atd:reportedBy)/(org:subOrganizationOf*)/(atd:ofState|atd:basedIn)
                    ?state .
        }""").rows
    assert rows == []
