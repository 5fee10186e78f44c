"""Every assertion traces back to the exact passage it came from."""
from __future__ import annotations

from rdflib import RDF, URIRef
from rdflib.namespace import PROV

from atdkg.loaders.emit import ATD, OA

NON_ASSERTIONS = {ATD.Evidence, OA.TextPositionSelector, OA.TextQuoteSelector, ATD.SourceDocument}


def _evidence(dataset):
    for ev in set(dataset.subjects(RDF.type, ATD.Evidence)):
        doc = dataset.value(ev, OA.hasSource)
        pos = next(s for s in dataset.objects(ev, OA.hasSelector) if (s, RDF.type, OA.TextPositionSelector) in dataset)
        quote = next(s for s in dataset.objects(ev, OA.hasSelector) if (s, RDF.type, OA.TextQuoteSelector) in dataset)
        yield ev, str(doc).rsplit("/", 1)[-1], dataset.value(pos, OA.start).toPython(), \
            dataset.value(pos, OA.end).toPython(), str(dataset.value(quote, OA.exact)), quote


def test_every_quote_is_the_original_text_at_its_offsets(dataset, originals):
    checked = 0
    for ev, doc, start, end, exact, quote in _evidence(dataset):
        text = originals[doc]
        assert 0 <= start < end <= len(text), ev
        assert text[start:end] == exact, f"{ev}: offsets give {text[start:end]!r}, quote is {exact!r}"
        assert text[max(0, start - 32):start] == str(dataset.value(quote, OA.prefix))
        assert text[end:end + 32] == str(dataset.value(quote, OA.suffix))
        checked += 1
    assert checked == len(set(dataset.subjects(RDF.type, ATD.Evidence))) > 300


def test_every_evidence_node_lives_in_its_documents_named_graph(dataset, built):
    base = str(next(iter(dataset.subjects(RDF.type, ATD.SourceDocument)))).split("/id/")[0]
    for ev, doc, *_ in _evidence(dataset):
        graph = dataset.graph(URIRef(f"{base}/graph/doc/{doc}"))
        assert (ev, RDF.type, ATD.Evidence) in graph


def test_every_node_a_document_states_is_derived_from_a_passage(dataset):
    """In each document's graph, every subject other than evidence and the document itself
    has prov:wasDerivedFrom an evidence node of that same document."""
    for graph in dataset.graphs():
        name = str(graph.identifier)
        if "/graph/doc/" not in name:
            continue
        doc = name.rsplit("/", 1)[-1]
        for subject in set(graph.subjects()):
            types = set(dataset.objects(subject, RDF.type))
            if types & NON_ASSERTIONS or subject == graph.identifier:
                continue
            sources = {str(dataset.value(ev, OA.hasSource)).rsplit("/", 1)[-1]
                       for ev in graph.objects(subject, PROV.wasDerivedFrom)}
            assert doc in sources, f"{subject} is stated in document {doc} without a passage of it"


def test_one_named_graph_per_document_in_the_nquads(built, tmp_path):
    from atdkg.build import write_build
    target = write_build(built, tmp_path / "build")
    graphs = {line.rsplit(" ", 2)[-2] for line in (target / "graph.nq").read_text().splitlines() if line.strip()}
    docs = {g for g in graphs if "/graph/doc/" in g}
    assert docs == {f"<https://w3id.org/atd-kg/graph/doc/{d}>" for d in ("000", "001", "002", "003")}
