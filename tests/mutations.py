"""The mutations of the SHACL mutation suite, shared by the tests that run them: each plants ONE defect on
ONE node of the built graph (tests/test_shapes_mutations.py: the report names that node and the shape it
broke; tests/test_validator_agreement.py: both validators report the same).

Focus nodes are found by querying the graph, never hard-coded, so the mutations keep working when the corpus
changes. ``mutated`` applies one to a graph and undoes it on the way out, so no case sees another's defect.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import NamedTuple

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from atdkg.loaders.emit import ATD, OA, ORG, SCHEMA  # the namespaces the emitter writes
from atdkg.terms import V

DCT = DCTERMS

PREFIXES = """
PREFIX atd: <https://w3id.org/atd-kg/ontology#>  PREFIX v: <https://w3id.org/atd-kg/vocab/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>  PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>  PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>  PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>  PREFIX oa: <http://www.w3.org/ns/oa#>
"""


class Change(NamedTuple):
    focus: URIRef
    remove: list
    add: list


def pick(g: Graph, where: str):
    """First row (ordered by ?x, so deterministic) binding ?x and whatever else `where` mentions."""
    rows = list(g.query(f"{PREFIXES} SELECT * WHERE {{ {where} }} ORDER BY ?x LIMIT 1"))
    assert rows, f"the corpus has no focus node for: {where}"
    return rows[0]


def drop(g: Graph, s, p) -> Change:
    return Change(s, list(g.triples((s, p, None))), [])


def replace(g: Graph, s, p, new) -> Change:
    return Change(s, list(g.triples((s, p, None))), [(s, p, new)])


def add(s, p, o) -> Change:
    return Change(s, [], [(s, p, o)])


# ---------------------------------------------------------------------------------------- the defects
def missing_label(g):
    return drop(g, pick(g, "?x a foaf:Person").x, RDFS.label)


def two_labels(g):
    x = pick(g, "?x a atd:Hosting").x
    return add(x, RDFS.label, Literal(f"{g.value(x, RDFS.label)} (second label)", lang="en"))


def label_without_language(g):
    r = pick(g, "?x a org:Organization ; rdfs:label ?l")
    return replace(g, r.x, RDFS.label, Literal(str(r.l)))


def exchange_date_as_string(g):
    r = pick(g, "?x a atd:PeerLearningExchange ; dcterms:date ?d")
    return replace(g, r.x, DCT.date, Literal(str(r.d)))


def item_number_as_string(g):
    r = pick(g, "?x a atd:ListItem ; atd:itemNumber ?n")
    return replace(g, r.x, ATD.itemNumber, Literal(str(r.n)))


def dangling_parent_organisation(g):
    x = pick(g, "?x a org:Organization FILTER NOT EXISTS { ?x org:subOrganizationOf ?p }").x
    parent = URIRef(f"{x}/undescribed-parent")
    assert (parent, None, None) not in g
    return add(x, ORG.subOrganizationOf, parent)


def membership_without_organisation(g):
    return drop(g, pick(g, "?x a atd:WorkingGroupMembership").x, ORG.organization)


def membership_role_outside_scheme(g):
    r = pick(g, "?x a atd:WorkingGroupMembership . ?role skos:inScheme v:roles")
    return replace(g, r.x, ORG.role, r.role)


def statistic_without_value(g):
    return drop(g, pick(g, "?x a atd:Statistic").x, ATD.value)


def statistic_with_two_values(g):
    r = pick(g, "?x a atd:Statistic ; atd:value ?v")
    return add(r.x, ATD.value, Literal(r.v.toPython() + 1, datatype=r.v.datatype))


def session_after_its_exchange(g):
    r = pick(g, "?x a atd:Session ; schema:startDate ?s ; schema:superEvent/schema:endDate ?end")
    end = r.end.toPython()
    later = end + timedelta(minutes=15)
    assert later.date() == end.date() and later.utcoffset() == end.utcoffset()
    return replace(g, r.x, SCHEMA.startDate, Literal(later))


def evidence_without_start(g):
    return drop(g, pick(g, "?x a oa:TextPositionSelector").x, OA.start)


def evidence_start_not_before_end(g):
    r = pick(g, "?x a oa:TextPositionSelector ; oa:end ?end")
    return replace(g, r.x, OA.start, r.end)


def evidence_without_quote_selector(g):
    r = pick(g, "?x a atd:Evidence ; oa:hasSelector ?q . ?q a oa:TextQuoteSelector")
    return Change(r.x, [(r.x, OA.hasSelector, r.q)], [])


def evidence_with_two_quote_selectors(g):
    """The position selector swapped for a second quote selector: still two selectors, no offsets."""
    r = pick(g, "?x a atd:Evidence ; oa:hasSelector ?p . ?p a oa:TextPositionSelector")
    extra = URIRef(str(r.p) + "-quote")
    return Change(r.x, [(r.x, OA.hasSelector, r.p)],
                  [(r.x, OA.hasSelector, extra), (extra, RDF.type, OA.TextQuoteSelector),
                   (extra, OA.exact, Literal("another quote"))])


def evidence_with_a_third_selector(g):
    r = pick(g, "?x a atd:Evidence")
    extra = URIRef(str(r.x) + "/third")
    return Change(r.x, [], [(r.x, OA.hasSelector, extra), (extra, RDF.type, OA.TextQuoteSelector),
                            (extra, OA.exact, Literal("a third quote"))])


def participation_without_evidence(g):
    return drop(g, pick(g, "?x a atd:Participation").x, PROV.wasDerivedFrom)


def state_iso3_malformed(g):
    return replace(g, pick(g, "?x a atd:State").x, ATD.iso3166Alpha3, Literal("TH"))


def document_sha256_malformed(g):
    r = pick(g, "?x a atd:SourceDocument ; atd:sha256 ?h")
    return replace(g, r.x, ATD.sha256, Literal(str(r.h)[:-2], datatype=XSD.hexBinary))  # 62 hex digits


def participation_role_outside_roles_scheme(g):
    r = pick(g, "?x a atd:Participation . ?role skos:inScheme v:membership-roles")
    return replace(g, r.x, ATD.role, r.role)


def pledge_idea_without_objective(g):
    return drop(g, pick(g, "?x a atd:PledgeIdea").x, ATD.gcmObjective)


def objective_number_out_of_range(g):
    return replace(g, pick(g, "?x atd:objectiveNumber ?n").x, ATD.objectiveNumber, Literal(24))


def exchange_ends_before_start(g):
    r = pick(g, "?x a atd:PeerLearningExchange ; schema:startDate ?s ; schema:endDate ?e")
    return replace(g, r.x, SCHEMA.endDate, Literal(r.s.toPython() - timedelta(hours=1)))


def unnamed_actor_same_as_state(g):
    r = pick(g, "?x a atd:UnnamedActor . ?state a atd:State")
    return add(r.x, OWL.sameAs, r.state)


def genre_outside_the_registry(g):
    return replace(g, pick(g, "?x a atd:SourceDocument").x, ATD.genre, V["list-other"])


def report_that_describes_no_exchange(g):
    return drop(g, pick(g, "?x a atd:SourceDocument ; atd:genre v:genre-report").x, ATD.describes)


def practice_attributed_to_a_document(g):
    # a practice may be unattributed (the text names nobody), but what it is attributed to must be an actor
    row = pick(g, "?x a atd:Practice ; atd:attributedTo ?a . ?d a atd:SourceDocument")
    return replace(g, row.x, ATD.attributedTo, row.d)


def government_without_state(g):
    return drop(g, pick(g, "?x a atd:Government").x, ATD.ofState)


def agenda_item_without_exchange(g):
    return drop(g, pick(g, "?x a atd:AgendaItem").x, SCHEMA.superEvent)


def evidence_without_source(g):
    return drop(g, pick(g, "?x a atd:Evidence").x, OA.hasSource)


def exchange_follows_later_exchange(g):
    r = pick(g, """?x a atd:PeerLearningExchange ; dcterms:date ?d . ?later a atd:PeerLearningExchange ;
                   dcterms:date ?l FILTER (?l > ?d)""")
    return add(r.x, ATD.follows, r.later)


def _pages(g, first, last):
    """Page numbers on an evidence node (the corpus's web-converted texts have none)."""
    x = pick(g, "?x a atd:Evidence").x
    return Change(x, [], [(x, SCHEMA.pageStart, Literal(n)) for n in first] +
                  [(x, SCHEMA.pageEnd, Literal(n)) for n in last])


def evidence_on_page_zero(g):
    return _pages(g, [0], [0])


def evidence_on_two_start_pages(g):
    return _pages(g, [1, 2], [2])


def evidence_ending_before_it_starts(g):
    return _pages(g, [3], [2])


def evidence_with_a_start_page_only(g):
    return _pages(g, [1], [])


# (id, expected named shape, expected constraint component (without "ConstraintComponent"),
#  expected sh:resultPath or None for SPARQL constraints, mutation)
MUTATIONS: list[tuple[str, str, str, URIRef | None, Callable[[Graph], Change]]] = [
    ("label-missing", "LabelShape", "MinCount", RDFS.label, missing_label),
    ("label-twice", "LabelShape", "MaxCount", RDFS.label, two_labels),
    ("label-without-language", "LabelShape", "Datatype", RDFS.label, label_without_language),
    ("exchange-date-plain-string", "ExchangeShape", "Datatype", DCT.date, exchange_date_as_string),
    ("item-number-string", "ListItemShape", "Datatype", ATD.itemNumber, item_number_as_string),
    ("parent-organisation-dangling", "OrganisationShape", "Class", ORG.subOrganizationOf,
     dangling_parent_organisation),
    ("membership-without-organisation", "MembershipShape", "MinCount", ORG.organization,
     membership_without_organisation),
    ("membership-role-outside-scheme", "MembershipShape", "In", ORG.role, membership_role_outside_scheme),
    ("statistic-without-value", "StatisticShape", "MinCount", ATD.value, statistic_without_value),
    ("statistic-two-values", "StatisticShape", "MaxCount", ATD.value, statistic_with_two_values),
    ("session-after-its-exchange-ends", "AgendaItemShape", "SPARQL", None, session_after_its_exchange),
    ("evidence-without-start-offset", "PositionSelectorShape", "MinCount", OA.start, evidence_without_start),
    ("evidence-start-not-before-end", "PositionSelectorShape", "LessThan", OA.start, evidence_start_not_before_end),
    ("evidence-without-quote-selector", "EvidenceShape", "MinCount", (OA.hasSelector, OA.exact),
     evidence_without_quote_selector),
    ("evidence-without-source", "EvidenceShape", "MinCount", OA.hasSource, evidence_without_source),
    ("evidence-with-two-quote-selectors", "EvidenceShape", "MinCount", (OA.hasSelector, OA.start),
     evidence_with_two_quote_selectors),
    ("evidence-with-a-third-selector", "EvidenceShape", "MaxCount", OA.hasSelector, evidence_with_a_third_selector),
    ("evidence-on-page-zero", "EvidenceShape", "MinInclusive", SCHEMA.pageStart, evidence_on_page_zero),
    ("evidence-on-two-start-pages", "EvidenceShape", "MaxCount", SCHEMA.pageStart, evidence_on_two_start_pages),
    ("evidence-ends-before-it-starts", "EvidenceShape", "LessThanOrEquals", SCHEMA.pageStart,
     evidence_ending_before_it_starts),
    ("evidence-start-page-without-end-page", "PagedEvidenceShape", "MinCount", SCHEMA.pageEnd,
     evidence_with_a_start_page_only),
    ("participation-without-evidence", "DerivedFromPassageShape", "MinCount", PROV.wasDerivedFrom,
     participation_without_evidence),
    ("state-iso3-two-letters", "StateShape", "Pattern", ATD.iso3166Alpha3, state_iso3_malformed),
    ("document-sha256-malformed", "SourceDocumentShape", "Pattern", ATD.sha256, document_sha256_malformed),
    ("participation-role-outside-roles", "ParticipationShape", "Node", ATD.role,
     participation_role_outside_roles_scheme),
    ("pledge-idea-without-objective", "PledgeIdeaShape", "MinCount", ATD.gcmObjective, pledge_idea_without_objective),
    ("objective-number-24", "ObjectiveShape", "MaxInclusive", ATD.objectiveNumber, objective_number_out_of_range),
    ("exchange-ends-before-start", "ExchangeShape", "SPARQL", None, exchange_ends_before_start),
    ("exchange-follows-later-exchange", "ExchangeShape", "SPARQL", None, exchange_follows_later_exchange),
    ("chatham-house-unnamed-actor-sameas-state", "UnnamedActorShape", "SPARQL", None, unnamed_actor_same_as_state),
    ("genre-outside-the-registry", "SourceDocumentShape", "Node", ATD.genre, genre_outside_the_registry),
    ("report-describing-no-exchange", "SourceDocumentShape", "SPARQL", None, report_that_describes_no_exchange),
    ("practice-attributed-to-a-document", "PracticeShape", "Or", ATD.attributedTo, practice_attributed_to_a_document),
    ("government-without-state", "GovernmentShape", "MinCount", ATD.ofState, government_without_state),
    ("agenda-item-without-exchange", "AgendaItemShape", "MinCount", SCHEMA.superEvent, agenda_item_without_exchange),
]


@contextmanager
def mutated(base: Graph, mutate: Callable[[Graph], Change]) -> Iterator[Change]:
    """``base`` with the mutation's defect for the time of the block; the graph is as it was afterwards."""
    size = len(base)
    change = mutate(base)
    remove = [t for t in change.remove if t in base]
    added = [t for t in change.add if t not in base]
    assert remove or added, "the mutation changed nothing"
    for t in remove:
        base.remove(t)
    for t in added:
        base.add(t)
    try:
        yield change
    finally:
        for t in added:
            base.remove(t)
        for t in remove:
            base.add(t)
    assert len(base) == size, "the mutation was not undone"


KINDS: dict[str, Callable[[Graph], Change]] = {m[0]: m[4] for m in MUTATIONS}


class Run(NamedTuple):
    change: Change | None  # None: the unmutated graph
    conforms: bool
    report: Graph
    text: str
    shapes: Graph  # the shapes graph the run used: a property shape's blank node is looked up in it
    seconds: float  # the validation alone (benchmarks.validators --mutations adds them up)


class MutationRuns:
    """Each mutation kind validated once per validator, on first use, the defect undone afterwards: the mutation
    suite and the agreement test read the same runs, so a kind costs one pySHACL and one turbo run in all.
    Both validators of a kind get the same shapes graph, so their blank-node property shapes are the same
    nodes."""

    def __init__(self, base: Graph):
        self.base = base
        self._shapes: dict[str | None, Graph] = {}
        self._runs: dict[tuple[str | None, str], Run] = {}

    def run(self, kind: str | None, validator: str) -> Run:
        """``kind``: an id of MUTATIONS, or None for the unmutated graph."""
        from atdkg.loaders.validate import load_shapes, validate
        if (kind, validator) not in self._runs:
            shapes = self._shapes.setdefault(kind, load_shapes())
            if kind is None:
                change = None
                t = time.perf_counter()
                conforms, report, text = validate(self.base, shapes, validator=validator)
                seconds = time.perf_counter() - t
            else:
                with mutated(self.base, KINDS[kind]) as change:
                    t = time.perf_counter()
                    conforms, report, text = validate(self.base, shapes, validator=validator)
                    seconds = time.perf_counter() - t
            self._runs[kind, validator] = Run(change, conforms, report, text, shapes, seconds)
        return self._runs[kind, validator]
