"""A per-client budget of query time, shared by every worker of the server (the Wikidata Query
Service's rule: so many seconds of query time per minute per client, then 429 with Retry-After).

Each client has a bucket of ``seconds`` of query time that refills at ``seconds / window`` per
second. A query is admitted while the bucket is not overdrawn and the client has fewer than
``concurrency`` queries running; its wall-clock evaluation time is charged when it ends, timeouts
included. An overdrawn client is told how long until it may ask again (``Retry-After``).

The table lives in an anonymous shared memory map created before gunicorn forks its workers, so
all of them see one budget per client; a lock file (``flock``, opened by each process itself) guards
updates — a lock held by a process that dies is released by the kernel, so no worker can wedge the
rest. The table has a fixed number of slots; a slot whose bucket has refilled and that has no
query running is free again.

A client is its IP address (IPv6: its /64, which one subscriber usually holds). Behind a reverse
proxy, set ``ATDKG_PROXIES`` to the number of proxies so the address comes from X-Forwarded-For.
"""
from __future__ import annotations

import fcntl
import hashlib
import ipaddress
import math
import mmap
import os
import struct
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass

_SLOT = struct.Struct("<Qddi4x")  # client key, seconds used, last update (monotonic-ish), running
_PROBES = 64


class OverBudget(Exception):
    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class Ticket:
    key: int
    used: float  # seconds of the bucket used when admitted (a priority: less used goes first)


def client_key(address: str) -> str:
    """The budget's notion of one client: the IPv4 address, or the /64 of an IPv6 address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class ClientBudget:
    def __init__(self, seconds: float = 30.0, window: float = 60.0, concurrency: int = 2, slots: int = 4096,
                 clock=time.monotonic):
        self.seconds = seconds
        self.rate = seconds / window
        self.window = window
        self.concurrency = concurrency
        self.slots = slots
        self.clock = clock
        self._map = mmap.mmap(-1, slots * _SLOT.size)  # anonymous and shared: inherited by forks
        # the lock's file: unlinked at once (nothing left behind), reached by each process through
        # /proc/self/fd, which opens a new open file description — flock locks those, not inodes
        fd, path = tempfile.mkstemp(prefix="atdkg-budget-", suffix=".lock")
        os.unlink(path)
        self._inode_fd = fd
        self._lock_owner = None
        self._lock_fd = None

    # -- the table ------------------------------------------------------------------------------------
    @contextmanager
    def _locked(self):
        if self._lock_owner != os.getpid():  # each process its own open file: flock is per open file
            self._lock_fd = os.open(f"/proc/self/fd/{self._inode_fd}", os.O_RDWR)
            self._lock_owner = os.getpid()
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _read(self, i: int):
        return _SLOT.unpack_from(self._map, i * _SLOT.size)

    def _write(self, i: int, key: int, used: float, updated: float, running: int) -> None:
        _SLOT.pack_into(self._map, i * _SLOT.size, key, used, updated, running)

    def _refilled(self, used: float, updated: float, now: float) -> float:
        return max(0.0, used - max(0.0, now - updated) * self.rate)

    def _find(self, key: int, now: float) -> int | None:
        """The slot of ``key``, else a free one claimed for it, else None (every slot busy)."""
        start = key % self.slots
        free = None
        for k in range(_PROBES):
            i = (start + k) % self.slots
            other, used, updated, running = self._read(i)
            if other == key:
                return i
            if free is None and (other == 0 or (running <= 0 and self._refilled(used, updated, now) == 0.0)):
                free = i
        if free is not None:
            self._write(free, key, 0.0, now, 0)
        return free

    @staticmethod
    def _key(client: str) -> int:
        return int.from_bytes(hashlib.blake2b(client.encode(), digest_size=8).digest(), "little") or 1

    # -- the API --------------------------------------------------------------------------------------
    def admit(self, client: str) -> Ticket:
        """Admit one query of ``client`` or raise OverBudget with the seconds to wait."""
        key, now = self._key(client), self.clock()
        with self._locked():
            i = self._find(key, now)
            if i is None:
                raise OverBudget("the server is tracking too many busy clients; try again shortly", 5)
            _, used, updated, running = self._read(i)
            used = self._refilled(used, updated, now)
            if used > self.seconds:
                wait = math.ceil((used - self.seconds) / self.rate)
                self._write(i, key, used, now, running)
                raise OverBudget(f"this client has used its query time ({self.seconds:g} s per "
                                 f"{self.window:g} s); try again in {wait} s", max(1, wait))
            if running >= self.concurrency:
                self._write(i, key, used, now, running)
                raise OverBudget(f"this client already has {running} queries running (at most "
                                 f"{self.concurrency} at once); wait for one to finish", 1)
            self._write(i, key, used, now, running + 1)
        return Ticket(key, used)

    def settle(self, ticket: Ticket, seconds: float) -> None:
        """Charge ``seconds`` of query time and end the ticket's query."""
        now = self.clock()
        with self._locked():
            i = self._find(ticket.key, now)
            if i is None:
                return
            _, used, updated, running = self._read(i)
            self._write(i, ticket.key, self._refilled(used, updated, now) + max(0.0, seconds), now,
                        max(0, running - 1))

    def used(self, client: str) -> float:
        """Seconds of the bucket ``client`` has used now (0 for a client never seen)."""
        key, now = self._key(client), self.clock()
        with self._locked():
            start = key % self.slots
            for k in range(_PROBES):
                other, used, updated, _ = self._read((start + k) % self.slots)
                if other == key:
                    return self._refilled(used, updated, now)
        return 0.0

    def close(self) -> None:
        for fd in (self._inode_fd, self._lock_fd):
            if fd is None:
                continue
            try:
                os.close(fd)
            except OSError:
                pass
