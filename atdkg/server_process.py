"""`atdkg serve` as a child process: start it on a port, wait until it answers, stop all of it.

Shared by the browser tests, the serve test and the load benchmark. The server runs in its own
session, so stopping it signals the whole process group (gunicorn master, workers, query children)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port: int, env: dict | None = None, workers: int = 2, log=subprocess.DEVNULL,
          cwd=None, wait: float = 60.0) -> tuple[subprocess.Popen, str]:
    """(process, base URL) once /sparql answers; RuntimeError if it exits or does not answer in ``wait`` s."""
    cmd = [sys.executable, "-m", "atdkg.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, cwd=cwd, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + wait
    while True:
        try:
            urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=5).close()
            return proc, base
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                stop(proc)
                raise RuntimeError("atdkg serve did not start") from None
            time.sleep(0.3)


def script(name: str) -> str | None:
    """A console script installed with this Python (``.venv/bin/oxigraph``), else one on the PATH: the
    virtual environment need not be activated."""
    import shutil
    beside = os.path.join(os.path.dirname(sys.executable), name)
    return beside if os.access(beside, os.X_OK) else shutil.which(name)


def group_alive(proc: subprocess.Popen) -> bool:
    try:
        os.killpg(proc.pid, 0)
        return True
    except ProcessLookupError:
        return False


def group_memory(proc: subprocess.Popen) -> tuple[float, float, int]:
    """(PSS, RSS) in MB summed over the server's processes (its process group), and their count.
    PSS shares each page among the processes that map it: the store the workers and query children
    share copy-on-write counts once."""
    pss = rss = 0
    count = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if os.getpgid(int(pid)) != proc.pid:
                continue
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
            count += 1
        except (OSError, ProcessLookupError):
            continue
    return pss / 1024, rss / 1024, count


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM the whole process group, then SIGKILL what is left."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            pass
