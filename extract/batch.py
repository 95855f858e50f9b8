"""Many inputs at once: extraction in worker processes or on a Dask cluster, results in input order.

Extraction is pure CPU work on one file at a time, so a batch spreads its files over worker
processes (one per core by default) and hands back each file's outcome in the order the files
were given — the output of a parallel run is the output of a serial one, byte for byte. Workers
return records, never write anything: the stores keep one writer.
"""

from __future__ import annotations

import multiprocessing
import os
import warnings
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from gazettekg.extract.errors import InputError, InputWarning
from gazettekg.records import IssueExtraction


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one input: its extraction, or the InputError's (path, reason) that refused it,
    and the warnings raised on the way (printed by the caller, in input order)."""

    path: Path
    extraction: IssueExtraction | None = None
    refusal: tuple[str, str] | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def error(self) -> str | None:
        """The refusal as one printable line (``FILE: why``), or None."""
        return str(InputError(*self.refusal)) if self.refusal else None

    @property
    def pages(self) -> int:
        return len(self.extraction.source.page_starts) if self.extraction is not None else 0

    def result(self) -> IssueExtraction:
        """The extraction, or the InputError that refused the input, raised here."""
        if self.extraction is None:
            raise InputError(*(self.refusal or (str(self.path), "not extracted")))
        return self.extraction


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def extract_one(path: Path, options: dict, on_ocr_page: Callable[[int, int], object] | None = None) -> Outcome:
    """Extract one input, catching what refuses it; ``options`` are extract_file's keywords."""
    from gazettekg.extract.pipeline import extract_file

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        try:
            extraction, refusal = extract_file(path, on_ocr_page=on_ocr_page, **options), None
        except InputError as refused:
            extraction, refusal = None, (refused.path, refused.reason)
    said = list(dict.fromkeys(str(w.message) for w in caught if isinstance(w.message, InputWarning)))
    return Outcome(path, extraction, refusal, said)


def _in_order(submit: Callable[[Path], object], paths: Sequence[Path], window: int) -> Iterator[Outcome]:
    """Results of ``submit(path)`` futures in the order of ``paths``, at most ``window`` in flight:
    a writer slower than its extractors holds a few extractions in memory, never the archive."""
    pending: deque = deque()
    queue = iter(paths)
    try:
        for path in queue:
            pending.append(submit(path))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def _context() -> multiprocessing.context.BaseContext:
    """Workers forked from a fork server that imported the extractors once: each starts in
    milliseconds and inherits no thread of the caller (a writer holds RocksDB's and a graph
    server's by then, and forking those is unsafe). Where there is no fork (Windows), spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["gazettekg.extract.pipeline"])
    return context


def extract_many(paths: Sequence[Path], workers: int | None = None, **options) -> Iterator[Outcome]:
    """Each input's Outcome, in the order of ``paths``; ``workers`` processes (default: one a core).

    With one worker, or one input, everything runs in this process."""
    workers = min(workers or default_workers(), len(paths))
    if workers <= 1:
        for path in paths:
            yield extract_one(path, options)
        return
    with ProcessPoolExecutor(workers, mp_context=_context()) as pool:
        yield from _in_order(lambda path: pool.submit(extract_one, path, options), paths, 3 * workers)


def extract_on_cluster(paths: Sequence[Path], address: str, **options) -> Iterator[Outcome]:
    """Each input's Outcome, in the order of ``paths``, extracted on a Dask cluster: one task per
    input file. ``address`` is a scheduler's (``tcp://host:8786``; its workers must run this
    package and see the files at the same paths — a shared folder) or ``local`` for a cluster of
    one worker process per core on this machine, started and stopped here."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise RuntimeError("--cluster needs Dask: pip install 'gazettekg[cluster]'") from error
    cluster = None
    if address == "local":
        cluster = LocalCluster(n_workers=default_workers(), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(address, timeout=30)
    try:
        window = 4 * max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))
        # pure=False: a file may change between runs under the same name; never reuse a result.
        yield from _in_order(lambda path: client.submit(extract_one, path, options, pure=False), paths, window)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class Prefetch:
    """extract_file for a writer that takes inputs one at a time, in order: the extractions of
    ``paths`` are computed ahead in worker processes (or on a Dask cluster) while the writer
    writes. Calling it with a path returns that input's extraction or raises its InputError;
    an input never asked for is extracted for nothing, no harm done. Warnings go to ``warn``."""

    def __init__(self, paths: Sequence[Path], workers: int | None = None, cluster: str | None = None,
                 warn: Callable[[str], object] = print, **options) -> None:
        self._outcomes = (extract_on_cluster(paths, cluster, **options) if cluster
                          else extract_many(list(paths), workers, **options))
        self._coming = set(paths)
        self._ahead: dict[Path, Outcome] = {}
        self._warn = warn
        self._options = options

    def __call__(self, path: Path) -> IssueExtraction:
        if path not in self._coming:  # not among the paths given: extracted here, the queue untouched
            from gazettekg.extract.pipeline import extract_file

            return extract_file(path, **self._options)
        self._coming.discard(path)
        outcome = self._ahead.pop(path, None)
        while outcome is None:
            got = next(self._outcomes)
            if got.path == path:
                outcome = got
            else:
                self._ahead[got.path] = got
        for said in outcome.warnings:
            self._warn(said)
        return outcome.result()

    def close(self) -> None:
        close = getattr(self._outcomes, "close", None)
        if close is not None:
            close()
