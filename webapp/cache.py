"""Rendered responses, cached per worker and keyed by the build.

A build never changes under a running server (the store is loaded once, at start), so a page or
a GET query answered once answers the same until the next build: the response is kept, bytes and
headers, under (build, method, path with query string, Accept). The Wikidata Query Service does
the same for GET queries. Only complete 200 answers are kept — never errors, timeouts, truncation
notices of a failed query, streamed bodies or files sent from disk — within a byte budget, least
recently used out first. Every cached answer carries a strong ETag, so a client that revalidates
gets 304 Not Modified without the body. ``X-Cache: hit|miss`` says which it was.

Behind the in-memory tier, answers are also written to ``cache/`` inside the build directory, so a
page one gunicorn worker rendered is not rendered again by the other (at 10^6 triples a facet page
takes seconds to render); the directory goes when the build is replaced. Where it cannot be written,
the memory tier works alone. The disk tier has a size bound (``PAGE_CACHE_DISK_MB``): a worker that
has written a sixteenth of it since it last looked sums the directory and, above three quarters,
removes the least recently written answers down to a half — so with up to four workers writing at
once the directory stays within the bound. No single answer larger than a sixteenth is written.

What is cached must not depend on anything outside the key: no answer is built from the request's
Host (absolute URLs come from PUBLIC_URL, webapp/hosts.py), and the key carries the build, the
app's settings, a format version and a digest of the explorer's code and named queries, so an entry
written by another configuration or an older version of this code is never served.

Set ``PAGE_CACHE_MB`` (env ``ATDKG_PAGE_CACHE_MB``) to 0 to turn it off.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

from flask import Flask, Response, request

DISK_LIMIT = 64 * 2**20  # an answer larger than this is not kept at all
VERSION = 2  # of the key and entry format: entries of other versions are never read


def code_fingerprint() -> str:
    """A digest of what renders answers — the explorer's code, templates and static files, the named
    queries — so that after an upgrade a page rendered by the old code is never served from disk."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for base in (root, root.parent / "queries"):
        for path in sorted(base.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".html", ".rq", ".css", ".js", ".yaml"):
                digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


CODE = code_fingerprint()


class ResponseCache:
    def __init__(self, max_bytes: int, build: str, directory: Path | None = None, disk_bytes: int = 256 * 2**20):
        self.max_bytes = max_bytes
        self.build = build
        self.directory = directory
        self.disk_bytes = disk_bytes
        self.written = 0  # bytes this process put on disk since it last summed the directory
        self.size = 0
        self.hits = self.misses = 0
        self._entries: OrderedDict[tuple, tuple[str, list, bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def key(self, environ: dict) -> tuple | None:
        """The same key from the raw WSGI environ (middleware) and from Flask (request.environ)."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("CONTENT_LENGTH") not in (None, "", "0"):
            return None
        return (VERSION, CODE, self.build, environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
                environ.get("QUERY_STRING", ""), environ.get("HTTP_ACCEPT", ""))

    def _file(self, key: tuple) -> Path | None:
        return self.directory / hashlib.sha256(repr(key).encode()).hexdigest() if self.directory else None

    def get(self, key: tuple):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return entry
        entry = self._read(key)
        with self._lock:
            if entry is None:
                self.misses += 1
                return None
            self.hits += 1
            self._remember(key, entry)
            return entry

    def _read(self, key: tuple):
        path = self._file(key)
        if path is None:  # memory only
            return None
        try:
            with open(path, "rb") as f:
                stored_key, entry = pickle.load(f)
        except (OSError, TypeError, pickle.PickleError, EOFError, ValueError):
            return None
        return entry if stored_key == key else None

    def _write(self, key: tuple, entry: tuple) -> None:
        path = self._file(key)
        if path is None or len(entry[2]) > self.disk_bytes // 16:
            return
        try:
            path.parent.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                pickle.dump((key, entry), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # atomic: a reader sees the whole answer or none
            self.written += len(entry[2]) + 256
            if self.written > self.disk_bytes // 16:
                self._trim()
        except OSError:
            self.directory = None  # read-only build directory: memory only from now on

    def _trim(self) -> None:
        """Sum the directory (every worker writes to it) and remove the oldest answers beyond 3/4 of the bound."""
        self.written = 0
        files = []
        for entry in os.scandir(self.directory):
            try:
                st = entry.stat()
            except OSError:
                continue  # removed meanwhile by another worker
            files.append((st.st_mtime, st.st_size, entry.path))
        total = sum(size for _, size, _ in files)
        if total <= self.disk_bytes * 3 // 4:
            return
        for _, size, path in sorted(files):
            try:
                os.unlink(path)
            except OSError:
                continue
            total -= size
            if total <= self.disk_bytes // 2:
                break

    def _remember(self, key: tuple, entry: tuple) -> None:
        """Into the memory tier (the lock is held). A large answer stays on disk only: one huge
        answer must not flush everything else."""
        if key in self._entries or len(entry[2]) + 512 > self.max_bytes // 8:
            return
        self._entries[key] = entry
        self.size += len(entry[2]) + 512
        while self.size > self.max_bytes and self._entries:
            _, (_, _, old, _) = self._entries.popitem(last=False)
            self.size -= len(old) + 512

    def put(self, key: tuple, response: Response) -> None:
        body = response.get_data()
        if len(body) > DISK_LIMIT:
            return
        etag = response.headers["ETag"]
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in ("content-length", "x-cache")]
        headers += [("Content-Length", str(len(body))), ("X-Cache", "hit")]
        entry = (response.status, headers, body, etag)
        with self._lock:
            self._remember(key, entry)
        self._write(key, entry)


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


def init_app(app: Flask, build: str, directory: Path | None = None) -> None:
    """Register the cache. Call before any other after_request hook: Flask runs those in reverse
    order, so this one runs last and keeps the response with every header set."""
    max_mb = float(app.config.get("PAGE_CACHE_MB", 64))
    if max_mb <= 0:
        return
    # the same path can render differently under another configuration (front-end libraries present
    # or not, row cap, base IRI): processes sharing the directory share answers only with the same one
    settings = hashlib.sha256(repr(sorted((k, str(v)) for k, v in app.config.items()
                                          if k.isupper() and k != "SECRET_KEY")).encode()).hexdigest()[:16]
    cache = ResponseCache(int(max_mb * 2**20), f"{build}#{settings}", directory,
                          int(float(app.config.get("PAGE_CACHE_DISK_MB", 256)) * 2**20))
    app.extensions["atdkg-cache"] = cache
    app.wsgi_app = CacheMiddleware(app.wsgi_app, cache)  # type: ignore[method-assign]  # Flask's documented way

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
