"""The metadata row that every estimator module defines, and that the rest reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Estimator:
    """One estimator: what it is, and the functions that compute it.

    ``mi`` is what ``fastmi.mi`` runs; ``part`` prepares the variables of a matrix job
    once and returns the tile part, ``part(a, b, out)``, which runs the same pair
    function over many pairs in parallel and returns a mask of the pairs that deserve
    a warning (``flag_warning`` words it), or None. Both prepare a variable with the same recipe
    and call the same Numba pair function, so a matrix equals the loop of ``mi`` calls
    bit for bit.
    """

    name: str  # "ross": the registry key
    method: str  # "mixed": the method= value that selects it
    table: bool  # a contingency-table estimator: H(X) diagonal, NMI normalisations
    corrections: tuple[str, ...]  # correction= values it accepts, besides None
    cost_per_sample: float  # seconds per pair and sample on one thread (bench/), for ETAs
    mi: Callable  # (x columns, y columns, options) -> MI in nats
    part: Callable  # (variables, columns, kinds, options, partners) -> tile part
    entropy: Callable | None = None  # (columns, options) -> H in nats, if it has one
    cmi: Callable | None = None  # (x, y, z columns, options) -> CMI in nats, if any
    #: (subject, count, n) -> warns about the pairs its tile part flagged, if it flags
    flag_warning: Callable | None = None
    #: table estimators: (columns, options) -> Codes, the labels their table counts
    #: (the analytic null of fastmi.mi_test reads the levels from them)
    codes: Callable | None = None
    #: conditional MI with each variable prepared once (fastmi.pairwise_cmi), where
    #: the estimator splits it: (columns, options) -> a prepared variable, and
    #: (x, y, z prepared, options) -> (CMI in nats, whether it deserves a warning);
    #: ``cmi`` is the two in a row, so a matrix entry equals the single call bitwise
    cmi_prepare: Callable | None = None
    cmi_pair: Callable | None = None


def lookup(rows: dict[int, int], size: int) -> np.ndarray:
    """variable index -> row of a tile part (-1: not in it)."""
    table = np.full(size, -1, dtype=np.int64)
    table[list(rows)] = list(rows.values())
    return table


def stacked(points: list, n: int) -> tuple:
    """The fields of 1-D Points stacked by row (values, sorted, order, rank,
    constant): what the kNN drivers index by row."""
    if not points:
        empty_f, empty_i = np.zeros((0, n)), np.zeros((0, n), dtype=np.int64)
        return empty_f, empty_f, empty_i, empty_i, np.zeros(0, dtype=bool)
    return (
        np.vstack([p.values for p in points]),
        np.vstack([p.sorted for p in points]),
        np.vstack([p.order for p in points]),
        np.vstack([p.rank for p in points]),
        np.array([p.constant for p in points], dtype=bool),
    )
