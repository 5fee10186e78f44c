"""A soak test: C clients for M minutes against a real `atdkg serve`, nearly every request a new one
(searches and /sparql queries with a counter in them, so each is a cache miss evaluated by a query
child; pages between them), so the caches fill and keep evicting and query children are recycled.
Every ``--every`` seconds it prints the server's memory (PSS and RSS summed over its processes, and how
many there are) and the size of the on-disk response cache; at the end it judges whether memory stayed
flat (the last minute's mean within 5 % of the mean of the minute at mid-run: by then the bounded
caches are full) and the disk cache within its bound.

    python -m atdkg.benchmarks.soak [--clients 16] [--minutes 10] [--disk-mb 64] [--every 10]
"""
from __future__ import annotations

import argparse
import itertools
import multiprocessing as mp
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

from atdkg import config, server_process
from atdkg.server_process import free_port

from .hostile import request

WORDS = ["detention", "child", "alternatives", "community", "case management", "Thailand", "Portugal", "IDC",
         "UNHCR", "pledge", "objective", "reception", "family", "Mexico", "Zambia", "ombudsman"]


def _paths(k: int):
    """An endless stream of distinct requests for client ``k``."""
    for n in itertools.count():
        word = WORDS[(n + k) % len(WORDS)]
        yield f"/search?q={urllib.parse.quote(word[: 2 + n % 6])}&client={k}&n={n}", "text/html"
        yield "/sparql?" + urllib.parse.urlencode(
            {"query": f"SELECT ?s ?l WHERE {{ ?s rdfs:label ?l FILTER(CONTAINS(LCASE(?l), \"{word[:3].lower()}\")) }} "
                      f"LIMIT {1 + (n * 7 + k) % 500}", "client": k, "n": n}), "application/sparql-results+json"
        yield ["/", "/events", "/actors", "/practices", "/network", "/id/state/THA"][n % 6], "text/html"


def _client(base, k, stop_at, codes, lock):
    for path, accept in _paths(k):
        if time.time() >= stop_at:
            return
        status, headers = request(base, path, f"127.0.5.{k + 1}", headers={"Accept": accept})
        with lock:
            codes[status] += 1
            if (status >= 500 or status == 0) and codes[f"why {status}"] < 5:  # the first few, to say why
                codes[f"why {status}"] += 1
                print(f"  {status} for {path[:100]}: {headers.get('body', b'')[:200]!r}", flush=True)


def _clients(base, clients, stop_at, queue):
    codes, lock = Counter(), threading.Lock()
    threads = [threading.Thread(target=_client, args=(base, k, stop_at, codes, lock)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put(dict(codes))


def disk_mb(directory: Path) -> float:
    total = 0
    for root, _, files in os.walk(directory):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total / 2**20


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--disk-mb", type=float, default=64, help="the disk cache's bound for this run")
    ap.add_argument("--every", type=float, default=10, help="seconds between samples")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    data = Path(tempfile.mkdtemp(prefix="atdkg-soak-")) / "data"
    data.mkdir()
    shutil.copytree(config.data_dir() / "build", data / "build", ignore=shutil.ignore_patterns("cache"))
    cache = Path(os.path.realpath(data / "build")) / "cache"
    proc, base = server_process.start(free_port(), {"ATDKG_DATA": str(data),
                                                     "ATDKG_PAGE_CACHE_DISK_MB": str(args.disk_mb)},
                                      workers=args.workers)
    seconds = args.minutes * 60
    stop_at = time.time() + seconds
    queue = mp.get_context("fork").Queue()
    load = mp.get_context("fork").Process(target=_clients, args=(base, args.clients, stop_at, queue))
    samples = []
    print(f"{args.clients} clients for {args.minutes:g} min on {base}; disk cache bound {args.disk_mb:g} MB")
    print(f"{'t (s)':>6} {'PSS MB':>8} {'RSS MB':>8} {'procs':>5} {'disk MB':>8}")
    started = time.time()
    load.start()
    try:
        while load.is_alive() or time.time() < stop_at:
            pss, rss, count = server_process.group_memory(proc)
            on_disk = disk_mb(cache)
            samples.append((time.time() - started, pss, rss, count, on_disk))
            print(f"{samples[-1][0]:>6.0f} {pss:>8.0f} {rss:>8.0f} {count:>5} {on_disk:>8.1f}", flush=True)
            if not load.is_alive():
                break
            time.sleep(args.every)
        codes = queue.get()
        load.join()
    finally:
        server_process.stop(proc)
        shutil.rmtree(data.parent, ignore_errors=True)
    middle = samples[-1][0] / 2
    mid = [s[1] for s in samples if middle - 30 <= s[0] < middle + 30] or [samples[len(samples) // 2][1]]
    last = [s[1] for s in samples if s[0] >= samples[-1][0] - 60]
    growth = statistics.mean(last) / statistics.mean(mid)
    peak_disk = max(s[4] for s in samples)
    codes = {s: c for s, c in codes.items() if not str(s).startswith("why")}
    total = sum(codes.values())
    errors = sum(c for s, c in codes.items() if int(s) >= 500 or int(s) == 0)
    print(f"requests: {total} ({total / seconds:.1f}/s); statuses "
          + ", ".join(f"{s}: {c}" for s, c in sorted(codes.items())))
    print(f"memory: mid-run minute {statistics.mean(mid):.0f} MB PSS, last minute {statistics.mean(last):.0f} MB "
          f"({growth:.3f}x); peak {max(s[1] for s in samples):.0f} MB")
    print(f"disk cache: peak {peak_disk:.1f} MB of {args.disk_mb:g} MB")
    flat, bounded = growth <= 1.05, peak_disk <= args.disk_mb
    print(f"targets: memory flat {'met' if flat else 'NOT met'}; disk cache within its bound "
          f"{'met' if bounded else 'NOT met'}; 5xx {errors}")
    return 0 if flat and bounded and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
