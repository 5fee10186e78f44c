"""`atdkg build`, the orchestrator above the stages: sources → records → RDF (atdkg.loaders) → network
metrics (atdkg.network, through the store) → SHACL validation → data/build, atomically.

The new build is written to a fresh directory beside the current one and swapped in by
renaming a symlink (one atomic step). On any failure — bad input, a parser error, a graph
that does not conform — nothing is swapped, the previous build stays as it was, and the
caller exits non-zero.
"""
from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Dataset, Graph

from atdkg import ontology
from atdkg.loaders import corpus
from atdkg.loaders.emit import Emitter
from atdkg.loaders.gazetteer import Gazetteer
from atdkg.loaders.integrity import remove_unless_held, write_manifest, writing
from atdkg.loaders.parse import parse_document
from atdkg.loaders.records import ParsedDocument
from atdkg.loaders.refusal import summarise
from atdkg.loaders.sources import (
    IGNORED,
    MANIFEST,
    Limits,
    Source,
    SourceError,
    check_sources,
    load_manifest,
    read_text,
)
from atdkg.loaders.text import vocabulary
from atdkg.loaders.validate import validate, validator_name
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
    sources: list[Source] = field(default_factory=list)  # the manifest it was built from
    texts: dict[str, str] = field(default_factory=dict)  # document id -> text (evidence offsets point into it)

    def refusal(self, limit: int = 8) -> list[str]:
        """Why SHACL refused the graph, in a few lines: entity, rule, document and line."""
        return summarise(self.report_graph, self.dataset, self.texts, {s.id: s.file for s in self.sources}, limit)

    def class_counts(self) -> Counter:
        counts: Counter = Counter()
        seen = set()
        for s, _, o, _g in self.dataset.quads((None, RDF.type, None, None)):
            if str(o).startswith(str(ATD)) and (s, o) not in seen:
                seen.add((s, o))
                counts[str(o).split("#")[-1]] += 1
        return counts

    def coverage(self) -> list[dict]:
        """Per document: sentences, those that yielded a statement, and those that name something but
        yielded none (line, text, names) — what the loaders did not understand."""
        files = {src.id: src.file for src in self.sources}
        return [{"id": d.doc, "file": files.get(d.doc, ""), "sentences": d.coverage.sentences,
                 "yielded": d.coverage.yielded,
                 "unread": [{"line": u.lineno, "names": u.names, "text": u.text, "start": u.start, "end": u.end}
                            for u in d.coverage.unread]}
                for d in self.documents]

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
            "coverage": {"sentences": sum(d.coverage.sentences for d in self.documents),
                         "yielded": sum(d.coverage.yielded for d in self.documents),
                         "unread": sum(len(d.coverage.unread) for d in self.documents)},
            "seconds": {k: round(v, 3) for k, v in self.timings.items()},
        }


def build_graph(data_dir: Path, base: str = DEFAULT_BASE,
                progress: Callable[[Iterable], Iterable] = lambda xs: xs, edit: corpus.Edit | None = None,
                limits: Limits | None = None, validator: str | None = None) -> BuildResult:
    """Parse, resolve, emit and validate; raise SourceError/BuildError on bad input.

    With ``edit``, build the corpus as that planned edit would leave it (its staged copies, its manifest),
    so nothing in data/sources changes unless this build conforms. With ``limits``, each document is
    refused if larger, with longer lines or slower to parse than they allow. ``validator``: the SHACL engine
    (loaders.validate.validator_name: the flag, else $ATDKG_VALIDATOR, else the default); checked first."""
    validator = validator_name(validator)
    data_dir = Path(data_dir)
    sources_dir = data_dir / "sources"
    t0 = time.perf_counter()
    if edit is None:
        manifest = load_manifest(sources_dir)
        check_sources(sources_dir, manifest)
    else:
        manifest = edit.after  # checked when planned: the current files and the staged copies
    where = edit.path if edit is not None else (lambda s: sources_dir / s.file)
    shown = edit.shown if edit is not None else where  # what messages name: the user's file
    gazetteer = Gazetteer(data_dir)
    vocab = Vocabulary()
    events = {s.event for s in manifest}
    texts = {s.id: read_text(where(s), limits) for s in manifest}
    corpus_words = set().union(*(vocabulary(t) for t in texts.values()))
    parsed: list[ParsedDocument] = []
    for src in progress(manifest):
        with _time_limit(limits.parse_seconds if limits else None, shown(src)):
            parsed.append(parse_document(sources_dir, src, gazetteer, vocab, events, corpus_words, texts[src.id]))
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
    conforms, report_graph, report_text = validate(ds, validator=validator)
    t4 = time.perf_counter()
    warnings = [w for pd in parsed for w in pd.warnings] + emitter.warnings
    # parse: read, normalise, parse by genre; emit: resolve names and write triples (one pass:
    # resolution happens as each mention is emitted); network: the metrics graph
    corpus.checkpoint("built")
    return BuildResult(ds, parsed, conforms, report_text, report_graph, warnings,
                       {"parse": t1 - t0, "emit": t2 - t1, "network": t3 - t2, "validate": t4 - t3}, nquads,
                       list(manifest), texts)


class _TooSlow(BaseException):
    """Raised by the parse-time alarm; a BaseException so no recogniser's ``except Exception`` eats it."""


@contextlib.contextmanager
def _time_limit(seconds: float | None, path: Path) -> Iterator[None]:
    """Stop parsing one document after ``seconds`` (SIGALRM: Python's regex engine checks for signals, so
    even one long match is interrupted). Outside the main thread no alarm can be set: the time is then
    checked once the document is parsed."""
    if not seconds:
        yield
        return
    message = (f"{path}: parsing took longer than {seconds:g} s, the limit per document; split it, or raise the "
               f"limit (--parse-timeout, $ATDKG_PARSE_SECONDS)")
    if threading.current_thread() is not threading.main_thread():
        t0 = time.monotonic()
        yield
        if time.monotonic() - t0 > seconds:
            raise SourceError(message)
        return

    def alarm(signum, frame):
        raise _TooSlow()
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _TooSlow:
        raise SourceError(message) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def write_build(result: BuildResult, build_dir: Path, sources_dir: Path | None = None,
                edit: corpus.Edit | None = None) -> Path:
    """Write every output into a new directory, then atomically point ``build_dir`` at it.

    The sources go along (``sources/``), so the build stays self-contained: the explorer shows the
    very text the evidence offsets point into, even if data/sources changes afterwards. With ``edit``
    the build is swapped in as one step of committing that edit (see atdkg.loaders.corpus).

    A write that fails (a full disk: ENOSPC, EDQUOT; any OSError) removes the half-written directory and
    raises BuildError naming the file; the previous build stays as it was."""
    build_dir = Path(build_dir)
    store = build_dir.parent / ".builds"
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"
    with _naming(store):
        store.mkdir(parents=True, exist_ok=True)
        target = _new_folder(store, stamp)
    with writing(target):  # held (.lock) while written, so a concurrent build's swap leaves it alone
        try:
            _write_outputs(result, target, sources_dir, edit)
        except OSError as e:
            shutil.rmtree(target, ignore_errors=True)
            raise BuildError(f"{e.filename}: cannot write ({e.strerror or e}); the previous build is "
                             f"untouched") from None
        except BaseException:  # a parse error, Ctrl-C: no half-written build is left behind
            shutil.rmtree(target, ignore_errors=True)
            raise
        if edit is None:
            _swap(build_dir, target)
        else:
            _commit(edit, build_dir, target)
    return target


def _new_folder(store: Path, stamp: str) -> Path:
    """store/stamp, or store/stamp-1, -2 … if taken: one process that builds twice within a second (the Python
    API, an edit right after a build in the same process) would otherwise find its previous build's name."""
    for n in itertools.count():
        target = store / (stamp if n == 0 else f"{stamp}-{n}")
        try:
            target.mkdir()
            return target
        except FileExistsError:
            continue
    raise AssertionError("unreachable")


def _commit(edit: corpus.Edit, link: Path, target: Path) -> None:
    """The edit's visible steps, in order; a kill between any two is finished or undone by
    corpus.recover from the journal written first. The previous build stays until the manifest is
    committed (recover may point data/build back at it)."""
    corpus.checkpoint("written")
    previous = link.resolve() if link.is_symlink() else None
    corpus.write_journal(edit, link, target)
    corpus.checkpoint("journal")
    corpus.move_in(edit)
    corpus.checkpoint("moved")
    _swap(link, target, keep=previous)
    corpus.checkpoint("swapped")
    corpus.commit_manifest(edit)
    corpus.checkpoint("committed")
    corpus.finish(edit)
    if previous is not None and previous != target.resolve():
        remove_unless_held(previous)


@contextlib.contextmanager
def _naming(path: Path) -> Iterator[None]:
    """A write() that fails on a full disk names no file: name the one being written."""
    try:
        yield
    except OSError as e:
        if e.filename is None:
            e.filename = str(path)
        raise


def _write_outputs(result: BuildResult, target: Path, sources_dir: Path | None,
                   edit: corpus.Edit | None = None) -> None:
    write_dumps(result, target)
    with _naming(target / "shacl-report.ttl"):
        result.report_graph.serialize(target / "shacl-report.ttl", format="turtle")
    outputs = {"shacl-report.txt": result.report_text,
               "summary.json": json.dumps(result.summary(), indent=2) + "\n",
               "warnings.txt": "\n".join(result.warnings) + "\n",
               "skipped.txt": "\n".join(f"{d.doc}:{s.lineno}: {s.reason}: {s.text}"
                                        for d in result.documents for s in d.skipped) + "\n",
               "coverage.json": json.dumps(result.coverage(), indent=2, ensure_ascii=False) + "\n"}
    for name, text in outputs.items():
        with _naming(target / name):
            (target / name).write_text(text, encoding="utf-8")
    if sources_dir is not None:
        _copy_sources(Path(sources_dir), target / "sources", edit)
    with _naming(target / "MANIFEST.json"):
        write_manifest(target)  # last: sizes, sha256 and counts of everything above, checked at every load


def _copy_sources(sources_dir: Path, dest: Path, edit: corpus.Edit | None) -> None:
    """The documents the build was made from (each one's text, and its PDF if it came as one) and their manifest
    (an edit's: staged copies, the new manifest); never what a build ignores (dot-files: staged copies, the
    manifest being committed)."""
    dest.mkdir()
    if edit is None:
        names = [p.name for p in sorted(sources_dir.iterdir()) if p.is_file() and not p.name.startswith(".")]
        files = {name: sources_dir / name for name in names}
    else:
        files = {name: edit.staged.get(name, sources_dir / name) for s in edit.after for name in s.files}
        files.update({name: sources_dir / name for name in IGNORED - {MANIFEST} if (sources_dir / name).is_file()})
    for name, path in files.items():
        with _naming(dest / name):
            shutil.copyfile(path, dest / name)
    if edit is not None:
        with _naming(dest / MANIFEST):
            (dest / MANIFEST).write_bytes(edit.manifest_after)


def write_dumps(result: BuildResult, target: Path) -> None:
    """graph.nq, graph.trig, graph.jsonld (all named graphs) and graph.ttl (their union), streamed
    by Oxigraph's parser and writers from the same N-Quads; prefixes from the dataset's bindings.
    (Not through an Oxigraph *store*: it would canonicalise xsd:nonNegativeInteger to xsd:integer.)"""
    nquads = result.nquads or result.dataset.serialize(format="nquads", encoding="utf-8")
    prefixes = {p: str(ns) for p, ns in result.dataset.namespaces() if p}
    with _naming(target / "graph.nq"):
        (target / "graph.nq").write_bytes(nquads)
    quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    quads.sort(key=lambda q: str(q.graph_name))  # TriG and JSON-LD write one block per run of a graph
    with _naming(target / "graph.trig"):
        ox.serialize(quads, target / "graph.trig", format=ox.RdfFormat.TRIG, prefixes=prefixes)
    with _naming(target / "graph.jsonld"):
        ox.serialize(quads, target / "graph.jsonld", format=ox.RdfFormat.JSON_LD)
    union = list(dict.fromkeys(q.triple for q in quads))  # a triple stated in two graphs, once
    with _naming(target / "graph.ttl"):
        ox.serialize(union, target / "graph.ttl", format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def _swap(link: Path, target: Path, keep: Path | None = None) -> None:
    """Point ``link`` at ``target`` in one rename; then remove the builds nothing points at or holds
    (but ``keep``: an edit's previous build, until the edit is committed)."""
    if link.exists() and not link.is_symlink():
        # a plain directory from elsewhere: move it aside once, never delete it unasked
        link.rename(link.with_name(link.name + ".old"))
    corpus.point_link(link, os.path.relpath(target, link.parent))
    spared = {target.resolve(), keep.resolve() if keep else None}
    for old in target.parent.iterdir():
        # a build some process still holds (a server answering from it) stays; a later swap removes it
        if old.resolve() not in spared and old.is_dir() and not old.is_symlink():
            remove_unless_held(old)


def write_refusal(result: BuildResult, data_dir: Path) -> Path:
    """The full SHACL report of a refused graph (text and Turtle) in DATA/refused/, for the summary to
    point at; the build itself is not written."""
    folder = Path(data_dir) / "refused"
    with _naming(folder):
        folder.mkdir(exist_ok=True)
    with _naming(folder / "shacl-report.txt"):
        (folder / "shacl-report.txt").write_text(result.report_text, encoding="utf-8")
    with _naming(folder / "shacl-report.ttl"):
        result.report_graph.serialize(folder / "shacl-report.ttl", format="turtle")
    return folder / "shacl-report.txt"
