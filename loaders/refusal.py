"""Why SHACL refused a graph, in a few lines a person reads: which entity, which rule, and where in
which document the evidence for it is. The full pySHACL report (dozens of lines per violation) goes
to a file instead."""
from __future__ import annotations

from collections import defaultdict

from rdflib import RDFS, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SH

OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")


def _first(ds: Dataset, s, p):
    return next((o for _, _, o, _ in ds.quads((s, p, None, None))), None)


def _short(term) -> str:
    text = str(term)
    for sep in ("#", "/"):
        if sep in text.rstrip(sep):
            return text.rstrip(sep).rsplit(sep, 1)[-1]
    return text


def _rule(report: Graph, shape) -> str:
    """The shape's name: its IRI's last part, else (a property shape) the path it constrains."""
    if isinstance(shape, URIRef):
        return _short(shape)
    path = report.value(shape, SH.path)
    return f"property {_short(path)}" if path is not None else "a shape"


def _entity(ds: Dataset, focus) -> str:
    label = _first(ds, focus, RDFS.label) or _first(ds, focus, SCHEMA.name)
    iri = f"<{focus}>" if isinstance(focus, URIRef) else ("a blank node" if isinstance(focus, BNode) else str(focus))
    return f'"{label}" {iri}' if label is not None else iri


def _where(ds: Dataset, focus, texts: dict[str, str], files: dict[str, str]) -> str | None:
    """file:line of the first passage the entity was derived from, if it was derived from one."""
    places = []
    for ev in (o for _, _, o, _ in ds.quads((focus, PROV.wasDerivedFrom, None, None))):
        doc = _first(ds, _first(ds, ev, OA.hasSource), DCTERMS.identifier)
        for _, _, sel, _ in ds.quads((ev, OA.hasSelector, None, None)):
            start = _first(ds, sel, OA.start)
            if isinstance(start, Literal) and doc is not None and str(doc) in texts:
                places.append((str(doc), int(start.toPython())))
    if not places:
        return None
    doc, start = min(places)
    return f"{files.get(doc, doc)}:{texts[doc].count(chr(10), 0, start) + 1}"


def summarise(report: Graph, ds: Dataset, texts: dict[str, str], files: dict[str, str], limit: int = 8) -> list[str]:
    """At most ``limit`` + 2 lines: a count, then one line per violation (entity, message, rule, place)."""
    results = list(report.subjects(SH.focusNode, None))
    rules: dict[str, int] = defaultdict(int)
    lines: list[str] = []
    for r in sorted(results, key=lambda r: (str(report.value(r, SH.sourceShape)), str(report.value(r, SH.focusNode)))):
        focus, rule = report.value(r, SH.focusNode), _rule(report, report.value(r, SH.sourceShape))
        rules[rule] += 1
        if len(lines) < limit:
            message = " ".join(str(report.value(r, SH.resultMessage) or "violates the rule").split())
            where = _where(ds, focus, texts, files)
            lines.append(f"  {_entity(ds, focus)}: {message[:200]} (rule {rule}" + (f"; {where})" if where else ")"))
    head = f"the graph does not conform to the shapes: {len(results)} violation{'s' * (len(results) != 1)} of " \
           f"{len(rules)} rule{'s' * (len(rules) != 1)}"
    more = [f"  … and {len(results) - limit} more"] if len(results) > limit else []
    return [head, *lines, *more]
