"""The pairwise engine: from columns to a matrix. Checks the job against the
registry, prepares it once, and runs its tiles on a backend, with progress, a memory
guard and the output in memory or on disk."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

import numba as nb
import numpy as np

from .._options import Options, RunOptions
from .._validation import InvalidParameterError, column_kind
from .._warnings import pairs_text
from ..estimators import REGISTRY, check_fits, resolve
from ._dask import get_client, run_dask
from ._job import (
    Finish,
    compute_tile,
    entropies,
    estimator_pairs,
    make_job,
    merge_flags,
    output_options,
    prepare_parts,
)
from ._output import MemoryOutput, fingerprint, open_disk_output, resumed_tile_size
from ._summary import Plan
from ._tiles import make_tiling, n_tiles

PROGRESS_AFTER_SECONDS = 10.0


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


def check_device_memory(required: int, shape: tuple, dtype) -> None:
    """Refuse a backend='cuda' job whose prepared data and tile buffers would not fit
    in the GPU's free memory (unknown, as on the simulator: not checked)."""
    from ..cuda._device import free_memory

    available = free_memory()
    if available is None or required <= 0.9 * available:
        return
    raise MemoryError(
        f"backend='cuda' needs about {required / 2**30:.1f} GiB of GPU memory for the "
        f"prepared columns and tiles of a {shape[0]} x {shape[1]} matrix of "
        f"{np.dtype(dtype).name}, but only {available / 2**30:.1f} GiB is free on the "
        f"device. Ways out: a subset of the columns, or Y= for a cross matrix of just the "
        f"pairs you need; a smaller tile_size; dtype=np.float32 and out='mi.zarr' keep "
        f"the host side small; or backend='threads'."
    )


def show_progress(progress, seconds: float) -> bool:
    if progress is None:
        return seconds > PROGRESS_AFTER_SECONDS and sys.stderr.isatty()
    return bool(progress)


def progress_bar(enabled: bool, total: float, initial: float = 0.0):
    """A tqdm bar over the estimated work (seconds on one thread, by the estimators'
    costs), so that its ETA holds when tiles differ in cost; ``initial``: the work
    done by the run being resumed."""
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(
        total=total, initial=initial, desc="fastmi", file=sys.stderr,
        bar_format="{desc}: {percentage:3.0f}%|{bar}| [{elapsed}<{remaining}]",
    )  # fmt: skip


def tile_work(job, tile: int, n: int) -> float:
    """The estimated work of a tile: its pairs of each estimator times their cost per
    pair and sample times n (seconds on one thread)."""
    a, b, _, _ = job.tiling.pairs(tile)
    kind_pair = job.continuous[a] * 2 + job.continuous[b]
    counts = np.bincount(kind_pair, minlength=4)
    return sum(
        REGISTRY[job.estimator_of[code]].cost_per_sample * counts[code] * n
        for code in range(4)
        if counts[code]
    )


def run_threads(job, pending: list[int], output, bar, flags: dict, work: dict) -> None:
    """The thread backend: tile after tile in this process, each tile's pairs in
    parallel over the Numba threads; each tile is written as soon as it is done, the
    pairs its estimators flagged are merged into ``flags``, and the progress bar
    advances by its estimated work."""
    for tile in pending:
        block, tile_flags = compute_tile(job, tile)
        output.write(job.tiling, tile, block)
        merge_flags(flags, tile_flags)
        if bar is not None:
            bar.update(work[tile])


def run_cuda(job, pending: list[int], output, bar, flags: dict, work: dict) -> None:
    """The CUDA backend (fastmi.cuda, imported only here): the job's parts copied to
    the GPU once, then tile after tile on the device, written as for threads."""
    from ..cuda._engine import run_cuda as run_on_device

    run_on_device(job, pending, output, bar, flags, work)


def estimate_seconds(counts: dict, n: int, threads: int) -> float:
    """A job's time on ``threads`` threads, from the registry's costs per sample."""
    return sum(REGISTRY[e].cost_per_sample * pairs * n for e, pairs in counts.items()) / threads


def required_bytes(n_vars: int, n: int, cells: int, tile_cells: int, dtype) -> int:
    """The matrix (``cells``, 0 when it goes to disk), the prepared data, one tile
    (``tile_cells``, at most the matrix) in float64 and its pair lists, and per-thread
    scratch of the kernels."""
    prepared = n_vars * n * (4 * 8 + 8)  # kNN rows (values, sorted, order, rank) + codes
    tile = tile_cells * (2 * 8 + 6 * 8)
    scratch = nb.config.NUMBA_NUM_THREADS * n * 64  # per-thread grid and count arrays
    return cells * np.dtype(dtype).itemsize + prepared + tile + scratch


def _check_lengths(columns) -> int:
    n = len(columns[0][1])
    for label, column in columns:
        if len(column) != n:
            raise InvalidParameterError(
                f"all variables must have the same number of samples; got {n} for "
                f"{columns[0][0]} and {len(column)} for {label}."
            )
    return n


def _threads(n_jobs) -> int:
    cores = nb.config.NUMBA_NUM_THREADS
    return cores if n_jobs is None or n_jobs < 0 else min(n_jobs, cores)


def plan_of_columns(x_columns, y_columns, opt: Options, run: RunOptions, client=None, to_disk=None):
    """(Plan, kinds, tiling, counts) of a job, from the column kinds alone: nothing
    is prepared or computed. Checks that the options fit the estimators in use.
    ``to_disk``: whether the matrix goes to disk (default: ``run.out`` is set)."""
    columns = x_columns + (y_columns or [])
    n = _check_lengths(columns)
    kinds = [column_kind(column) for _, column in columns]
    p, square = len(x_columns), y_columns is None
    shape = (p, p) if square else (p, len(y_columns))
    counts = estimator_pairs(opt.method, kinds, p, square)
    if counts:
        in_use = [REGISTRY[name] for name in counts]
        check_fits(in_use, opt.correction, opt.normalize, matrix=True)
    else:  # no pairs (one column): the diagonal's estimator, for normalize
        check_fits([resolve(opt.method, kinds[0], kinds[0])], None, opt.normalize, matrix=True)
    if run.backend == "cuda":  # before any work: what the device cannot run
        from ..cuda._parts import check_job

        check_job(list(counts), opt.correction, opt.k)
    tiling = make_tiling(*shape, square, resumed_tile_size(run.out, run.resume, run.tile_size))
    threads = _threads(run.n_jobs)
    if client is not None:
        threads = max(1, sum(client.nthreads().values()))
    to_disk = run.out is not None if to_disk is None else to_disk
    cells = 0 if to_disk else shape[0] * shape[1]
    tile_cells = min(tiling.size, shape[0]) * min(tiling.size, shape[1])
    device = None
    if run.backend == "cuda":
        from ..cuda._parts import required_device_bytes

        device = required_device_bytes(len(columns), n, counts, tile_cells)
    plan = Plan(
        shape, n, counts, estimate_seconds(counts, n, threads),
        required_bytes(len(columns), n, cells, tile_cells, run.dtype),
        threads,
        n_tiles(*shape, square, tiling.size), tiling.size, device,
    )  # fmt: skip
    return plan, kinds, tiling, counts


def matrix_of_columns(
    x_columns, y_columns, opt: Options, run: RunOptions, labels=None
) -> np.ndarray:
    """The MI matrix of lists of (label, 1-D column): square without y_columns.
    Returns the in-memory matrix, or the array at ``run.out`` (a memory map or Zarr
    array, whose attributes keep ``labels``)."""
    client = get_client(run.client) if run.backend == "dask" else None
    plan, kinds, tiling, counts = plan_of_columns(x_columns, y_columns, opt, run, client)
    columns = x_columns + (y_columns or [])
    n, shape, p, square = plan.n_samples, plan.shape, len(x_columns), y_columns is None
    if run.backend == "cuda":
        from ..cuda._device import require

        require()
    with numba_threads(run.n_jobs):
        check_memory(plan.memory, shape, run.dtype)
        if plan.device_memory is not None:
            check_device_memory(plan.device_memory, shape, run.dtype)
        parts = prepare_parts(columns, kinds, opt, tiling, counts)
        finish = _finish(columns, kinds, p, square, opt, run, parts)
        job = make_job(opt.method, kinds, tiling, parts, finish)
        if run.out is None:
            output = MemoryOutput(shape, run.dtype)
        else:
            output = open_disk_output(
                run.out, run.resume, tiling, run.dtype, fingerprint(job), labels
            )
        pending = [tile for tile in tiling.tiles() if tile not in output.done]
        work = {tile: tile_work(job, tile, n) for tile in pending}
        left = sum(work.values())
        total = plan.seconds * plan.threads  # all tiles, in the same units
        done = max(total - left, 0.0)
        bar = progress_bar(show_progress(run.progress, left / plan.threads), total, done)
        flags: dict = {}
        try:
            if run.backend == "cuda":
                run_cuda(job, pending, output, bar, flags, work)
            elif client is None:
                run_threads(job, pending, output, bar, flags, work)
            else:
                run_dask(job, pending, output, bar, client, flags, work)
        finally:
            if bar is not None:
                bar.close()
            output.close()
    for name, (count, pairs) in flags.items():
        named = [(columns[a][0], columns[b][0]) for a, b in pairs]
        REGISTRY[name].flag_warning(pairs_text(named, count), count, n)
    return output.array


def _finish(columns, kinds, p, square, opt, run, parts) -> Finish:
    """How tiles are finished: the diagonal H(X_i) (or NaN) of a square matrix, and the
    entropies the NMI variants divide by."""
    diagonal = h_x = h_y = None
    if square:
        diagonal = entropies(range(p), columns, kinds, opt, parts)
    if opt.normalize not in (None, "corr"):
        h_x = diagonal if square else entropies(range(p), columns, kinds, opt, parts)
        h_y = h_x if square else entropies(range(p, len(columns)), columns, kinds, opt, parts)
    return Finish(output_options(opt), run.dtype, diagonal, h_x, h_y)
