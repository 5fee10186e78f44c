"""Safe corpus edits (issue 14): `atdkg add`, `remove`, `replace` and `build` change the corpus and the build
all or nothing, wait for each other, refuse what the text contradicts, stay within bounds and in time linear
in a document's size, and say in a few lines why a graph was refused or a write failed."""
from __future__ import annotations

import csv
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from atdkg.cli import main
from atdkg.loaders.integrity import verify

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "fourth-exchange-report.txt"
LOCK_MESSAGE = re.compile(r"another atdkg \w+ is running on .+ \(pid \d+\); waited [\d.]+ s")


def atdkg(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


def cli(*args, env=None, timeout=300):
    """`python -m atdkg.cli …` in its own process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "atdkg.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env={**os.environ, **(env or {})})


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def state(data: Path) -> dict:
    """What an edit may change: the manifest's bytes, every source file's bytes, where data/build points."""
    sources = data / "sources"
    build = data / "build"
    return {"manifest": (sources / "manifest.csv").read_bytes(),
            "sources": {p.name: sha(p) for p in sorted(sources.iterdir())
                        if p.is_file() and not p.name.startswith(".")},
            "build": os.readlink(build) if build.is_symlink() else None}


def rows(data: Path) -> list[dict]:
    with (data / "sources" / "manifest.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def documents_in_build(data: Path) -> int:
    verify(data / "build")  # resolves to a complete build whose MANIFEST.json verifies
    return json.loads((data / "build" / "summary.json").read_text(encoding="utf-8"))["documents"]


def report_of(day: str, tmp_path: Path, name: str | None = None) -> Path:
    """The fictional report, moved to another exchange date (a document of its own)."""
    from datetime import date
    d = date.fromisoformat(day)
    text = FIXTURE.read_text(encoding="utf-8").replace("15 June 2023", f"{d.day} {d.strftime('%B')} {d.year}")
    path = tmp_path / (name or f"report-{day}.txt")
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    """The corpus copied and built once for this module (a build takes seconds; sixty tests need one each)."""
    target = tmp_path_factory.mktemp("built") / "data"
    for part in ("sources", "reference", "gazetteer"):
        shutil.copytree(ROOT / "data" / part, target / part)
    assert atdkg("build", "--data-dir", target).exit_code == 0
    return target


@pytest.fixture
def built(built_once, tmp_path):
    """A writable, built copy of data/ for one test: the module's build copied (its relative symlink too)."""
    target = tmp_path / "data"
    shutil.copytree(built_once, target, symlinks=True)
    return target


# -- 1. dates and genres ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("option", ["--event", "--date"])
@pytest.mark.parametrize("bad", ["2023-W24-4", "20230615", "2023-02-30", "15/06/2023", "2023-6-15"])
def test_event_and_date_must_be_calendar_dates(built, option, bad):
    before = state(built)
    args = ["add", FIXTURE, "--genre", "report", "--data-dir", built,
            "--event", bad if option == "--event" else "2023-06-15"] + ([option, bad] if option == "--date" else [])
    result = atdkg(*args)
    assert result.exit_code == 2, result.output
    assert option in result.output and "YYYY-MM-DD" in result.output, result.output
    assert "Traceback" not in result.output
    assert state(built) == before


def test_week_dates_do_not_mint_a_second_exchange(built):
    """2023-W24-4 is 2023-06-15 in ISO week form: accepted, it minted a second IRI for the same exchange."""
    result = atdkg("add", FIXTURE, "--genre", "report", "--event", "2023-W24-4", "--data-dir", built)
    assert result.exit_code == 2
    assert not any(r["event"] == "2023-W24-4" for r in rows(built))


@pytest.mark.parametrize("written", ["15 June 2023", "June 15, 2023", "15/06/2023", "2023-06-15",
                                     "Thursday, 15 June 2023", "Thursday 15 June 2023", "Thursday, June 15, 2023",
                                     "15 June 2023, 14:30 – 17:30 (CET)"])
def test_the_date_a_text_states_in_common_forms(written):
    from atdkg.loaders.textcheck import document_date
    stated = document_date(f"\n\nReport of an exchange\n\n{written}\n\nContext\n\nSomething happened.\n")
    assert stated is not None and stated.iso == "2023-06-15" and stated.line == 5


def test_a_text_that_states_no_date_is_no_mismatch():
    from atdkg.loaders.textcheck import check_event, document_date
    text = "\n\nNotes\n\n1. One.\n2. Two.\n"
    assert document_date(text) is None
    assert check_event(text, "2030-01-01", "notes.txt") is None


def test_add_refuses_an_event_date_the_text_contradicts(built):
    before = state(built)
    result = atdkg("add", FIXTURE, "--genre", "report", "--event", "2023-06-16", "--data-dir", built)
    assert result.exit_code == 2, result.output
    out = result.output
    assert "15 June 2023" in out and "line 9" in out and "--event" in out and "--force" in out, out
    assert len(out.strip().splitlines()) <= 3
    assert state(built) == before


def test_force_adds_it_anyway(built):
    result = atdkg("add", FIXTURE, "--genre", "report", "--event", "2023-06-16", "--force", "--data-dir", built)
    assert result.exit_code == 0, result.output
    assert rows(built)[-1]["event"] == "2023-06-16"


def test_add_refuses_a_report_as_a_concept_note(built):
    before = state(built)
    result = atdkg("add", FIXTURE, "--genre", "concept-note", "--event", "2023-06-15", "--data-dir", built)
    assert result.exit_code == 2, result.output
    assert "report" in result.output and "--genre" in result.output and "--force" in result.output
    assert state(built) == before


def test_add_refuses_an_agenda_as_a_report(built, tmp_path):
    """A concept note with its agenda (001's text, moved to another day) is no report."""
    text = (built / "sources" / "001_6c0987914c27514b.txt").read_text(encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text(text.replace("29 June 2021", "6 July 2023"), encoding="utf-8")
    before = state(built)
    result = atdkg("add", note, "--genre", "report", "--event", "2023-07-06", "--data-dir", built)
    assert result.exit_code == 2, result.output
    assert "agenda" in result.output and "--genre" in result.output and "--force" in result.output
    assert "timed" in result.output
    assert state(built) == before


def test_the_corpus_passes_its_own_checks():
    from atdkg.loaders.sources import load_manifest, read_text
    from atdkg.loaders.textcheck import check_event, check_genre
    data = ROOT / "data" / "sources"
    for src in load_manifest(data):
        text = read_text(data / src.file)
        assert check_event(text, src.event, src.file) is None, src.file
        assert check_genre(text, src.genre, src.file, data.parent / "gazetteer") is None, src.file


def test_genre_cues_are_data_not_code():
    """The cues live in a table; no source document's phrase is written into the checker."""
    cues = ROOT / "data" / "gazetteer" / "genre_cues.csv"
    with cues.open(encoding="utf-8", newline="") as f:
        table = list(csv.DictReader(f))
    assert {g for r in table for g in r["genres"].split()} == {"agenda", "concept-note", "report"}
    code = (ROOT / "loaders" / "textcheck.py").read_text(encoding="utf-8")
    for src in (ROOT / "data" / "sources").glob("*.txt"):
        for line in src.read_text(encoding="utf-8").splitlines():
            words = line.split()
            for k in range(0, max(0, len(words) - 5)):
                phrase = " ".join(words[k:k + 6])
                assert phrase not in code, phrase


# -- 2. atomic edits ------------------------------------------------------------------------------------------
def test_an_exception_inside_the_rebuild_leaves_everything(built, monkeypatch):
    from atdkg import build as build_module

    def boom(*args, **kwargs):
        raise RuntimeError("the validator fell over")
    monkeypatch.setattr(build_module, "validate", boom)
    before = state(built)
    result = atdkg("add", FIXTURE, "--genre", "report", "--event", "2023-06-15", "--data-dir", built)
    assert result.exit_code != 0
    assert state(built) == before
    assert documents_in_build(built) == 4
    assert not list((built / "sources").glob(".staging/*"))


def _new_build_dirs(data: Path, known: set[str]) -> list[str]:
    builds = data / ".builds"
    return [p.name for p in builds.iterdir() if p.name not in known] if builds.exists() else []


def test_sigkill_while_the_new_build_is_written_leaves_the_corpus(small):
    """Killed at the moment its build directory appears (the rebuild half done): nothing changed."""
    before = state(small)
    known = {p.name for p in (small / ".builds").iterdir()}
    proc = subprocess.Popen([sys.executable, "-m", "atdkg.cli", "add", str(FIXTURE), "--genre", "report",
                             "--event", "2023-06-15", "--data-dir", str(small)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while not _new_build_dirs(small, known) and proc.poll() is None and time.time() < deadline:
        time.sleep(0.002)
    proc.kill()
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL, "the add finished before the kill"
    assert state(small) == before  # at once: no manifest row, no file, the same build
    assert documents_in_build(small) == 1
    again = atdkg("build", "--data-dir", small)  # and the next command starts from a clean corpus
    assert again.exit_code == 0, again.output


STEPS = ["staged", "built", "written", "journal", "moved", "swapped", "committed"]


def _complete(data: Path, before: dict) -> bool:
    now = state(data)
    new = set(now["sources"]) - set(before["sources"])
    n_before = len(before["manifest"].decode().splitlines()) - 1
    return (len(rows(data)) == n_before + 1 and len(new) == 1 and rows(data)[-1]["file"] in new
            and documents_in_build(data) == n_before + 1)


@pytest.mark.parametrize("step", STEPS)
def test_sigkill_at_every_step_of_an_add(small, step):
    before = state(small)
    proc = cli("add", FIXTURE, "--genre", "report", "--event", "2023-06-15", "--data-dir", small,
               env={"ATDKG_FAULT": f"{step}:SIGKILL"})
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    documents_in_build(small)  # whatever the moment, data/build is a complete build
    if STEPS.index(step) < STEPS.index("journal"):
        assert state(small) == before  # nothing visible had changed yet
    from atdkg.loaders.corpus import recover
    recover(small)  # what the next atdkg command does first, under the lock
    if step == "committed":
        assert _complete(small, before)
    else:
        assert state(small) == before and documents_in_build(small) == 1
    assert not list((small / "sources").glob(".staging/*")) and not (small / ".edit-journal.json").exists()
    assert atdkg("build", "--data-dir", small).exit_code == 0


@pytest.mark.parametrize("step", ["staged", "built", "journal", "swapped", "committed"])
def test_ctrl_c_at_a_step_of_an_add(small, step):
    before = state(small)
    proc = cli("add", FIXTURE, "--genre", "report", "--event", "2023-06-15", "--data-dir", small,
               env={"ATDKG_FAULT": f"{step}:SIGINT"})
    assert proc.returncode == 130, proc.stderr
    assert "Traceback" not in proc.stderr
    if step == "committed":
        assert _complete(small, before)
    else:
        assert state(small) == before and documents_in_build(small) == 1
    assert not list((small / "sources").glob(".staging/*")) and not (small / ".edit-journal.json").exists()


def test_a_staged_orphan_does_not_break_the_next_build(built):
    """What a SIGKILL before any visible step leaves: a copy under sources/.staging. Builds ignore it and
    the next one (holding the lock) removes it; it never reaches the build's sources/."""
    staging = built / "sources" / ".staging"
    staging.mkdir()
    (staging / "004_0123456789abcdef.txt").write_text("left behind", encoding="utf-8")
    result = atdkg("build", "--data-dir", built)
    assert result.exit_code == 0, result.output
    assert not list(staging.glob("*"))
    assert not (built / "build" / "sources" / ".staging").exists()


# -- 3. one at a time ---------------------------------------------------------------------------------------
def test_a_held_lock_makes_build_wait_then_say_who_holds_it(built):
    lock = built / ".lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.write(fd, b"4242 add\n")
        before = state(built)
        t0 = time.monotonic()
        proc = cli("build", "--data-dir", built, "--wait", "1")
        assert time.monotonic() - t0 >= 1
        assert proc.returncode == 1
        assert LOCK_MESSAGE.search(proc.stderr) and "(pid 4242)" in proc.stderr and str(built) in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert state(built) == before
    finally:
        os.close(fd)


def test_concurrent_builds_and_adds_never_break_the_build(small, tmp_path):
    """8 build/add pairs at once: each waits its turn (or says why not); data/build is always whole."""
    procs = []
    for k in range(8):
        doc = report_of(f"2023-0{1 + k % 8}-1{k % 9}", tmp_path)
        procs.append(subprocess.Popen([sys.executable, "-m", "atdkg.cli", "build", "--data-dir", str(small)],
                                      cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        event = re.search(r"(\d{4}-\d{2}-\d{2})", doc.name).group(1)
        procs.append(subprocess.Popen([sys.executable, "-m", "atdkg.cli", "add", str(doc), "--genre", "report",
                                       "--event", event, "--data-dir", str(small)],
                                      cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    added = 0
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0 or (p.returncode == 1 and LOCK_MESSAGE.search(err)), err
        added += p.returncode == 0 and p.args[3] == "add"
        documents_in_build(small)
    assert documents_in_build(small) == 1 + added == len(rows(small))


# -- 4. bounds (linear time is a benchmark: python -m atdkg.benchmarks.linearity) ---------------------------
def test_a_document_over_the_size_limit_is_refused_naming_file_and_limit(built, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(FIXTURE.read_text(encoding="utf-8") + ("\nOne more paragraph of the report.\n" * 400),
                   encoding="utf-8")
    before = state(built)
    result = atdkg("add", big, "--genre", "report", "--event", "2023-06-15", "--max-bytes", "10000",
                   "--data-dir", built)
    assert result.exit_code == 2, result.output
    assert "big.txt" in result.output and "10,000" in result.output and "--max-bytes" in result.output
    assert state(built) == before


def test_a_line_over_the_length_limit_is_refused_naming_file_line_and_limit(built, tmp_path):
    long = tmp_path / "long.txt"
    long.write_text(FIXTURE.read_text(encoding="utf-8").replace("Key findings", "Key findings " + "x" * 3000),
                    encoding="utf-8")
    result = atdkg("add", long, "--genre", "report", "--event", "2023-06-15", "--max-line", "2000",
                   "--data-dir", built)
    assert result.exit_code == 2, result.output
    line = long.read_text(encoding="utf-8").splitlines().index(next(
        ln for ln in long.read_text(encoding="utf-8").splitlines() if "xxx" in ln)) + 1
    assert f"long.txt:{line}" in result.output and "2,000" in result.output and "--max-line" in result.output


def test_the_size_limit_holds_for_build_too(built):
    sizes = {p.name: p.stat().st_size for p in (built / "sources").glob("*.txt")}
    limit = max(sizes.values()) - 1  # exactly one document is over it
    result = atdkg("build", "--max-bytes", limit, "--data-dir", built)
    assert result.exit_code == 2
    largest = max(sizes, key=sizes.get)
    assert largest in result.output and f"{sizes[largest]:,} bytes" in result.output
    assert f"{limit:,}" in result.output and "--max-bytes" in result.output


def test_parsing_has_a_time_limit(built, tmp_path):
    slow = tmp_path / "slow.txt"
    body = "".join(f"One State reported that programme {k} reached many people in the region.\n\n"
                   for k in range(20000))
    slow.write_text(FIXTURE.read_text(encoding="utf-8") + body, encoding="utf-8")
    before = state(built)
    t0 = time.monotonic()
    proc = cli("add", slow, "--genre", "report", "--event", "2023-06-15", "--parse-timeout", "1",
               "--data-dir", built)
    assert time.monotonic() - t0 < 60
    assert proc.returncode == 2, proc.stderr
    assert "slow.txt" in proc.stderr and "1 s" in proc.stderr and "--parse-timeout" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert state(built) == before


def test_a_20_mb_report_is_refused_within_a_minute(built, tmp_path):
    big = tmp_path / "twenty.txt"
    paragraph = "One State reported that its programme of case management reached many families. " * 10 + "\n\n"
    with big.open("w", encoding="utf-8") as f:
        f.write(FIXTURE.read_text(encoding="utf-8"))
        while f.tell() < 20 * 2**20:
            f.write(paragraph)
    t0 = time.monotonic()
    proc = cli("add", big, "--genre", "report", "--event", "2023-06-15", "--data-dir", built, timeout=120)
    assert time.monotonic() - t0 < 60
    assert proc.returncode == 2 and "twenty.txt" in proc.stderr and "5,242,880" in proc.stderr


# -- 5. remove and replace -------------------------------------------------------------------------------------
def test_remove_takes_a_document_out_and_rebuilds(built):
    before = rows(built)
    result = atdkg("remove", "002", "--data-dir", built)
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in rows(built)] == ["000", "001", "003"]
    assert not (built / "sources" / "002_f6734d40a9405fb9.txt").exists()
    assert documents_in_build(built) == 3
    lines = (built / "sources" / "manifest.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(before)  # the other rows byte-for-byte
    original = (ROOT / "data" / "sources" / "manifest.csv").read_text(encoding="utf-8").splitlines()
    assert lines == [ln for ln in original if not ln.startswith("002,")]


def test_remove_an_unknown_id_names_the_known_ones(built):
    before = state(built)
    result = atdkg("remove", "042", "--data-dir", built)
    assert result.exit_code == 2 and "042" in result.output and "000, 001, 002, 003" in result.output
    assert state(built) == before


def test_a_failed_remove_rolls_back(built, monkeypatch):
    from atdkg import build as build_module
    monkeypatch.setattr(build_module, "validate", lambda ds, **_: (False, __import__("rdflib").Graph(), "refused"))
    before = state(built)
    result = atdkg("remove", "002", "--data-dir", built)
    assert result.exit_code == 1
    assert state(built) == before


def test_replace_keeps_the_id_and_the_row(built, tmp_path):
    old = built / "sources" / "002_f6734d40a9405fb9.txt"
    new = tmp_path / "002-corrected.txt"
    new.write_text(old.read_text(encoding="utf-8").replace("130 participants", "131 participants"), encoding="utf-8")
    before = rows(built)
    result = atdkg("replace", "002", new, "--data-dir", built)
    assert result.exit_code == 0, result.output
    after = rows(built)
    row = next(r for r in after if r["id"] == "002")
    assert {k: v for k, v in row.items() if k not in ("file", "sha256")} == \
        {k: v for k, v in before[2].items() if k not in ("file", "sha256")}
    assert row["sha256"] == sha(new) and row["file"] == f"002_{sha(new)[:16]}.txt"
    assert (built / "sources" / row["file"]).read_bytes() == new.read_bytes()
    assert not old.exists()
    assert [r["id"] for r in after] == ["000", "001", "002", "003"]
    assert documents_in_build(built) == 4
    nq = (built / "build" / "graph.nq").read_text(encoding="utf-8")
    assert '"131"' in nq and '"130"' not in nq


def test_replace_options_override_the_row(built, tmp_path):
    new = tmp_path / "002-corrected.txt"
    new.write_text((built / "sources" / "002_f6734d40a9405fb9.txt").read_text(encoding="utf-8") + "\n",
                   encoding="utf-8")
    result = atdkg("replace", "002", new, "--title", "Corrected report", "--data-dir", built)
    assert result.exit_code == 0, result.output
    assert next(r for r in rows(built) if r["id"] == "002")["title"] == "Corrected report"


def test_replace_checks_the_text_against_the_row(built, tmp_path):
    """The kept event date must agree with the new text too (unless --force)."""
    before = state(built)
    result = atdkg("replace", "002", FIXTURE, "--data-dir", built)
    assert result.exit_code == 2 and "15 June 2023" in result.output and "--force" in result.output
    assert state(built) == before


def test_sigkill_at_every_step_of_a_replace(built, tmp_path):
    new = tmp_path / "002-corrected.txt"
    new.write_text((built / "sources" / "002_f6734d40a9405fb9.txt").read_text(encoding="utf-8") + "\n",
                   encoding="utf-8")
    from atdkg.loaders.corpus import recover
    for step in ["journal", "moved", "swapped", "committed"]:
        before = state(built)
        proc = cli("replace", "002", new, "--data-dir", built, env={"ATDKG_FAULT": f"{step}:SIGKILL"})
        assert proc.returncode == -signal.SIGKILL, proc.stderr
        documents_in_build(built)
        recover(built)
        if step != "committed":
            assert state(built) == before
        else:
            now = state(built)
            assert "002_f6734d40a9405fb9.txt" not in now["sources"] and f"002_{sha(new)[:16]}.txt" in now["sources"]
            assert documents_in_build(built) == 4


# -- 6. a refused graph, a full disk ----------------------------------------------------------------------------
def _late_closing(data: Path) -> int:
    """The agenda's closing remarks moved after the exchange's end: SHACL refuses the graph."""
    path = data / "sources" / "001_6c0987914c27514b.txt"
    text = path.read_text(encoding="utf-8").replace("17:20 Closing Remarks", "18:30 Closing Remarks")
    path.write_text(text, encoding="utf-8", newline="")
    manifest = data / "sources" / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "8ee8a89419c665ef867ebfbf9baa5c144d9191bd5024220a556b8eac3843fe70", sha(path)), encoding="utf-8")
    return text[:text.index("18:30 Closing")].count("\n") + 1


def test_a_refused_graph_gets_a_short_summary_and_the_full_report_in_a_file(built):
    line = _late_closing(built)
    result = atdkg("build", "--data-dir", built)
    assert result.exit_code == 1
    out = result.output.strip().splitlines()
    assert len(out) <= 12, result.output
    text = result.output
    assert "starts within its exchange" in text and f"001_6c0987914c27514b.txt:{line}" in text, text
    assert "Closing" in text  # which entity
    path = Path(re.search(r"full report: (\S+)", text).group(1))
    assert path.is_file() and "Constraint Violation" in path.read_text(encoding="utf-8")
    assert "previous build is untouched" in text


@pytest.mark.parametrize("where", ["graph.trig", "sources"])
def test_a_full_disk_is_one_line_naming_the_path(built, monkeypatch, where):
    import shutil

    from atdkg import build as build_module
    before = state(built)
    builds_before = sorted(p.name for p in (built / ".builds").iterdir())
    if where == "graph.trig":
        real = build_module.ox.serialize

        def full(quads, output=None, *args, **kwargs):
            if str(output).endswith("graph.trig"):
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(quads, output, *args, **kwargs)
        monkeypatch.setattr(build_module.ox, "serialize", full)
    else:
        def full(src, dst, *args, **kwargs):
            raise OSError(errno.EDQUOT, "Disk quota exceeded")
        monkeypatch.setattr(shutil, "copyfile", full)
        monkeypatch.setattr(shutil, "copy2", full)
    result = atdkg("build", "--data-dir", built)
    assert result.exit_code == 1, result.output
    lines = [ln for ln in result.output.splitlines() if ln.startswith("error")]
    assert len(lines) == 1 and ("No space left" in lines[0] or "quota" in lines[0]), result.output
    assert str(built / ".builds") in lines[0] and "previous build is untouched" in lines[0]
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert state(built) == before
    assert sorted(p.name for p in (built / ".builds").iterdir()) == builds_before
    assert documents_in_build(built) == 4


def test_a_full_disk_while_staging_an_add_is_one_line(built, monkeypatch):
    import shutil

    def full(src, dst, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(shutil, "copyfile", full)
    before = state(built)
    result = atdkg("add", FIXTURE, "--genre", "report", "--event", "2023-06-15", "--data-dir", built)
    assert result.exit_code == 1, result.output
    assert "No space left on device" in result.output and ".staging" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert state(built) == before


def test_a_meeting_over_several_days_states_each_of_them():
    from atdkg.loaders.textcheck import check_event
    text = "[Fictional.]\n\nReport of a regional meeting\n\nLisbon, 9–10 May 2023\n"
    assert check_event(text, "2023-05-09", "r.txt") is None and check_event(text, "2023-05-10", "r.txt") is None
    message = check_event(text, "2023-05-12", "r.txt")
    assert message is not None and "r.txt: line 5 states the date 9–10 May 2023" in message
