"""The Dask backend: the tiles of a job as tasks on a dask.distributed cluster.

The prepared job is scattered to every worker once; each task computes one tile with
the same function the thread backend calls (fastmi.pairwise._job.compute_tile) and
returns its block, which this process fetches and writes to the output as soon as it
is done. Dask reruns the tasks of a worker that dies; if every copy of the scattered
job is lost with its workers, the job is scattered again and the tiles not yet written
are resubmitted. Dask is imported only here, only when the backend is asked for.
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import CancelledError

import numba as nb

from .._validation import InvalidParameterError
from ._job import compute_tile, merge_flags

INSTALL_HINT = "backend='dask' needs Dask's distributed scheduler: pip install 'fastmi[dask]'."
#: Times the job is scattered again after every copy of it was lost with its workers.
MAX_RESCATTERS = 3

_PROCESS_LOCK = threading.Lock()


def distributed():
    try:
        import distributed
    except ImportError:
        raise ImportError(INSTALL_HINT) from None
    return distributed


def get_client(client):
    """``client``, or the current dask.distributed client; a clear error without one."""
    module = distributed()
    if client is not None:
        if not isinstance(client, module.Client):
            raise InvalidParameterError(
                f"client must be a dask.distributed.Client or None; got {type(client).__name__}."
            )
        status = str(getattr(client, "status", "running"))
        if status != "running":
            raise InvalidParameterError(
                f"the Dask client is not running (status {status!r}): it was closed or "
                f"never connected. Pass a running Client, e.g. Client() for a LocalCluster."
            )
        return client
    try:
        return module.default_client()
    except ValueError:
        raise InvalidParameterError(
            "backend='dask' found no Dask client. Start one first, e.g. "
            "`from dask.distributed import Client; client = Client()` for a LocalCluster "
            "on this machine or `Client('tcp://scheduler:8786')` for a running cluster, "
            "or pass client=."
        ) from None


def _tile_lock(worker):
    """One tile at a time per worker, with as many pair threads as the worker has Dask
    threads: workers x threads stays what the cluster was sized for. Workers sharing a
    process (``processes=False``) each have their own lock: the pair threads are
    Python threads over serial kernels, safe to run side by side (no Numba parallel
    region, whose workqueue layer would abort on concurrent use)."""
    if worker is None:
        return _PROCESS_LOCK
    with _PROCESS_LOCK:
        if not hasattr(worker, "_fastmi_tile_lock"):
            worker._fastmi_tile_lock = threading.Lock()
        return worker._fastmi_tile_lock


def _run_tile(job, tile: int):
    """A task: one tile on a worker, with the worker's Dask threads as Numba threads."""
    try:
        worker = distributed().get_worker()
        threads = worker.state.nthreads
    except ValueError:  # not on a worker (a synchronous test scheduler)
        worker, threads = None, 1
    threads = max(1, min(threads, nb.config.NUMBA_NUM_THREADS))
    with _tile_lock(worker):
        previous = nb.get_num_threads()  # per thread: restore for the next task
        nb.set_num_threads(threads)
        try:
            return tile, compute_tile(job, tile)
        finally:
            nb.set_num_threads(previous)


def run_dask(job, pending: list[int], output, bar, client, flags: dict, work: dict) -> None:
    """Compute the pending tiles on the cluster; write each as soon as it is done, and
    merge the pairs its estimators flagged into ``flags``."""
    left = list(pending)
    for _ in range(MAX_RESCATTERS + 1):
        if not left:
            return
        left = _submit_and_write(job, left, output, bar, client, flags, work)
    raise RuntimeError(
        f"the prepared data was lost with every worker holding it {MAX_RESCATTERS + 1} "
        f"times; {len(left)} tiles are not computed. Check the workers' logs (memory?); "
        f"with out= and resume=True a new run computes only those tiles."
    )


def _submit_and_write(job, tiles: list[int], output, bar, client, flags, work) -> list[int]:
    """One round: scatter the job, a task per tile, write results as they come (one
    at a time, so this process holds one tile). Returns the tiles whose task was
    cancelled because the scattered job was lost."""
    module = distributed()
    [job_on_workers] = client.scatter([job], broadcast=True, hash=False)
    run = uuid.uuid4().hex[:8]
    futures = {
        tile: client.submit(_run_tile, job_on_workers, tile, key=f"fastmi-tile-{run}-{tile}")
        for tile in tiles
    }
    tile_of = {future.key: tile for tile, future in futures.items()}
    lost = []
    try:
        for future in module.as_completed(list(futures.values()), loop=client.loop):
            tile = tile_of[future.key]
            try:
                _, (block, tile_flags) = future.result()  # raises the task's error
            except CancelledError:  # its input, the scattered job, was lost
                lost.append(tile)
            else:
                output.write(job.tiling, tile, block)
                merge_flags(flags, tile_flags)
                if bar is not None:
                    bar.update(work[tile])
            del futures[tile]  # done with: the workers may drop it
    finally:
        client.cancel([*futures.values(), job_on_workers])
    return sorted(lost)
