"""A build's integrity: what it holds, checked before it is served; and who is using it.

- ``write_manifest`` records, as the build's last file, every file's size and sha256 and the counts a
  loaded store must show (MANIFEST.json). ``verify`` checks them before a server loads the build, so
  a truncated, emptied or edited file is refused in one line instead of being served half.
- ``hold`` takes a shared flock on the build's ``.lock`` for the life of the process (forked workers
  inherit it); the next build's swap removes an old build only if it can lock it exclusively, so a
  build some server still answers from stays on disk.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

FORMAT = 1
MANIFEST = "MANIFEST.json"
LOCK = ".lock"
BLOCK = 1 << 20  # hash in 1 MB reads: memory stays flat whatever the size of the graph
REBUILD = "run `atdkg build`"
CORRUPT = f"this build is corrupt or was changed after it was written; {REBUILD}"


class IntegrityError(Exception):
    """The build cannot be trusted or used; the message is one line naming the file."""


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(BLOCK):
            h.update(block)
    return h.hexdigest()


def count_quads(nquads: Path) -> int:
    """Distinct quads as Oxigraph loads them: exactly what EmbeddedStore.from_build must find."""
    import pyoxigraph as ox
    store = ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    return len(store)


def _content(build_dir: Path) -> Iterator[Path]:
    """Every file of the build, sources/ included; not the manifest itself nor the lock."""
    for path in sorted(build_dir.rglob("*")):
        if path.is_file() and path.relative_to(build_dir).as_posix() not in (MANIFEST, LOCK):
            yield path


def write_manifest(build_dir: Path) -> Path:
    """MANIFEST.json: format, creation time, size and sha256 of every file, the quad and triple counts."""
    build_dir = Path(build_dir)
    files = {p.relative_to(build_dir).as_posix(): {"bytes": p.stat().st_size, "sha256": sha256(p)}
             for p in _content(build_dir)}
    summary = json.loads((build_dir / "summary.json").read_text(encoding="utf-8"))
    manifest = {"format": FORMAT, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "counts": {"quads": count_quads(build_dir / "graph.nq"), "triples": summary["triples"]},
                "files": files}
    path = build_dir / MANIFEST
    path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return path


def read_manifest(build_dir: Path) -> dict:
    path = Path(build_dir) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IntegrityError(f"{path}: missing: the build was written before builds carried a manifest, or "
                             f"was never finished; {REBUILD} to rebuild it") from None
    except (OSError, ValueError) as e:
        raise IntegrityError(f"{path}: cannot be read ({_reason(e)}): {CORRUPT}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise IntegrityError(f"{path}: format {found!r}, expected {FORMAT}: {CORRUPT}")
    return manifest


def verify(build_dir: Path) -> dict:
    """Check every file the manifest lists (presence, size, sha256); return the manifest.
    Files added later (the response cache) are not the build's and are not checked."""
    build_dir = Path(build_dir)
    manifest = read_manifest(build_dir)
    try:
        for name, expected in manifest["files"].items():
            _check_file(build_dir, name, int(expected["bytes"]), str(expected["sha256"]))
        int(manifest["counts"]["quads"])
    except (KeyError, TypeError, ValueError, AttributeError):
        raise IntegrityError(f"{build_dir / MANIFEST}: malformed: {CORRUPT}") from None
    return manifest


def _check_file(build_dir: Path, name: str, size: int, digest: str) -> None:
    if name.startswith("/") or ".." in name.split("/"):  # a tampered manifest must not point outside
        raise IntegrityError(f"{build_dir / MANIFEST}: names {name!r}, outside the build: {CORRUPT}")
    path = build_dir / name
    try:
        actual = path.stat().st_size
        if actual != size:
            raise IntegrityError(f"{path}: {actual:,} bytes, expected {size:,} (sha256 differs): {CORRUPT}")
        if sha256(path) != digest:
            raise IntegrityError(f"{path}: sha256 differs from the manifest's (same size, {size:,} bytes): "
                                 f"{CORRUPT}")
    except FileNotFoundError:
        raise IntegrityError(f"{path}: missing, expected {size:,} bytes: {CORRUPT}") from None
    except OSError as e:
        raise IntegrityError(f"{path}: cannot be read ({_reason(e)})") from None


def _reason(e: Exception) -> str:
    return getattr(e, "strerror", None) or str(e).splitlines()[0][:200]


# -- builds in use --------------------------------------------------------------------------------------
_HELD: dict[str, IO] = {}  # real build path -> its locked .lock, open until the process ends


def _open_lock(build_dir: str) -> IO:
    # O_CREAT: a build written before locks existed gets one (and is then refused for its missing manifest)
    fd = os.open(os.path.join(build_dir, LOCK), os.O_RDONLY | os.O_CREAT, 0o644)
    return os.fdopen(fd, "rb")


def hold(build_dir: Path) -> IO:
    """Pin the build ``build_dir`` resolves to now: a shared flock on its .lock, kept for the life of
    the process (and of children forked later, which inherit the open file). Returns the open file."""
    real = os.path.realpath(build_dir)
    if real in _HELD:
        return _HELD[real]
    try:
        f = _open_lock(real)
    except OSError as e:
        raise IntegrityError(f"{real}/{LOCK}: cannot be opened ({_reason(e)})") from None
    fcntl.flock(f, fcntl.LOCK_SH)  # waits only while a swap is removing this very build
    try:
        same = os.fstat(f.fileno()).st_ino == os.stat(os.path.join(real, LOCK)).st_ino
    except FileNotFoundError:
        same = False
    if not same:  # the swap removed it while we waited: what is left is no build
        f.close()
        raise IntegrityError(f"{real}: removed by a newer build while being loaded; start again")
    _HELD[real] = f
    return f


def is_held(build_dir: Path) -> bool:
    return os.path.realpath(build_dir) in _HELD


def release(build_dir: Path) -> None:
    """Let go of a build this process held (a load that failed must not keep its directory alive)."""
    f = _HELD.pop(os.path.realpath(build_dir), None)
    if f is not None:
        f.close()


@contextlib.contextmanager
def writing(build_dir: Path) -> Iterator[None]:
    """Hold a build being written until it is swapped in, so a concurrent build's swap leaves it alone."""
    f = _open_lock(str(build_dir))
    try:
        fcntl.flock(f, fcntl.LOCK_SH)
        yield
    finally:
        f.close()


def remove_unless_held(build_dir: Path) -> bool:
    """Remove an old build unless some process holds it; True if removed. The exclusive lock is kept
    while removing, so no server can start holding it halfway (``hold`` then sees it gone)."""
    try:
        f = _open_lock(str(build_dir))
    except OSError:
        return False  # cannot even lock it: leave it
    with f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        shutil.rmtree(build_dir, ignore_errors=True)
    return True
