"""A build is served whole or not at all: its manifest is checked at load, builds in use survive the
next build's swap, and /id/ paths no IRI could hold are the client's mistake (400), not ours (500).

Real files and real processes: builds are copied and damaged on disk, `atdkg serve` is started as
a child and must refuse in one line, and builds are held by other processes through flock."""
from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from atdkg import server_process
from atdkg.queries.stores import EmbeddedStore, StoreUnavailable
from atdkg.server_process import free_port

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def copy(build_dir, tmp_path):
    """A private copy of the session's build as <tmp>/data/build (its response cache left out)."""
    target = tmp_path / "data" / "build"
    shutil.copytree(os.path.realpath(build_dir), target, ignore=shutil.ignore_patterns("cache", ".lock"))
    return target


def refused(build) -> str:
    with pytest.raises(StoreUnavailable) as e:
        EmbeddedStore.from_build(build)
    message = str(e.value)
    assert "\n" not in message
    return message


def serve_refuses(data_dir) -> str:
    """`atdkg serve` on ``data_dir``: it must exit 2 within seconds with one line on stderr."""
    cmd = [sys.executable, "-m", "atdkg.cli", "serve", "--data-dir", str(data_dir), "--host", "127.0.0.1",
           "--port", str(free_port()), "--workers", "1"]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        server_process.stop(proc)
        pytest.fail("atdkg serve kept running on a damaged build instead of refusing it")
    elapsed = time.monotonic() - t0
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1, (proc.returncode, err)
    assert elapsed < 20, f"took {elapsed:.1f} s to refuse"
    return lines[0]


def truncate(path):
    """Cut a file at the line boundary nearest its middle: what is left still parses (the dangerous case)."""
    data = path.read_bytes()
    path.write_bytes(data[:data.index(b"\n", len(data) // 2) + 1])


# -- the manifest -------------------------------------------------------------------------------------
def test_write_build_writes_a_manifest_of_every_file(build_dir):
    import hashlib
    manifest = json.loads((build_dir / "MANIFEST.json").read_text())
    files = manifest["files"]
    on_disk = {p.relative_to(build_dir).as_posix() for p in build_dir.rglob("*")
               if p.is_file() and p.name not in ("MANIFEST.json", ".lock") and "cache" not in p.parts}
    assert set(files) == on_disk and any(name.startswith("sources/") for name in files)
    for name in ("graph.nq", "summary.json", "sources/manifest.csv"):
        data = (build_dir / name).read_bytes()
        assert files[name] == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    summary = json.loads((build_dir / "summary.json").read_text())
    assert manifest["counts"] == {"quads": len(EmbeddedStore.from_build(build_dir)), "triples": summary["triples"]}
    assert manifest["format"] == 1 and manifest["created"]
    assert (build_dir / ".lock").is_file()


@pytest.mark.parametrize("damage", [truncate, lambda p: p.write_bytes(b"")], ids=["truncated", "emptied"])
def test_a_damaged_graph_is_refused_by_the_store_and_by_serve(copy, damage):
    damage(copy / "graph.nq")
    message = refused(copy)
    assert "graph.nq" in message and "expected" in message and "atdkg build" in message
    line = serve_refuses(copy.parent)
    assert "graph.nq" in line and "expected" in line


@pytest.mark.parametrize("name", ["shacl-report.ttl", "summary.json"])
def test_a_changed_report_or_summary_is_refused(copy, name):
    with open(copy / name, "a", encoding="utf-8") as f:
        f.write("\n# changed after the build\n")
    assert name in refused(copy)


def _same_size_edit(path):
    data = bytearray(path.read_bytes())
    i = next(i for i in range(len(data) // 2, len(data)) if chr(data[i]).isalpha())
    data[i] ^= 0x20  # swap a letter's case: same size, different content
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("name", ["graph.nq", "graph.ttl", "sources/manifest.csv"])
def test_an_edit_that_keeps_the_size_is_refused_by_its_sha256(copy, name):
    size = (copy / name).stat().st_size
    _same_size_edit(copy / name)
    assert (copy / name).stat().st_size == size
    message = refused(copy)
    assert name in message and "sha256" in message


def test_a_missing_file_is_refused(copy):
    (copy / "graph.jsonld").unlink()
    message = refused(copy)
    assert "graph.jsonld" in message and "missing" in message


def test_a_build_without_a_manifest_is_refused_with_the_rebuild_hint(copy):
    (copy / "MANIFEST.json").unlink()
    message = refused(copy)
    assert "MANIFEST.json" in message and "atdkg build" in message
    assert "MANIFEST.json" in serve_refuses(copy.parent)


def test_no_build_is_one_line(tmp_path):
    message = refused(tmp_path / "data" / "build")
    assert "atdkg build" in message
    assert "atdkg build" in serve_refuses(tmp_path / "data")


def test_a_graph_that_does_not_parse_is_one_line_even_with_a_matching_manifest(copy):
    import hashlib
    bad = b"<https://example.org/s> <https://example.org/p> \"unterminated .\n"
    (copy / "graph.nq").write_bytes(bad)
    manifest = json.loads((copy / "MANIFEST.json").read_text())
    manifest["files"]["graph.nq"] = {"bytes": len(bad), "sha256": hashlib.sha256(bad).hexdigest()}
    (copy / "MANIFEST.json").write_text(json.dumps(manifest))
    message = refused(copy)
    assert "graph.nq" in message and "parse" in message


def test_an_unreadable_file_is_one_line(copy, monkeypatch):
    target = copy / "summary.json"
    target.chmod(0)
    if os.geteuid() == 0:  # root reads any file: refuse this one to the checker as to anyone else
        def guarded(path, *args, real=open, **kwargs):
            if os.fspath(path) == os.fspath(target):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real(path, *args, **kwargs)
        monkeypatch.setattr("atdkg.loaders.integrity.open", guarded, raising=False)
    message = refused(copy)
    assert "summary.json" in message and "Permission denied" in message


def test_the_loaded_quad_count_must_match(copy):
    manifest = json.loads((copy / "MANIFEST.json").read_text())
    manifest["counts"]["quads"] += 1
    (copy / "MANIFEST.json").write_text(json.dumps(manifest))
    message = refused(copy)
    assert "graph.nq" in message and "quads" in message


# -- builds in use survive the next swap ----------------------------------------------------------------
HOLDER = """
import os, sys
from atdkg.loaders.integrity import hold
hold(sys.argv[1])
if sys.argv[2] == "fork" and os.fork():
    os._exit(0)  # the parent goes (a gunicorn master that died); its forked child still holds the build
print("held", flush=True)
sys.stdin.read()
"""


def _holder(build, how="process"):
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(build), how], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.strip() == "held", proc.stderr.read() if proc.poll() is not None else line
    return proc


def _fake_build(builds, name):
    """A build directory as write_build leaves it before its swap (every other unheld one goes then)."""
    (builds / name).mkdir(parents=True)
    (builds / name / ".lock").touch()
    (builds / name / "graph.nq").write_bytes(b"")
    return builds / name


@pytest.mark.parametrize("how", ["process", "fork"])
def test_swap_keeps_a_held_build_and_removes_it_once_released(tmp_path, how):
    from atdkg.build import _swap
    builds, link = tmp_path / ".builds", tmp_path / "build"
    _swap(link, _fake_build(builds, "a"))
    holder = _holder(link, how)  # holds .builds/a, through the link's real path
    try:
        _swap(link, _fake_build(builds, "b"))
        assert (builds / "a").is_dir(), "a build some process holds was removed"
    finally:
        holder.stdin.close()  # the holder (or its forked child) reads EOF and exits: the lock goes with it
        holder.wait(10)
    deadline = time.time() + 10
    while how == "fork" and _locked(builds / "a") and time.time() < deadline:
        time.sleep(0.05)  # the forked child is not ours to wait for
    _swap(link, _fake_build(builds, "c"))
    assert sorted(p.name for p in builds.iterdir()) == ["c"]


def _locked(build) -> bool:
    fd = os.open(build / ".lock", os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def test_loading_a_build_holds_it(copy, tmp_path):
    from atdkg.build import _swap
    builds = tmp_path / "data" / ".builds"
    builds.mkdir()
    served = builds / "served"
    copy.rename(served)
    link = tmp_path / "data" / "build"
    _swap(link, served)
    EmbeddedStore.from_build(link)  # this process now serves it
    assert _locked(served)
    _swap(link, _fake_build(builds, "next"))
    assert (served / "graph.nq").is_file()


# -- /id/ paths an IRI cannot hold --------------------------------------------------------------------------
BAD = {"%20": "U+0020", "%22": "U+0022", "%7B": "U+007B", "%7D": "U+007D", "%3C": "U+003C", "%3E": "U+003E",
       "%5C": "U+005C", "%5E": "U+005E", "%60": "U+0060", "%7C": "U+007C", "%5B": "U+005B", "%00": "U+0000",
       "%01": "U+0001", "%0A": "U+000A", "%1F": "U+001F", "%7F": "U+007F", "%C2%80": "U+0080",
       "%EE%80%80": "U+E000", "%EF%BF%BE": "U+FFFE", "%25zz": "%", "%25": "%", "%23x%23": "#"}


@pytest.fixture(scope="module")
def client(make_app):
    return make_app().test_client()


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize("where", ["/id/person/a{}b", "/id/person/a{}b.ttl", "/document/0{}1"])
def test_a_path_no_iri_can_hold_is_400_without_a_traceback(client, caplog, where, bad):
    caplog.set_level(logging.INFO)
    r = client.get(where.format(bad), headers={"Accept": "application/json"})
    assert r.status_code == 400, r.data[:300]
    message = r.get_json()["message"]
    assert BAD[bad] in message and "position" in message
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR or rec.exc_info]


def test_the_position_counts_from_the_start_of_the_path(client):
    message = client.get("/id/person/a%20b", headers={"Accept": "application/json"}).get_json()["message"]
    assert "position 13" in message  # /id/person/a b: the space is the 13th character


def test_an_iri_the_query_parameters_refuse_is_400_too(client, caplog):
    """A no-break space is allowed by RFC 3987 but not as a parameter IRI: still the client's 400."""
    r = client.get("/id/person/a%C2%A0b", headers={"Accept": "application/json"})
    assert r.status_code == 400 and "IRI" in r.get_json()["message"]
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR or rec.exc_info]


def test_an_unknown_but_valid_iri_is_still_404(client, caplog):
    for path in ("/id/person/nobody", "/id/person/a%2520b", "/id/a%3Fb%23c", "/id/caf%C3%A9", "/document/999"):
        assert client.get(path).status_code == 404, path
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]


def test_the_iri_check_agrees_with_oxigraph():
    """Every code point in the path; in the query and fragment (where ? / and, in the query, private
    use are allowed, and a second # is not) Latin-1 and the edges of every range RFC 3987 names."""
    import pyoxigraph as ox

    from atdkg.webapp.entities import iri_problem

    def oxigraph_accepts(text):
        try:
            ox.NamedNode("https://w3id.org/atd-kg/id/" + text)
            return True
        except ValueError:
            return False
    edges = {c + d for c in (0xA0, 0xD7FF, 0xE000, 0xF8FF, 0xF900, 0xFDCF, 0xFDF0, 0xFFEF, 0xFFFD, 0xE1000,
                             0xEFFFD, 0xF0000, 0xFFFFD, 0x100000, 0x10FFFD) for d in (-1, 0, 1)}
    edges |= {(plane << 16) + low for plane in range(17) for low in (0, 0xFFFD, 0xFFFE, 0xFFFF)}
    cases = [f"a{chr(cp)}b" for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF]
    cases += [f"a{sep}{chr(cp)}" for sep in "?#" for cp in sorted(set(range(0x100)) | edges)]
    cases += ["a%2", "a%zz", "a%2F", "a%", "a#b#c", "a?b?c#d?/", "a?#", "a##"]
    wrong = [c for c in cases if (iri_problem(c) is None) != oxigraph_accepts(c)]
    assert not wrong, [ascii(c) for c in wrong[:10]]
