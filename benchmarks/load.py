"""A bounded load test of the explorer: N concurrent clients for T seconds on 127.0.0.1 against a real
`atdkg serve` (started here on a free port unless --url is given), over a mix of pages and /sparql queries.

    python -m atdkg.benchmarks.load [--clients 32] [--seconds 30] [--workers 2] [--url http://127.0.0.1:8000]

Prints requests/s, p50/p95 latency, the count per status class, and exits 1 if any response was a 5xx.
`atdkg-bench` runs a larger mix (drawn from the graph) and compares it with a static file.
"""
from __future__ import annotations

import argparse
import sys
import urllib.parse

from atdkg import server_process
from atdkg.server_process import free_port

from . import loadgen

PAGES = ["/", "/network", "/network.json?level=organisation", "/network.json?level=state&relation=co-hosting",
         "/id/person/carolina-gottardo", "/id/state/THA", "/document/002", "/sparql/examples.json",
         "/practices", "/events", "/actors"]
QUERIES = [
    "SELECT ?exchange ?date ?title WHERE { ?exchange a atd:PeerLearningExchange ; dcterms:date ?date ; "
    "rdfs:label ?title } ORDER BY ?date",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?s ?label WHERE { ?s a atd:State ; rdfs:label ?label } ORDER BY ?label",
]


def requests_mix() -> list[tuple[str, str, str]]:
    pages = [("page", path, "text/html") for path in PAGES]
    sparql = [("sparql", "/sparql?" + urllib.parse.urlencode({"query": q}), "application/sparql-results+json")
              for q in QUERIES]
    return pages + sparql


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--url", help="an already running explorer; default: start `atdkg serve` on a free port")
    args = ap.parse_args(argv)
    proc = None
    base = args.url
    if not base:
        try:
            proc, base = server_process.start(free_port(), workers=args.workers)
        except RuntimeError as e:
            print(e, file=sys.stderr)
            return 2
    try:
        mix = requests_mix()
        loadgen.warm(base, mix, times=2)  # each worker renders each page once
        result = loadgen.run(base, mix, args.clients, args.seconds)
    finally:
        if proc is not None:
            server_process.stop(proc)  # gunicorn and its workers' query children
    p50, p95 = result.quantiles()
    print(f"{args.clients} clients, {args.seconds:g} s, {args.workers} gunicorn workers, {base}")
    print(f"requests: {result.requests}  ({result.rate:.1f} requests/s)")
    print(f"latency: p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")
    print("status: " + ", ".join(f"{code}: {c}" for code, c in sorted(result.codes.items())))
    print(f"5xx: {result.server_errors}")
    return 1 if result.server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
