"""Read one source document and hand it to the parser of its genre."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .anonymous import find_unnamed, reader_for
from .coverage import coverage
from .gazetteer import Gazetteer
from .genres import REGISTRY, concept_note, generic, report
from .mentions import Cues, find_mentions
from .numbers import NumberCues, StatisticsReader, read_statistics
from .parse_common import Context, objectives_in
from .records import Exchange, ParsedDocument
from .relations import RelationCues, read_relations
from .sources import Source, read_text
from .tables import find_tables
from .text import normalise
from .vocab import Vocabulary

# the readers a genre of loaders/genres/registry.yaml can name: one contract, parse(ctx, known_events, vocab)
READERS = {"agenda": concept_note.parse, "report": report.parse, "generic": generic.parse}


def parse_document(sources_dir: Path, source: Source, gazetteer: Gazetteer, vocab: Vocabulary,
                   known_events: set[str], corpus_words: set[str] | None = None,
                   text: str | None = None) -> ParsedDocument:
    """``text``: the document's text if the caller has read it already (a staged copy, not in sources_dir)."""
    if text is None:
        text = read_text(Path(sources_dir) / source.file)
    norm = normalise(text, corpus_words)
    genre = REGISTRY[source.genre]
    # a document that describes no exchange still dates what it says (positions "as of"): its own date
    date = source.event if genre.describes_event else source.date
    out = ParsedDocument(source.id, source.genre, Exchange(date), furniture=norm.furniture,
                         line_count=text.count("\n") + 1, describes_event=genre.describes_event)
    ctx = Context(source.id, source.genre, date, norm.lines, gazetteer, out, publisher=source.publisher)
    READERS[genre.reader](ctx, known_events, vocab)
    _objectives_of_pledge_ideas(ctx)
    if genre.describes_event and not out.exchange.spans and norm.lines:
        # the text states nothing of its exchange (no title, date or host): the exchange it describes, as the
        # manifest says, derives from where the document begins, so the fact still points at a passage
        out.exchange.spans["document"] = ctx.span(norm.lines[0])
    # the Chatham House policy first: the mention stage keeps what anonymous speakers say apart from States
    out.unnamed += find_unnamed(ctx, reader_for(gazetteer.data_dir))
    out.mentions = find_mentions(ctx, _cues(gazetteer.data_dir))
    out.statistics += read_statistics(ctx, _statistics_reader(gazetteer.data_dir), find_tables(text))
    read_relations(ctx, _relation_cues(gazetteer.data_dir), vocab)
    out.coverage = coverage(out, norm.lines)
    for sk in out.skipped:
        out.warnings.append(f"{source.file}:{sk.lineno}: skipped ({sk.reason}): {sk.text[:70]!r}")
    return out


# list kinds whose items must name the GCM objective(s) they serve (ontology/shapes.ttl: a pledge idea names one)
NEEDS_OBJECTIVE = frozenset({"pledge-idea"})


def _objectives_of_pledge_ideas(ctx: Context) -> None:
    """Pledge ideas whose list, item and section heading name no GCM objective serve the one objective the
    document names, if it names exactly one. Otherwise the objective is unknown: the list is kept as a list
    (kind "other") with a warning, so the graph never holds a pledge idea with an objective made up for it."""
    for lst in ctx.out.lists:
        if lst.kind not in NEEDS_OBJECTIVE or all(item.objectives for item in lst.items):
            continue
        named = sorted({n for line in ctx.lines for n in objectives_in(line.text)})
        if len(named) == 1:
            for item in lst.items:
                item.objectives = item.objectives or named
            continue
        lst.kind = "other"
        ctx.out.warnings.append(
            f"{lst.key}: pledge ideas that name no GCM objective (not in the list, its heading or, as the only one, "
            f"the document{': it names ' + ', '.join(map(str, named)) if named else ''}): kept as a plain list")


@lru_cache(maxsize=4)
def _cues(data_dir: Path) -> Cues:
    return Cues.load(data_dir)


@lru_cache(maxsize=4)
def _statistics_reader(data_dir: Path) -> StatisticsReader:
    return StatisticsReader(NumberCues.load(data_dir))


@lru_cache(maxsize=4)
def _relation_cues(data_dir: Path) -> RelationCues:
    return RelationCues.load(data_dir)
