"""The atd-kg explorer: a Flask application over the embedded store, or over a SPARQL server (``ENDPOINT``).

``create_app(test_config=None)`` follows Flask's tutorial: configuration in layers (defaults,
then ``ATDKG_*`` environment, then the test config), the store opened once per process
(``webapp.store``), one blueprint per page family. SPARQL comes only from named queries in
queries/ or, ad hoc, through the /sparql endpoint.
"""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import BadGateway, HTTPException, ServiceUnavailable

from atdkg import config
from atdkg.queries.stores import QueryTimeout, StoreError

from . import hosts

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def csp_with_style_hashes(*stylesheets: str) -> str:
    """The site's CSP, plus exactly these stylesheet texts as <style> elements (by their sha256): for a
    page whose library injects a fixed stylesheet. Any other inline style stays blocked; no 'unsafe-inline'."""
    import base64
    import hashlib
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()}'"
                      for css in stylesheets)
    return CSP.replace("style-src 'self';", f"style-src 'self' {hashes};" if hashes else "style-src 'self';")


# Settings and their defaults; each can be set as $ATDKG_<NAME> (or in test_config). Limits are per query
# child or per client, as named; see README, "Serving in public".
DEFAULTS: dict[str, float | int | str] = {
    "QUERY_TIMEOUT": 30.0,          # s of wall-clock time per query, enforced from outside the child
    "MAX_ROWS": 10_000,             # rows or triples per answer (truncation is signalled)
    "MAX_RESULT_MB": 32.0,          # bytes per /sparql answer (truncation is signalled)
    "QUERY_MEMORY_MB": 1024.0,      # address space a query child may add to the shared store
    "QUERY_CHILDREN": 3,            # /sparql query children per web worker
    "PAGE_QUERY_CHILDREN": 2,       # named-query children per web worker (pages)
    "QUERY_NICE": 10,               # /sparql children run this much nicer than pages
    "QUERY_WAIT": 10.0,             # s a /sparql request may wait for a free child before 503
    "QUERY_BUDGET": 30.0,           # s of query time per client per window ...
    "QUERY_BUDGET_WINDOW": 60.0,    # ... this many seconds long (429 with Retry-After beyond)
    "CLIENT_CONCURRENCY": 2,        # /sparql queries one client may have running at once
    "PROXIES": 0,                   # reverse proxies in front (their X-Forwarded-For is trusted)
    "PUBLIC_URL": "http://127.0.0.1:8000/",  # the address users reach; every absolute URL starts so
    "ALLOWED_HOSTS": "",            # comma-separated Host names accepted besides PUBLIC_URL's and loopback; * all
    "PAGE_CACHE_MB": 64.0,          # rendered answers kept in memory per worker; 0 turns the cache off
    "PAGE_CACHE_DISK_MB": 256.0,    # ... and on disk, shared by the workers (never with an ENDPOINT)
    "ENDPOINT": "",                 # a SPARQL 1.1 query URL: serve it instead of loading a build (webapp/remote.py)
    "ENDPOINT_TIMEOUT_PARAM": "",   # the server's own time-limit parameter, NAME (seconds) or NAME:ms
    "ENDPOINT_GRAPHS_SECONDS": 60.0,  # how long the server's list of named graphs is trusted before asked again
}


def _from_environment() -> dict:
    out = {}
    for key, default in DEFAULTS.items():
        raw = os.environ.get(f"ATDKG_{key}")
        if raw is None:
            continue
        try:
            out[key] = type(default)(raw)
        except ValueError:
            expected = {float: "a number", int: "a whole number", str: "text"}[type(default)]
            raise ValueError(f"$ATDKG_{key}={raw!r}: expected {expected} (default {default})") from None
    return out


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping({
        "DATA_DIR": str(config.data_dir()),
        "BASE_IRI": config.base_iri(),
        "MAX_CONTENT_LENGTH": 64 * 1024,  # a query body larger than this is refused (413)
        **DEFAULTS,
    })
    app.config.update(_from_environment())
    if test_config:
        app.config.update(test_config)
    if not app.config["PUBLIC_URL"].endswith("/"):
        app.config["PUBLIC_URL"] += "/"
    # one build for the life of this app, by its real path: the store, downloads, validation report
    # and source texts all come from it even if `atdkg build` points data/build elsewhere meanwhile.
    # In front of a SPARQL server, a build directory only if one was named (--data-dir, $ATDKG_DATA):
    # the default data/ may hold a build of another corpus than the server's
    named_data = os.environ.get("ATDKG_DATA") or (test_config or {}).get("DATA_DIR")
    app.config["BUILD_DIR"] = (os.path.realpath(Path(app.config["DATA_DIR"]) / "build")
                               if not app.config["ENDPOINT"] or named_data else None)

    from . import cache, coverage, entities, sparql, store
    store.init_app(app)
    coverage.init_app(app)  # after the store: from the build it has just checked against its manifest
    build = app.config["BUILD_DIR"]
    cache_dir: str | Path | bool | None = app.config.get("PAGE_CACHE_DIR", None)  # False: memory only
    if app.config["ENDPOINT"]:
        # the server's data can change with no sign an explorer could see cheaply: answers are kept in this
        # process only (it answers from what it has loaded), keyed by the server, never on disk for others
        build, cache_dir = f"endpoint {app.config['ENDPOINT']}", False
    elif cache_dir is None:
        cache_dir = Path(build) / "cache"
    # the first after_request hook: runs last
    cache.init_app(app, build, Path(cache_dir) if isinstance(cache_dir, (str, Path)) and cache_dir else None)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(entities.bp)
    from . import pages, pages_system
    app.register_blueprint(pages.bp)
    app.register_blueprint(pages_system.bp)
    from . import home, network_view, terms_view
    app.register_blueprint(home.bp)
    app.register_blueprint(terms_view.bp)
    app.register_blueprint(network_view.bp)
    app.register_blueprint(network_view.vendor)  # /vendor/…: an allow-list of npm files from node_modules/

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        """Short messages, never a traceback; JSON for clients that ask for it."""
        message = e.description or e.name
        code = e.code
        assert code is not None, "every HTTPException that reaches here has a status code"
        if request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json" \
                or request.path.startswith("/sparql"):
            response = jsonify(error=e.name, status=code, message=message)
            response.status_code = code
        else:
            response = app.make_response((render_template("error.html", code=code, name=e.name,
                                                          message=message), code))
        valid_methods = getattr(e, "valid_methods", None)  # MethodNotAllowed's
        if code == 405 and valid_methods:
            response.headers["Allow"] = ", ".join(valid_methods)
        retry_after = getattr(e, "retry_after", None)  # 429 and 503 say when to come back
        if retry_after:
            response.headers["Retry-After"] = str(int(retry_after))
        return response

    @app.errorhandler(StoreError)
    def store_failed(e: StoreError):
        """A query behind a page that ran out of time or was stopped at its limits (503, come back later: the
        server is busy or the graph large, not broken) or a SPARQL server that failed (502). Wherever it
        happens — entity, list, network pages, named queries — never a 500."""
        from .remote import RemoteFailure
        from .runner import Busy
        if isinstance(e, RemoteFailure):
            return http_error(BadGateway(str(e)))
        retry_after = getattr(e, "retry_after", None) or 30
        message = (f"a query behind this page did not finish in time ({e}); try again shortly"
                   if isinstance(e, QueryTimeout) else
                   str(e) if isinstance(e, Busy) else f"a query behind this page was stopped: {e}")
        return http_error(ServiceUnavailable(message, retry_after=retry_after))

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        app.logger.exception("unexpected error on %s", request.path)
        return http_error(_InternalError())

    if app.config["PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix
        # the client's address (the budget's notion of a client) from that many X-Forwarded-For hops;
        # never the Host: absolute URLs come from PUBLIC_URL
        proxied = ProxyFix(app.wsgi_app, x_for=app.config["PROXIES"], x_proto=0, x_host=0)
        app.wsgi_app = proxied  # type: ignore[method-assign]  # Flask's documented way to add WSGI middleware
    # outermost: before the cache
    app.wsgi_app = hosts.HostCheck(app.wsgi_app, hosts.allowed(app.config))  # type: ignore[method-assign]  # as above
    return app


class _InternalError(HTTPException):
    code = 500
    description = "Something went wrong on our side; it has been logged."
