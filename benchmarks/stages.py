"""What each reading stage costs per document, measured in one run: the genre reader alone (what parsing was
before the stages), then with the Chatham House policy, mentions, statistics and relations added one by one.

    python -m atdkg.benchmarks.stages [--runs 5] [--against COMMIT]

Parses data/sources and the gold documents (tests/gold/docs) as `atdkg build` does, with the gazetteer, cues
and vocabulary loaded once; each configuration keeps the fastest of ``--runs`` passes over all documents (the
machine is shared: the minimum is the least disturbed figure), and prints milliseconds per document and the
ratio to the genre reader alone. ``--against COMMIT`` also parses the same documents with the loaders of an
earlier commit (checked out in a temporary git worktree, imported in a child process), alternating with
today's code in the same run, and prints both and their ratio: "parse time within 2× of before" is measured,
not assumed. (An older reader that knows no genre of today's registry reads such a document as a report.)
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from unittest import mock

import yaml

ROOT = Path(__file__).resolve().parent.parent
# (name, the attribute of atdkg.loaders.parse that runs it, what it returns when switched off)
STAGES: list[tuple[str, str, object]] = [
    ("Chatham House policy", "find_unnamed", []),
    ("mentions", "find_mentions", []),
    ("statistics", "read_statistics", []),
    ("relations", "read_relations", None),
]


def documents() -> list[tuple[Path, object]]:
    from atdkg.loaders.sources import Source, load_manifest
    out: list[tuple[Path, object]] = [(ROOT / "data" / "sources", s) for s in load_manifest(ROOT / "data" / "sources")]
    gold = ROOT / "tests" / "gold"
    for n, d in enumerate(yaml.safe_load((gold / "documents.yaml").read_text(encoding="utf-8"))["documents"]):
        path = gold / d["file"]
        out.append((path.parent, Source(f"9{n:02d}", path.name, d["loader_genre"], str(d.get("event") or ""),
                                        str(d["date"]), d["title"], d["publisher"], "en", "0" * 64)))
    return out


def seconds(docs, gazetteer, vocab, off: list[tuple[str, object]], runs: int) -> float:  # off: (name, result)
    from atdkg.loaders import parse
    best = float("inf")
    for _ in range(runs):
        with ExitStack() as stack:
            for attr, value in off:
                stack.enter_context(mock.patch.object(parse, attr, lambda *a, _v=value, **k: _v))
            start = time.perf_counter()
            for sources_dir, src in docs:
                parse.parse_document(sources_dir, src, gazetteer, vocab, set())
            best = min(best, time.perf_counter() - start)
    return best


# run in a child process: the loaders of another checkout, imported instead of the installed (editable) package
CHILD = r"""
import sys, time
checkout, runs = sys.argv[1], int(sys.argv[2])
if checkout:
    sys.meta_path = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
    sys.path.insert(0, checkout + "/.pkg")
from pathlib import Path
import yaml
from atdkg.loaders import parse, sources
from atdkg.loaders.gazetteer import Gazetteer
from atdkg.loaders.vocab import Vocabulary
root, here = Path(checkout or ROOT), Path(ROOT)
known = set(getattr(sources, "GENRES", ()))
docs = [(here / "data" / "sources", s) for s in sources.load_manifest(here / "data" / "sources")]
for n, d in enumerate(yaml.safe_load((here / "tests/gold/documents.yaml").read_text())["documents"]):
    p = here / "tests/gold" / d["file"]
    genre = d["loader_genre"] if d["loader_genre"] in known else "report"
    event = str(d.get("event") or ("" if genre == d["loader_genre"] else d["date"]))
    docs.append((p.parent, sources.Source(f"9{n:02d}", p.name, genre, event, str(d["date"]), d["title"],
                                          d["publisher"], "en", "0" * 64)))
g, v = Gazetteer(root / "data"), Vocabulary()
best = float("inf")
for k in range(runs + 1):  # the first pass warms the caches and is not counted
    start = time.perf_counter()
    for sd, s in docs:
        parse.parse_document(sd, s, g, v, set())
    if k:
        best = min(best, time.perf_counter() - start)
print(f"{1000 * best / len(docs):.2f}")
"""


def _child_ms(checkout: str, runs: int) -> float:
    code = f"ROOT = {str(ROOT)!r}\n" + CHILD
    out = subprocess.run([sys.executable, "-c", code, checkout, str(runs)], capture_output=True, text=True,
                         check=True, timeout=600)
    return float(out.stdout.strip().splitlines()[-1])


def against(commit: str, runs: int) -> None:
    """Today's parse against ``commit``'s, alternating in one run."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), commit], check=True)
        try:
            pkg = tree / ".pkg" / "atdkg"
            pkg.parent.mkdir()
            shutil.copytree(tree / "atdkg", pkg)  # the package as installed: atdkg/ with the top-level folders in it
            for part in ("loaders", "queries", "network", "webapp", "ontology", "benchmarks"):
                if (tree / part).is_dir():
                    os.symlink(tree / part, pkg / part, target_is_directory=True)
            old, new = [], []
            for _ in range(2):
                old.append(_child_ms(str(tree), runs))
                new.append(_child_ms("", runs))
            print(f"parse per document, {commit[:10]} vs today (same documents, alternating, fastest of {runs}): "
                  f"{min(old):.1f} ms vs {min(new):.1f} ms — {min(new) / min(old):.2f}×")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="passes per configuration (the fastest is kept)")
    ap.add_argument("--against", metavar="COMMIT", help="also compare today's parse with this commit's")
    args = ap.parse_args(argv)
    from atdkg.loaders.gazetteer import Gazetteer
    from atdkg.loaders.vocab import Vocabulary
    gazetteer, vocab = Gazetteer(ROOT / "data"), Vocabulary()
    docs = documents()
    seconds(docs, gazetteer, vocab, [], 1)  # warm the caches (patterns are built once per gazetteer)
    print(f"{len(docs)} documents (data/sources and tests/gold), fastest of {args.runs} passes")
    base = None
    for k in range(len(STAGES) + 1):
        off: list[tuple[str, object]] = [(attr, value) for _, attr, value in STAGES[k:]]
        s = seconds(docs, gazetteer, vocab, off, args.runs)
        base = base or s
        name = "genre reader alone" if k == 0 else f"+ {STAGES[k - 1][0]}"
        print(f"  {name:<24} {1000 * s / len(docs):7.1f} ms/doc   {s / base:4.2f}×")
    if args.against:
        against(args.against, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
