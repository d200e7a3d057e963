"""Per-variable preparation for the kNN estimators: scale, jitter, sort, rank; and
their size strategy.

Done once per variable. Following Kraskov et al. (2004) and scikit-learn, each column
is scaled to unit variance (population std; constant columns are left as they are),
then gets Gaussian noise of standard deviation ``jitter * max(1, mean |x|)`` to break
ties. Entropy estimates keep the data's own scale (a max-norm kNN entropy of several
columns is not invariant to rescaling them one by one): the same noise, in units of
each column's std, is added to the unscaled values.

The noise of a column is drawn from a generator seeded by ``random_state`` and a hash
of the column's own values, so a column gets the same noise in every call and in every
pairing, whatever else is passed with it.
"""

from __future__ import annotations

import math
import zlib

import numpy as np

from . import _config
from ._threads import over_chunks
from ._ties import is_constant, warn_heavy_ties
from ._validation import as_float_column, check_enough_samples
from .kernels._neighbours import Points
from .kernels._sort import _sort_and_rank


def _column_noise(raw: np.ndarray, seed: int) -> np.ndarray:
    # The column's content picks its noise: CRC-32 of its bytes (a collision only
    # means two different columns share noise draws, which is harmless).
    content = zlib.crc32(memoryview(raw).cast("B"))
    return np.random.default_rng([seed, content, raw.shape[0]]).standard_normal(raw.shape[0])


def _std(raw: np.ndarray) -> float:
    """Population std without overflow or underflow: squares of values beyond 1e154
    overflow and below 1e-154 underflow, so scale by the largest |value| first."""
    largest = float(np.max(np.abs(raw)))
    if largest == 0.0:
        return 0.0
    return largest * float(np.std(raw / largest))


#: Rows at least this long are sorted by the Numba radix argsort; below it np.argsort
#: is as fast (measured: 0.36 -> 0.14 ms at n = 1e4, 6.0 -> 2.3 ms at 1e5).
RADIX_SORT_MIN_N = 512


def sort_and_rank(row: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sorted row, order, rank): order sorts the row, rank is its inverse. Estimates
    depend only on the sorted values, not on the order among equal ones."""
    if row.shape[0] >= RADIX_SORT_MIN_N:
        return _sort_and_rank(np.ascontiguousarray(row, dtype=np.float64))
    order = np.argsort(row)
    rank = np.empty_like(order)
    rank[order] = np.arange(order.shape[0])
    return row[order], order, rank


def grid_cells(n_samples: int) -> int:
    """The size strategy of the kNN searches: 0 for brute force (small n), else the side
    of the rank grid of the entropy, CMI and Gao searches, which is also the number of
    strips of the KSG MI search (about KSG_GRID_OCCUPANCY samples per cell)."""
    if n_samples <= _config.KSG_BRUTE_FORCE_MAX_N:
        return 0
    return max(1, math.isqrt(n_samples // _config.KSG_GRID_OCCUPANCY))


def prepare_points(
    columns, method: str, k: int, *, jitter: float, seed: int, scale=True, warn=True,
    tie_fix=None, exact=None,
) -> Points:  # fmt: skip
    """The kNN recipe for one (joint) variable, the same in every path: each column
    converted to finite float64 (or a clear error), checked for heavy ties (a
    TiesWarning unless ``warn=False``: Gao takes ties as information; ``tie_fix``
    words its remedy), scaled to unit variance (unless ``scale=False``), jittered
    (except the samples where the boolean mask ``exact`` is set), then the first row
    sorted and ranked; ``constant`` when every column is constant."""
    raws = _checked_columns(columns, method, k, warn, tie_fix)
    return _points_of(raws, jitter, seed, scale, exact)


#: ``prepare_together`` prepares variables of at least this many samples on threads,
#: one variable per thread. Two 1-D variables on 1 -> 2 threads (2 shared cores):
#: 1.4 -> 1.3 ms at n = 1e4, 6.0 -> 3.6 ms at 3e4, 19.6 -> 10 ms at 1e5.
PARALLEL_PREPARE_MIN_N = 10_000


def prepare_together(
    variables, method: str, k: int, *, jitter: float, seed: int, scale=True
) -> list:
    """``prepare_points`` of each variable (a list of columns), with the same Points:
    the checks (errors and warnings, in the order of the variables) in the calling
    thread, then the numeric work (noise, scaling, sort; it releases the GIL) of the
    variables on threads at once when they have at least PARALLEL_PREPARE_MIN_N
    samples. Each variable's Points depend on that variable alone, so they are the
    same on any number of threads."""
    checked = [_checked_columns(columns, method, k, True, None) for columns in variables]
    points = [None] * len(checked)

    def run(first: int, stop: int) -> None:
        for v in range(first, stop):
            points[v] = _points_of(checked[v], jitter, seed, scale, None)

    large = checked[0][0].shape[0] >= PARALLEL_PREPARE_MIN_N
    over_chunks(len(checked), run, None if large else 1)
    return points


def _checked_columns(columns, method: str, k: int, warn: bool, tie_fix) -> list:
    """The columns of one variable as finite float64 arrays, checked (errors and
    TiesWarnings): the part of ``prepare_points`` that runs in the caller's thread."""
    check_enough_samples(len(columns[0][1]), k)
    raws = []
    for label, column in columns:
        raw = as_float_column(column, label, method)
        if warn:
            warn_heavy_ties(label, raw, k, method, tie_fix)
        raws.append(raw)
    return raws


def _points_of(raws: list, jitter: float, seed: int, scale, exact) -> Points:
    """The Points of checked columns (``_checked_columns``): scaled, jittered, the first
    row sorted and ranked. Numeric work only, safe on any thread."""
    rows, constant = [], True
    for raw in raws:
        column_constant = is_constant(raw)
        constant &= column_constant
        if column_constant:  # carries nothing: 0, so that its jitter stays 1e-10, not
            raw = np.zeros_like(raw)  # jitter * |value| swamping the other columns
        unit = _std(raw) or 1.0
        values = raw / unit
        if jitter > 0:
            amplitude = jitter * max(1.0, float(np.mean(np.abs(values))))
            noise = _column_noise(raw, seed)
            if exact is not None:
                noise[exact] = 0.0
            values += amplitude * noise
        rows.append(values if scale else values * unit)
    values = rows[0].reshape(1, -1) if len(rows) == 1 else np.vstack(rows)
    sorted0, order0, rank0 = sort_and_rank(values[0])
    return Points(values, sorted0, order0, rank0, bool(constant))


def rest_points(x: Points) -> Points:
    """Rows 1 .. d - 1 of a multivariate variable, sorted by row 1: the second axis of
    the rank grid of the Kozachenko-Leonenko entropy (x itself when d == 1)."""
    if x.values.shape[0] == 1:
        return x
    rest = np.ascontiguousarray(x.values[1:])
    return Points(rest, *sort_and_rank(rest[0]), x.constant)
