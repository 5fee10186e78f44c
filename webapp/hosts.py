"""Which Host a request may name, and the public address every absolute URL is built from.

Absolute URLs (the SPARQL service description, VoID, the editor's endpoint) never come from the
request's Host header: one request with ``Host: evil.example`` would otherwise write that name into
an answer the cache then gives everyone. They come from the configured ``PUBLIC_URL``. Requests
naming a host that is neither the public one, loopback, nor listed in ``ALLOWED_HOSTS`` get 400
before anything else runs (the check wraps the response cache too).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app

LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def public_url(path: str = "") -> str:
    """``path`` (absolute, e.g. "/sparql") under the configured public URL."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def _hostname(host: str) -> str:
    """The name part of a Host header, lower-cased, without port or IPv6 brackets."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def allowed(config) -> set[str] | None:
    """The accepted host names; None accepts every name (ALLOWED_HOSTS=*)."""
    extra = [h.strip() for h in str(config.get("ALLOWED_HOSTS") or "").split(",") if h.strip()]
    if "*" in extra:
        return None
    return {_hostname(urlsplit(config["PUBLIC_URL"]).netloc), *LOOPBACK, *(_hostname(h) for h in extra)}


class HostCheck:
    def __init__(self, wsgi_app, hosts: set[str] | None):
        self.wsgi_app = wsgi_app
        self.hosts = hosts

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        if self.hosts is None or _hostname(host) in self.hosts:
            return self.wsgi_app(environ, start_response)
        body = (f"400 Bad Request: this server does not answer for host {host[:100]!r}; "
                "see PUBLIC_URL / ALLOWED_HOSTS in the README\n").encode("utf-8", "replace")
        start_response("400 BAD REQUEST", [("Content-Type", "text/plain; charset=utf-8"),
                                           ("Content-Length", str(len(body))), ("X-Content-Type-Options", "nosniff")])
        return [body]
