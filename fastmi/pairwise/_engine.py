"""Scheduling for the pairwise engine: threads, tiles, progress, memory."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

import numba as nb
import numpy as np

from .._validation import InvalidParameterError, check_int
from ._job import compute_tile

#: Seconds per (pair x sample) on one thread, to decide whether a job is long enough
#: for a progress bar by default (bench/bench_pairwise.py, rounded up).
COST_PER_SAMPLE = {
    "discrete": 3e-9,
    "hist": 3e-9,
    "ksg": 1e-6,
    "ksg2": 1e-6,
    "ross": 2e-7,
    "gao": 1.5e-6,
    "gcmi": 1e-9,
}
PROGRESS_AFTER_SECONDS = 10.0


def check_n_jobs(n_jobs) -> int | None:
    """None (all cores, as scikit-learn) or an int != 0; -1 means all cores too."""
    if n_jobs is None:
        return None
    n_jobs = check_int(n_jobs, "n_jobs")
    if n_jobs == 0:
        raise InvalidParameterError("n_jobs must be a positive int, -1 or None; got 0.")
    return n_jobs


@contextmanager
def numba_threads(n_jobs):
    """Numba's thread count for the block; restored afterwards, also on error."""
    previous = nb.get_num_threads()
    cores = nb.config.NUMBA_NUM_THREADS
    threads = cores if n_jobs is None or n_jobs < 0 else min(n_jobs, cores)
    nb.set_num_threads(threads)
    try:
        yield threads
    finally:
        nb.set_num_threads(previous)


def available_memory() -> int | None:
    """Bytes the process can still allocate without swapping, or None if unknown."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(required: int, shape: tuple, dtype) -> None:
    """Refuse a job that would not fit, naming its size and the ways out."""
    available = available_memory()
    if available is None or required <= 0.9 * available:
        return
    raise MemoryError(
        f"pairwise_mi needs about {required / 2**30:.1f} GiB for a {shape[0]} x {shape[1]} "
        f"matrix of {np.dtype(dtype).name} and its prepared data, but only "
        f"{available / 2**30:.1f} GiB is available. Ways out: dtype=np.float32 halves the "
        f"matrix; a subset of the columns, or Y= for a cross matrix of just the pairs you "
        f"need; out='mi.zarr' to write the matrix to disk tile by tile; or a cluster "
        f"(backend='dask')."
    )


def check_progress(progress) -> None:
    if progress is not None and not isinstance(progress, (bool, np.bool_)):
        raise InvalidParameterError(f"progress must be None, True or False; got {progress!r}.")


def show_progress(progress, seconds: float) -> bool:
    check_progress(progress)
    if progress is None:
        return seconds > PROGRESS_AFTER_SECONDS and sys.stderr.isatty()
    return bool(progress)


def progress_bar(enabled: bool, total: int, initial: int = 0):
    """A tqdm bar over the pairs; ``initial``: pairs done by the run being resumed."""
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, unit="pair", desc="fastmi", file=sys.stderr)


def run_threads(job, pending: list[int], output, bar) -> None:
    """The thread backend: tile after tile in this process, each tile's pairs in
    parallel over the Numba threads; each tile is written as soon as it is done."""
    for tile in pending:
        output.write(job.tiling, tile, compute_tile(job, tile))
        if bar is not None:
            bar.update(job.tiling.n_pairs(tile))
