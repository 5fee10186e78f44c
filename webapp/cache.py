"""Rendered responses, cached per worker and keyed by the build.

A build never changes under a running server (the store is loaded once, at start), so a page or
a GET query answered once answers the same until the next build: the response is kept, bytes and
headers, under (build, method, path with query string, Accept). The Wikidata Query Service does
the same for GET queries. Only complete 200 answers are kept — never errors, timeouts, truncation
notices of a failed query, streamed bodies or files sent from disk — within a byte budget, least
recently used out first. Every cached answer carries a strong ETag, so a client that revalidates
gets 304 Not Modified without the body. ``X-Cache: hit|miss`` says which it was.

Set ``PAGE_CACHE_MB`` (env ``ATDKG_PAGE_CACHE_MB``) to 0 to turn it off.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from flask import Flask, Response, g, request


class ResponseCache:
    def __init__(self, max_bytes: int, build: str):
        self.max_bytes = max_bytes
        self.build = build
        self.size = 0
        self.hits = self.misses = 0
        self._entries: OrderedDict[tuple, tuple[int, bytes, list]] = OrderedDict()
        self._lock = threading.Lock()

    def key(self) -> tuple | None:
        if request.method not in ("GET", "HEAD") or request.content_length:
            return None
        return (self.build, request.full_path, request.headers.get("Accept", ""))

    def get(self, key: tuple) -> Response | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
        status, body, headers = entry
        return Response(body, status=status, headers=headers)

    def put(self, key: tuple, response: Response) -> None:
        body = response.get_data()
        cost = len(body) + 512
        if cost > self.max_bytes // 8:  # one huge answer must not flush everything else
            return
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in ("content-length", "x-cache")]
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (response.status_code, body, headers)
            self.size += cost
            while self.size > self.max_bytes and self._entries:
                _, (_, old, _) = self._entries.popitem(last=False)
                self.size -= len(old) + 512


def _cacheable(response: Response) -> bool:
    return (response.status_code == 200 and not response.direct_passthrough and not response.is_streamed
            and "Set-Cookie" not in response.headers
            and "no-store" not in response.headers.get("Cache-Control", ""))


def init_app(app: Flask, build: str) -> None:
    """Register the cache. Call before any other after_request hook: Flask runs those in reverse
    order, so this one runs last and keeps the response with every header set."""
    max_mb = float(app.config.get("PAGE_CACHE_MB", 64))
    if max_mb <= 0:
        return
    cache = ResponseCache(int(max_mb * 2**20), build)
    app.extensions["atdkg-cache"] = cache

    @app.before_request
    def answer_from_cache():
        key = cache.key()
        g.cache_key = key
        if key is None:
            return None
        cached = cache.get(key)
        if cached is None:
            return None
        g.cache_hit = True
        cached.headers["X-Cache"] = "hit"
        return cached.make_conditional(request)

    @app.after_request
    def keep_in_cache(response: Response):
        key = g.get("cache_key")
        if key is None or g.get("cache_hit"):
            return response
        if _cacheable(response):
            if not response.get_etag()[0]:
                response.set_etag(hashlib.sha256(repr(key).encode() + response.get_data()).hexdigest()[:32])
            cache.put(key, response)
            response.headers["X-Cache"] = "miss"
            return response.make_conditional(request)
        return response
