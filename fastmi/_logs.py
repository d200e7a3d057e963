"""Logarithms of counts, shared by the contingency-table kernels."""

from __future__ import annotations

import functools

import numpy as np


@functools.lru_cache(maxsize=4)
def log_table(n: int) -> np.ndarray:
    """log(c) for c = 0 .. n, read-only (log 0 is stored as 0: empty cells never use
    it). The table kernels read the log of every count from it instead of calling log
    once per cell, which dominated all-pairs runs of few levels; numpy fills it with a
    vectorised log, once per sample size."""
    table = np.log(np.arange(n + 1, dtype=np.float64).clip(min=1))
    table.flags.writeable = False
    return table
