"""Pairs in parallel on Python threads.

The kernels that evaluate a list of pairs are serial and release the GIL
(``nogil=True``); this module splits the list into contiguous chunks and runs them on
a thread pool. Each pair's value depends on that pair alone, so the result is the same
on any number of threads. Python threads rather than Numba's ``prange`` because a
parallel kernel costs seconds more to compile, and Numba's fallback threading layer
(workqueue) aborts the interpreter when two parallel regions run at once, which user
code calling fastmi from several threads would do.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numba

#: Chunks per thread: enough for load balance when pairs differ in cost (a constant
#: column is free, a tied one is not), few enough that dispatch stays negligible.
CHUNKS_PER_THREAD = 8

_POOL_PREFIX = "fastmi-pairs"
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _shared_pool() -> ThreadPoolExecutor:
    """One pool per process, as many workers as cores, started on first use: a tile
    is too short to pay for starting threads each time."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=numba.config.NUMBA_NUM_THREADS, thread_name_prefix=_POOL_PREFIX
            )
        return _pool


def _forget_pool() -> None:
    """In a forked child the pool's threads do not exist: start a new pool there."""
    global _pool, _pool_lock
    _pool, _pool_lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_pool)


def threads() -> int:
    """Threads a call may use: Numba's thread count, which ``n_jobs`` sets per call
    (``fastmi.pairwise._engine.numba_threads``)."""
    return numba.get_num_threads()


def over_chunks(n_items: int, run, n_threads: int | None = None) -> None:
    """``run(start, stop)`` over contiguous chunks covering ``range(n_items)``, on
    ``n_threads`` threads (default :func:`threads`); the first error is raised."""
    n_threads = threads() if n_threads is None else n_threads
    if n_items <= 0:
        return
    # Inline on one thread, or from a pool worker itself (a call nested in a chunk:
    # waiting on the pool from inside it could deadlock).
    nested = threading.current_thread().name.startswith(_POOL_PREFIX)
    if n_threads <= 1 or n_items == 1 or nested:
        run(0, n_items)
        return
    n_chunks = min(n_items, CHUNKS_PER_THREAD * n_threads)
    bounds = [n_items * c // n_chunks for c in range(n_chunks + 1)]
    chunks = iter(range(n_chunks))
    take = threading.Lock()
    stop = threading.Event()  # an error or Ctrl-C: the workers take no more chunks

    def worker() -> None:  # n_threads workers pull chunks until none are left
        while not stop.is_set():
            with take:
                c = next(chunks, None)
            if c is None:
                return
            try:
                run(bounds[c], bounds[c + 1])
            except BaseException:
                stop.set()
                raise

    pool = _shared_pool()
    futures = [pool.submit(worker) for _ in range(min(n_threads, n_chunks))]
    try:
        for future in futures:
            future.result()
    except BaseException:  # KeyboardInterrupt lands here, in the waiting thread
        stop.set()
        raise


def pairs_on_threads(kernel, head: tuple, pairs, tail: tuple, outs: tuple) -> None:
    """``kernel(*head, pairs, *tail, *outs)`` run chunk by chunk on threads: the
    pair kernels' common signature, with rows of ``pairs`` and of each output array
    sliced alike (a row slice of a C-contiguous array is one, so the compiled
    signature is the same whatever the chunk)."""

    def run(start: int, stop: int) -> None:
        kernel(*head, pairs[start:stop], *tail, *(out[start:stop] for out in outs))

    over_chunks(pairs.shape[0], run)
