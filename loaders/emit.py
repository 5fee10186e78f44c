"""Emit RDF from parsed records: one named graph per source document, plus shared graphs.

Graphs (``{base}graph/…``):
- ``doc/{id}``   what document {id} states, each node derived from an evidence passage of it;
- ``entities``   what is merged across documents: canonical labels of people, exchanges and
                 organisations minted from text;
- ``reference``  States, regions, GCM objectives and listed organisations from data/reference
                 and data/gazetteer;
- ``ontology``   ontology/atd.ttl and ontology/vocabularies.ttl.
IRIs are built from identities (dates, ISO codes, name slugs, list keys), never positions in a file.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, SKOS

from atdkg.terms import ATD, V

from .gazetteer import Gazetteer
from .genres import REGISTRY
from .names import slug
from .records import AgendaItem, OrgRef, ParsedDocument, Participation, PersonRef, Placeholder, Span, StateRef, Unnamed
from .resolve import Resolver, canonical_person_name
from .sources import Source
from .vocab import Vocabulary

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
WD = Namespace("http://www.wikidata.org/entity/")
PREFIXES = {"atd": ATD, "v": V, "org": ORG, "schema": SCHEMA, "oa": OA, "prov": PROV, "skos": SKOS,
            "dcterms": DCTERMS, "foaf": FOAF, "wd": WD, "owl": OWL}
TZ_OFFSETS = {"CET": "+01:00", "CEST": "+02:00", "UTC": "Z", "GMT": "Z", "EST": "-05:00", "EDT": "-04:00"}
ITEM_CLASS = {"policy-brief-call": "PolicyBriefCall", "pledge-idea": "PledgeIdea", "recommendation": "Recommendation",
              "next-step": "NextStep", "pathway": "Pathway", "finding": "Finding", "key-factor": "Finding",
              "challenge": "Finding", "practice-element": "Finding", "other": "ListItem"}
FORM_FEED = re.compile("\f")  # the page break of PDF text (loaders/pdf.py)


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def _concept(g: Graph, node: URIRef, scheme: str, label: str, definition: str) -> URIRef:
    """A SKOS concept of one of our schemes, labelled as vocabularies.ttl labels its own."""
    g.add((node, RDF.type, SKOS.Concept))
    g.add((node, SKOS.inScheme, V[scheme]))
    g.add((node, RDFS.label, en(label)))
    g.add((node, SKOS.prefLabel, en(label)))
    g.add((node, SKOS.definition, en(definition)))
    return node


def short(text: str, limit: int = 120) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


# a State's short name that takes "the" in running text ("the Philippines", "the United Kingdom", "the Gambia")
ARTICLE_NAME = re.compile(r"^(?:United|Gambia|Bahamas)\b|s$|\b(?:Republic|Kingdom|Islands|States|Federation)\b")


@dataclass
class Emitter:
    gazetteer: Gazetteer
    base: str
    texts: dict[str, str]  # document id → original text (for quotes)
    sources: dict[str, Source]
    vocab: Vocabulary

    def __post_init__(self):
        self.ds = Dataset(default_union=True)  # queries see all graphs unless they name one
        for p, ns in PREFIXES.items():
            self.ds.bind(p, ns)
        self.ID = Namespace(self.base + "id/")
        self.GRAPH = Namespace(self.base + "graph/")
        self.ds.bind("id", self.ID)
        self.entities = self.ds.graph(self.GRAPH["entities"])
        self.reference = self.ds.graph(self.GRAPH["reference"])
        self.resolver = Resolver(self.gazetteer)
        self.states_used: set[str] = set()
        self.orgs_used: set[str] = set()
        self.person_names: dict[str, list[str]] = defaultdict(list)
        self.exchange_titles: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        self.co_leads: dict[str, list[str]] = {}
        self.warnings: list[str] = []
        self.page_breaks: dict[str, list[int] | None] = {}

    def canonical(self, node: URIRef, prop: URIRef, value: Literal, doc: str) -> None:
        """A value that must be one across documents: the first document's wins, a conflict is reported."""
        old = self.entities.value(node, prop)
        if old is None:
            self.entities.add((node, prop, value))
        elif old != value:
            self.warnings.append(f"{self.sources[doc].file}: {node} {prop} differs from an earlier document "
                                 f"({str(value)[:60]!r} vs {str(old)[:60]!r}); kept the earlier one")

    # -- identities ---------------------------------------------------------------------------
    def graph(self, doc: str) -> Graph:
        return self.ds.graph(self.GRAPH[f"doc/{doc}"])

    def exchange(self, date: str) -> URIRef:
        return self.ID[f"event/{date}"]

    def document(self, doc: str) -> URIRef:
        return self.ID[f"document/{doc}"]

    def state(self, iso3: str) -> URIRef:
        self.states_used.add(iso3)
        return self.ID[f"state/{iso3}"]

    def org_iri(self, key: str) -> URIRef:
        self.orgs_used.add(key)
        kind, _, rest = key.partition("-")
        if kind in ("GOV", "PM") and len(rest) == 3 and rest.isupper():
            return self.ID[f"org/{'government' if kind == 'GOV' else 'permanent-mission'}/{rest}"]
        return self.ID["org/" + "/".join(slug(part) for part in key.split("/"))]

    def person(self, name: str) -> URIRef:
        return self.ID[f"person/{slug(name)}"]

    # -- evidence -------------------------------------------------------------------------------------
    def evidence(self, span: Span, supports: URIRef | None = None) -> URIRef:
        """The passage as a Web Annotation specific resource with position and quote selectors."""
        g = self.graph(span.doc)
        ev = self.ID[f"evidence/{span.doc}/{span.start}-{span.end}"]
        if (ev, RDF.type, ATD.Evidence) not in g:
            text = self.texts[span.doc]
            pos, quote = URIRef(f"{ev}/position"), URIRef(f"{ev}/quote")
            g.add((ev, RDF.type, ATD.Evidence))
            g.add((ev, RDF.type, OA.SpecificResource))
            g.add((ev, OA.hasSource, self.document(span.doc)))
            g.add((ev, OA.hasSelector, pos))
            g.add((ev, OA.hasSelector, quote))
            g.add((pos, RDF.type, OA.TextPositionSelector))
            g.add((pos, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)))
            g.add((pos, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)))
            g.add((quote, RDF.type, OA.TextQuoteSelector))
            g.add((quote, OA.exact, Literal(text[span.start:span.end])))
            g.add((quote, OA.prefix, Literal(text[max(0, span.start - 32):span.start])))
            g.add((quote, OA.suffix, Literal(text[span.end:span.end + 32])))
            if (pages := self.pages(span.doc)) is not None:
                # the pages of its first and last characters: the same page but for a passage a page break cuts
                g.add((ev, SCHEMA.pageStart, Literal(bisect_right(pages, span.start) + 1)))
                g.add((ev, SCHEMA.pageEnd, Literal(bisect_right(pages, span.end - 1) + 1)))
        if supports is not None:
            g.add((ev, ATD.supports, supports))
        return ev

    def pages(self, doc: str) -> list[int] | None:
        """Offsets of the form feeds that separate the document's pages (1-based page n starts after the
        (n-1)th), or None for a text without pages: one with no form feed that did not come as a PDF (a
        one-page PDF has no form feed, yet every passage of it is on page 1; a web page has no page 1)."""
        if doc not in self.page_breaks:
            text = self.texts[doc]
            breaks = [m.start() for m in FORM_FEED.finditer(text)]
            self.page_breaks[doc] = breaks if breaks or self.sources[doc].pdf else None
        return self.page_breaks[doc]

    def derive(self, node: URIRef, span: Span, supports: URIRef | None = None) -> None:
        self.graph(span.doc).add((node, PROV.wasDerivedFrom, self.evidence(span, supports)))

    # -- actors ------------------------------------------------------------------------------------------
    def actor(self, actor, doc: str, date: str, scope: str) -> list[URIRef]:
        """IRIs for whoever a record names; the WG co-leads expand to the co-lead organisations."""
        g = self.graph(doc)
        if isinstance(actor, PersonRef):
            return [self.person_mention(actor, doc, date)]
        if isinstance(actor, OrgRef):
            if actor.key == "WG-ATD-CO-LEADS":
                return [self.org_iri(k) for k in self.co_leads.get(doc, [])]
            return [self.org_mention(actor, doc)]
        if isinstance(actor, StateRef):
            node = self.state(actor.iso3)
            self.derive(node, actor.span)
            return [node]
        if isinstance(actor, Unnamed):
            node = self.ID[f"unnamed/{doc}/{actor.key.rsplit('-u', 1)[-1]}"]
            g.add((node, RDF.type, ATD.UnnamedActor))
            g.add((node, RDF.type, PROV.Agent))
            g.add((node, RDFS.label, en(f"{actor.description} (unnamed in document {doc})")))
            g.add((node, ATD.actorKind, Literal(actor.kind)))
            self.derive(node, actor.span)
            return [node]
        if isinstance(actor, Placeholder):
            node = self.ID[f"placeholder/{date}/{scope}/{slug(actor.description)[:60]}"]
            g.add((node, RDF.type, ATD.PlaceholderSpeaker))
            g.add((node, RDF.type, PROV.Agent))
            g.add((node, RDFS.label, en(actor.description)))
            g.add((node, ATD.toBeConfirmed, Literal(actor.tbc)))
            self.derive(node, actor.span)
            return [node]
        raise TypeError(f"unknown actor {actor!r}")

    def org_mention(self, ref: OrgRef, doc: str) -> URIRef:
        """The organisation's IRI; it and every parent the passage names derive from the passage."""
        key = self.resolver.org_key(ref, f"{self.sources[doc].file}")
        node = self.org_iri(key)
        self.derive(node, ref.span)
        # the name as this document writes it: "Permanent Mission of the Republic of Zambia to the UN in New York"
        # is the gazetteer's mission, and a reader of the document should find it by the document's words
        self.graph(doc).add((node, ATD.nameAsWritten, Literal(ref.name)))
        if ref.parent is not None:
            self.org_mention(ref.parent, doc)
        o = self.resolver.org(key)
        while o.parent:  # parents are part of the identity: emit them too
            self.org_iri(o.parent)
            o = self.resolver.org(o.parent)
        return node

    def person_mention(self, p: PersonRef, doc: str, date: str) -> URIRef:
        g = self.graph(doc)
        node = self.person(p.name)
        self.person_names[str(node)].append(p.name)
        g.add((node, RDF.type, FOAF.Person))
        g.add((node, RDF.type, SCHEMA.Person))
        g.add((node, ATD.nameAsWritten, Literal(p.name)))
        if p.honorific:
            g.add((node, SCHEMA.honorificPrefix, Literal(p.honorific)))
        self.derive(node, p.span)
        if p.position or p.org or p.state:
            org_node = self.org_mention(p.org, doc) if p.org else None
            # a document with no date at all dates nothing: its positions are scoped by the document instead
            when = date or f"document-{doc}"
            pos = self.ID[f"position/{slug(p.name)}/{when}/{org_node.rsplit('/org/', 1)[-1] if org_node else 'none'}"]
            g.add((pos, RDF.type, ATD.Position))
            g.add((pos, RDF.type, ORG.Membership))
            g.add((pos, ORG.member, node))
            g.add((pos, RDFS.label, en(f"{p.name}: {p.affiliation or p.position}")))
            if org_node is not None:
                g.add((pos, ORG.organization, org_node))
            if p.position:
                g.add((pos, ATD.positionTitle, Literal(p.position)))
            if p.affiliation:
                g.add((pos, ATD.affiliationAsWritten, Literal(p.affiliation)))
            if p.state:
                g.add((pos, ATD.representsState, self.state(p.state.iso3)))
            if date:
                g.add((pos, ATD.asOf, Literal(date, datatype=XSD.date)))
            self.derive(pos, p.span)
        return node

    # -- documents and events --------------------------------------------------------------------------------
    def document_node(self, src: Source) -> None:
        g = self.graph(src.id)
        d = self.document(src.id)
        g.add((d, RDF.type, ATD.SourceDocument))
        g.add((d, RDF.type, FOAF.Document))
        g.add((d, RDF.type, PROV.Entity))
        g.add((d, RDFS.label, en(f"{src.id}: {src.title}")))
        g.add((d, DCTERMS.identifier, Literal(src.id)))
        g.add((d, DCTERMS.title, en(src.title)))
        genre = REGISTRY[src.genre]
        g.add((d, ATD.genre, V[f"genre-{genre.concept}"]))
        if genre.describes_event:
            g.add((d, ATD.describes, self.exchange(src.event)))
        g.add((g.identifier, DCTERMS.source, d))  # the named graph says which document it holds
        g.add((d, ATD.fileName, Literal(src.file)))
        g.add((d, ATD.sha256, Literal(src.sha256, datatype=XSD.hexBinary)))
        g.add((d, DCTERMS.language, Literal(src.language, datatype=XSD.language)))
        if src.date:
            g.add((d, DCTERMS.date, Literal(src.date, datatype=XSD.date)))
        if src.publisher:
            key = self.gazetteer.resolve_org(src.publisher)
            g.add((d, DCTERMS.publisher, self.org_iri(key) if key else Literal(src.publisher)))

    def _datetime(self, date: str, time: str | None, tz: str | None) -> Literal | None:
        if not time:
            return None
        offset = TZ_OFFSETS.get(tz or "", "")
        return Literal(f"{date}T{time}:00{offset}", datatype=XSD.dateTime)

    def exchange_node(self, pd: ParsedDocument) -> URIRef:
        ex = pd.exchange
        g = self.graph(pd.doc)
        node = self.exchange(ex.date)
        g.add((node, RDF.type, ATD.PeerLearningExchange))
        g.add((node, RDF.type, SCHEMA.Event))
        g.add((node, DCTERMS.date, Literal(ex.date, datatype=XSD.date)))
        start = self._datetime(ex.date, ex.start, ex.tz)  # None without a start time
        if start is not None:
            g.add((node, SCHEMA.startDate, start))
        facts = [
            ("date", DCTERMS.date), ("title", SCHEMA.name), ("time", SCHEMA.startDate), ("hosts", ATD.host),
            ("chatham", ATD.chathamHouseRule), ("closed", ATD.closedMeeting), ("languages", ATD.interpretationLanguage),
            ("online", SCHEMA.eventAttendanceMode), ("ordinal", ATD.exchangeNumber),
        ]
        for fact, prop in facts:
            if fact in ex.spans:
                self.derive(node, ex.spans[fact], prop)
        if "document" in ex.spans:
            self.derive(node, ex.spans["document"])
        if ex.title:
            self.exchange_titles[ex.date].append((REGISTRY[pd.genre].title_rank, pd.doc, ex.title))
            g.add((node, SKOS.altLabel, en(ex.title)))
        end = self._datetime(ex.date, ex.end, ex.tz)  # None without an end time
        if end is not None:
            g.add((node, SCHEMA.endDate, end))
        if ex.tz:
            g.add((node, ATD.timeZoneAsPrinted, Literal(ex.tz)))
        if ex.online:
            g.add((node, SCHEMA.eventAttendanceMode, SCHEMA.OnlineEventAttendanceMode))
        if ex.closed is not None:
            g.add((node, ATD.closedMeeting, Literal(ex.closed)))
        if ex.chatham is not None:
            g.add((node, ATD.chathamHouseRule, Literal(ex.chatham)))
        for lang in ex.languages:
            g.add((node, ATD.interpretationLanguage, Literal(lang, datatype=XSD.language)))
        if ex.ordinal:
            g.add((node, ATD.exchangeNumber, Literal(ex.ordinal)))
        for host in ex.hosts:
            for h in self.actor(host, pd.doc, ex.date, "hosts"):
                hosting = self.ID[f"hosting/{ex.date}/{h.rsplit('/id/', 1)[-1].replace('/', '-')}"]
                g.add((hosting, RDF.type, ATD.Hosting))
                g.add((hosting, ATD.host, h))
                g.add((hosting, ATD.hostedEvent, node))
                g.add((hosting, RDFS.label, en(f"Hosting of the exchange of {ex.date}")))
                self.derive(hosting, host.span)
        for link in pd.event_links:
            other = self.exchange(link.date)
            g.add((self.document(pd.doc), DCTERMS.references, other))
            if link.relation == "follows":
                g.add((node, ATD.follows, other))
                self.derive(node, link.span, ATD.follows)
        return node

    def agenda_item(self, pd: ParsedDocument, item: AgendaItem, previous: str) -> tuple[URIRef, str]:
        g = self.graph(pd.doc)
        date = pd.exchange.date
        if item.kind == "session" and item.number:
            scope = f"session-{item.number}"
        else:
            scope = f"{item.kind}-{(item.time or 'after-' + previous).replace(':', '')}"
        node = self.ID[f"event/{date}/{scope}"]
        g.add((node, RDF.type, ATD.AgendaItem))
        g.add((node, RDF.type, SCHEMA.Event))
        g.add((node, SCHEMA.superEvent, self.exchange(date)))
        g.add((node, ATD.agendaItemKind, V[f"item-{item.kind}"]))
        g.add((node, SCHEMA.name, Literal(item.title)))
        if item.kind == "session" and item.number:
            g.add((node, RDF.type, ATD.Session))
            g.add((node, ATD.sessionNumber, Literal(item.number)))
            g.add((node, RDFS.label, en(f"Session {item.number}: {item.title} ({date})")))
        else:
            g.add((node, RDFS.label, en(f"{item.title} ({date})")))
        if dt := self._datetime(date, item.time, pd.exchange.tz):
            g.add((node, SCHEMA.startDate, dt))
        if item.description:
            g.add((node, SCHEMA.description, en(item.description)))
        self.derive(node, item.span)
        for p in item.participations:
            self.participation(pd.doc, date, node, scope, p)
        return node, (item.time or previous)

    def participation(self, doc: str, date: str, event: URIRef, scope: str, p: Participation) -> None:
        g = self.graph(doc)
        for who in self.actor(p.actor, doc, date, scope):
            node = self.ID[f"participation/{date}/{scope}/{p.role}/{who.rsplit('/id/', 1)[-1].replace('/', '-')}"]
            g.add((node, RDF.type, ATD.Participation))
            g.add((node, ATD.participant, who))
            g.add((node, ATD.inEvent, event))
            g.add((node, ATD.role, V[f"role-{p.role}"]))
            g.add((node, RDFS.label, en(f"{p.role.replace('-', ' ')} in {scope.replace('-', ' ')} of {date}")))
            if p.topic:
                g.add((node, ATD.topic, Literal(p.topic)))
            if p.tbc:
                g.add((node, ATD.toBeConfirmed, Literal(True)))
            self.derive(node, p.span)

    # -- what the documents state beyond the agenda --------------------------------------------------------
    def memberships(self, pd: ParsedDocument) -> None:
        g = self.graph(pd.doc)
        wg = self.org_iri("WG-ATD")
        date = pd.exchange.date
        self.co_leads[pd.doc] = []
        for m in pd.memberships:
            org_node = self.org_mention(m.org, pd.doc)
            if m.role == "co-lead":
                self.co_leads[pd.doc].append(self.resolver.org_key(m.org, pd.doc))
            node = self.ID[f"membership/{org_node.rsplit('/org/', 1)[-1]}/{m.role}/{date}"]
            g.add((node, RDF.type, ATD.WorkingGroupMembership))
            g.add((node, RDF.type, ORG.Membership))
            g.add((node, ORG.member, org_node))
            g.add((node, ORG.organization, wg))
            g.add((node, ORG.role, V[f"membership-{m.role}"]))
            g.add((node, ATD.asOf, Literal(date, datatype=XSD.date)))
            g.add((node, RDFS.label, en(f"{m.org.name}: {m.role} of the Working Group as of {date}")))
            self.derive(node, m.span)

    def publications(self, pd: ParsedDocument) -> None:
        g = self.graph(pd.doc)
        for pub in pd.publications:
            node = self.ID[f"publication/{pub.key}"]
            g.add((node, RDF.type, ATD.Publication))
            g.add((node, RDF.type, FOAF.Document))
            self.canonical(node, RDFS.label, en(pub.label), pd.doc)
            if pub.title_as_written:
                g.add((node, DCTERMS.title, en(pub.title_as_written)))
            if pub.date:
                g.add((node, DCTERMS.date, Literal(pub.date, datatype=XSD.gYearMonth)))
            creators = self.co_leads.get(pd.doc, []) if pub.creator_role == "co-lead" else [pub.creator]
            for key in creators:
                g.add((node, DCTERMS.creator, self.org_iri(key)))
            g.add((self.document(pd.doc), DCTERMS.references, node))
            self.derive(node, pub.span)

    def lists(self, pd: ParsedDocument, exchange: URIRef | None) -> None:
        g = self.graph(pd.doc)
        for lst in pd.lists:
            node = self.ID[f"list/{lst.key}"]
            g.add((node, RDF.type, ATD.ItemList))
            g.add((node, RDF.type, SCHEMA.ItemList))
            g.add((node, ATD.listKind, V[f"list-{lst.kind}"]))
            g.add((node, SCHEMA.numberOfItems, Literal(len(lst.items))))
            self.canonical(node, RDFS.label, en(short(lst.label)), pd.doc)
            if lst.publication:
                g.add((node, ATD.inPublication, self.ID[f"publication/{lst.publication}"]))
            elif exchange is not None:
                g.add((node, ATD.presentedAt, exchange))
            if lst.reported_by is not None:
                for who in self.actor(lst.reported_by, pd.doc, pd.exchange.date, "lists"):
                    g.add((node, ATD.reportedBy, who))
            self.derive(node, lst.span)
            cls = ATD[ITEM_CLASS.get(lst.kind) or REGISTRY.list_kinds[lst.kind].item_class]
            for item in lst.items:
                inode = self.ID[f"list/{lst.key}/{item.number}"]
                g.add((inode, RDF.type, cls))
                g.add((inode, RDF.type, ATD.ListItem))
                g.add((node, ATD.hasItem, inode))
                g.add((inode, ATD.inList, node))
                g.add((inode, ATD.itemNumber, Literal(item.number)))
                g.add((inode, SCHEMA.position, Literal(item.number)))
                g.add((inode, ATD.numberedInSource, Literal(item.numbered_in_source)))
                self.canonical(inode, ATD.text, en(item.text), pd.doc)
                self.canonical(inode, RDFS.label, en(f"{item.number}. {short(item.text, 100)}"), pd.doc)
                for n in item.objectives:
                    g.add((inode, ATD.gcmObjective, V[f"gcm-objective-{n}"]))
                for c in self.vocab.categories(item.text):
                    g.add((inode, ATD.practiceCategory, V[c]))
                for t in self.vocab.targets(item.text):
                    g.add((inode, ATD.targetGroup, V[t]))
                self.derive(inode, item.span)

    def statistics(self, pd: ParsedDocument, exchange: URIRef | None) -> None:
        g = self.graph(pd.doc)
        for st in pd.statistics:
            node = self.ID[f"statistic/{st.key}"]
            g.add((node, RDF.type, ATD.Statistic))
            decimal = st.unit == "percent" or not st.value.isdigit()
            g.add((node, ATD.value, Literal(st.value, datatype=XSD.decimal if decimal else XSD.integer)))
            g.add((node, ATD.unit, Literal(st.unit)))
            if st.upper is not None:
                g.add((node, ATD.upperValue, Literal(st.upper, datatype=XSD.integer if st.upper.isdigit()
                                                     else XSD.decimal)))
            g.add((node, ATD.countedThing, Literal(st.counted)))
            if exchange is not None:
                g.add((node, ATD.period, exchange))
            value = st.value if st.upper is None else f"{st.value}–{st.upper}"
            value = f"{value}%" if st.unit == "percent" else value if st.unit == "count" else \
                f"{st.unit} {value}" if st.unit.isupper() else f"{value} {st.unit}"
            label = " ".join(x for x in (st.counted, st.qualifier, value) if x) if st.unit != "count" else \
                " ".join(x for x in (st.qualifier, value, st.counted) if x)
            where = f"exchange of {pd.exchange.date}" if exchange is not None else f"document {pd.doc}"
            g.add((node, RDFS.label, en(f"{label} ({where})")))
            if st.population:
                g.add((node, ATD.population, Literal(st.population)))
            if st.place:
                g.add((node, ATD.place, Literal(st.place)))
            if st.qualifier:
                g.add((node, ATD.qualifier, Literal(st.qualifier)))
            for who in self.actor(st.reported_by, pd.doc, pd.exchange.date, "statistics") if st.reported_by else []:
                g.add((node, ATD.reportedBy, who))
            self.derive(node, st.span)

    def attendance(self, pd: ParsedDocument, exchange: URIRef | None) -> None:
        g = self.graph(pd.doc)
        if exchange is None:  # attendance is at an exchange; a text that describes none states none
            return
        for a in pd.attendance:
            for who in self.actor(a.actor, pd.doc, pd.exchange.date, "attendance"):
                node = self.ID[f"attendance/{pd.exchange.date}/{who.rsplit('/id/', 1)[-1].replace('/', '-')}"]
                g.add((node, RDF.type, ATD.Attendance))
                g.add((node, ATD.attendee, who))
                g.add((node, ATD.inEvent, exchange))
                g.add((node, RDFS.label, en(f"Attendance at the exchange of {pd.exchange.date}")))
                self.derive(node, a.span)

    def practices(self, pd: ParsedDocument, exchange: URIRef | None) -> None:
        g = self.graph(pd.doc)
        minted: set[URIRef] = set()
        for p in pd.practices:
            node = self.ID[f"practice/{pd.doc}/{slug(p.label)[:60]}"]
            if node in minted:  # two practices of one sentence whose first words are the same: told apart by place
                node = self.ID[f"practice/{pd.doc}/{slug(p.label)[:60]}-{p.span.start}"]
            minted.add(node)
            g.add((node, RDF.type, ATD.Practice))
            g.add((node, RDFS.label, en(short(p.label))))
            g.add((node, ATD.text, en(p.label)))
            if exchange is not None:
                g.add((node, ATD.presentedAt, exchange))
            for who in self.actor(p.actor, pd.doc, pd.exchange.date, "practices") if p.actor is not None else []:
                g.add((node, ATD.attributedTo, who))
            for c in p.categories:
                g.add((node, ATD.practiceCategory, V[c]))
            for t in p.targets:
                g.add((node, ATD.targetGroup, V[t]))
            self.derive(node, p.span)

    def partnerships(self, pd: ParsedDocument) -> None:
        g = self.graph(pd.doc)
        for p in pd.partnerships:
            node = self.ID[f"partnership/{pd.doc}/{p.span.start}-{p.span.end}"]
            g.add((node, RDF.type, ATD.Partnership))
            g.add((node, RDFS.label, en(short(p.description))))
            g.add((node, ATD.text, en(p.description)))
            for actor in p.partners:
                for who in self.actor(actor, pd.doc, pd.exchange.date, "partnerships"):
                    g.add((node, ATD.partner, who))
            self.derive(node, p.span)

    def report_speakers(self, pd: ParsedDocument, exchange: URIRef | None) -> None:
        """Speakers a report describes took part in the exchange: anonymous ones unnamed,
        officers named only by role as their organisation."""
        speakers: list[Unnamed | OrgRef] = [*pd.unnamed, *pd.speakers]
        if exchange is None:  # a text that describes no exchange: its anonymous actors still stand, unnamed
            for who in speakers:
                self.actor(who, pd.doc, pd.exchange.date, "report")
            return
        for who in speakers:
            self.participation(pd.doc, pd.exchange.date, exchange, "report",
                               Participation(who, "speaker", who.span))

    def mentions(self, pd: ParsedDocument) -> None:
        """<document> schema:mentions <entity>, each entity derived from the passage that names it."""
        g, document = self.graph(pd.doc), self.document(pd.doc)
        for m in pd.mentions:
            for node in self.actor(m.actor, pd.doc, pd.exchange.date, "mention"):
                g.add((document, SCHEMA.mentions, node))

    def add_document(self, src: Source, pd: ParsedDocument) -> None:
        self.document_node(src)
        exchange = self.exchange_node(pd) if pd.describes_event else None
        self.memberships(pd)
        previous = "start"
        for item in pd.agenda:
            _, previous = self.agenda_item(pd, item, previous)
        self.publications(pd)
        self.lists(pd, exchange)
        self.statistics(pd, exchange)
        self.attendance(pd, exchange)
        self.practices(pd, exchange)
        self.partnerships(pd)
        self.report_speakers(pd, exchange)
        self.mentions(pd)

    # -- what is merged across documents, and the reference data ----------------------------------------------
    def finish(self, ontology_files: list) -> Dataset:
        self._people()
        self._exchanges()
        self._organisations()
        self._states()
        self._objectives()
        self._ontology(ontology_files)
        self.warnings = self.resolver.warnings + self.warnings
        return self.ds

    def _people(self) -> None:
        for iri, names in sorted(self.person_names.items()):
            node = URIRef(iri)
            label = canonical_person_name(names)
            self.entities.add((node, RDFS.label, en(label)))
            self.entities.add((node, FOAF.name, Literal(label)))
            for variant in sorted(set(names) - {label}):
                self.entities.add((node, SKOS.altLabel, en(variant)))

    def _exchanges(self) -> None:
        for date, titles in sorted(self.exchange_titles.items()):
            node = self.exchange(date)
            title = sorted(titles)[0][2]  # a concept note's title over a report's: it is the announced one
            self.entities.add((node, RDFS.label, en(title)))
            self.entities.add((node, SCHEMA.name, en(title)))
        described = sorted((REGISTRY[s.genre].title_rank, s.id, s) for s in self.sources.values()
                           if REGISTRY[s.genre].describes_event)
        for date in sorted({s.event for _, _, s in described} - set(self.exchange_titles)):
            # never fatal: the exchange is named after the document that describes it (its title as added,
            # --title or its first heading), and the build says so
            src = next(s for _, _, s in described if s.event == date)
            title = src.title or f"Exchange of {date}"
            node = self.exchange(date)
            self.entities.add((node, RDFS.label, en(title)))
            self.entities.add((node, SCHEMA.name, en(title)))
            self.warnings.append(f"exchange {date}: no document states its title; named after {src.file} "
                                 f"({title!r})")

    def _dataset(self, name: str, path: str) -> URIRef:
        node = self.ID[f"dataset/{name}"]
        self.reference.add((node, RDF.type, PROV.Entity))
        self.reference.add((node, RDF.type, URIRef("http://www.w3.org/ns/dcat#Dataset")))
        self.reference.add((node, RDFS.label, en(f"Reference data: {path}")))
        self.reference.add((node, DCTERMS.source, Literal(path)))
        return node

    def _organisations(self) -> None:
        gazetteer_ds = self._dataset("organisations",
                                     "data/reference/organisations.csv + data/gazetteer/organisations.csv")
        pending = sorted(self.orgs_used)
        done: set[str] = set()
        while pending:
            key = pending.pop()
            if key in done:
                continue
            done.add(key)
            o = self.resolver.org(key)
            node = self.org_iri(key)
            g = self.reference if o.listed else self.entities
            cls = ATD[o.cls] if o.cls != "Organisation" else ORG.Organization
            g.add((node, RDF.type, cls))
            g.add((node, RDF.type, ORG.Organization))
            g.add((node, RDFS.label, en(o.label)))
            for a in o.acronyms:
                g.add((node, ATD.acronym, Literal(a)))
            for alt in self.resolver.alt_names(key):
                g.add((node, SKOS.altLabel, en(alt)))
            if o.parent:
                g.add((node, ORG.subOrganizationOf, self.org_iri(o.parent)))
                pending.append(o.parent)
            state = o.state if o.cls in ("Government", "PermanentMission", "GovernmentBody") else None
            if state:
                g.add((node, ATD.ofState, self.state(state)))
                state_label = self.gazetteer.states[state].label if state in self.gazetteer.states else ""
                if o.cls == "GovernmentBody" and o.label.startswith("Ministry ") and state_label \
                        and state_label not in o.label and not ARTICLE_NAME.search(state_label):
                    # "Ministry of Foreign Affairs of Uruguay": how a ministry is named where its State is not
                    # implied (not for a State named with an article: "the Philippines", "the United Kingdom")
                    g.add((node, SKOS.altLabel, en(f"{o.label} of {state_label}")))
            if o.based_in:
                g.add((node, ATD.basedIn, self.state(o.based_in)))
            if o.wikidata:
                g.add((node, SCHEMA.sameAs, WD[o.wikidata]))
            if o.listed:
                g.add((node, PROV.wasDerivedFrom, gazetteer_ds))
            else:
                g.add((node, ATD.mintedFromText, Literal(True)))

    def _region(self, code: str, name: str, broader: str | None) -> URIRef:
        node = V[f"m49-{code}"]
        self.reference.add((node, RDF.type, ATD.Region))
        self.reference.add((node, RDF.type, SKOS.Concept))
        self.reference.add((node, SKOS.inScheme, V["m49-regions"]))
        self.reference.add((node, RDFS.label, en(name)))
        self.reference.add((node, SKOS.prefLabel, en(name)))
        self.reference.add((node, SKOS.notation, Literal(code)))
        self.reference.add((node, ATD.m49Code, Literal(code)))
        if broader:
            self.reference.add((node, SKOS.broader, V[f"m49-{broader}"]))
        return node

    def _states(self) -> None:
        ds = self._dataset("states", "data/reference/m49_countries.csv + data/reference/states.csv")
        for iso in sorted(self.states_used):
            s = self.gazetteer.states[iso]
            node = self.ID[f"state/{iso}"]
            r = self.reference
            r.add((node, RDF.type, ATD.State))
            r.add((node, RDF.type, SCHEMA.Country))
            r.add((node, RDFS.label, en(s.label)))
            for n in sorted(s.names - {s.label}):
                r.add((node, SKOS.altLabel, en(n)))
            r.add((node, ATD.iso3166Alpha2, Literal(s.iso2)))
            r.add((node, ATD.iso3166Alpha3, Literal(s.iso3)))
            r.add((node, ATD.m49Code, Literal(s.numeric)))
            r.add((node, ATD.m49Region, self._region(s.region_code, s.region, None)))
            r.add((node, ATD.m49SubRegion, self._region(s.subregion_code, s.subregion, s.region_code)))
            if s.intermediate_code:
                r.add((node, ATD.m49IntermediateRegion,
                       self._region(s.intermediate_code, s.intermediate, s.subregion_code)))
            if s.wikidata:
                r.add((node, SCHEMA.sameAs, WD[s.wikidata]))
            r.add((node, PROV.wasDerivedFrom, ds))

    def _objectives(self) -> None:
        ds = self._dataset("gcm-objectives", "data/reference/gcm_objectives.csv")
        r = self.reference
        for n, o in sorted(self.gazetteer.objectives.items()):
            node = V[f"gcm-objective-{n}"]
            r.add((node, RDF.type, SKOS.Concept))
            r.add((node, SKOS.inScheme, V["gcm-objectives"]))
            r.add((V["gcm-objectives"], SKOS.hasTopConcept, node))
            r.add((node, RDFS.label, en(f"Objective {n}: {o.title}")))
            r.add((node, SKOS.prefLabel, en(o.title)))
            r.add((node, SKOS.definition, en(o.title)))
            r.add((node, SKOS.altLabel, en(o.short_label)))
            if o.alt_title:
                r.add((node, SKOS.altLabel, en(o.alt_title)))
            r.add((node, SKOS.notation, Literal(str(n))))
            r.add((node, ATD.objectiveNumber, Literal(n)))
            if o.paragraph:
                r.add((node, ATD.commitmentParagraph, Literal(o.paragraph)))
            r.add((node, PROV.wasDerivedFrom, ds))

    @staticmethod
    def _registry_concepts(g: Graph) -> None:
        """The genres and the list kinds genres introduce, as SKOS concepts, from loaders/genres/registry.yaml:
        one table, so a new genre needs no edit of the vocabularies or the shapes."""
        for genre in REGISTRY.genres.values():
            if genre.concept != genre.key:
                continue  # shares another genre's concept (an agenda is read and typed as a concept note)
            node = _concept(g, V[f"genre-{genre.key}"], "genres", genre.label, genre.definition)
            g.add((node, SKOS.notation, Literal(genre.key)))
            g.add((node, ATD.genreDescribesExchange, Literal(genre.describes_event)))
        for kind in REGISTRY.list_kinds.values():
            _concept(g, V[f"list-{kind.key}"], "list-kinds", kind.label, kind.definition)

    def _ontology(self, files: list) -> None:
        g = self.ds.graph(self.GRAPH["ontology"])
        for f in files:
            g.parse(f, format="turtle")
        self._registry_concepts(g)
        # actor types: each organisation class is also a concept of the actor-types scheme (OWL 2 punning)
        organisation_classes = set(g.subjects(RDFS.subClassOf, ORG.Organization))
        for cls in sorted(organisation_classes | {ATD.WorkingGroup, ATD.OrganisationalUnit}):
            g.add((cls, RDF.type, SKOS.Concept))
            g.add((cls, SKOS.inScheme, V["actor-types"]))
            g.add((cls, SKOS.prefLabel, g.value(cls, RDFS.label)))
