"""The `atdkg` command. Exit codes: 0 success, 1 the build did not conform or failed, 2 bad input."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from loaders.build import BuildError, build_graph, write_build
from loaders.sources import GENRES, MANIFEST, SourceError, add_source

from . import config

EXIT_FAILED, EXIT_BAD_INPUT = 1, 2


def _progress(items):
    """A progress bar on stderr for multi-document builds."""
    items = list(items)
    if len(items) < 2:
        yield from items
        return
    with click.progressbar(items, label="parsing", file=sys.stderr, show_pos=True,
                           item_show_func=lambda s: s.file if s else "") as bar:
        yield from bar


def _print_summary(result, target: Path, verbose: bool) -> None:
    s = result.summary()
    click.echo(f"documents: {s['documents']}")
    click.echo(f"triples:   {s['triples']} ({s['quads']} quads in {len(s['graphs'])} named graphs)")
    click.echo("per class:")
    for cls, n in s["classes"].items():
        click.echo(f"  {cls:<32} {n:>6}")
    click.echo(f"conforms={s['conforms']}")
    click.echo(f"warnings:  {s['warnings']}" + ("" if verbose or not s["warnings"] else " (--verbose lists them)"))
    click.echo(f"skipped lines: {s['skipped_lines']}, page furniture removed: {s['furniture_lines']}")
    if verbose:
        for w in result.warnings:
            click.echo(f"  warning: {w}")
        for d in result.documents:
            for sk in d.skipped:
                click.echo(f"  skipped {d.doc}:{sk.lineno}: {sk.reason}: {sk.text[:80]}")
            for lineno, text in d.furniture:
                click.echo(f"  furniture {d.doc}:{lineno}: {text[:80]}")
    t = s["seconds"]
    click.echo(f"time: parse {t['parse']}s, emit {t['emit']}s, validate {t['validate']}s")
    click.echo(f"written: {target}")


def run_build(data: Path, base: str, verbose: bool, strict: bool) -> int:
    try:
        result = build_graph(data, base, progress=_progress)
    except SourceError as e:
        click.echo(f"error: {e}", err=True)
        return EXIT_BAD_INPUT
    except BuildError as e:
        click.echo(f"error: {e}", err=True)
        return EXIT_FAILED
    if not result.conforms:
        click.echo(result.report_text, err=True)
        click.echo("error: the graph does not conform to ontology/shapes.ttl; the previous build is untouched",
                   err=True)
        return EXIT_FAILED
    if strict and result.warnings:
        for w in result.warnings:
            click.echo(f"warning: {w}", err=True)
        click.echo(f"error: {len(result.warnings)} warnings and --strict; the previous build is untouched", err=True)
        return EXIT_FAILED
    target = write_build(result, data / "build")
    _print_summary(result, target, verbose)
    return 0


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """atd-kg: a knowledge graph of alternatives to immigration detention."""


@main.command()
@click.option("--data-dir", help="Folder with sources/, reference/, gazetteer/ (default: ./data).")
@click.option("--base", help="IRI base for instances (default $ATDKG_BASE or https://w3id.org/atd-kg/).")
@click.option("-v", "--verbose", is_flag=True, help="List warnings, skipped lines and removed page furniture.")
@click.option("--strict", is_flag=True, help="Fail on any warning.")
def build(data_dir, base, verbose, strict):
    """Build data/build/ from data/sources: parse, resolve, emit RDF, validate with SHACL."""
    sys.exit(run_build(config.data_dir(data_dir), config.base_iri(base), verbose, strict))


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--genre", required=True, type=click.Choice(sorted(GENRES)), help="What kind of document it is.")
@click.option("--event", required=True, help="Date of the exchange it describes (YYYY-MM-DD).")
@click.option("--title", default="", help="Title for the manifest (default: the file name).")
@click.option("--publisher", default="", help="Publisher for the manifest.")
@click.option("--language", default="en", show_default=True)
@click.option("--date", default="", help="The document's own date (default: the event date).")
@click.option("--data-dir")
@click.option("--base")
@click.option("-v", "--verbose", is_flag=True)
def add(path, genre, event, title, publisher, language, date, data_dir, base, verbose):
    """Add a document to the corpus (copied unchanged, recorded in the manifest) and rebuild.

    If the rebuild fails the document is taken out again, so the corpus stays buildable."""
    data = config.data_dir(data_dir)
    sources = data / "sources"
    manifest_before = (sources / MANIFEST).read_bytes() if (sources / MANIFEST).exists() else None
    try:
        src = add_source(sources, path, genre, event, title, publisher, language, date)
    except SourceError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(f"added {path} as {sources / src.file} (id {src.id}, {genre}, event {event})")
    code = run_build(data, config.base_iri(base), verbose, strict=False)
    if code:
        (sources / MANIFEST).write_bytes(manifest_before)
        (sources / src.file).unlink(missing_ok=True)
        click.echo(f"error: the corpus with {path} does not build; it was not added", err=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
