"""Choose the embedded store by measurement.

    python -m atdkg.benchmarks.stores [--copies 1 107] [--runs 5] [--budget 60]

For each size (the built graph repeated COPIES times: 100 copies ≈ 10⁶ triples) and each
engine — rdflib's memory store, rdflib over Oxigraph (oxrdflib), pyoxigraph called directly —
it loads the N-Quads in a fresh process, then runs every competency query (queries/competency.yaml,
with its parameters) RUNS times and prints load time, resident memory and median latency per query, with the
ratios between engines. A query slower than BUDGET seconds is reported as "> BUDGET" and the
engine's remaining queries at that size run in a new process.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TypedDict

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENGINES = ["rdflib", "oxrdflib", "pyoxigraph"]


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _load(engine: str, path: Path):
    if engine == "pyoxigraph":
        from atdkg.queries.stores import EmbeddedStore
        return EmbeddedStore.from_nquads(path.read_bytes())
    from rdflib import Dataset

    from atdkg.queries.stores import RdflibStore
    ds = Dataset(store="Oxigraph", default_union=True) if engine == "oxrdflib" else Dataset(default_union=True)
    ds.parse(path, format="nquads")
    return RdflibStore(ds)


def _competency() -> dict[str, tuple[str, dict]]:
    import yaml
    spec = yaml.safe_load((ROOT / "queries" / "competency.yaml").read_text())
    return {qid: (s["query"], s.get("params") or {}) for qid, s in spec.items()}


def _worker(engine: str, path: str, names: list[str], runs: int, out: mp.Queue) -> None:
    from atdkg import queries
    rss0 = _rss_mb()
    t0 = time.perf_counter()
    store = _load(engine, Path(path))
    out.put(("load", time.perf_counter() - t0, _rss_mb() - rss0))
    competency = _competency()
    for name in names:
        query_name, params = competency[name]
        q = queries.get(query_name)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            store.run(q, params, timeout=None)
            times.append(time.perf_counter() - t)
        out.put(("query", name, statistics.median(times)))
    out.put(("done",))


class Measured(TypedDict):
    load: float | None  # seconds to load the data
    rss: float | None  # MB the load added
    queries: dict[str, float | None]  # median seconds per query; inf: over budget, None: not run


def measure(engine: str, path: Path, names: list[str], runs: int, budget: float, max_restarts: int = 6) -> Measured:
    result: Measured = {"load": None, "rss": None, "queries": {}}
    todo = list(names)
    restarts = 0
    while todo:
        if restarts > max_restarts:  # each restart reloads the data: stop paying for an engine that cannot keep up
            result["queries"].update({n: None for n in todo})
            break
        out: mp.Queue = mp.get_context("fork").Queue()
        proc = mp.get_context("fork").Process(target=_worker, args=(engine, str(path), todo, runs, out))
        proc.start()
        waited_for = None
        try:
            while True:
                msg = out.get(timeout=budget * runs + (600 if result["load"] is None else 0))
                if msg[0] == "load":
                    result["load"], result["rss"] = msg[1], msg[2]
                elif msg[0] == "query":
                    result["queries"][msg[1]] = msg[2]
                    todo.remove(msg[1])
                else:
                    break
        except Exception:  # noqa: BLE001 - queue.Empty: the current query ran over budget
            waited_for = todo.pop(0)
            result["queries"][waited_for] = float("inf")
            restarts += 1
        finally:
            proc.kill()
            proc.join()
    return result


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, nargs="+", default=[1, 100])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--budget", type=float, default=60.0, help="seconds per query run before giving up")
    ap.add_argument("--engines", nargs="+", default=ENGINES, choices=ENGINES)
    args = ap.parse_args(argv)
    from atdkg.benchmarks.scale import write_scaled
    build = ROOT / "data" / "build"
    if not (build / "graph.nq").exists():
        sys.exit("run `atdkg build` first")
    names = list(_competency())  # Q01 … Q16
    print(f"# Store benchmark — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    for copies in args.copies:
        with tempfile.TemporaryDirectory() as tmp:
            path = write_scaled(build, copies, Path(tmp) / "scaled.nq")
            quads = sum(1 for _ in path.open())
            print(f"\n## {copies} cop{'y' if copies == 1 else 'ies'}: {quads:,} quads\n")
            res = {}
            for e in args.engines:
                res[e] = measure(e, path, names, args.runs if copies < 20 else max(1, args.runs // 2), args.budget)
                print(f"<!-- {e}: load {res[e]['load']}, {sum(1 for v in res[e]['queries'].values() if v)} queries -->",
                      flush=True)
        fmt = lambda s: "not run" if s is None else (f"> {args.budget:g} s" if s == float("inf") else  # noqa: E731
                                                f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s")
        print("| | " + " | ".join(args.engines) + " | rdflib ÷ pyoxigraph | oxrdflib ÷ pyoxigraph |")
        print("|---|" + "---|" * (len(args.engines) + 2))
        print("| load | " + " | ".join(fmt(res[e]["load"]) for e in args.engines) + " | "
              + " | ".join(_ratio(res, e, "load") for e in ("rdflib", "oxrdflib")) + " |")
        print("| memory (RSS growth) | " + " | ".join(f"{res[e]['rss']:.0f} MB" if res[e]["rss"] else "—"
                                                   for e in args.engines) + " | | |")
        competency = _competency()
        for name in names:
            print(f"| {name} {competency[name][0]} | "
                  + " | ".join(fmt(res[e]["queries"].get(name)) for e in args.engines) + " | "
                  + " | ".join(_ratio(res, e, name) for e in ("rdflib", "oxrdflib")) + " |")
        medians = {e: statistics.median(v if v is not None else float("inf") for v in res[e]["queries"].values())
                   for e in args.engines}
        print("| **median query** | " + " | ".join(fmt(medians[e]) for e in args.engines) + " | "
              + " | ".join(f"{medians[e] / medians['pyoxigraph']:.0f}×" if "pyoxigraph" in medians and e in medians
                           and medians[e] != float("inf") else "—" for e in ("rdflib", "oxrdflib")) + " |")


def _ratio(res, engine, key) -> str:
    if engine not in res or "pyoxigraph" not in res:
        return "—"
    get = (lambda e: res[e]["load"]) if key == "load" else (lambda e: res[e]["queries"].get(key))
    a, b = get(engine), get("pyoxigraph")
    if not b:
        return "—"
    if a is None:
        return "not run"
    return "over budget" if a == float("inf") else f"{a / b:.0f}×"


if __name__ == "__main__":
    main()
