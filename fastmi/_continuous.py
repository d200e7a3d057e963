"""Per-variable preparation for the kNN estimators: scale, jitter, sort, rank.

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
import numbers
import zlib
from dataclasses import dataclass

import numpy as np

from ._validation import InvalidParameterError, as_float_column
from .kernels._sort import _sort_and_rank


@dataclass(frozen=True)
class Continuous:
    """A prepared continuous variable.

    values: float64 (d, n), C-contiguous, scaled (unless prepared with scale=False)
    and jittered. sorted0, order0, rank0: its first row sorted, the sorting
    permutation, and each sample's sorted position.
    """

    values: np.ndarray
    sorted0: np.ndarray
    order0: np.ndarray
    rank0: np.ndarray

    @property
    def n_dims(self) -> int:
        return self.values.shape[0]


def check_jitter(jitter) -> float:
    if (
        isinstance(jitter, bool)
        or not isinstance(jitter, numbers.Real)
        or not (math.isfinite(jitter) and jitter >= 0)
    ):
        raise InvalidParameterError(
            f"jitter must be a finite real >= 0 (0 turns it off); got {jitter!r}."
        )
    return float(jitter)


def check_random_state(random_state) -> int:
    """An int seed >= 0; None draws a fresh one (results then vary between calls)."""
    if random_state is None:
        return int(np.random.SeedSequence().entropy % 2**63)
    if (
        isinstance(random_state, bool)
        or not isinstance(random_state, numbers.Integral)
        or (random_state < 0)
    ):
        raise InvalidParameterError(
            f"random_state must be an int >= 0 or None; got {random_state!r}."
        )
    return int(random_state)


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


def prepare_continuous(
    columns, method: str, *, jitter: float, seed: int, scale: bool = True
) -> Continuous:
    """Scale (unless ``scale=False``), jitter, sort and rank the columns of one (joint)
    variable."""
    rows = []
    for label, column in columns:
        raw = as_float_column(column, label, method)
        unit = _std(raw) or 1.0  # constant columns are left as they are
        values = raw / unit
        if jitter > 0:
            amplitude = jitter * max(1.0, float(np.mean(np.abs(values))))
            values += amplitude * _column_noise(raw, seed)
        rows.append(values if scale else values * unit)
    values = rows[0].reshape(1, -1) if len(rows) == 1 else np.vstack(rows)
    sorted0, order0, rank0 = sort_and_rank(values[0])
    return Continuous(values, sorted0, order0, rank0)
