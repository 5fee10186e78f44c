"""The `atdkg` command. Exit codes: 0 success, 1 the build did not conform or failed, 2 bad input."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from atdkg.build import BuildError, build_graph, write_build, write_refusal
from atdkg.loaders import corpus
from atdkg.loaders.sources import GENRES, Limits, SourceError, calendar_date
from atdkg.loaders.validate import DEFAULT_VALIDATOR, VALIDATORS, validator_name

from . import config

EXIT_FAILED, EXIT_BAD_INPUT, EXIT_SERVER = 1, 2, 3
EXIT_INTERRUPTED = 130  # the shell's code for Ctrl-C


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
    c = s["coverage"]
    click.echo(f"coverage: {c['yielded']} of {c['sentences']} sentences yielded a statement; {c['unread']} name "
               f"something but yielded nothing" + (" (--verbose lists them; build/coverage.json)" if c["unread"]
                                                   and not verbose else ""))
    if verbose:
        for w in result.warnings:
            click.echo(f"  warning: {w}")
        for d in result.documents:
            for sk in d.skipped:
                click.echo(f"  skipped {d.doc}:{sk.lineno}: {sk.reason}: {sk.text[:80]}")
            for u in d.coverage.unread:
                names = f" [{'; '.join(u.names)}]" if u.names else ""
                click.echo(f"  unread {d.doc}:{u.lineno}:{names} {u.text[:100]}")
            for lineno, text in d.furniture:
                click.echo(f"  furniture {d.doc}:{lineno}: {text[:80]}")
    t = s["seconds"]
    click.echo("time: " + ", ".join(f"{phase} {seconds}s" for phase, seconds in t.items()))
    click.echo(f"written: {target}")


def run_build(data: Path, base: str, verbose: bool, strict: bool, limits: Limits | None = None,
              edit: corpus.Edit | None = None, validator: str | None = None) -> int:
    """Build (the corpus as it is, or as ``edit`` would leave it) and swap it in if it conforms (committing
    the edit with it); otherwise say why in a few lines and change nothing. The caller holds the lock."""
    try:
        validator = validator_name(validator)  # a bad $ATDKG_VALIDATOR is one line, before any work
    except ValueError as e:
        click.echo(f"error: {e}", err=True)
        return EXIT_BAD_INPUT
    try:
        result = build_graph(data, base, progress=_progress, edit=edit, limits=limits, validator=validator)
    except SourceError as e:
        click.echo(f"error: {e}", err=True)
        return EXIT_BAD_INPUT
    except (BuildError, corpus.EditError) as e:
        click.echo(f"error: {e}", err=True)
        return EXIT_FAILED
    if not result.conforms:
        _print_refusal(result, data)
        return EXIT_FAILED
    unread = [(d, u) for d in result.documents for u in d.coverage.unread]
    if strict and (result.warnings or unread):
        files = {src.id: src.file for src in result.sources}
        for w in result.warnings:
            click.echo(f"warning: {w}", err=True)
        for d, u in unread:
            click.echo(f"unread: {files.get(d.doc, d.doc)}:{u.lineno}: names something but yielded nothing: "
                       f"{u.text[:80]}", err=True)
        click.echo(f"error: {len(result.warnings)} warnings, {len(unread)} unread sentences and --strict; "
                   "the previous build is untouched", err=True)
        return EXIT_FAILED
    try:
        target = write_build(result, data / "build", data / "sources", edit=edit)
    except (BuildError, corpus.EditError) as e:
        click.echo(f"error: {e}", err=True)
        return EXIT_FAILED
    except OSError as e:  # committing an edit (journal, renames): recover() puts things right
        click.echo(f"error: {e.filename or data}: {e.strerror or e}; the previous build is untouched", err=True)
        return EXIT_FAILED
    _print_summary(result, target, verbose)
    return 0


def _print_refusal(result, data: Path) -> None:
    """A short summary (entity, rule, document:line); the full pySHACL report goes to a file."""
    for line in result.refusal():
        click.echo(line, err=True)
    try:
        click.echo(f"full report: {write_refusal(result, data)}", err=True)
    except OSError as e:
        click.echo(f"(the full report could not be written: {e.filename}: {e.strerror or e})", err=True)
    click.echo("error: the graph does not conform to ontology/shapes.ttl; the previous build is untouched", err=True)


def _limits(max_bytes, max_line, parse_timeout, max_pdf_bytes=None) -> Limits:
    default = Limits()
    return Limits(config.number(max_bytes, "ATDKG_MAX_BYTES", default.max_bytes, int),
                  config.number(max_line, "ATDKG_MAX_LINE", default.max_line, int),
                  config.number(parse_timeout, "ATDKG_PARSE_SECONDS", default.parse_seconds, float),
                  config.number(max_pdf_bytes, "ATDKG_MAX_PDF_BYTES", default.max_pdf_bytes, int))


def _calendar_date(ctx, param, value):
    """--event and --date: a calendar date written YYYY-MM-DD, nothing else (no 20230615, no 2023-W24-4)."""
    if value in (None, ""):
        return value
    try:
        return calendar_date(value)
    except ValueError as e:
        raise click.BadParameter(f"{e}; expected a calendar date YYYY-MM-DD, e.g. 2023-06-15") from None


def _bounds_options(fn):
    """--max-bytes, --max-line, --parse-timeout, --wait: the same on every command that builds."""
    fn = click.option("--wait", type=click.FloatRange(min=0), default=None,
                      help="Seconds to wait for another build or edit of the same data directory "
                           "[default: $ATDKG_WAIT or 300].")(fn)
    fn = click.option("--parse-timeout", type=click.FloatRange(min=0.01), default=None,
                      help=f"Seconds to parse one document [default: $ATDKG_PARSE_SECONDS or "
                           f"{Limits().parse_seconds:g}].")(fn)
    fn = click.option("--max-line", type=click.IntRange(min=1), default=None,
                      help=f"Characters in one line of a document [default: $ATDKG_MAX_LINE or "
                           f"{Limits().max_line:,}].")(fn)
    fn = click.option("--max-bytes", type=click.IntRange(min=1), default=None,
                      help=f"Bytes per document [default: $ATDKG_MAX_BYTES or {Limits().max_bytes:,}].")(fn)
    return fn


def _pdf_option(fn):
    """--max-pdf-bytes: only where a PDF comes in (add, replace); builds read the text extracted from it."""
    return click.option("--max-pdf-bytes", type=click.IntRange(min=1), default=None,
                        help=f"Bytes of a PDF document (its text is held to --max-bytes) [default: "
                             f"$ATDKG_MAX_PDF_BYTES or {Limits().max_pdf_bytes:,}].")(fn)


def _on_sigterm(signum, frame):
    """`kill` (SIGTERM) undoes an edit like Ctrl-C does, instead of leaving it to the next command."""
    raise KeyboardInterrupt


def _locked_run(data: Path, wait, command: str, work) -> int:
    """Run ``work()`` holding the data directory's lock; Ctrl-C or SIGTERM at any point leaves the corpus
    and the build as they were (or the edit complete, if it was already committed)."""
    import signal
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        with corpus.locked(data, config.number(wait, "ATDKG_WAIT", 300.0, float), command) as recovered:
            for what in recovered:
                click.echo(f"note: {what}", err=True)
            try:
                return work()
            except BaseException:
                # a failure or Ctrl-C mid-edit: finish a committed edit, undo any other (never interrupted)
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
                try:
                    corpus.recover(data)
                finally:
                    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
                raise
    except corpus.LockTimeout as e:
        click.echo(f"error: {e}", err=True)
        return EXIT_FAILED
    except corpus.EditError as e:
        click.echo(f"error: {e}; the corpus is unchanged", err=True)
        return EXIT_FAILED
    except KeyboardInterrupt:
        click.echo(f"interrupted: {_state_after(data)}", err=True)
        return EXIT_INTERRUPTED


def _state_after(data: Path) -> str:
    return "the corpus and the build are as they were before, or the edit is complete (it was committed)"


def _kept(data: Path, edit: corpus.Edit) -> str:
    """Where the document's files go: its text, or a PDF and the text extracted from it."""
    src = edit.source
    assert src is not None  # every edit names the document it adds, removes or replaces
    text = data / "sources" / src.file
    if not src.pdf:
        return str(text)
    pages = edit.path(src).read_text(encoding="utf-8").count("\f") + 1
    return f"{data / 'sources' / src.pdf}, its text ({pages} page{'s' * (pages != 1)}) as {text}"


def _edit(data: Path, base: str, verbose: bool, limits: Limits, wait, command: str, plan, done: str) -> int:
    """Plan an edit (a staged copy, a new manifest in memory), build from it, commit only if it conforms."""
    def work() -> int:
        try:
            edit = plan()
        except SourceError as e:
            click.echo(f"error: {e}", err=True)
            return EXIT_BAD_INPUT
        click.echo(done.format(src=edit.source, path=_kept(data, edit)))
        code = run_build(data, base, verbose, strict=False, limits=limits, edit=edit)
        if code:
            corpus.recover(data)  # the staged copy goes; a half-committed edit is undone
            click.echo(f"error: the corpus would not build after this {command}; nothing was changed", err=True)
        return code
    return _locked_run(data, wait, command, work)
@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """atd-kg: a knowledge graph of alternatives to immigration detention."""


@main.command()
@click.option("--data-dir", help="Folder with sources/, reference/, gazetteer/ (default: ./data).")
@click.option("--base", help="IRI base for instances (default $ATDKG_BASE or https://w3id.org/atd-kg/).")
@click.option("-v", "--verbose", is_flag=True, help="List warnings, skipped lines and removed page furniture.")
@click.option("--strict", is_flag=True, help="Fail on any warning or any sentence that names something but yielded "
              "nothing.")
@click.option("--validator", type=click.Choice(VALIDATORS), help="The SHACL engine (default $ATDKG_VALIDATOR, else "
              f"{DEFAULT_VALIDATOR}: it reports what pySHACL reports, faster; README, Libraries).")
@_bounds_options
def build(data_dir, base, verbose, strict, validator, max_bytes, max_line, parse_timeout, wait):
    """Build data/build/ from data/sources: parse, resolve, emit RDF, validate with SHACL.

    One build or edit at a time per data directory: a second one waits (--wait) for the first."""
    data, limits = config.data_dir(data_dir), _limits(max_bytes, max_line, parse_timeout)
    sys.exit(_locked_run(data, wait, "build", lambda: run_build(data, config.base_iri(base), verbose, strict, limits,
                                                                   validator=validator)))


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--genre", required=True, type=click.Choice(sorted(GENRES)),
              help="What kind of document it is (loaders/genres/registry.yaml; `document` for any other text).")
@click.option("--event", default="", callback=_calendar_date,
              help="Date of the exchange it describes (YYYY-MM-DD); needed by genres that describe one.")
@click.option("--title", default="", help="Title for the manifest (default: the text's first heading, else the "
                                          "file name).")
@click.option("--publisher", default="", help="Publisher for the manifest.")
@click.option("--language", default="en", show_default=True)
@click.option("--date", default="", callback=_calendar_date, help="The document's own date (default: the event date).")
@click.option("--force", is_flag=True, help="Add it even if its text states another date or looks like another genre.")
@click.option("--data-dir")
@click.option("--base")
@click.option("-v", "--verbose", is_flag=True)
@_bounds_options
@_pdf_option
def add(path, genre, event, title, publisher, language, date, force, data_dir, base, verbose, max_bytes, max_line,
        parse_timeout, wait, max_pdf_bytes):
    """Add a document to the corpus (copied unchanged, recorded in the manifest) and rebuild.

    A text file (UTF-8), or a PDF (known by its bytes): the PDF is kept unchanged beside the text extracted
    from it, which the manifest names and evidence offsets count in; evidence then carries page numbers.
    Refused (exit 2) if the text states another date than --event or clearly looks like another genre
    (--force adds it anyway). The manifest changes last, and only if the rebuild succeeds: a failure,
    Ctrl-C or a kill leaves the corpus and the build as they were."""
    data, limits = config.data_dir(data_dir), _limits(max_bytes, max_line, parse_timeout, max_pdf_bytes)
    plan = lambda: corpus.plan_add(data, path, genre, event, title, publisher, language, date, force,  # noqa: E731
                                   limits)
    sys.exit(_edit(data, config.base_iri(base), verbose, limits, wait, "add", plan,
                   f"adding {path} as {{path}} (id {{src.id}}, {genre}" + (f", event {event})" if event else ")")))


@main.command()
@click.argument("doc_id", metavar="ID")
@click.option("--data-dir")
@click.option("--base")
@click.option("-v", "--verbose", is_flag=True)
@_bounds_options
def remove(doc_id, data_dir, base, verbose, max_bytes, max_line, parse_timeout, wait):
    """Take document ID out of the corpus (its manifest row and its file) and rebuild; if the rebuild
    fails, or is interrupted, nothing changes."""
    data, limits = config.data_dir(data_dir), _limits(max_bytes, max_line, parse_timeout)
    sys.exit(_edit(data, config.base_iri(base), verbose, limits, wait, "remove",
                   lambda: corpus.plan_remove(data, doc_id), "removing {src.id} ({path})"))


@main.command()
@click.argument("doc_id", metavar="ID")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--genre", type=click.Choice(sorted(GENRES)), help="A new genre (default: the manifest's).")
@click.option("--event", callback=_calendar_date, help="A new event date, YYYY-MM-DD (default: the manifest's).")
@click.option("--title", help="A new title (default: the manifest's).")
@click.option("--publisher", help="A new publisher (default: the manifest's).")
@click.option("--language", help="A new language (default: the manifest's).")
@click.option("--date", callback=_calendar_date, help="A new document date (default: the manifest's).")
@click.option("--force", is_flag=True, help="Replace even if the text states another date or looks like another "
                                            "genre than the row says.")
@click.option("--data-dir")
@click.option("--base")
@click.option("-v", "--verbose", is_flag=True)
@_bounds_options
@_pdf_option
def replace(doc_id, path, genre, event, title, publisher, language, date, force, data_dir, base, verbose, max_bytes,
            max_line, parse_timeout, wait, max_pdf_bytes):
    """Give document ID the text of PATH (a corrected version, a text file or a PDF) and rebuild. The id and
    the manifest row (genre, event, title …) stay unless an option changes them; the same checks and
    guarantees as add."""
    data, limits = config.data_dir(data_dir), _limits(max_bytes, max_line, parse_timeout, max_pdf_bytes)
    overrides = {"genre": genre, "event": event, "title": title, "publisher": publisher, "language": language,
                 "date": date}
    plan = lambda: corpus.plan_replace(data, doc_id, path, {k: v for k, v in overrides.items() if v},  # noqa: E731
                                       force, limits)
    sys.exit(_edit(data, config.base_iri(base), verbose, limits, wait, "replace", plan,
                   f"replacing {doc_id} with {path} (as {{path}})"))


# -- querying ---------------------------------------------------------------------------------------
def _fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _open(endpoint_flag, graph_store_flag, data_dir):
    """The remote store if an endpoint is configured (flag > env > config file), else the embedded one."""
    from atdkg.queries.stores import EmbeddedStore, RemoteStore
    url = config.endpoint(endpoint_flag)
    if url:
        return RemoteStore(url, config.graph_store(graph_store_flag))
    return EmbeddedStore.from_build(config.data_dir(data_dir) / "build")


def _guarded(fn):
    """Expected failures become one line and an exit code: 2 for the user's mistakes, 3 for the store's."""
    import functools

    from atdkg.queries import QueryError
    from atdkg.queries.stores import StoreError

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

    from atdkg import queries as catalogue
    entries = catalogue.entries()
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
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds for the whole answer from a server (connect, wait, read, retries), or for the "
                   "embedded store's evaluation.")
@click.option("--endpoint", help="A SPARQL 1.1 query endpoint (else $ATDKG_ENDPOINT, the config file, or embedded).")
@click.option("--data-dir")
@_guarded
def query(name, file_, params, fmt, limit, timeout, endpoint, data_dir):
    """Run a named query (see `atdkg queries`) or an ad-hoc one (--file) and print the results."""
    from atdkg import queries as catalogue
    from atdkg.queries import formats
    if bool(name) == bool(file_):
        raise click.UsageError("give a query NAME or --file Q.rq (one of them)")
    store = _open(endpoint, None, data_dir)
    if name:
        result = store.run(catalogue.get(name), _params(params), limit=limit, timeout=timeout)
    else:
        if params:
            raise click.UsageError("--param applies to named queries; write values into the --file query")
        from atdkg.queries.stores import check_syntax
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
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds for the whole push (every graph), or the whole --resume or --rollback.")
@click.option("--data-dir")
@click.option("--resume", is_flag=True, help="Finish a push that failed half-way: replace only the graphs "
                                             "it had not replaced (the same build only).")
@click.option("--rollback", is_flag=True, help="Undo a push that failed half-way: put back the previous "
                                               "content of the graphs it touched, delete those it created.")
@_guarded
def push(endpoint, graph_store, timeout, data_dir, resume, rollback):
    """Load the current build into a SPARQL server, one named graph per PUT (pushing twice changes nothing).

    Each graph's previous content is saved (in DATA/.push-journal) before it is replaced, so a push
    that fails half-way can be finished with --resume or undone with --rollback."""
    from atdkg.queries.stores import RemoteStore
    url = config.endpoint(endpoint)
    if not url:
        raise click.UsageError("push needs --endpoint URL (or $ATDKG_ENDPOINT, or endpoint in the config file)")
    if resume and rollback:
        raise click.UsageError("--resume finishes a failed push, --rollback undoes it: give one of them")
    store = RemoteStore(url, config.graph_store(graph_store))
    build = config.data_dir(data_dir) / "build"
    again = _push_command(endpoint, graph_store, data_dir)  # what the messages tell the user to run next
    if rollback:
        done = store.rollback(build, timeout=timeout, command=again)
        click.echo(f"rolled back the unfinished push to {store.graph_store}: {len(done['restored'])} named graphs "
                   f"restored, {len(done['deleted'])} deleted (they did not exist before)")
        return
    counts = store.push(build, timeout=timeout, resume=resume, command=again)
    for iri, n in counts.items():
        click.echo(f"{n:>8}  {iri}")
    click.echo(f"pushed {sum(counts.values())} triples in {len(counts)} named graphs to {store.graph_store}"
               + (" (the build's other graphs were replaced before the push failed)" if resume else ""))


def _push_command(endpoint, graph_store, data_dir) -> str:
    """`atdkg push` with the same --endpoint, --graph-store and --data-dir as this run (shell-quoted)."""
    import shlex
    flags = [("--endpoint", endpoint), ("--graph-store", graph_store), ("--data-dir", data_dir)]
    return " ".join(["atdkg push"] + [f"{flag} {shlex.quote(str(value))}" for flag, value in flags if value])


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="gunicorn gevent workers (each runs queries in children it can stop).")
@click.option("--public-url", metavar="URL",
              help="The address users reach this server at (default http://HOST:PORT/); every absolute URL "
                   "in answers is built from it, never from the request's Host.")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Another Host name to answer for (repeat; '*' for any). The public URL's host and "
                   "loopback are always accepted; other hosts get 400.")
@click.option("--debug", is_flag=True, help="Flask's development server with the debugger, instead of gunicorn.")
@click.option("--endpoint", metavar="URL",
              help="Serve the explorer in front of this SPARQL 1.1 query endpoint (else $ATDKG_ENDPOINT) instead of "
                   "loading the build; its default graph must be the union of the named graphs. With --data-dir "
                   "too, source texts, coverage and downloads come from that build directory.")
@click.option("--data-dir")
def serve(host, port, workers, public_url, allowed_hosts, debug, endpoint, data_dir):
    """Serve the explorer and the SPARQL endpoint over the current build (production WSGI server),
    or over a SPARQL server (--endpoint)."""
    import os
    import urllib.parse
    if data_dir:
        os.environ["ATDKG_DATA"] = data_dir
    if endpoint:
        parsed = urllib.parse.urlsplit(endpoint)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise click.BadParameter(f"{endpoint!r} is not an http(s) URL", param_hint="--endpoint")
        os.environ["ATDKG_ENDPOINT"] = endpoint  # environment: gunicorn's reload (HUP) makes the app again
    public_url = public_url or os.environ.get("ATDKG_PUBLIC_URL") or \
        f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    parsed = urllib.parse.urlsplit(public_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise click.BadParameter(f"{public_url!r} is not an http(s) URL", param_hint="--public-url")
    os.environ["ATDKG_PUBLIC_URL"] = public_url  # environment: a reload after a new build sees it too
    if allowed_hosts:
        os.environ["ATDKG_ALLOWED_HOSTS"] = ",".join(allowed_hosts)
    from atdkg.queries.stores import StoreError
    click.echo(f"atd-kg explorer on http://{host}:{port}/  (public URL {public_url}; SPARQL endpoint: "
               f"{public_url}sparql)" + (f" in front of the SPARQL server {os.environ['ATDKG_ENDPOINT']}"
                                          if os.environ.get("ATDKG_ENDPOINT") else ""))
    try:
        if debug:
            from atdkg.webapp import create_app
            create_app().run(host=host, port=port, debug=True, use_reloader=False)
            return
        from atdkg.webapp import server
        server.run(host, port, workers, data_dir)
    except (StoreError, ValueError) as e:
        _fail(str(e), EXIT_BAD_INPUT)


# -- the actor network -----------------------------------------------------------------------------
def _network_options(fn):
    """Options every `atdkg network` command takes (a subcommand's own value wins over the group's)."""
    from atdkg.network.projections import LEVELS
    for option in reversed([
        click.option("--level", type=click.Choice(LEVELS), default=None,
                     help="person, organisation (people rolled up to their organisation) or state "
                          "(governments, their bodies and missions rolled up to their State). Default: state."),
        click.option("--relation", "relations", multiple=True, metavar="KIND",
                     help="Relation kinds to include (repeat or comma-separate): co-hosting, co-lead, co-member, "
                          "co-participation, partnership, shared-practice, affiliation. Default: all."),
        click.option("--as-of", "as_of", metavar="DATE", help="Only links dated on or before DATE (YYYY-MM-DD)."),
        click.option("--endpoint", help="A SPARQL endpoint (else $ATDKG_ENDPOINT, the config file, or embedded)."),
        click.option("--data-dir"),
    ]):
        fn = option(fn)
    return fn


def _network_settings(ctx, level, relations, as_of, endpoint, data_dir) -> dict:
    from atdkg.network.projections import FilterError, filters
    parent = (ctx.obj or {}) if ctx is not None else {}
    try:
        f = filters(level or parent.get("level"), relations or parent.get("relations", ()),
                    as_of or parent.get("as_of"))
    except FilterError as e:
        raise click.BadParameter(str(e), param_hint={"as_of": "--as-of"}.get(e.param, f"--{e.param}")) from None
    return {"level": f.level, "relations": list(f.relations), "as_of": f.as_of,
            "endpoint": endpoint or parent.get("endpoint"), "data_dir": data_dir or parent.get("data_dir")}


def _network_data(s: dict):
    from atdkg.network.projections import NetworkData
    return NetworkData.load(_open(s["endpoint"], None, s["data_dir"]))


def _network_graph(s: dict, data=None):
    from atdkg.network.projections import project
    data = data or _network_data(s)
    return data, project(data, s["level"], s["relations"] or None, s["as_of"])


def _emit_graph(graph, fmt, output) -> None:
    from atdkg.network import export
    fmt = export.format_for(output, fmt)
    if output is None:
        click.echo(export.render(graph, fmt), nl=False)
        return
    for path in export.write(graph, fmt, output):
        click.echo(f"wrote {path}", err=True)
    click.echo(f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges at {graph.graph['level']} level "
               f"({fmt})", err=True)


def _level_name(level: str) -> str:
    return "State" if level == "state" else level


@main.group("network", invoke_without_command=True)
@_network_options
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "cyjs", "csv"]),
              help="Output format (default: from the -o file's suffix, else csv: the edge list).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (csv: FILE gets the edges, FILE-nodes.csv the nodes). Default: stdout.")
@click.pass_context
@_guarded
def network_cmd(ctx, level, relations, as_of, endpoint, data_dir, fmt, output):
    """The actor network: who works with whom, with the evidence behind every link.

    Without a subcommand, export the network (with each actor's metrics) as GraphML, GEXF,
    Cytoscape.js JSON or CSV."""
    ctx.obj = _network_settings(None, level, relations, as_of, endpoint, data_dir)
    if ctx.invoked_subcommand:
        return
    from atdkg.network import analysis
    _, graph = _network_graph(ctx.obj)
    _emit_graph(analysis.annotate(graph), fmt, output)


@network_cmd.command("metrics")
@_network_options
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many actors to list.")
@click.option("--by", type=click.Choice(["degree", "weighted_degree", "betweenness", "pagerank"]), default="degree",
              show_default=True, help="Rank by this metric.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.pass_context
@_guarded
def network_metrics(ctx, level, relations, as_of, endpoint, data_dir, top, by, fmt):
    """Top actors by degree (or --by), their communities, and the brokers between government and civil society."""
    import csv
    import io
    import json

    from atdkg.network import analysis
    s = _network_settings(ctx, level, relations, as_of, endpoint, data_dir)
    _, graph = _network_graph(s)
    rows = analysis.top(graph, top, by=by)
    groups = analysis.communities(graph)
    brokers = analysis.brokers(graph)[:top]
    if fmt == "json":
        click.echo(json.dumps({"level": s["level"], "as_of": s["as_of"], "relations": graph.graph["relations"],
                               "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(), "top": rows,
                               "communities": [[graph.nodes[n]["label"] for n in g] for g in groups],
                               "brokers": brokers}, ensure_ascii=False, indent=1))
        return
    columns = ["degree", "weighted_degree", "betweenness", "pagerank", "community"]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["rank", "actor", "label", "type", "side", *columns])
        for i, r in enumerate(rows, start=1):
            w.writerow([i, r["node"], r["label"], r["type"], r["side"], *(r[c] for c in columns)])
        click.echo(buf.getvalue(), nl=False)
        return
    click.echo(f"{_level_name(s['level'])} level: {graph.number_of_nodes()} actors, {graph.number_of_edges()} links"
               + (f", as of {s['as_of']}" if s["as_of"] else "") + f"; top {len(rows)} by {by}")
    click.echo(f"{'#':>3}  {'actor':<48} {'degree':>6} {'weighted':>8} {'between.':>8} {'pagerank':>8} {'comm.':>5}")
    for i, r in enumerate(rows, start=1):
        click.echo(f"{i:>3}  {r['label'][:48]:<48} {r['degree']:>6} {r['weighted_degree']:>8} "
                   f"{r['betweenness']:>8.4f} {r['pagerank']:>8.4f} {r['community']:>5}")
    click.echo(f"communities (Louvain, seed {analysis.SEED}):")
    for i, g in enumerate(groups, start=1):
        names = [graph.nodes[n]["label"] for n in g]
        click.echo(f"  {i}. {len(g)} actors: {', '.join(names[:6])}{', …' if len(names) > 6 else ''}")
    click.echo("brokers between government and civil society (shortest paths between the sides through them):")
    for b in brokers:
        click.echo(f"  {b['label']} ({b['side']}): {b['score']:g}; government side: {len(b['government'])}, "
                   f"civil society: {len(b['civil society'])}")
    if not brokers:
        click.echo("  none")


def _quote(text: str, width: int | None = None) -> str:
    import textwrap
    flat = " ".join(text.split())
    return f"“{textwrap.shorten(flat, width, placeholder=' …') if width else flat}”"


@network_cmd.command("explain")
@click.argument("a")
@click.argument("b")
@_network_options
@click.pass_context
@_guarded
def network_explain(ctx, a, b, level, relations, as_of, endpoint, data_dir):
    """Why two actors are linked: each relation kind with its events, dates, documents and passages.

    A and B are labels, acronyms, alternative names, ISO codes or IRIs (case and accents ignored);
    at organisation or State level a person or body also names what it is rolled up into."""
    from atdkg.network import analysis
    s = _network_settings(ctx, level, relations, as_of, endpoint, data_dir)
    data, graph = _network_graph(s)
    u, v = data.find(graph, a), data.find(graph, b)
    if u == v:
        raise ValueError(f"{a!r} and {b!r} are the same actor at {s['level']} level "
                         f"({graph.nodes[u]['label']})")
    why = analysis.explain(graph, u, v)
    where = f"{_level_name(s['level'])} level" + (f", as of {s['as_of']}" if s["as_of"] else "")
    if not why["linked"]:
        click.echo(f"{why['a_label']} and {why['b_label']} are not linked at {where}.")
        if why["path"]:
            click.echo(f"shortest path: {' — '.join(why['path'])}")
        return
    click.echo(f"{why['a_label']} — {why['b_label']} at {where}: weight {why['weight']}")
    for rel in why["relations"]:
        click.echo(f"\n{rel['relation']} (weight {rel['weight']}): {rel['meaning']}")
        for e in rel["events"]:
            click.echo(f"  {e['date']}  {e['label']}  <{e['event']}>")
            for d in e["details"]:
                click.echo(f"      {d}")
            for ev in e["evidence"]:
                click.echo(f"      [document {ev['document']}] {_quote(ev['quote'])}")


@network_cmd.command("twins")
@click.argument("state")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--endpoint")
@click.option("--data-dir")
@click.pass_context
@_guarded
def network_twins(ctx, state, top, fmt, endpoint, data_dir):
    """Twinning suggestions for STATE (a name or ISO 3166-1 alpha-3 code): States not yet linked with
    it that share a region, practice categories, GCM objectives or exchanges, ranked, with reasons."""
    import json

    from atdkg.network import twins
    s = _network_settings(ctx, None, (), None, endpoint, data_dir)
    data = _network_data(s)
    iri = twins.find_state(data, state)
    found = twins.suggest(data, iri, limit=top)
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=1))
        return
    label = data.actors[iri].label
    if not found:
        click.echo(f"no twinning suggestions for {label}: every State sharing something with it is already linked")
        return
    click.echo(f"Twinning suggestions for {label} (States not yet linked with it), best first; "
               f"points: {', '.join(f'{k} {v}' for k, v in twins.POINTS.items())}")
    for i, sug in enumerate(found, start=1):
        click.echo(f"{i:>3}. {sug['other_label']}  (score {sug['score']})")
        for r in sug["reasons"]:
            click.echo(f"       - {r['text']} (+{r['points']})")
            for ev in r["evidence"]:
                origin = 'document ' + ev['document'] if ev['document'] != 'reference' else 'reference data'
                click.echo(f"           [{origin}]"
                           f" {_quote(ev['quote'], 160)}")


@network_cmd.command("ego")
@click.argument("actor")
@click.option("--radius", type=click.IntRange(min=1), default=1, show_default=True, help="Steps from the actor.")
@_network_options
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "cyjs", "csv"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
@_guarded
def network_ego(ctx, actor, radius, level, relations, as_of, endpoint, data_dir, fmt, output):
    """ACTOR's ego network: everyone within --radius steps and the links among them (same formats)."""
    from atdkg.network import analysis
    s = _network_settings(ctx, level, relations, as_of, endpoint, data_dir)
    data, graph = _network_graph(s)
    _emit_graph(analysis.annotate(analysis.ego(graph, data.find(graph, actor), radius)), fmt, output)


@network_cmd.command("timeline")
@_network_options
@click.pass_context
@_guarded
def network_timeline(ctx, level, relations, as_of, endpoint, data_dir):
    """Change over time: the network as of each exchange, with the actors and links it added."""
    from atdkg.network import analysis
    s = _network_settings(ctx, level, relations, as_of, endpoint, data_dir)
    data = _network_data(s)
    for step in analysis.changes(data, s["level"], s["relations"] or None):
        if s["as_of"] and step["date"] > s["as_of"]:
            break
        click.echo(f"{step['date']}: {step['nodes']} actors, {step['edges']} links (density {step['density']}); "
                   f"new actors: {len(step['new_actors'])}, new links: {len(step['new_edges'])}")
        for name in step["new_actors"]:
            click.echo(f"  + {name}")


@main.command("eval")
@click.option("--gold", default="tests/gold", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="The gold set: documents.yaml, docs/ and one <name>.yaml per document.")
@click.option("--doc", "docs", multiple=True, metavar="NAME", help="Only this document (repeatable).")
@click.option("-v", "--verbose", is_flag=True, help="List every missed and spurious item per document.")
@click.option("--json", "as_json", is_flag=True, help="The figures as JSON.")
@click.option("--data-dir", help="Where reference/ and gazetteer/ are copied from (default: ./data).")
def eval_cmd(gold, docs, verbose, as_json, data_dir):
    """Measure the extraction against hand-made gold annotations: precision, recall and F1 per record type.

    Builds the gold documents in a temporary data directory (conforming or not) and compares each
    document's named graph with its gold. Exits 0 whatever the scores; 2 if the gold set is malformed."""
    from atdkg import evaluate
    sys.exit(evaluate.main(gold, docs, verbose, as_json, config.data_dir(data_dir)))


if __name__ == "__main__":
    main()
