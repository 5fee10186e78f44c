"""The explorer under a hostile mix, on 127.0.0.1 against a real `atdkg serve` with its default limits:

- N normal clients (default 32) walking pages and cheap /sparql queries, one request at a time;
- E expensive clients (default 8) each sending a cross-product count (~17 s alone on this graph)
  again and again, honouring Retry-After when told to wait;
- S slow sockets (default 20) sending request headers one byte a second, never finishing.

    python -m atdkg.benchmarks.hostile [--normal 32] [--expensive 8] [--slow 20] [--seconds 90] [--url URL]

Every client has its own loopback address (127.0.0.0/8 all reaches this machine), as distinct
clients have distinct addresses in public: the per-client budget sees them apart. Prints, for the
normal clients, p50/p95/max latency and status counts; for the expensive ones their statuses and the
Retry-After values; the server's memory (PSS); and judges the targets of issue 10: normal p95 under
500 ms with no 5xx, and 429 with Retry-After for the expensive clients once over budget. Exit 1 if a
target is missed.
"""
from __future__ import annotations

import argparse
import http.client
import multiprocessing as mp
import socket
import statistics
import sys
import threading
import time
import urllib.parse
from collections import Counter

from atdkg import server_process
from atdkg.server_process import free_port

from .load import PAGES, QUERIES

EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"


def request(base: str, path: str, source: str, method: str = "GET", body: bytes | None = None,
            headers: dict | None = None, timeout: float = 120) -> tuple[int, dict]:
    """(status, lower-cased headers, with the body's first 300 bytes as "body") of one request from
    loopback address ``source``; status 0 when the connection failed (counted with the 5xx)."""
    url = urllib.parse.urlsplit(base)
    if url.hostname is None:
        raise ValueError(f"{base!r}: not an http://host:port URL")
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        body = r.read()
        return r.status, {**{k.lower(): v for k, v in r.getheaders()}, "body": body[:300]}
    except OSError:
        return 0, {}
    finally:
        conn.close()


def normal_mix() -> list[tuple[str, str]]:
    sparql = ["/sparql?" + urllib.parse.urlencode({"query": q}) for q in QUERIES]
    return [(p, "text/html") for p in PAGES] + [(p, "application/sparql-results+json") for p in sparql]


def _normal(base, k, stop_at, out):
    mix = normal_mix()
    i = k * 5
    while time.time() < stop_at:
        path, accept = mix[i % len(mix)]
        i += 1
        t = time.perf_counter()
        status, _ = request(base, path, f"127.0.1.{k + 1}", headers={"Accept": accept})
        out.append((time.perf_counter() - t, status))


def _expensive(base, k, stop_at, out):
    body = urllib.parse.urlencode({"query": EXPENSIVE}).encode()
    while time.time() < stop_at:
        t = time.perf_counter()
        status, headers = request(base, "/sparql", f"127.0.2.{k + 1}", "POST", body,
                                  {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
        reason = "time limit" if b"did not finish" in headers.get("body", b"") else \
            "no free query process" if b"busy" in headers.get("body", b"") else ""
        out.append((time.perf_counter() - t, status, headers.get("retry-after"), reason))
        if headers.get("retry-after"):
            time.sleep(min(float(headers["retry-after"]), max(0.0, stop_at - time.time())))


def _slow(port, k, stop_at, out):
    """A slowloris: headers one byte a second, never finished; when the server closes the connection,
    open another. Records how long each connection was held open."""
    while time.time() < stop_at:
        try:
            s = socket.create_connection(("127.0.0.1", port), source_address=(f"127.0.3.{k + 1}", 0))
        except OSError:
            out.append(("refused", 0.0))
            time.sleep(1)
            continue
        opened = time.time()
        try:
            for ch in b"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100_000:
                if time.time() >= stop_at:
                    break
                s.send(bytes([ch]))
                time.sleep(1)
            out.append(("open at the end", time.time() - opened))
        except OSError:
            out.append(("closed by the server", time.time() - opened))
        finally:
            s.close()


def _group(kind, args_list, queue):
    out: list = []
    threads = [threading.Thread(target=kind, args=(*args, out)) for args in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put(out)


def run(base: str, normal: int, expensive: int, slow: int, seconds: float) -> dict:
    port = urllib.parse.urlsplit(base).port
    stop_at = time.time() + seconds
    ctx = mp.get_context("fork")
    queues = {name: ctx.Queue() for name in ("normal", "expensive", "slow")}
    # the normal clients in two processes, so the load generator is not one GIL against the server
    halves = [list(range(0, normal, 2)), list(range(1, normal, 2))]
    procs = [ctx.Process(target=_group, args=(_normal, [(base, k, stop_at) for k in half], queues["normal"]))
             for half in halves]
    procs.append(ctx.Process(target=_group, args=(_expensive, [(base, k, stop_at) for k in range(expensive)],
                                                  queues["expensive"])))
    procs.append(ctx.Process(target=_group, args=(_slow, [(port, k, stop_at) for k in range(slow)], queues["slow"])))
    for p in procs:
        p.start()
    results = {"normal": queues["normal"].get() + queues["normal"].get(),
               "expensive": queues["expensive"].get(), "slow": queues["slow"].get()}
    for p in procs:
        p.join()
    return results


def summarise(results: dict, seconds: float) -> tuple[list[str], bool]:
    lines, ok = [], True
    normal = results["normal"]
    latencies = sorted(t for t, _ in normal)
    codes = Counter(s for _, s in normal)
    server_errors = sum(c for s, c in codes.items() if s >= 500 or s == 0)
    q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    lines.append(f"normal: {len(normal)} requests ({len(normal) / seconds:.1f}/s), p50 {q[49] * 1000:.1f} ms, "
                 f"p95 {q[94] * 1000:.1f} ms, max {latencies[-1] * 1000:.0f} ms; statuses "
                 + ", ".join(f"{s}: {c}" for s, c in sorted(codes.items())))
    target = q[94] < 0.5 and server_errors == 0
    lines.append(f"  target p95 < 500 ms with 0 5xx: {'met' if target else 'NOT met'} ({server_errors} 5xx)")
    ok &= target
    expensive = results["expensive"]
    codes = Counter(f"{s}" + (f" ({why})" if why else "") for _, s, _, why in expensive)
    limited = [r for _, s, r, _ in expensive if s == 429]
    lines.append(f"expensive: {len(expensive)} requests; statuses "
                 + ", ".join(f"{s}: {c}" for s, c in sorted(codes.items()))
                 + (f"; Retry-After on 429: {min(int(r) for r in limited)}–{max(int(r) for r in limited)} s"
                    if limited and all(limited) else ""))
    target = bool(limited) and all(limited)
    lines.append(f"  target 429 with Retry-After once over budget: {'met' if target else 'NOT met'}")
    ok &= target
    slow = results["slow"]
    closed = [t for what, t in slow if what == "closed by the server"]
    lines.append(f"slow sockets: {len(slow)} connections; " + ", ".join(
        f"{c} {what}" for what, c in Counter(what for what, _ in slow).items())
        + (f"; held {min(closed):.0f}–{max(closed):.0f} s before the server closed them" if closed else ""))
    return lines, ok


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--normal", type=int, default=32)
    ap.add_argument("--expensive", type=int, default=8)
    ap.add_argument("--slow", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=90)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--url", help="an already running explorer; default: start `atdkg serve` on a free port")
    args = ap.parse_args(argv)
    proc, base = None, args.url
    if not base:
        proc, base = server_process.start(free_port(), workers=args.workers)
    try:
        for path, accept in normal_mix():  # each worker renders each page once, as a visitor would first
            for _ in range(args.workers):
                request(base, path, "127.0.0.1", headers={"Accept": accept})
        results = run(base, args.normal, args.expensive, args.slow, args.seconds)
        memory = server_process.group_memory(proc)[0] if proc else None
    finally:
        if proc is not None:
            server_process.stop(proc)
    print(f"{args.normal} normal clients, {args.expensive} expensive, {args.slow} slow sockets; "
          f"{args.seconds:g} s; {args.workers} workers; {base}")
    lines, ok = summarise(results, args.seconds)
    print("\n".join(lines))
    if memory is not None:
        print(f"server memory at the end: {memory:.0f} MB PSS (all processes)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
