"""What a query child may do, applied right after it is forked: no network, bounded memory and CPU.

The web worker forks query children that share the loaded store copy-on-write and evaluate SPARQL
for it (webapp/runner.py). Whatever the query asks for, a child

- cannot open a network socket: a seccomp filter makes ``socket()`` fail with EACCES for every
  family but AF_UNIX (and io_uring, which could open sockets behind the filter's back, is refused
  too). Oxigraph would otherwise answer ``SERVICE <http://…>`` by connecting there. The parser
  check in webapp/safety.py refuses SERVICE first; this is the second wall, at the kernel.
- holds none of the worker's sockets: the listening socket and client connections it inherited
  are closed, so a client's connection ends when the worker closes it, not when a child exits.
- has an address-space ceiling (RLIMIT_AS) of what it inherited plus ``memory_mb``: a query that
  wants more fails to allocate (Oxigraph aborts, Python raises MemoryError) and only the child dies.
- has a CPU-time backstop (RLIMIT_CPU, renewed per query by the runner) in case the worker that
  should kill it at its deadline is gone; and no core dumps (an aborted child of a large store
  would otherwise write gigabytes).
- runs at a lower scheduling priority where asked (``nice``), so pages and cheap queries keep
  the CPU while expensive ones share what is left.

Everything here is Linux; where a part cannot be applied (no libseccomp, another OS) ``isolate``
says so in its return value and the server logs it at start — it never pretends.
"""
from __future__ import annotations

import errno
import os
import resource
import socket
import stat
import sys

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def isolate(*, memory_mb: float | None, nice: int = 0, keep_fds: tuple[int, ...] = ()) -> list[str]:
    """Apply every restriction to the calling (freshly forked) process; returns what could not be applied."""
    missing = []
    close_inherited_sockets(keep_fds)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_mb:
        limit_memory(memory_mb)
    if nice:
        os.nice(nice)
    if not deny_network():
        missing.append("network isolation (libseccomp not available): SERVICE is refused by the parser check only")
    return missing


def original(module: str, name: str):
    """``module.name`` as Python provides it, even where gevent has patched it (gunicorn's gevent
    workers do): in a forked child gevent's versions would run its event loop, whose watchers
    point at the sockets the child closes."""
    if "gevent.monkey" in sys.modules:
        from gevent import monkey
        if monkey.is_module_patched(module):
            return monkey.get_original(module, name)
    return getattr(sys.modules.get(module) or __import__(module), name)


def close_inherited_sockets(keep_fds: tuple[int, ...]) -> None:
    """Close every socket the fork copied (listening socket, client connections) except ``keep_fds``."""
    close = original("os", "close")
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return
    for fd in fds:
        if fd in keep_fds or fd < 3:
            continue
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                close(fd)
        except OSError:
            pass  # the fd of the listdir itself, already closed


def address_space() -> int:
    """Bytes of address space this process has mapped now (VmSize)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * PAGE


def limit_memory(memory_mb: float) -> None:
    """Allow ``memory_mb`` MB beyond what is mapped now (the shared store included)."""
    ceiling = address_space() + int(memory_mb * 2**20)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))


def limit_cpu(seconds: float) -> None:
    """End this process (SIGXCPU) once it has used ``seconds`` more CPU time than it has now."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(used + seconds) + 1
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def deny_network() -> bool:
    """Install the seccomp filter; False where libseccomp (pyseccomp) is not available."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError):  # the package, or libseccomp.so.2 it loads
        return False
    try:
        f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        f.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        for name in ("io_uring_setup", "io_uring_enter", "io_uring_register"):
            try:
                f.add_rule(seccomp.ERRNO(errno.ENOSYS), name)
            except (RuntimeError, ValueError, OSError):
                pass  # a kernel or libseccomp too old to know io_uring: nothing to refuse
        f.load()  # also sets no_new_privs, which an unprivileged filter requires
    except (RuntimeError, ValueError, OSError):
        return False
    return True


def network_isolation_available() -> bool:
    """Whether children will be network-isolated (checked in a throw-away child, not in this process)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's result is its exit status
        ok = deny_network()
        try:
            socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
            ok = False
        except PermissionError:
            pass
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0
