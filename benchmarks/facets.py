"""First renders of the list and facet pages: the narrow measurement behind issue 12's target
("at 10^6 triples first renders of facet pages have p95 under 300 ms").

    python -m benchmarks.facets DATA_DIR [--workers 2] [--out facets.json]

DATA_DIR holds a build (``data/build``), e.g. one `atdkg-bench --keep --work W` left in W/corpus-500 or
one made with ``benchmarks.facets --make 500 DIR``. The explorer is started on it (gunicorn, as `atdkg
serve`), each URL of ``facet_urls`` is requested once, one at a time, so every answer is rendered (a
cache miss: the response cache keys on the URL), and the latencies are printed per URL with p50/p95,
the server's start-up time and its memory. `atdkg-bench` uses the same URLs for its "facet" requests.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
import urllib.parse
from pathlib import Path

V = "https://w3id.org/atd-kg/vocab/"


def _count(base: str, query: str) -> int:
    from .bench import _sparql_rows
    rows = _sparql_rows(base, query)
    return int(rows[0]["n"]) if rows else 0


def facet_urls(base: str, seed: int = 0) -> list[str]:
    """The list pages, plain, paged and faceted, from what the served graph holds: every practice
    category, twelve GCM objectives, combined facets, and pages further into each list (page numbers
    kept inside each list's length, estimated from counts, so no URL is a 400)."""
    from .bench import _sparql_rows
    rng = random.Random(seed)
    categories = sorted(r["c"] for r in _sparql_rows(
        base, "SELECT DISTINCT ?c WHERE { ?c skos:inScheme v:practice-categories }"))
    objectives = sorted(r["c"] for r in _sparql_rows(
        base, "SELECT DISTINCT ?c WHERE { ?c skos:inScheme v:gcm-objectives }"))
    targets = sorted(r["c"] for r in _sparql_rows(
        base, "SELECT DISTINCT ?c WHERE { [] atd:targetGroup ?c }"))
    kinds = sorted(r["k"] for r in _sparql_rows(base, "SELECT DISTINCT ?k WHERE { ?k skos:inScheme v:list-kinds }"))
    practices = _count(base, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a atd:Practice }")
    orgs = _count(base, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?t rdfs:subClassOf+ org:Organization . "
                        "?o a ?t ; rdfs:label [] }")
    people = _count(base, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a foaf:Person ; rdfs:label [] }")
    exchanges = _count(base, "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a atd:PeerLearningExchange }")
    items = _count(base, "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { [] atd:listKind [] ; atd:hasItem ?i }")

    def within(page: int, count: int, size: int = 50) -> int:
        return max(1, min(page, (count // size) // 2))
    urls = ["/practices", "/commitments", "/events", "/actors"]
    urls += ["/practices?" + urllib.parse.urlencode({"category": c}) for c in categories]
    urls += ["/commitments?" + urllib.parse.urlencode({"objective": o}) for o in objectives[:12]]
    urls += [f"/practices?page={within(2, practices)}", f"/practices?page={within(20, practices)}",
             f"/actors?page={within(20, orgs + people)}&size=50",
             f"/actors?kind=organisation&page={within(3, orgs)}", f"/actors?kind=person&page={within(5, people)}",
             "/actors?kind=state", f"/events?page={within(2, exchanges, 10)}&size=10",
             f"/commitments?page={within(3, items)}"]
    for _ in range(6):
        query = {"category": rng.choice(categories)}
        if targets:
            query["target"] = rng.choice(targets)
        urls.append("/practices?" + urllib.parse.urlencode(query))
    if kinds and objectives:
        urls += ["/commitments?" + urllib.parse.urlencode({"kind": rng.choice(kinds),
                                                           "objective": rng.choice(objectives)}) for _ in range(4)]
    return urls


def first_renders(base: str, urls: list[str]) -> list[tuple[str, int, float]]:
    """(url, status, seconds) for one request to each URL, one after the other."""
    from .loadgen import _fetch
    out = []
    for url in urls:
        t = time.perf_counter()
        code = _fetch(base, url, "text/html")
        out.append((url, code, time.perf_counter() - t))
    return out


def measure(data_dir: str, workers: int = 2) -> dict:
    from atdkg import server_process

    from .bench import _quantiles
    # answers cached on disk by an earlier run of the same code would be hits, not first renders
    shutil.rmtree(Path(data_dir) / "build" / "cache", ignore_errors=True)
    port = server_process.free_port()
    t0 = time.perf_counter()
    proc, base = server_process.start(port, env={"ATDKG_DATA": data_dir}, workers=workers, wait=900)
    startup = time.perf_counter() - t0
    try:
        urls = facet_urls(base)
        renders = first_renders(base, urls)
        memory = server_process.group_memory(proc)
    finally:
        server_process.stop(proc)
    p50, p95 = _quantiles([s for _, _, s in renders])
    return {"startup_s": startup, "renders": renders, "p50": p50, "p95": p95,
            "errors": sum(1 for _, code, _ in renders if code >= 500 or code == 0),
            "not_ok": sum(1 for _, code, _ in renders if code != 200),
            "pss_mb": memory[0], "rss_sum_mb": memory[1]}


def make(docs: int, data_dir: Path) -> None:
    """Generate a ``docs``-document corpus in ``data_dir`` and build it (as atdkg-bench does)."""
    from .bench import build_job
    from .corpus import make_corpus
    make_corpus(docs, data_dir)
    print(json.dumps(build_job(str(data_dir))), flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.facets", description=__doc__.split("\n\n")[0])
    ap.add_argument("data", help="a data directory with a build (data/build)")
    ap.add_argument("--make", type=int, metavar="DOCS", help="first generate and build a corpus of DOCS documents")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", help="write the figures here as JSON")
    args = ap.parse_args(argv)
    if args.make:
        make(args.make, Path(args.data))
    res = measure(args.data, args.workers)
    for url, code, seconds in res["renders"]:
        print(f"{seconds * 1000:8.0f} ms  {code}  {url}")
    print(f"first renders of {len(res['renders'])} list and facet pages: p50 {res['p50'] * 1000:.0f} ms, "
          f"p95 {res['p95'] * 1000:.0f} ms, max {max(s for _, _, s in res['renders']) * 1000:.0f} ms; "
          f"not 200: {res['not_ok']} (5xx: {res['errors']}); server started in {res['startup_s']:.1f} s; "
          f"PSS {res['pss_mb']:.0f} MB (RSS summed {res['rss_sum_mb']:.0f} MB)")
    if args.out:
        Path(args.out).write_text(json.dumps(res, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
