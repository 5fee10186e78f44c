"""`atdkg serve`: the explorer under gunicorn, set up to stay fair and to follow new builds.

- gevent workers: each worker holds up to ``WORKER_CONNECTIONS`` connections as cheap coroutines,
  so clients that send their headers a byte at a time, or wait for a slow query, hold a coroutine
  and not the worker. Queries run in child processes (webapp/runner.py) the coroutine waits on.
- the app is loaded once in the master (``preload_app``) and the workers share the store
  copy-on-write; each worker's address space is capped (``WEB_MEMORY_MB`` beyond what it
  inherited) as a backstop — query children have their own, smaller ceilings.
- a new build is picked up atomically: a thread in the master watches where ``data/build`` points;
  when it changes, the master loads the new build (verifying it) and replaces its workers
  gracefully (gunicorn's HUP). Every request is answered from one build — the old workers finish
  theirs on the old build, which stays on disk while they hold it. A new build that cannot be
  loaded is reported in one line and the current one stays served.
- with ``ATDKG_ENDPOINT`` (``--endpoint``) the master loads no store and watches no build: it reads the list
  pages' data and the networks from that SPARQL server before forking, and the workers send every other query
  there (webapp/remote.py); a HUP makes the app afresh (new caches).
"""
from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

log = logging.getLogger("atdkg.serve")

WORKER_CONNECTIONS = 1000
WEB_MEMORY_MB = 4096
WATCH_SECONDS = 1.0


def _post_fork(server, worker) -> None:
    """gunicorn post_fork hook, in the new worker before gevent patches it: start the worker's fork
    server for query children (webapp/forkserver.py), then cap the worker's own address space."""
    from . import sandbox, store
    store.start_forkserver(server.app.callable)
    try:
        sandbox.limit_memory(float(os.environ.get("ATDKG_WEB_MEMORY_MB", WEB_MEMORY_MB)))
    except (OSError, ValueError) as e:
        log.warning("could not cap the worker's memory: %s", e)


def _build_target(build_link: Path) -> str:
    return os.path.realpath(build_link)


def _watch(build_link: Path, current: str) -> None:
    """In the master: SIGHUP ourselves when data/build points at another build directory."""
    while True:
        time.sleep(WATCH_SECONDS)
        target = _build_target(build_link)
        if target != current and (Path(target) / "graph.nq").exists():
            log.info("a new build at %s: reloading", target)
            current = target
            os.kill(os.getpid(), signal.SIGHUP)


def run(host: str, port: int, workers: int, data_dir: str) -> None:
    """Serve until stopped; raises StoreError (one line) if the build cannot be served."""
    from gunicorn.app.base import BaseApplication

    from . import create_app, page_data, sandbox
    app = create_app()
    remote = bool(app.config["ENDPOINT"])
    # the list pages' data and the networks, shared by the workers (webapp/page_data.py) — in front of a SPARQL
    # server too: left to the workers, 32 clients asking for the home page at 1.4 M triples sent its queries to
    # the server once per coroutine, queued past the time limit and were answered 503
    page_data.warm(app)
    if not remote and not sandbox.network_isolation_available():
        print("warning: query children cannot be kept off the network here (no libseccomp); SERVICE is "
              "still refused by the parser check, but there is no second wall", file=sys.stderr)
    build_link = Path(app.config["DATA_DIR"]) / "build"

    class Server(BaseApplication):
        def load_config(self):
            settings = {
                "bind": f"{host}:{port}", "workers": workers, "worker_class": "gevent",
                "worker_connections": WORKER_CONNECTIONS, "preload_app": True,
                "timeout": 120, "graceful_timeout": 30, "keepalive": 5,
                # the longest GET query URL gunicorn allows; longer queries are POSTed
                "limit_request_line": 8190, "accesslog": "-", "post_fork": _post_fork,
                # gunicorn's control socket has one default path per user: two servers would share it
                "control_socket_disable": True,
            }
            if not remote:  # a server's data is not ours to watch
                settings["when_ready"] = lambda server: threading.Thread(
                    target=_watch, args=(build_link, app.config["BUILD_DIR"]), daemon=True,
                    name="atdkg-build-watch").start()
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):
            return self.callable or app

        def reload(self):
            """HUP: load the build data/build points at now; keep the current one if it cannot be served."""
            from atdkg.queries.stores import StoreError
            super().reload()
            old = (self.callable or app).config["BUILD_DIR"]
            try:
                fresh = create_app()
            except (StoreError, ValueError) as e:
                log.error("the new build is not served, the current one stays: %s", e)
                return
            if not remote:
                page_data.warm(fresh)
            if not remote and fresh.config["BUILD_DIR"] != old:  # a build this process held (the store's)
                # the master lets go of the old build (the old workers hold it until they exit), so
                # the workers forked next do not inherit its lock and a later build's swap removes it
                from atdkg.loaders.integrity import release
                release(old)
            self.callable = fresh

    Server().run()
