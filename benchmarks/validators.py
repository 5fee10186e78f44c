"""Choose the SHACL validator by measurement: pySHACL against pyshacl-turbo, per graph size.

    python -m atdkg.benchmarks.validators                          # the seed build (data/build)
    python -m atdkg.benchmarks.validators --docs 50                # + a generated 50-document corpus, built
    python -m atdkg.benchmarks.validators --build /tmp/perf-500/build --validators turbo pyshacl

For each build (a folder with graph.nq, or the file itself) and each validator, a fresh process loads the
N-Quads into an rdflib Dataset (as the build holds it) and validates it the way the build does
(loaders.validate.validate: the union of the named graphs against the installed shapes). It prints the seconds
of that validation, the process's peak resident memory (ru_maxrss: the loaded graph included, so compare it with
the graph's own), the conformance and the number of results, and whether every validator's results equal the
first's (loaders.validate.comparable_results). Where the build's summary.json gives the build's own stage times,
it prints validation's share of a build that validated with each (parse + emit + network + that validation).

--mutations also times every kind of the mutation suite (tests/mutations.py) with each validator, in one process
over the real corpus: the total seconds and the kinds on which the results differ.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def worker(validator: str, graph_nq: Path, results_out: Path) -> dict:
    """One validator on one build, in this process (run as a child by measure)."""
    from rdflib import Dataset

    from atdkg.loaders.validate import comparable_results, load_shapes, union_graph, validate
    t0 = time.perf_counter()
    ds = Dataset()
    ds.parse(graph_nq, format="nquads")
    loaded, loaded_mb = time.perf_counter() - t0, _peak_mb()
    shapes = load_shapes()
    # what validate(ds) does, in its two parts: the union of the named graphs (rdflib), then the engine
    t1 = time.perf_counter()
    union = union_graph(ds)
    t2 = time.perf_counter()
    conforms, report, _text = validate(union, shapes, validator=validator)
    seconds, union_s = time.perf_counter() - t1, t2 - t1
    found = comparable_results(report, shapes)
    # the results as N3 text, sorted: the parent compares two validators' sets from their files
    results_out.write_text(json.dumps(sorted(repr(tuple(_n3(x) for x in r)) for r in found)), encoding="utf-8")
    return {"validator": validator, "load_s": loaded, "loaded_mb": loaded_mb, "validate_s": seconds, "union_s": union_s,
            "peak_mb": _peak_mb(), "conforms": conforms, "results": len(found)}


def _n3(term):
    if isinstance(term, tuple):
        return tuple(_n3(t) for t in term)
    return term.n3() if hasattr(term, "n3") else term


def measure(validator: str, graph_nq: Path, work: Path) -> dict:
    """The worker in its own process: peak memory is that validator's alone."""
    out = work / f"results-{validator}.json"
    proc = subprocess.run([sys.executable, "-m", "atdkg.benchmarks.validators", "--worker", validator, str(graph_nq),
                           str(out)], capture_output=True, text=True, cwd=os.getcwd())
    if proc.returncode != 0:
        return {"validator": validator, "error": (proc.stderr.strip().splitlines() or ["?"])[-1]}
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    figures["result_set"] = set(json.loads(out.read_text(encoding="utf-8")))
    return figures


def build_corpus(docs: int, work: Path) -> Path:
    """A generated corpus of ``docs`` documents (benchmarks.corpus), built by `atdkg build` in a child process."""
    from atdkg.benchmarks.corpus import make_corpus
    data = make_corpus(docs, work / f"corpus-{docs}")
    proc = subprocess.run([sys.executable, "-m", "atdkg.cli", "build", "--data-dir", str(data)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"building {docs} documents failed:\n{proc.stdout}{proc.stderr}")
    return data / "build"


def _graph_file(build: Path) -> Path:
    return build / "graph.nq" if build.is_dir() else build


def _stages(build: Path) -> dict | None:
    summary = (build if build.is_dir() else build.parent) / "summary.json"
    if not summary.is_file():
        return None
    data = json.loads(summary.read_text(encoding="utf-8"))
    return {"triples": data.get("triples"), **data.get("seconds", {})}


def _agreement(run: dict, first: dict) -> str:
    if run["result_set"] == first["result_set"] and run["conforms"] == first["conforms"]:
        return f"same results as {first['validator']}"
    return (f"DIFFERENT from {first['validator']}: conforms {run['conforms']} vs {first['conforms']}, "
            f"{len(run['result_set'] - first['result_set'])} results alone here, "
            f"{len(first['result_set'] - run['result_set'])} alone there")


def report_build(label: str, build: Path, validators: list[str]) -> list[str]:
    graph_nq = _graph_file(build)
    if not graph_nq.is_file():
        return [f"{label}: no {graph_nq} (run `atdkg build` first)"]
    stages = _stages(build)
    with tempfile.TemporaryDirectory(prefix="atdkg-validators-") as tmp:
        runs = [measure(v, graph_nq, Path(tmp)) for v in validators]
    size = graph_nq.stat().st_size
    triples = f"{stages['triples']:,} triples" if stages and stages.get("triples") else f"{size:,} bytes"
    lines = [f"{label} ({graph_nq}, {triples})"]
    if stages and all(k in stages for k in ("parse", "emit", "network", "validate")):
        total = sum(stages[k] for k in ("parse", "emit", "network", "validate"))
        lines.append(f"  the build's own stages (summary.json): parse {stages['parse']:.1f} s, "
                     f"emit {stages['emit']:.1f} s, network {stages['network']:.1f} s, "
                     f"validate {stages['validate']:.1f} s: validation "
                     f"{100 * stages['validate'] / total:.0f}% of {total:.1f} s")
    first = next((r for r in runs if "error" not in r), None)
    for r in runs:
        if "error" in r:
            lines.append(f"  {r['validator']:8} failed: {r['error']}")
            continue
        agree = "—" if first is None or r is first else _agreement(r, first)
        share = ""
        if stages and all(k in stages for k in ("parse", "emit", "network")):
            rest = stages["parse"] + stages["emit"] + stages["network"]
            share = (f", {100 * r['validate_s'] / (rest + r['validate_s']):.0f}% of a build of "
                     f"{rest + r['validate_s']:.1f} s (parse + emit + network {rest:.1f} s)")
        lines.append(f"  {r['validator']:8} validate {r['validate_s']:7.1f} s "
                     f"(union of the graphs {r['union_s']:.1f} s, "
                     f"engine {r['validate_s'] - r['union_s']:.1f} s){share}; "
                     f"peak {r['peak_mb']:,.0f} MB "
                     f"(graph loaded: {r['loaded_mb']:,.0f} MB, in {r['load_s']:.1f} s); conforms={r['conforms']}, "
                     f"{r['results']} results; {agree}")
    timed = [r for r in runs if "error" not in r]
    if len(timed) > 1:
        fastest = min(timed, key=lambda r: r["validate_s"])
        lines.append("  ratios: " + ", ".join(f"{r['validator']}/{fastest['validator']} "
                                              f"{r['validate_s'] / fastest['validate_s']:.1f}×" for r in timed
                                              if r is not fastest))
    return lines


def mutation_suite(validators: list[str]) -> list[str]:
    """Every mutation kind of tests/mutations.py with each validator, in this process, over the real corpus."""
    sys.path.insert(0, str(ROOT / "tests"))
    from mutations import KINDS, MutationRuns  # the suite's own mutations, not a copy

    from atdkg.build import build_graph
    from atdkg.loaders.validate import comparable_results, union_graph
    runs = MutationRuns(union_graph(build_graph(ROOT / "data", validator=validators[0]).dataset))
    seconds = dict.fromkeys(validators, 0.0)
    differ = []
    for kind in KINDS:
        first = runs.run(kind, validators[0])
        for v in validators:
            seconds[v] += runs.run(kind, v).seconds  # the validation alone, not the mutation's own query
            other = runs.run(kind, v)
            if other.conforms != first.conforms or (comparable_results(other.report, other.shapes) !=
                                                    comparable_results(first.report, first.shapes)):
                differ.append(f"{kind} ({v})")
    fastest = min(seconds, key=lambda v: seconds[v])
    ratios = ", ".join(f"{v}/{fastest} {s / seconds[fastest]:.1f}×" for v, s in seconds.items() if v != fastest)
    return [f"mutation suite ({len(KINDS)} kinds, the validation alone): "
            + ", ".join(f"{v} {s:.1f} s" for v, s in seconds.items()) + (f" ({ratios})" if ratios else "")
            + f"; kinds with different results: {', '.join(differ) or 'none'}"]


def main(argv: list[str] | None = None) -> int:
    from atdkg.loaders.validate import VALIDATORS
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        _, validator, graph_nq, out = argv
        print(json.dumps(worker(validator, Path(graph_nq), Path(out))))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", type=Path, nargs="*", default=None,
                    help="build folders (or graph.nq files); default: data/build when there is no --docs")
    ap.add_argument("--docs", type=int, nargs="*", default=[], help="also generate and build corpora of N documents")
    ap.add_argument("--validators", nargs="+", default=list(VALIDATORS), choices=VALIDATORS,
                    help="the first is the one the others are compared with")
    ap.add_argument("--mutations", action="store_true", help="also time the mutation suite with each validator")
    ap.add_argument("--work", type=Path, help="where generated corpora go (default: a temporary folder)")
    args = ap.parse_args(argv)
    builds = args.build if args.build is not None else ([] if args.docs else [ROOT / "data" / "build"])
    print(f"SHACL validators, {time.strftime('%Y-%m-%d')}, {platform.node() or 'host'}: {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; validators: {', '.join(args.validators)}", flush=True)
    if args.mutations:
        print("\n".join(mutation_suite(args.validators)), flush=True)
    for build in builds:
        print("\n".join(report_build(str(build), build, args.validators)), flush=True)
    if args.docs:
        with tempfile.TemporaryDirectory(prefix="atdkg-validators-") as tmp:
            work = args.work or Path(tmp)
            for docs in args.docs:
                t = time.perf_counter()
                build = build_corpus(docs, work)
                print(f"(generated and built {docs} documents in {time.perf_counter() - t:.0f} s)", flush=True)
                print("\n".join(report_build(f"{docs} generated documents", build, args.validators)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
