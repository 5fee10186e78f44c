"""Shared fixtures: the graph built from data/ (once per session) and throw-away copies of data/."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from atdkg import server_process
from atdkg.build import build_graph
from atdkg.loaders.sources import read_text
from atdkg.server_process import free_port

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def gazetteer():
    from atdkg.loaders.gazetteer import Gazetteer
    return Gazetteer(DATA)


@pytest.fixture(scope="session")
def vocab():
    from atdkg.loaders.vocab import Vocabulary
    return Vocabulary()


FICTIONAL_HEAD = "Notes of a fictional meeting\n\nSummary\n\n"


@pytest.fixture
def parse_text(gazetteer, vocab, tmp_path):
    """Parse a (fictional) text as document 009, a report of an exchange on 2024-03-05, a short header first;
    the ParsedDocument comes back, its text in ``tmp_path / "doc.txt"``."""
    from atdkg.loaders.parse import parse_document
    from atdkg.loaders.sources import Source

    def parse(body: str, genre: str = "report"):
        path = tmp_path / "doc.txt"
        path.write_text(FICTIONAL_HEAD + body, encoding="utf-8")
        src = Source("009", path.name, genre, "2024-03-05", "2024-03-05", "t", "", "en", "0" * 64)
        return parse_document(tmp_path, src, gazetteer, vocab, set())
    return parse


@pytest.fixture
def one_document_corpus(tmp_path):
    """A data directory whose corpus is one fictional report, 000 (event 2024-03-05): text in, directory out."""
    import hashlib

    def make(text: str) -> Path:
        data = tmp_path / "data"
        for part in ("reference", "gazetteer"):
            shutil.copytree(DATA / part, data / part)
        (data / "sources").mkdir()
        (data / "sources" / "000_fictional.txt").write_text(text, encoding="utf-8")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        (data / "sources" / "manifest.csv").write_text(
            "id,file,genre,event,date,title,publisher,language,sha256\n"
            f"000,000_fictional.txt,report,2024-03-05,2024-03-05,Report of the Lowland exchange,Test,en,{digest}\n",
            encoding="utf-8")
        return data
    return make


@pytest.fixture(scope="session")
def built():
    """The BuildResult of the real corpus (in memory; data/build is not touched)."""
    result = build_graph(DATA)
    assert result.conforms, result.report_text
    return result


@pytest.fixture(scope="session")
def mutation_runs(built):
    """The SHACL mutation suite's runs (tests/mutations.py), per kind and validator, on the union graph of the
    real corpus; each computed once per session, for the mutation suite and the validator-agreement test."""
    from mutations import MutationRuns

    from atdkg.loaders.validate import union_graph
    return MutationRuns(union_graph(built.dataset))


@pytest.fixture(scope="session")
def dataset(built):
    return built.dataset


@pytest.fixture(scope="session")
def store(built):
    """The real corpus in the production engine: the embedded store (pyoxigraph), as `atdkg serve` and
    `atdkg query` read it."""
    from atdkg.queries.stores import EmbeddedStore
    return EmbeddedStore.from_nquads(built.nquads)


@pytest.fixture(scope="session")
def originals():
    """Document id → original text, read the one way offsets are defined."""
    from atdkg.loaders.sources import load_manifest
    return {s.id: read_text(DATA / "sources" / s.file) for s in load_manifest(DATA / "sources")}


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of data/ (sources, reference, gazetteer) without any build."""
    target = tmp_path / "data"
    for part in ("sources", "reference", "gazetteer"):
        shutil.copytree(DATA / part, target / part)
    return target


@pytest.fixture(scope="module")
def small_once(tmp_path_factory):
    """A one-document corpus (the shortest source, 003), built once per module: the commit machinery of an
    edit — journal, kills, the lock — and a PDF's add are the same for one document as for four, and each build
    takes a quarter of the time. Tests change their own copy (``small``)."""
    from click.testing import CliRunner

    from atdkg.cli import main
    target = tmp_path_factory.mktemp("small") / "data"
    for part in ("reference", "gazetteer"):
        shutil.copytree(DATA / part, target / part)
    (target / "sources").mkdir()
    lines = (DATA / "sources" / "manifest.csv").read_text(encoding="utf-8").splitlines()
    row = next(ln for ln in lines[1:] if ln.startswith("003,"))
    shutil.copy2(DATA / "sources" / row.split(",")[1], target / "sources")
    (target / "sources" / "manifest.csv").write_text(f"{lines[0]}\n{row}\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["build", "--data-dir", str(target)]).exit_code == 0
    return target


@pytest.fixture
def small(small_once, tmp_path):
    target = tmp_path / "data"
    shutil.copytree(small_once, target, symlinks=True)
    return target


@pytest.fixture(scope="session")
def build_dir(built, tmp_path_factory):
    """The real corpus's build written to a temporary data/build."""
    from atdkg.build import write_build
    root = tmp_path_factory.mktemp("data")
    write_build(built, root / "build", DATA / "sources")
    return root / "build"



def _start_oxigraph(location: Path, *command: str):
    """An Oxigraph server process (``command``: serve or serve-read-only and its options) on a free
    127.0.0.1 port, once it answers: (process, base URL)."""
    import subprocess
    import time
    import urllib.request
    binary = server_process.script("oxigraph")
    assert binary, "the oxigraph server is not installed (pip install oxigraph; .ci/run does)"
    port = free_port()
    proc = subprocess.Popen([binary, command[0], "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             *command[1:]], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2).close()
            return proc, base
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError(f"oxigraph did not start: {proc.stderr.read().decode()[:500]}") from None
            time.sleep(0.2)


def _stop(proc) -> None:
    import subprocess
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph SPARQL server (the `oxigraph` package's binary) on a free 127.0.0.1 port,
    its default graph the union of the named graphs. Stopped at the end of the session."""
    proc, base = _start_oxigraph(tmp_path_factory.mktemp("oxigraph"), "serve", "--union-default-graph")
    yield base
    _stop(proc)


SERVER_TIMEOUT = 5  # s: the explorer's server stops a query itself after this (the explorer gives up sooner)


@pytest.fixture(scope="session")
def explorer_endpoint(build_dir, tmp_path_factory):
    """The session's build in an Oxigraph server set up as README's "Explorer in front of a SPARQL server"
    says: loaded with `oxigraph load`, served read-only, default graph the union, its own time limit.
    Its own process: push tests change what the shared ``oxigraph_server`` holds. The query URL."""
    import subprocess
    location = tmp_path_factory.mktemp("oxigraph-explorer")
    subprocess.run([server_process.script("oxigraph"), "load", "--location", str(location), "--file",
                    str(build_dir / "graph.nq")], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    proc, base = _start_oxigraph(location, "serve-read-only", "--union-default-graph",
                                 "--timeout-s", str(SERVER_TIMEOUT))
    yield f"{base}/query"
    _stop(proc)


@pytest.fixture(scope="module", params=["embedded", "endpoint"])
def explorer_mode(request) -> dict:
    """The explorer's two ways to answer, as make_app settings: the embedded store loaded from the build,
    and the same build in a SPARQL server (`atdkg serve --endpoint URL --data-dir DATA`). A module's
    ``app`` fixture that takes it runs every test of the module in both."""
    if request.param == "embedded":
        return {}
    return {"ENDPOINT": request.getfixturevalue("explorer_endpoint")}


@pytest.fixture(scope="session")
def make_app(build_dir):
    """A factory of explorer apps over the session's build (config overrides as keywords);
    their query children are stopped at the end of the session."""
    from atdkg.webapp import create_app
    apps = []

    def make(**config):
        # each app its own on-disk cache tier: answers never leak from one test's app into another's
        config.setdefault("PAGE_CACHE_DIR", tempfile.mkdtemp(prefix="atdkg-cache-"))
        app = create_app({"DATA_DIR": str(build_dir.parent), **config})
        apps.append(app)
        return app
    yield make
    from atdkg.webapp import store
    for app in apps:
        store.close(app)
