"""`atdkg-bench`: how the cost of atd-kg grows with the corpus, measured in one run.

    atdkg-bench [--docs 10 100 1000] [--runs 5] [--budget 20] [--clients 32] [--seconds 30]
                [--engines atdkg,pyoxigraph,rdflib,server] [--out bench-output]

For each size, a corpus of DOCS documents is derived from the real ones (benchmarks/corpus.py:
people, organisations, States and dates renamed; every other variant in PDF layout), then, each
step in a fresh process so that memory figures are its own:

1. build: parse, resolve + emit, network metrics, validation, writing — seconds, documents/s,
   triples/s, and the process's peak resident memory;
2. every catalogue query (queries/*.rq, default parameters) RUNS times on each engine: atdkg's
   embedded store (what the CLI and the explorer use), raw pyoxigraph on the same N-Quads,
   rdflib's memory store, and a real `oxigraph serve-read-only` server — p50/p95 per query and
   the medians' ratios. A run slower than BUDGET seconds is stopped and counted as "> BUDGET";
3. the network: loading the relations, then projection and metrics at State, organisation and
   person level;
4. the explorer: `atdkg serve` (gunicorn, 2 workers) under CLIENTS clients for SECONDS seconds
   over a mix of entity pages, facet pages, named queries and /sparql GETs, then the same load
   on a static file; requests/s, p50/p95 per kind, 5xx, and the server's memory (PSS summed over
   its processes, i.e. shared pages counted once).

It prints each size's figures as they come, then a Markdown summary with the targets of issue 6
(met or not), and writes bench-output/summary.md and bench-output/results.json.
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import urllib.request
from pathlib import Path

from atdkg.server_process import free_port

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("atdkg", "pyoxigraph", "rdflib", "server")
LEVELS = ("state", "organisation", "person")


# -- helpers -------------------------------------------------------------------------------------
def _peak_mb() -> float:
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _isolated(fn, *args, timeout: float | None = None):
    """Run ``fn(*args)`` in a fresh interpreter (spawn) and return its value; exceptions come back
    as text. Memory figures taken inside are that process's own."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_trampoline, args=(fn, args, queue))
    proc.start()
    deadline = time.time() + timeout if timeout else math.inf
    while True:
        try:
            status, value = queue.get(timeout=1)
            break
        except Exception:  # noqa: BLE001 - queue.Empty: still working, or dead without a word
            if not proc.is_alive():
                return {"error": f"the process ended with exit code {proc.exitcode} and no result"}
            if time.time() > deadline:
                proc.kill()
                proc.join()
                return {"error": f"did not finish within {timeout:g} s"}
    proc.join()
    if status == "error":
        return {"error": value}
    return value


def _trampoline(fn, args, queue):
    sys.path.insert(0, str(ROOT))
    try:
        queue.put(("ok", fn(*args)))
    except BaseException:  # noqa: BLE001 - reported, not raised, so the benchmark goes on
        queue.put(("error", traceback.format_exc(limit=4)))


def _quantiles(values: list[float]) -> tuple[float, float]:
    if not values:
        return math.nan, math.nan
    if len(values) == 1:
        return values[0], values[0]
    q = statistics.quantiles(values, n=100, method="inclusive")
    return q[49], q[94]


# -- 1. build ------------------------------------------------------------------------------------
def build_job(data_dir: str) -> dict:
    from atdkg.build import build_graph, write_build
    data = Path(data_dir)
    t0 = time.perf_counter()
    result = build_graph(data)
    t1 = time.perf_counter()
    write_build(result, data / "build", data / "sources")
    t2 = time.perf_counter()
    summary = result.summary()
    return {"documents": summary["documents"], "triples": summary["triples"], "quads": summary["quads"],
            "conforms": summary["conforms"], "skipped_lines": summary["skipped_lines"],
            "seconds": {**result.timings, "write": t2 - t1, "total": t2 - t0},
            "peak_mb": _peak_mb()}


# -- 2. queries ----------------------------------------------------------------------------------
def catalogue_cases() -> list[tuple[str, dict]]:
    """Every catalogue query with its default parameters (the competency question's where a
    parameter has no default)."""
    import yaml

    from atdkg import queries
    competency = yaml.safe_load((ROOT / "queries" / "competency.yaml").read_text())
    given: dict[str, dict] = {}
    for spec in competency.values():
        given.setdefault(spec["query"], spec.get("params") or {})
    cases = []
    for name, q in sorted(queries.catalogue().items()):
        params = {p.name: p.default for p in q.params if p.default is not None}
        params.update({k: v for k, v in given.get(name, {}).items() if k not in params})
        if all(p.name in params for p in q.params):
            cases.append((name, params))
    return cases


def _open_engine(engine: str, build: Path):
    """A function text -> number of rows (every value touched), after loading the build."""
    import pyoxigraph as ox

    from atdkg.queries.stores import EmbeddedStore, RdflibStore
    if engine == "atdkg":
        store = EmbeddedStore.from_build(build)
        return lambda text: _size(store.query(text, timeout=None))
    if engine == "pyoxigraph":
        raw = ox.Store()
        raw.bulk_load(path=str(build / "graph.nq"), format=ox.RdfFormat.N_QUADS)

        def run_raw(text):
            res = raw.query(text, use_default_graph_as_union=True)
            if isinstance(res, ox.QueryBoolean):
                return 1
            if isinstance(res, ox.QuerySolutions):
                names = [v.value for v in res.variables]
                return sum(1 for sol in res for _ in [[sol[n] for n in names]])
            return sum(1 for _ in res)
        return run_raw
    if engine == "rdflib":
        rdflib_store = RdflibStore.from_build(build)
        return lambda text: _size(rdflib_store.query(text, timeout=None))
    raise ValueError(engine)


def _size(result) -> int:
    if result.kind == "select":
        return len(result.rows)
    if result.kind == "graph":
        return len(result.graph)
    return 1


def query_job(engine: str, build_dir: str, cases: list, runs: int, budget: float) -> dict:
    """Load the build on ``engine``, then time each case in a forked child (killed at ``budget``)."""
    from atdkg import queries
    from atdkg.queries.binding import bind_values
    build = Path(build_dir)
    rss0 = _peak_mb()
    t0 = time.perf_counter()
    run = _open_engine(engine, build)
    load = time.perf_counter() - t0
    timings: dict[str, dict] = {}
    out = {"load_s": load, "peak_mb": _peak_mb(), "base_mb": rss0, "queries": timings}
    ctx = mp.get_context("fork")
    for name, params in cases:
        q = queries.get(name)
        text = bind_values(q.full_text, q.bindings(params))
        timings[name] = _timed_in_child(ctx, run, text, runs, budget)
    return out


def _time_runs(run, text, runs, budget, conn):
    spent = 0.0
    for _ in range(runs):
        t = time.perf_counter()
        rows = run(text)
        dt = time.perf_counter() - t
        conn.send((dt, rows))
        spent += dt
        if spent > budget:  # enough: a slow query gets fewer runs, never less than one
            break
    conn.send(None)


def _timed_in_child(ctx, run, text, runs, budget) -> dict:
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_time_runs, args=(run, text, runs, budget, child))
    proc.start()
    child.close()
    times, rows, timeout = [], None, False
    while True:
        if not parent.poll(budget):
            timeout = True
            break
        try:
            item = parent.recv()
        except EOFError:
            break
        if item is None:
            break
        times.append(item[0])
        rows = item[1]
    proc.kill()
    proc.join()
    parent.close()
    p50, p95 = _quantiles(times)
    if timeout and not times:
        p50 = p95 = math.inf
    return {"p50": p50, "p95": p95, "runs": len(times), "rows": rows, "timeout": timeout}


def server_job(build_dir: str, cases: list, runs: int, budget: float, work: str) -> dict:
    """The same cases against a real Oxigraph server (read-only, RocksDB on disk) over HTTP."""
    from atdkg import queries
    from atdkg.queries.binding import bind_values
    from atdkg.queries.stores import RemoteStore, StoreError
    from atdkg.server_process import script
    binary = script("oxigraph")
    if not binary:
        return {"error": "the oxigraph server is not installed (pip install -e '.[bench]')"}
    location = Path(work) / "oxigraph"
    shutil.rmtree(location, ignore_errors=True)
    t0 = time.perf_counter()
    subprocess.run([binary, "load", "--location", str(location), "--file", str(Path(build_dir) / "graph.nq")],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    load = time.perf_counter() - t0
    port = free_port()
    proc = subprocess.Popen([binary, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph", "--timeout-s", str(math.ceil(budget))],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(endpoint + "?query=ASK%7B%7D", timeout=2).close()
                break
            except OSError:
                if time.time() > deadline:
                    return {"error": "oxigraph serve-read-only did not start"}
                time.sleep(0.2)
        store = RemoteStore(endpoint, retries=0)
        timings: dict[str, dict] = {}
        out = {"load_s": load, "queries": timings}
        for name, params in cases:
            q = queries.get(name)
            text = bind_values(q.full_text, q.bindings(params))
            times, rows, timeout = [], None, False
            for _ in range(runs):
                t = time.perf_counter()
                try:
                    rows = _size(store.query(text, timeout=budget + 5))
                except StoreError:
                    timeout = True
                    break
                times.append(time.perf_counter() - t)
                if sum(times) > budget:
                    break
            p50, p95 = _quantiles(times)
            if timeout and not times:
                p50 = p95 = math.inf
            timings[name] = {"p50": p50, "p95": p95, "runs": len(times), "rows": rows, "timeout": timeout}
        return out
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(location, ignore_errors=True)


# -- 3. network ----------------------------------------------------------------------------------
def network_job(build_dir: str, budget: float) -> dict:
    from atdkg.network.projections import NetworkData
    from atdkg.queries.stores import EmbeddedStore
    store = EmbeddedStore.from_build(Path(build_dir))
    t0 = time.perf_counter()
    data = NetworkData.load(store)
    levels: dict[str, dict] = {}
    out = {"load_s": time.perf_counter() - t0, "levels": levels}
    ctx = mp.get_context("fork")
    for level in LEVELS:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_network_level, args=(data, level, child))
        proc.start()
        child.close()
        if parent.poll(budget * 3):
            levels[level] = parent.recv()
        else:
            levels[level] = {"timeout": budget * 3}
        proc.kill()
        proc.join()
    return out


def _network_level(data, level, conn):
    from atdkg.network import analysis
    from atdkg.network.projections import project
    t0 = time.perf_counter()
    graph = project(data, level)
    t1 = time.perf_counter()
    analysis.metrics(graph)
    t2 = time.perf_counter()
    conn.send({"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
               "project_s": t1 - t0, "metrics_s": t2 - t1})


# -- 4. explorer ---------------------------------------------------------------------------------
def _sparql_rows(base: str, query: str) -> list[dict]:
    url = base + "/sparql?" + urllib.parse.urlencode({"query": query})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        doc = json.load(r)
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


def explorer_requests(base: str, iri_base: str, seed: int = 0) -> list[tuple[str, str, str]]:
    """The mix, from what the served graph holds: entity pages of every kind, facet pages with
    facet values, network pages, named queries with parameters, ad-hoc /sparql GETs."""
    rng = random.Random(seed)
    html = "text/html"
    entities = []
    for cls in ("atd:State", "foaf:Person", "org:Organization", "atd:Practice", "atd:PeerLearningExchange",
                "atd:PledgeIdea", "atd:Government"):
        rows = _sparql_rows(base, f"SELECT DISTINCT ?s WHERE {{ ?s a {cls} }}")
        iris = sorted(r["s"] for r in rows if r["s"].startswith(iri_base + "id/"))
        entities += rng.sample(iris, min(12, len(iris)))
    reqs = [("entity", "/" + iri[len(iri_base):], html) for iri in entities]
    from .facets import facet_urls
    facets = facet_urls(base, seed)  # list pages plain, paged and faceted (benchmarks/facets.py)
    reqs += [("facet", path, html) for path in facets]
    # the network: unfiltered levels (computed in the master before the workers fork) and filtered ones
    # (computed at their first request, webapp/network_view.py)
    reqs += [("network", path, "application/json" if path.startswith("/network.json") else html)
             for path in ("/network", "/network?level=organisation", "/network.json?level=person",
                          "/network.json?level=state&relation=co-hosting", "/network?level=organisation&top=500")]
    named = [(n, p) for n, p in catalogue_cases() if not n.startswith(("network-", "entity-", "describe"))]
    reqs += [("named query", f"/queries/{n}.csv" + ("?" + urllib.parse.urlencode(p) if p else ""), "text/csv")
             for n, p in named]
    for q in ("SELECT ?exchange ?date WHERE { ?exchange a atd:PeerLearningExchange ; dcterms:date ?date } "
              "ORDER BY ?date LIMIT 50",
              "SELECT ?s ?label WHERE { ?s a atd:State ; rdfs:label ?label } ORDER BY ?label",
              "SELECT (COUNT(*) AS ?n) WHERE { ?s a foaf:Person }"):
        reqs.append(("sparql", "/sparql?" + urllib.parse.urlencode({"query": q}), "application/sparql-results+json"))
    rng.shuffle(reqs)
    return reqs


def explorer_job(data_dir: str, clients: int, seconds: float) -> dict:
    from atdkg import server_process

    from . import loadgen
    port = free_port()
    t0 = time.perf_counter()
    proc, base = server_process.start(port, env={"ATDKG_DATA": data_dir}, workers=2, wait=600)
    startup = time.perf_counter() - t0
    try:
        from atdkg import config
        reqs = explorer_requests(base, config.base_iri())
        cold = loadgen.warm(base, reqs, times=1)  # rendered from the store; then cached in one of the workers
        mix = loadgen.run(base, reqs, clients, seconds)
        memory = server_process.group_memory(proc)
        static = loadgen.run(base, [("static", "/static/style.css", "text/css")], clients, max(10.0, seconds / 3))
    finally:
        server_process.stop(proc)
    kinds: dict[str, dict] = {}
    out = {"startup_s": startup, "warm_s": cold.seconds, "distinct_requests": len(reqs),
           "cold": {k: dict(zip(("p50", "p95"), cold.quantiles(k))) for k in sorted(cold.latencies)},
           "cold_errors": cold.server_errors,
           "rate": mix.rate, "static_rate": static.rate, "requests": mix.requests,
           "server_errors": mix.server_errors + static.server_errors + cold.server_errors,
           "codes": {str(k): v for k, v in mix.codes.items()},
           "pss_mb": memory[0], "rss_sum_mb": memory[1], "processes": memory[2], "kinds": kinds}
    out["p50"], out["p95"] = mix.quantiles()
    for kind in sorted(mix.latencies):
        p50, p95 = mix.quantiles(kind)
        kinds[kind] = {"requests": len(mix.latencies[kind]), "p50": p50, "p95": p95}
    out["static_p50"], out["static_p95"] = static.quantiles()
    return out


# -- the run ---------------------------------------------------------------------------------------
def measure(docs: int, work: Path, args, say) -> dict:
    from .corpus import make_corpus
    data = work / f"corpus-{docs}"
    shutil.rmtree(data, ignore_errors=True)
    t = time.perf_counter()
    make_corpus(docs, data)
    res: dict[str, object] = {"docs": docs, "corpus_s": time.perf_counter() - t}
    say(f"\n## {docs} documents (corpus generated in {res['corpus_s']:.1f} s)")
    res["build"] = b = _isolated(build_job, str(data))
    if "error" in b:
        say(f"build failed:\n{b['error']}")
        return res
    s = b["seconds"]
    say(f"build: {b['triples']:,} triples ({b['quads']:,} quads), conforms={b['conforms']}, "
        f"skipped lines {b['skipped_lines']}, peak {b['peak_mb']:.0f} MB")
    say("  " + ", ".join(f"{k} {v:.2f} s" for k, v in s.items()))
    pre = s["parse"] + s["emit"]
    say(f"  parse+resolve+emit: {docs / pre:.1f} docs/s, {b['triples'] / pre:,.0f} triples/s, "
        f"{1000 * pre / docs:.1f} ms/doc; validation: {docs / s['validate']:.1f} docs/s, "
        f"{b['triples'] / s['validate']:,.0f} triples/s")
    build = data / "build"
    cases = catalogue_cases()
    per_engine: dict[str, dict] = {}
    res["queries"] = per_engine
    for engine in args.engines:
        if engine == "rdflib" and docs > args.rdflib_upto:
            say(f"queries on rdflib: not run above {args.rdflib_upto} documents (--rdflib-upto)")
            continue
        if engine == "server":
            r = _isolated(server_job, str(build), cases, args.runs, args.budget, str(work))
        else:
            r = _isolated(query_job, engine, str(build), cases, args.runs, args.budget)
        per_engine[engine] = r
        if "error" in r:
            say(f"queries on {engine}: failed: {r['error']}")
            continue
        med = statistics.median(v["p50"] for v in r["queries"].values())
        slow = sum(1 for v in r["queries"].values() if v["timeout"])
        say(f"queries on {engine}: load {r['load_s']:.1f} s"
            + (f", peak {r['peak_mb']:.0f} MB" if "peak_mb" in r else "")
            + f"; median of {len(r['queries'])} query p50s {_ms(med)}; over budget: {slow}")
    _print_query_table(per_engine, cases, say)
    res["network"] = n = _isolated(network_job, str(build), args.budget)
    if "error" in n:
        say(f"network failed: {n['error']}")
    else:
        say(f"network: relations loaded in {n['load_s']:.2f} s; " + "; ".join(
            f"{lv}: " + (f"{v['nodes']} nodes, {v['edges']} edges, projection {v['project_s']:.2f} s, "
                         f"metrics {v['metrics_s']:.2f} s" if "nodes" in v else f"> {v['timeout']:.0f} s")
            for lv, v in n["levels"].items()))
    if args.clients:
        res["explorer"] = e = _isolated(explorer_job, str(data), args.clients, args.seconds)
        if "error" in e:
            say(f"explorer failed: {e['error']}")
        else:
            say(f"explorer: {args.clients} clients, {args.seconds:g} s, {e['distinct_requests']} distinct requests: "
                f"{e['rate']:.0f} req/s (static file {e['static_rate']:.0f} req/s, ratio "
                f"{e['rate'] / e['static_rate']:.2f}), p50 {_ms(e['p50'])}, p95 {_ms(e['p95'])}, "
                f"5xx {e['server_errors']}; server memory PSS {e['pss_mb']:.0f} MB over {e['processes']} "
                f"processes (RSS sum {e['rss_sum_mb']:.0f} MB); started in {e['startup_s']:.1f} s")
            say("  under load: " + "; ".join(f"{k}: {v['requests']} req, p50 {_ms(v['p50'])}, p95 {_ms(v['p95'])}"
                                             for k, v in e["kinds"].items()))
            say("  first render, one client (cache misses): " + "; ".join(
                f"{k}: p50 {_ms(v['p50'])}, p95 {_ms(v['p95'])}" for k, v in e["cold"].items())
                + f"; 5xx {e['cold_errors']}")
    if not args.keep:
        shutil.rmtree(data, ignore_errors=True)
    return res


def _ms(seconds: float | None) -> str:
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "—"
    if math.isinf(seconds):
        return "> budget"
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def _print_query_table(results: dict, cases: list, say) -> None:
    engines = [e for e in results if "error" not in results[e]]
    if not engines:
        return
    say("\n| query | rows | " + " | ".join(f"{e} p50 / p95" for e in engines) + " |")
    say("|---|---:|" + "---:|" * len(engines))
    for name, _ in cases:
        cells = []
        rows = None
        for e in engines:
            v = results[e]["queries"].get(name)
            if v is None:
                cells.append("—")
                continue
            rows = rows if rows is not None else v["rows"]
            cells.append(("> budget" if v["timeout"] and not v["runs"] else f"{_ms(v['p50'])} / {_ms(v['p95'])}")
                         + (" (timeout)" if v["timeout"] and v["runs"] else ""))
        say(f"| {name} | {rows if rows is not None else '—'} | " + " | ".join(cells) + " |")
    say("")


def _median_p50(res: dict, engine: str, budget: float) -> float | None:
    r = res.get("queries", {}).get(engine)
    if not r or "error" in r:
        return None
    return statistics.median(min(v["p50"], budget) if not math.isinf(v["p50"]) else budget
                             for v in r["queries"].values())


def summary(results: list[dict], args) -> str:
    """The Markdown table (one row per size) and the targets, judged at the largest size."""
    lines = [f"atd-kg benchmark, {time.strftime('%Y-%m-%d')}, {platform.node() or 'host'}: "
             f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} "
             f"{platform.release()}; runs={args.runs}, budget={args.budget:g} s, "
             f"{args.clients} clients × {args.seconds:g} s.", "",
             "| docs | triples | build ms/doc | triples/s | validate s / build s | build peak MB "
             "| query median p50: atdkg · pyoxigraph · rdflib · server | atdkg/pyoxigraph | rdflib/atdkg "
             "| network s (state · org · person) | explorer req/s (static) | entity · facet p95 "
             "| facet first render p50 / p95 | 5xx | server PSS MB |",
             "|---:|---:|---:|---:|---:|---:|---|---:|---:|---|---|---|---|---:|---:|"]
    for r in results:
        b = r.get("build", {})
        if "seconds" not in b:
            lines.append(f"| {r['docs']} | build failed | | | | | | | | | | | | | |")
            continue
        s = b["seconds"]
        pre = s["parse"] + s["emit"]
        build_s = pre + s["network"] + s["write"]
        meds = {e: _median_p50(r, e, args.budget) for e in ENGINES}
        med_cell = " · ".join(_ms(meds[e]) if meds[e] is not None else "—" for e in ENGINES)
        ratio_px = (f"{meds['atdkg'] / meds['pyoxigraph']:.2f}" if meds["atdkg"] and meds["pyoxigraph"] else "—")
        ratio_rd = (f"{meds['rdflib'] / meds['atdkg']:.0f}×" if meds["atdkg"] and meds["rdflib"] else "—")
        n = r.get("network", {}).get("levels", {})
        net = " · ".join((f"{n[lv]['project_s'] + n[lv]['metrics_s']:.2f}" if "nodes" in n.get(lv, {}) else
                          "—" if lv not in n else f"> {n[lv]['timeout']:.0f}") for lv in LEVELS)
        e = r.get("explorer") or {}
        if "rate" in e:
            exp = f"{e['rate']:.0f} ({e['static_rate']:.0f})"
            p95 = " · ".join(_ms(e["kinds"].get(k, {}).get("p95", math.nan)) for k in ("entity", "facet"))
            cold = e["cold"].get("facet", {})
            first = f"{_ms(cold.get('p50', math.nan))} / {_ms(cold.get('p95', math.nan))}"
            errors, pss = str(e["server_errors"]), f"{e['pss_mb']:.0f}"
        else:
            exp = p95 = first = errors = pss = "—"
        lines.append(f"| {r['docs']} | {b['triples']:,} | {1000 * pre / r['docs']:.0f} | {b['triples'] / pre:,.0f} "
                     f"| {s['validate']:.1f} / {build_s:.1f} | {b['peak_mb']:.0f} | {med_cell} | {ratio_px} "
                     f"| {ratio_rd} | {net} | {exp} | {p95} | {first} | {errors} | {pss} |")
    lines += ["", *targets(results, args)]
    return "\n".join(lines) + "\n"


def targets(results: list[dict], args) -> list[str]:
    ok = [r for r in results if "seconds" in r.get("build", {})]
    if not ok:
        return ["No size built: no target can be judged."]
    big = max(ok, key=lambda r: r["build"]["triples"])
    out = [f"Targets (judged at the largest size: {big['docs']} documents, {big['build']['triples']:,} triples):"]

    def mark(good):
        return "met" if good else "NOT met"
    with_rdflib = [r for r in ok if _median_p50(r, "rdflib", args.budget) is not None]
    judged = max(with_rdflib, key=lambda r: r["build"]["triples"]) if with_rdflib else big
    meds = {e: _median_p50(judged, e, args.budget) for e in ENGINES}
    if judged is not big:
        out.append(f"- (queries judged at {judged['docs']} documents, {judged['build']['triples']:,} triples: "
                   "the largest size rdflib was run on)")
    if meds["atdkg"] and meds["pyoxigraph"] and meds["rdflib"]:
        r1, r2 = meds["atdkg"] / meds["pyoxigraph"], meds["rdflib"] / meds["atdkg"]
        capped = " (rdflib capped at the budget)" if meds["rdflib"] >= args.budget else ""
        out.append(f"- catalogue median within 2× of raw pyoxigraph: {r1:.2f}× — {mark(r1 <= 2)}; "
                   f"≥10× faster than rdflib: {r2:.0f}×{capped} — {mark(r2 >= 10)}")
    per_doc = [(r["docs"], (r["build"]["seconds"]["parse"] + r["build"]["seconds"]["emit"]) / r["docs"]) for r in ok]
    if len(per_doc) > 1:
        lo, hi = min(v for _, v in per_doc), max(v for _, v in per_doc)
        mid = (lo + hi) / 2
        spread = (hi - lo) / 2 / mid
        shown = ", ".join(f"{d}: {1000 * v:.0f} ms" for d, v in per_doc)
        out.append(f"- build time per document constant within ±25% ({shown}): "
                   f"±{100 * spread:.0f}% — {mark(spread <= 0.25)}")
    slower = [(r["docs"], r["build"]["seconds"]["validate"],
               sum(r["build"]["seconds"][k] for k in ("parse", "emit", "network", "write"))) for r in ok]
    out.append("- validation no longer than the build at every size: "
               + ", ".join(f"{d}: {v:.1f} s vs {b:.1f} s" for d, v, b in slower)
               + f" — {mark(all(v <= b for _, v, b in slower))}")
    e = big.get("explorer") or {}
    if "rate" in e:
        p95 = max(e["kinds"].get(k, {}).get("p95", math.inf) for k in ("entity", "facet"))
        out.append(f"- explorer p95 for entity and facet pages < 50 ms: {_ms(p95)} — {mark(p95 < 0.05)}; "
                   f"zero 5xx: {e['server_errors']} — {mark(e['server_errors'] == 0)}; throughput ≥ ½ static: "
                   f"{e['rate']:.0f} vs {e['static_rate']:.0f} req/s — {mark(e['rate'] >= e['static_rate'] / 2)}")
        cold = e["cold"].get("facet", {}).get("p95", math.inf)
        out.append(f"- facet pages' first render (one client, cache misses; plain, paged, faceted URLs) p95 < 300 ms: "
                   f"{_ms(cold)} — {mark(cold < 0.3)}; 5xx while rendering them: {e['cold_errors']} — "
                   f"{mark(e['cold_errors'] == 0)}")
        out.append(f"- serving under 1.5 GB resident: {e['pss_mb']:.0f} MB PSS over {e['processes']} processes "
                   f"(RSS summed, shared pages counted in each: {e['rss_sum_mb']:.0f} MB) — {mark(e['pss_mb'] < 1536)}")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="atdkg-bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, nargs="+", default=[10, 100, 500, 1000],
                    help="corpus sizes in documents (500 give about 10^6 triples)")
    ap.add_argument("--runs", type=int, default=5, help="runs per query and engine")
    ap.add_argument("--budget", type=float, default=20.0, help="seconds before a query run is stopped")
    ap.add_argument("--engines", default=",".join(ENGINES), help=f"comma-separated, of {', '.join(ENGINES)}")
    ap.add_argument("--rdflib-upto", type=int, default=500,
                    help="measure rdflib's memory store up to this many documents "
                         "(beyond, a size takes it 20+ minutes)")
    ap.add_argument("--clients", type=int, default=32, help="explorer load clients (0: skip the explorer)")
    ap.add_argument("--seconds", type=float, default=30.0, help="explorer load duration")
    ap.add_argument("--work", help="where corpora and builds go (default: a temporary directory)")
    ap.add_argument("--keep", action="store_true", help="keep the generated corpora and builds")
    ap.add_argument("--out", default="bench-output", help="directory for summary.md and results.json")
    args = ap.parse_args(argv)
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = sorted(set(args.engines) - set(ENGINES))
    if unknown:
        ap.error(f"--engines: unknown engine {unknown[0]!r}; expected some of {', '.join(ENGINES)}")
    if any(d < 1 for d in args.docs):
        ap.error("--docs: sizes are positive numbers of documents")
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="atdkg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)

    def say(text=""):
        print(text, flush=True)
    say(f"atd-kg benchmark: sizes {args.docs} documents; engines {', '.join(args.engines)}; work in {work}")
    results = []
    try:
        for docs in args.docs:
            results.append(measure(docs, work, args, say))
            (out_dir / "results.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
    finally:
        if not args.work and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    text = summary(results, args)
    (out_dir / "summary.md").write_text(text, encoding="utf-8")
    say("\n# Summary\n")
    say(text)
    say(f"written: {out_dir / 'summary.md'}, {out_dir / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
