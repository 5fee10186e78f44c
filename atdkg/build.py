"""`atdkg build`, the orchestrator above the stages: sources → records → RDF (atdkg.loaders) → network
metrics (atdkg.network, through the store) → SHACL validation → data/build, atomically.

The new build is written to a fresh directory beside the current one and swapped in by
renaming a symlink (one atomic step). On any failure — bad input, a parser error, a graph
that does not conform — nothing is swapped, the previous build stays as it was, and the
caller exits non-zero.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox
from rdflib import RDF, Dataset, Graph

from atdkg import ontology
from atdkg.loaders.emit import Emitter
from atdkg.loaders.gazetteer import Gazetteer
from atdkg.loaders.integrity import remove_unless_held, write_manifest, writing
from atdkg.loaders.parse import parse_document
from atdkg.loaders.records import ParsedDocument
from atdkg.loaders.sources import check_sources, load_manifest, read_text
from atdkg.loaders.text import vocabulary
from atdkg.loaders.validate import validate
from atdkg.loaders.vocab import Vocabulary
from atdkg.terms import ATD, DEFAULT_BASE

ONTOLOGY_FILES = [ontology.ONTOLOGY, ontology.VOCABULARIES]


class BuildError(Exception):
    """The build failed; the message says why and where. The previous build is untouched."""


@dataclass
class BuildResult:
    dataset: Dataset
    documents: list[ParsedDocument]
    conforms: bool
    report_text: str
    report_graph: Graph
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    nquads: bytes | None = None  # the dataset as N-Quads, the source of every dump

    def class_counts(self) -> Counter:
        counts: Counter = Counter()
        seen = set()
        for s, _, o, g in self.dataset.quads((None, RDF.type, None, None)):
            if str(o).startswith(str(ATD)) and (s, o) not in seen:
                seen.add((s, o))
                counts[str(o).split("#")[-1]] += 1
        return counts

    def summary(self) -> dict:
        return {
            "documents": len(self.documents),
            "triples": len({(s, p, o) for s, p, o, _ in self.dataset.quads((None, None, None, None))}),
            "quads": sum(1 for _ in self.dataset.quads((None, None, None, None))),
            "graphs": sorted(str(g.identifier) for g in self.dataset.graphs() if len(g)),
            "classes": dict(sorted(self.class_counts().items())),
            "conforms": self.conforms,
            "warnings": len(self.warnings),
            "skipped_lines": sum(len(d.skipped) for d in self.documents),
            "furniture_lines": sum(len(d.furniture) for d in self.documents),
            "seconds": {k: round(v, 3) for k, v in self.timings.items()},
        }


def build_graph(data_dir: Path, base: str = DEFAULT_BASE,
                progress: Callable[[Iterable], Iterable] = lambda xs: xs) -> BuildResult:
    """Parse, resolve, emit and validate; raise SourceError/BuildError on bad input."""
    data_dir = Path(data_dir)
    sources_dir = data_dir / "sources"
    t0 = time.perf_counter()
    manifest = load_manifest(sources_dir)
    check_sources(sources_dir, manifest)
    gazetteer = Gazetteer(data_dir)
    vocab = Vocabulary()
    events = {s.event for s in manifest}
    texts = {s.id: read_text(sources_dir / s.file) for s in manifest}
    corpus_words = set().union(*(vocabulary(t) for t in texts.values()))
    parsed: list[ParsedDocument] = []
    for src in progress(manifest):
        parsed.append(parse_document(sources_dir, src, gazetteer, vocab, events, corpus_words))
    t1 = time.perf_counter()
    emitter = Emitter(gazetteer, base, texts, {s.id: s for s in manifest}, vocab)
    for src, pd in zip(manifest, parsed):
        emitter.add_document(src, pd)
    ds = emitter.finish(ONTOLOGY_FILES)
    # N-Quads once: the network step queries them in Oxigraph, and write_build streams every other
    # serialisation from them (rdflib's TriG and JSON-LD writers are 10-30x slower at 10^5 triples)
    nquads = ds.serialize(format="nquads", encoding="utf-8")
    t2 = time.perf_counter()
    from atdkg.network.rdf import add_metrics_graph  # late: network reads the graph through the named queries
    from atdkg.queries.stores import EmbeddedStore
    network = add_metrics_graph(ds, base, EmbeddedStore.from_nquads(nquads))  # the named graph {base}graph/network
    # the metrics as quads of their graph: every N-Triples line ends " .\n" (newlines inside literals
    # are escaped), so naming the graph there turns each line into an N-Quads line
    nquads += network.serialize(format="nt", encoding="utf-8").replace(b" .\n", f" <{network.identifier}> .\n".encode())
    t3 = time.perf_counter()
    conforms, report_graph, report_text = validate(ds)
    t4 = time.perf_counter()
    warnings = [w for pd in parsed for w in pd.warnings] + emitter.warnings
    # parse: read, normalise, parse by genre; emit: resolve names and write triples (one pass:
    # resolution happens as each mention is emitted); network: the metrics graph
    return BuildResult(ds, parsed, conforms, report_text, report_graph, warnings,
                       {"parse": t1 - t0, "emit": t2 - t1, "network": t3 - t2, "validate": t4 - t3}, nquads)


def write_build(result: BuildResult, build_dir: Path, sources_dir: Path | None = None) -> Path:
    """Write every output into a new directory, then atomically point ``build_dir`` at it.

    The sources go along (``sources/``), so the build stays self-contained: the explorer shows the
    very text the evidence offsets point into, even if data/sources changes afterwards."""
    build_dir = Path(build_dir)
    store = build_dir.parent / ".builds"
    store.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"
    target = store / stamp
    target.mkdir()
    with writing(target):  # held (.lock) while written, so a concurrent build's swap leaves it alone
        try:
            _write_outputs(result, target, sources_dir)
        except Exception:
            shutil.rmtree(target, ignore_errors=True)
            raise
        _swap(build_dir, target)
    return target


def _write_outputs(result: BuildResult, target: Path, sources_dir: Path | None) -> None:
    write_dumps(result, target)
    result.report_graph.serialize(target / "shacl-report.ttl", format="turtle")
    (target / "shacl-report.txt").write_text(result.report_text, encoding="utf-8")
    (target / "summary.json").write_text(json.dumps(result.summary(), indent=2) + "\n", encoding="utf-8")
    (target / "warnings.txt").write_text("\n".join(result.warnings) + "\n", encoding="utf-8")
    skipped = [f"{d.doc}:{s.lineno}: {s.reason}: {s.text}" for d in result.documents for s in d.skipped]
    (target / "skipped.txt").write_text("\n".join(skipped) + "\n", encoding="utf-8")
    if sources_dir is not None:
        shutil.copytree(sources_dir, target / "sources")
    write_manifest(target)  # last: sizes, sha256 and counts of everything above, checked at every load


def write_dumps(result: BuildResult, target: Path) -> None:
    """graph.nq, graph.trig, graph.jsonld (all named graphs) and graph.ttl (their union), streamed
    by Oxigraph's parser and writers from the same N-Quads; prefixes from the dataset's bindings.
    (Not through an Oxigraph *store*: it would canonicalise xsd:nonNegativeInteger to xsd:integer.)"""
    nquads = result.nquads or result.dataset.serialize(format="nquads", encoding="utf-8")
    prefixes = {p: str(ns) for p, ns in result.dataset.namespaces() if p}
    (target / "graph.nq").write_bytes(nquads)
    quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    quads.sort(key=lambda q: str(q.graph_name))  # TriG and JSON-LD write one block per run of a graph
    ox.serialize(quads, target / "graph.trig", format=ox.RdfFormat.TRIG, prefixes=prefixes)
    ox.serialize(quads, target / "graph.jsonld", format=ox.RdfFormat.JSON_LD)
    union = list(dict.fromkeys(q.triple for q in quads))  # a triple stated in two graphs, once
    ox.serialize(union, target / "graph.ttl", format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def _swap(link: Path, target: Path) -> None:
    """Point ``link`` at ``target`` in one rename; then remove the builds nothing points at or holds."""
    if link.exists() and not link.is_symlink():
        # a plain directory from elsewhere: move it aside once, never delete it unasked
        link.rename(link.with_name(link.name + ".old"))
    tmp = link.with_name(f".{link.name}.new")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(os.path.relpath(target, link.parent))
    os.replace(tmp, link)
    for old in target.parent.iterdir():
        # a build some process still holds (a server answering from it) stays; a later swap removes it
        if old != target and old.is_dir() and not old.is_symlink():
            remove_unless_held(old)
