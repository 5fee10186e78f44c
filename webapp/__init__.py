"""The atd-kg explorer: a Flask application over the embedded store.

``create_app(test_config=None)`` follows Flask's tutorial: configuration in layers (defaults,
then ``ATDKG_*`` environment, then the test config), the store opened once per process
(``webapp.store``), one blueprint per page family. SPARQL comes only from named queries in
queries/ or, ad hoc, through the /sparql endpoint.
"""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from atdkg import config

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        DATA_DIR=str(config.data_dir()),
        BASE_IRI=config.base_iri(),
        QUERY_TIMEOUT=float(os.environ.get("ATDKG_QUERY_TIMEOUT", 30)),
        MAX_ROWS=int(os.environ.get("ATDKG_MAX_ROWS", 10_000)),
        MAX_CONTENT_LENGTH=64 * 1024,  # a query body larger than this is refused (413)
        PAGE_CACHE_MB=float(os.environ.get("ATDKG_PAGE_CACHE_MB", 64)),  # per worker; 0 turns it off
    )
    if test_config:
        app.config.update(test_config)
    app.config["BUILD_DIR"] = str(Path(app.config["DATA_DIR"]) / "build")

    from . import cache, entities, sparql, store
    store.init_app(app)
    build = os.path.realpath(app.config["BUILD_DIR"])
    cache_dir = app.config.get("PAGE_CACHE_DIR", None)  # False: memory only
    if cache_dir is None:
        cache_dir = Path(build) / "cache"
    cache.init_app(app, build, Path(cache_dir) if cache_dir else None)  # the first after_request hook: runs last
    app.register_blueprint(sparql.bp)
    app.register_blueprint(entities.bp)
    from . import pages, pages_system
    app.register_blueprint(pages.bp)
    app.register_blueprint(pages_system.bp)
    from . import network_view
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
        if request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json" \
                or request.path.startswith("/sparql"):
            response = jsonify(error=e.name, status=e.code, message=message)
            response.status_code = e.code
            if e.code == 405 and e.valid_methods:
                response.headers["Allow"] = ", ".join(e.valid_methods)
            return response
        return render_template("error.html", code=e.code, name=e.name, message=message), e.code

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        app.logger.exception("unexpected error on %s", request.path)
        return http_error(_InternalError())

    return app


class _InternalError(HTTPException):
    code = 500
    description = "Something went wrong on our side; it has been logged."
