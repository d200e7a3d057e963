"""The timing helpers of bench/compare.py's workloads: the best of repeated calls, a
thread count for a block, optional peers, and notes on values that disagree."""

from __future__ import annotations

import importlib
import time
from contextlib import contextmanager

import numba
import numpy as np


def best_time(function, *args, repeat: int, warmup: bool = True, budget: float = np.inf):
    """Best wall time of up to `repeat` calls, and the last call's result.

    With warmup, one untimed call first (compiles Numba code). The loop stops early once
    the timed calls add up to more than `budget` seconds (always at least one call).
    """
    if warmup:
        function(*args)
    best, spent = np.inf, 0.0
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        result = function(*args)
        elapsed = time.perf_counter() - start
        best, spent = min(best, elapsed), spent + elapsed
        if spent > budget:
            break
    return best, result


@contextmanager
def numba_threads(n: int):
    previous = numba.get_num_threads()
    numba.set_num_threads(min(n, numba.config.NUMBA_NUM_THREADS))
    try:
        yield
    finally:
        numba.set_num_threads(previous)


def optional(module: str):
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def disagreement(ours, theirs, tol: float) -> str:
    """A note when fastmi and a peer do not compute the same numbers (empty if they do)."""
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    mask = np.isfinite(ours) & np.isfinite(theirs)
    diff = float(np.max(np.abs(ours[mask] - theirs[mask]), initial=0.0))
    return "" if diff <= tol else f"values differ by up to {diff:.1e}!"


def join(*notes: str) -> str:
    return "; ".join(note for note in notes if note)
