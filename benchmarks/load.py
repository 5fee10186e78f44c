"""A bounded load test of the explorer: N concurrent clients for T seconds on 127.0.0.1 against a real
`atdkg serve` (started here on a free port unless --url is given), over a mix of pages and /sparql queries.

    python -m benchmarks.load [--clients 32] [--seconds 30] [--workers 2] [--url http://127.0.0.1:8000]

Prints requests/s, p50/p95 latency, the count per status class, and exits 1 if any response was a 5xx.
"""
from __future__ import annotations

import argparse
import itertools
import socket
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

from atdkg import server_process

PAGES = ["/", "/network", "/network.json?level=organisation", "/network.json?level=state&relation=co-hosting",
         "/id/person/carolina-gottardo", "/id/state/THA", "/document/002", "/sparql/examples.json",
         "/practices", "/events", "/actors"]
QUERIES = [
    "SELECT ?exchange ?date ?title WHERE { ?exchange a atd:PeerLearningExchange ; dcterms:date ?date ; "
    "rdfs:label ?title } ORDER BY ?date",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?s ?label WHERE { ?s a atd:State ; rdfs:label ?label } ORDER BY ?label",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def requests_mix():
    for i in itertools.count():
        if i % 3 == 2:
            q = QUERIES[(i // 3) % len(QUERIES)]
            yield "/sparql?" + urllib.parse.urlencode({"query": q}), "application/sparql-results+json"
        else:
            yield PAGES[i % len(PAGES)], "text/html"


def client(base: str, stop: float, offset: int, latencies: list, codes: Counter, lock: threading.Lock) -> None:
    mix = requests_mix()
    for _ in range(offset):
        next(mix)
    while time.perf_counter() < stop:
        path, accept = next(mix)
        t = time.perf_counter()
        try:
            with urllib.request.urlopen(urllib.request.Request(base + path, headers={"Accept": accept}),
                                        timeout=60) as r:
                r.read()
                code = r.status
        except urllib.error.HTTPError as e:
            code = e.code
        except OSError:
            code = 0  # connection error
        dt = time.perf_counter() - t
        with lock:
            latencies.append(dt)
            codes[code] += 1


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
        for path, accept in itertools.islice(requests_mix(), 2 * len(PAGES)):  # warm up each worker's caches
            try:
                urllib.request.urlopen(urllib.request.Request(base + path, headers={"Accept": accept}), timeout=60).read()
            except urllib.error.HTTPError:
                pass
        latencies: list[float] = []
        codes: Counter = Counter()
        lock = threading.Lock()
        start = time.perf_counter()
        stop = start + args.seconds
        threads = [threading.Thread(target=client, args=(base, stop, i, latencies, codes, lock))
                   for i in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
    finally:
        if proc is not None:
            server_process.stop(proc)  # gunicorn and its workers' query children
    n = len(latencies)
    q = statistics.quantiles(latencies, n=100) if n >= 2 else [latencies[0]] * 99
    server_errors = sum(c for code, c in codes.items() if code >= 500)
    print(f"{args.clients} clients, {elapsed:.1f} s, {args.workers} gunicorn workers, {base}")
    print(f"requests: {n}  ({n / elapsed:.1f} requests/s)")
    print(f"latency: p50 {q[49] * 1000:.1f} ms, p95 {q[94] * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms")
    print("status: " + ", ".join(f"{code}: {c}" for code, c in sorted(codes.items())))
    print(f"5xx: {server_errors}")
    return 1 if server_errors or codes.get(0) else 0


if __name__ == "__main__":
    sys.exit(main())
