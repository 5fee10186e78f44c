"""The `atdkg` command. Exit codes: 0 success, 1 the build did not conform or failed, 2 bad input."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from loaders.build import BuildError, build_graph, write_build
from loaders.sources import GENRES, MANIFEST, SourceError, add_source

from . import config

EXIT_FAILED, EXIT_BAD_INPUT, EXIT_SERVER = 1, 2, 3


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
    target = write_build(result, data / "build", data / "sources")
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


# -- querying ---------------------------------------------------------------------------------------
def _fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _open(endpoint_flag, graph_store_flag, data_dir):
    """The remote store if an endpoint is configured (flag > env > config file), else the embedded one."""
    from queries.stores import EmbeddedStore, RemoteStore
    url = config.endpoint(endpoint_flag)
    if url:
        return RemoteStore(url, config.graph_store(graph_store_flag))
    return EmbeddedStore.from_build(config.data_dir(data_dir) / "build")


def _guarded(fn):
    """Expected failures become one line and an exit code: 2 for the user's mistakes, 3 for the store's."""
    import functools

    from queries import QueryError
    from queries.stores import StoreError

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (QueryError, ValueError) as e:
            _fail(str(e), EXIT_BAD_INPUT)
        except StoreError as e:
            _fail(str(e), EXIT_SERVER)
    return wrapper


@main.command("queries")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def list_queries(fmt):
    """List the catalogue of named queries: name, title, parameters."""
    import json

    import queries as catalogue
    entries = [{"name": q.name, "title": q.title, "description": q.description,
                "params": [{"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                           for p in q.params]} for q in catalogue.catalogue().values()]
    if fmt == "json":
        click.echo(json.dumps(entries, indent=1, ensure_ascii=False))
        return
    for e in entries:
        params = " ".join(f"{p['name']}={p['default']}" if p["default"] else p["name"] for p in e["params"])
        click.echo(f"{e['name']:<26} {e['title']}" + (f"  [{params}]" if params else ""))


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{pair!r}: expected key=value", param_hint="--param")
        out[key] = value
    return out


@main.command()
@click.argument("name", required=False)
@click.option("--file", "file_", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Run the query in this .rq file instead of a named one.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="A parameter of the named query.")
@click.option("--format", "fmt", default=None,
              help="table|csv|tsv|json|xml for SELECT/ASK (default table); turtle|jsonld|nt for CONSTRUCT/DESCRIBE.")
@click.option("--limit", type=click.IntRange(min=0), help="At most this many rows.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True, help="Seconds.")
@click.option("--endpoint", help="A SPARQL 1.1 query endpoint (else $ATDKG_ENDPOINT, the config file, or embedded).")
@click.option("--data-dir")
@_guarded
def query(name, file_, params, fmt, limit, timeout, endpoint, data_dir):
    """Run a named query (see `atdkg queries`) or an ad-hoc one (--file) and print the results."""
    import queries as catalogue
    from queries import formats
    if bool(name) == bool(file_):
        raise click.UsageError("give a query NAME or --file Q.rq (one of them)")
    store = _open(endpoint, None, data_dir)
    if name:
        result = store.run(catalogue.get(name), _params(params), limit=limit, timeout=timeout)
    else:
        if params:
            raise click.UsageError("--param applies to named queries; write values into the --file query")
        from queries.stores import check_syntax
        text = file_.read_text(encoding="utf-8")
        check_syntax(text, catalogue.PREFIX_MAP, where=str(file_))  # line:column of the file itself
        text = catalogue.PREFIXES + text
        result = store.query(text, limit=limit, timeout=timeout)
    out = formats.write(result, fmt or ("turtle" if result.kind == "graph" else "table"))
    click.echo(out, nl=False)
    if result.truncated and fmt not in (None, "table"):
        click.echo(f"warning: truncated to {limit} rows by --limit", err=True)


@main.command()
@click.option("--endpoint", help="The SPARQL query endpoint (else $ATDKG_ENDPOINT or the config file).")
@click.option("--graph-store", help="The Graph Store Protocol endpoint (default: derived from --endpoint, "
                                    "e.g. …/query → …/store for Oxigraph, …/sparql → …/data for Fuseki).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True)
@click.option("--data-dir")
@_guarded
def push(endpoint, graph_store, timeout, data_dir):
    """Load the current build into a SPARQL server, one named graph per PUT (pushing twice changes nothing)."""
    from queries.stores import RemoteStore
    url = config.endpoint(endpoint)
    if not url:
        raise click.UsageError("push needs --endpoint URL (or $ATDKG_ENDPOINT, or endpoint in the config file)")
    store = RemoteStore(url, config.graph_store(graph_store))
    counts = store.push(config.data_dir(data_dir) / "build", timeout=timeout)
    for iri, n in counts.items():
        click.echo(f"{n:>8}  {iri}")
    click.echo(f"pushed {sum(counts.values())} triples in {len(counts)} named graphs to {store.graph_store}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="gunicorn sync workers (each runs queries in a child it can stop).")
@click.option("--debug", is_flag=True, help="Flask's development server with the debugger, instead of gunicorn.")
@click.option("--data-dir")
def serve(host, port, workers, debug, data_dir):
    """Serve the explorer and the SPARQL endpoint over the current build (production WSGI server)."""
    import os
    if data_dir:
        os.environ["ATDKG_DATA"] = data_dir
    from webapp import create_app
    from queries.stores import StoreError
    try:
        app = create_app()
    except StoreError as e:
        _fail(str(e), EXIT_BAD_INPUT)
    url = f"http://{host}:{port}/"
    click.echo(f"atd-kg explorer on {url}  (SPARQL endpoint: {url}sparql)")
    if debug:
        app.run(host=host, port=port, debug=True, use_reloader=False)
        return
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            # sync workers: one request at a time each; the app is loaded once, before the fork
            for key, value in {"bind": f"{host}:{port}", "workers": workers, "worker_class": "sync",
                               "preload_app": True, "timeout": 120, "accesslog": "-"}.items():
                self.cfg.set(key, value)

        def load(self):
            return app

    Server().run()


if __name__ == "__main__":
    main()
