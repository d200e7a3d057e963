"""The Dask backend: the tiles of a job as tasks on a dask.distributed cluster.

The prepared job is scattered to every worker once; each task computes one tile with
the same function the thread backend calls (fastmi.pairwise._job.compute_tile) and
returns its block, which this process writes to the output as soon as it arrives.
Dask reruns the tasks of a worker that dies, and a finished tile is never computed
twice once written. Dask is imported only here, only when the backend is asked for.
"""

from __future__ import annotations

import threading
import uuid

import numba as nb

from .._validation import InvalidParameterError
from ._job import compute_tile

INSTALL_HINT = "backend='dask' needs Dask's distributed scheduler: pip install 'fastmi[dask]'."

# One tile at a time per worker process, with as many Numba threads as the worker has
# Dask threads: workers x threads stays what the cluster was sized for.
_TILE_LOCK = threading.Lock()


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


def _run_tile(job, tile: int):
    """A task: one tile on a worker, with the worker's Dask threads as Numba threads."""
    try:
        threads = distributed().get_worker().state.nthreads
    except ValueError:  # not on a worker (a synchronous test scheduler)
        threads = 1
    threads = max(1, min(threads, nb.config.NUMBA_NUM_THREADS))
    with _TILE_LOCK:
        previous = nb.get_num_threads()  # per thread: restore for the next task
        nb.set_num_threads(threads)
        try:
            return tile, compute_tile(job, tile)
        finally:
            nb.set_num_threads(previous)


def run_dask(job, pending: list[int], output, bar, client) -> None:
    """Compute the pending tiles on the cluster; write each as it arrives."""
    if not pending:
        return
    client = get_client(client)
    module = distributed()
    [job_on_workers] = client.scatter([job], broadcast=True, hash=False)
    run = uuid.uuid4().hex[:8]
    futures = {
        tile: client.submit(_run_tile, job_on_workers, tile, key=f"fastmi-tile-{run}-{tile}")
        for tile in pending
    }
    finished = module.as_completed(list(futures.values()), with_results=True, loop=client.loop)
    try:
        for _, (tile, block) in finished:
            del futures[tile]  # written: the workers may drop it
            output.write(job.tiling, tile, block)
            if bar is not None:
                bar.update(job.tiling.n_pairs(tile))
    finally:
        client.cancel([*futures.values(), job_on_workers])
