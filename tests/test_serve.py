"""`atdkg serve`: a production server that answers, and stops completely when told to."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from conftest import free_port


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def test_serve_answers_and_sigterm_stops_every_process(build_dir):
    port = free_port()
    env = {**os.environ, "ATDKG_DATA": str(build_dir.parent)}
    proc = subprocess.Popen([sys.executable, "-m", "atdkg.cli", "serve", "--port", str(port), "--workers", "2"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).encode()
        for _ in range(4):  # both workers start their query child
            with urllib.request.urlopen(url + "/sparql", data=query, timeout=10) as r:
                assert r.status == 200
        proc.send_signal(signal.SIGTERM)  # the master only, as a process manager would
        proc.wait(timeout=30)
        deadline = time.time() + 15
        while _group_alive(proc.pid) and time.time() < deadline:
            time.sleep(0.2)
        assert not _group_alive(proc.pid), "workers or query children outlived the server"
    finally:
        if _group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
