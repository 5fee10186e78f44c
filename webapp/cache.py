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

from flask import Flask, Response, request


class ResponseCache:
    def __init__(self, max_bytes: int, build: str):
        self.max_bytes = max_bytes
        self.build = build
        self.size = 0
        self.hits = self.misses = 0
        self._entries: OrderedDict[tuple, tuple[str, list, bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def key(self, environ: dict) -> tuple | None:
        """The same key from the raw WSGI environ (middleware) and from Flask (request.environ)."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("CONTENT_LENGTH") not in (None, "", "0"):
            return None
        return (self.build, environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
                environ.get("QUERY_STRING", ""), environ.get("HTTP_ACCEPT", ""))

    def get(self, key: tuple):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: tuple, response: Response) -> None:
        body = response.get_data()
        cost = len(body) + 512
        if cost > self.max_bytes // 8:  # one huge answer must not flush everything else
            return
        etag = response.headers["ETag"]
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in ("content-length", "x-cache")]
        headers += [("Content-Length", str(len(body))), ("X-Cache", "hit")]
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (response.status, headers, body, etag)
            self.size += cost
            while self.size > self.max_bytes and self._entries:
                _, (_, _, old, _) = self._entries.popitem(last=False)
                self.size -= len(old) + 512


class CacheMiddleware:
    """Answers a hit before Flask is involved at all (no request context, no routing): at the
    sizes the benchmark reaches, that is what keeps a page as cheap as a static file."""

    def __init__(self, wsgi_app, cache: ResponseCache):
        self.wsgi_app = wsgi_app
        self.cache = cache

    def __call__(self, environ, start_response):
        key = self.cache.key(environ)
        entry = self.cache.get(key) if key is not None else None
        if entry is None:
            return self.wsgi_app(environ, start_response)
        status, headers, body, etag = entry
        if etag and etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            start_response("304 NOT MODIFIED", [(k, v) for k, v in headers
                                                if k.lower() not in ("content-length", "content-type")])
            return [b""]
        start_response(status, headers)
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]


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
    app.wsgi_app = CacheMiddleware(app.wsgi_app, cache)

    @app.after_request
    def keep_in_cache(response: Response):
        key = cache.key(request.environ)
        if key is None or not _cacheable(response):
            return response
        if not response.get_etag()[0]:
            response.set_etag(hashlib.sha256(repr(key).encode() + response.get_data()).hexdigest()[:32])
        cache.put(key, response)
        response.headers["X-Cache"] = "miss"
        return response.make_conditional(request)
