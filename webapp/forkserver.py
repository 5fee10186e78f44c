"""A fork server: a small process that forks query children on request, for a web worker that must
not fork them itself.

gunicorn's gevent workers monkey-patch the standard library; a child forked from a patched worker
inherits gevent's event loop and its watchers on the worker's sockets, and runs that loop (and the
worker's other coroutines) as soon as anything in it blocks — its heartbeat even concludes that its
"parent changed" and acts on it. So each worker starts its fork server first thing after gunicorn
forks it, before gevent patches anything (the ``post_fork`` hook, webapp/server.py). The fork server
shares the loaded store copy-on-write like the worker does, is single-threaded, never patched, and
does one thing: on ``spawn NAME`` it forks, runs the registered child function NAME in the new
process, and hands the worker the child's end of a fresh socket pair (SCM_RIGHTS) with its pid. It
reaps its children and tells their exit status on request; it exits when the worker goes away.

Outside gunicorn (tests, `atdkg serve --debug`) pools fork their children directly.
"""
from __future__ import annotations

import os
import selectors
import socket
import struct
import threading

_PID = struct.Struct("<q")
RUNNING = -(2**62)  # the status of a child that has not ended


class ForkServer:
    def __init__(self, targets: dict):
        """``targets``: name → function(conn_fd) run in a forked child (it must never return)."""
        self.targets = targets
        self.pid: int | None = None
        self._sock: socket.socket | None = None
        self._owner: int | None = None
        self._lock: threading.Lock | None = None

    # -- in the worker ----------------------------------------------------------------------------------
    def start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                ours.close()
                self._serve(theirs)
                code = 0
            finally:
                os._exit(code)
        theirs.close()
        self.pid, self._sock, self._owner = pid, ours, os.getpid()

    def _call(self, message: bytes) -> tuple[bytes, list[int]]:
        """One request and its reply; coroutines of the worker take turns (the lock is made in the
        worker after gevent has patched threading, so waiting for it is cooperative)."""
        sock = self._sock
        if sock is None:
            raise OSError("the fork server has not been started")
        if self._lock is None:
            self._lock = threading.Lock()
        with self._lock:
            sock.sendall(message)
            with selectors.DefaultSelector() as selector:  # made now: the patched one under gevent
                selector.register(sock, selectors.EVENT_READ)
                if not selector.select(10):
                    raise OSError("the fork server did not answer within 10 s")
            data, fds, _, _ = socket.recv_fds(sock, 64, 1)
        if not data:
            raise OSError("the fork server has ended")
        return data, fds

    def spawn(self, name: str) -> tuple[int, int]:
        """(pid, socket fd of our end) of a new child running ``targets[name]``."""
        data, fds = self._call(b"S" + name.encode())
        if not fds:
            raise OSError(f"the fork server could not start a {name} child: {data[1:].decode(errors='replace')}")
        return _PID.unpack(data[:_PID.size])[0], fds[0]

    def status(self, pid: int) -> int | None:
        """The exit status of child ``pid`` (negative: the signal that ended it), None while it runs."""
        data, _ = self._call(b"W" + _PID.pack(pid))
        code = _PID.unpack(data[:_PID.size])[0]
        return None if code == RUNNING else code

    def usable(self) -> bool:
        return self._sock is not None and self._owner == os.getpid()

    # -- in the fork server ----------------------------------------------------------------------------
    def _serve(self, sock: socket.socket) -> None:
        from . import sandbox
        sandbox.close_inherited_sockets((sock.fileno(),))  # the worker's listening socket and clients
        ended: dict[int, int] = {}
        while True:
            try:
                message = sock.recv(256)
            except OSError:
                return
            if not message:
                return  # the worker has gone
            self._reap(ended)
            if message[:1] == b"S":
                self._fork(sock, message[1:].decode())
            elif message[:1] == b"W":
                pid = _PID.unpack(message[1:1 + _PID.size])[0]
                sock.send(_PID.pack(ended.pop(pid, RUNNING)))

    @staticmethod
    def _reap(ended: dict[int, int]) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if not pid:
                return
            ended[pid] = os.waitstatus_to_exitcode(status)
            if len(ended) > 10_000:  # statuses nobody asked for
                ended.pop(next(iter(ended)))

    def _fork(self, sock: socket.socket, name: str) -> None:
        target = self.targets.get(name)
        if target is None:
            sock.send(b"E" + f"no child kind {name!r}".encode())
            return
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                sock.close()
                ours.close()
                target(theirs.detach())
                code = 0
            finally:
                os._exit(code)
        theirs.close()
        socket.send_fds(sock, [_PID.pack(pid)], [ours.fileno()])
        ours.close()
