"""`atdkg serve`: a production server that answers, and stops completely when told to."""
from __future__ import annotations

import signal
import time
import urllib.parse
import urllib.request

from atdkg import server_process
from atdkg.server_process import free_port


def test_serve_answers_and_sigterm_stops_every_process(build_dir):
    proc, url = server_process.start(free_port(), {"ATDKG_DATA": str(build_dir.parent)})
    try:
        query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).encode()
        for _ in range(4):  # both workers start their query child
            with urllib.request.urlopen(url + "/sparql", data=query, timeout=10) as r:
                assert r.status == 200
        proc.send_signal(signal.SIGTERM)  # the master only, as a process manager would
        proc.wait(timeout=30)
        deadline = time.time() + 15
        while server_process.group_alive(proc) and time.time() < deadline:
            time.sleep(0.2)
        assert not server_process.group_alive(proc), "workers or query children outlived the server"
    finally:
        server_process.stop(proc)
