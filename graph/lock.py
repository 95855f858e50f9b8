"""The store's writer lock: one writer at a time, the next one waits its turn.

`gazettekg ingest`, `repair` and `cypher --write` hold an exclusive ``flock`` on
STORE/writer.lock while they write. The kernel releases it when the holder exits, however
it exits (kill -9 included), so a crashed writer never leaves a stale lock behind.
Readers take no lock: they open Oxigraph read-only and run their own copy of the property
graph, loaded from the last saved file.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = "writer.lock"


class LockTimeout(TimeoutError):
    """Another writer held the store for longer than we were willing to wait."""


@contextmanager
def writer_lock(store_dir: Path, wait: float = 60.0, on_wait=None) -> Iterator[None]:
    """Hold the store's writer lock for the block, waiting up to ``wait`` seconds for it.

    ``on_wait`` is called once (with the holder's pid, when known) if the lock is busy.
    """
    store_dir = Path(store_dir)
    store_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(store_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(wait, 0.0)
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"another writer ({_holder(fd) or 'unknown pid'}) has held {store_dir / LOCK_FILE} "
                        f"for more than {wait:g}s"
                    ) from None
                if not told and on_wait is not None:
                    on_wait(_holder(fd))
                    told = True
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C arrived while an input was being written; raised once it was written everywhere."""


_deferring = 0


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold SIGINT back for the block (main thread only): the block finishes, then Interrupted is raised.

    A write that must reach the RDF graph, the property graph and the manifest together is not
    cut in between by Ctrl-C. kill -9 cannot be held back; the checks on the next ingest catch it.
    """
    import signal
    import threading

    global _deferring
    if _deferring or threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise Interrupted()
