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
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from gazettekg.extract.errors import InputError, InputWarning
from gazettekg.records import IssueExtraction


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one input: its extraction, or the one-line error that refused it, and the
    warnings raised on the way (printed by the caller, in input order)."""

    path: Path
    extraction: IssueExtraction | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return len(self.extraction.source.page_starts) if self.extraction is not None else 0


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
            extraction = extract_file(path, on_ocr_page=on_ocr_page, **options)
            error = None
        except InputError as refused:
            extraction, error = None, str(refused)
    said = list(dict.fromkeys(str(w.message) for w in caught if isinstance(w.message, InputWarning)))
    return Outcome(path, extraction, error, said)


def extract_many(paths: Sequence[Path], workers: int | None = None, **options) -> Iterator[Outcome]:
    """Each input's Outcome, in the order of ``paths``; ``workers`` processes (default: one a core).

    With one worker, or one input, everything runs in this process."""
    workers = min(workers or default_workers(), len(paths))
    if workers <= 1:
        for path in paths:
            yield extract_one(path, options)
        return
    # fork: the workers inherit the imported library instead of importing it again; the CLI has
    # started no thread by now. Elsewhere (macOS, Windows) a fresh interpreter per worker.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        pending: list[Future] = [pool.submit(extract_one, path, options) for path in paths]
        try:
            for future in pending:
                yield future.result()
        except BaseException:
            for future in pending:
                future.cancel()
            raise


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
        # pure=False: a file may change between runs under the same name; never reuse a result.
        futures = client.map(extract_one, list(paths), options=options, pure=False)
        for future in futures:
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
