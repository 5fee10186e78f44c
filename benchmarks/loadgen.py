"""A bounded HTTP load on 127.0.0.1: C clients for T seconds over a fixed list of requests.

Clients are threads spread over a few processes, so the load generator is not one GIL competing
with the server for the 2 cores. Each client walks the request list from its own offset, one
request at a time (a new connection each: gunicorn's sync workers close them). Latencies are
measured per request category, from send to last byte.
"""
from __future__ import annotations

import multiprocessing as mp
import statistics
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    clients: int
    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    codes: Counter = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def server_errors(self) -> int:
        return sum(c for code, c in self.codes.items() if code >= 500 or code == 0)

    def quantiles(self, category: str | None = None) -> tuple[float, float]:
        """(p50, p95) in seconds, of one category or of all."""
        values = self.latencies[category] if category else [x for v in self.latencies.values() for x in v]
        if not values:
            return float("nan"), float("nan")
        if len(values) == 1:
            return values[0], values[0]
        q = statistics.quantiles(values, n=100, method="inclusive")
        return q[49], q[94]


def _fetch(base: str, path: str, accept: str) -> int:
    """One request, the body read to the end; its status (0: the connection failed, counted with the 5xx)."""
    try:
        with urllib.request.urlopen(urllib.request.Request(base + path, headers={"Accept": accept}),
                                    timeout=120) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return 0


def _client(base, requests, stop, offset, out, lock):
    n = len(requests)
    i = offset
    while time.perf_counter() < stop:
        category, path, accept = requests[i % n]
        i += 1
        t = time.perf_counter()
        code = _fetch(base, path, accept)
        with lock:
            out.append((category, time.perf_counter() - t, code))


def _process(base, requests, clients, first, seconds, start_at, queue):
    while time.time() < start_at:  # every process starts at the same moment
        time.sleep(0.005)
    stop = time.perf_counter() + seconds
    out, lock = [], threading.Lock()
    threads = [threading.Thread(target=_client, args=(base, requests, stop, (first + k) * 7, out, lock))
               for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put(out)


def run(base: str, requests: list[tuple[str, str, str]], clients: int = 32, seconds: float = 30,
        processes: int = 4) -> LoadResult:
    """``requests``: (category, path, Accept) tuples, walked round-robin by every client."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    processes = max(1, min(processes, clients))
    share = [clients // processes + (1 if k < clients % processes else 0) for k in range(processes)]
    start_at = time.time() + 0.5
    procs, first = [], 0
    for k in range(processes):
        p = ctx.Process(target=_process, args=(base, requests, share[k], first, seconds, start_at, queue))
        p.start()
        procs.append(p)
        first += share[k]
    rows = [r for _ in procs for r in queue.get()]
    for p in procs:
        p.join()
    result = LoadResult(clients, seconds)
    for category, latency, code in rows:
        result.latencies[category].append(latency)
        result.codes[code] += 1
    return result


def warm(base: str, requests: list[tuple[str, str, str]], times: int = 1) -> LoadResult:
    """Request each path ``times``, one at a time (each gunicorn worker fills its own cache); the
    latencies of this pass are those of pages rendered from the store (cache misses)."""
    result = LoadResult(1, 0.0)
    t0 = time.perf_counter()
    for _ in range(times):
        for category, path, accept in requests:
            t = time.perf_counter()
            code = _fetch(base, path, accept)
            result.latencies[category].append(time.perf_counter() - t)
            result.codes[code] += 1
    result.seconds = time.perf_counter() - t0
    return result
