"""Checks of continuous data that the kNN estimators rely on: ties and constants."""

from __future__ import annotations

import warnings

import numpy as np

from ._encode import hashed_codes
from ._warnings import TiesWarning, user_stacklevel

#: Warn when at least this share of a column's samples sit in groups of more than k
#: equal values (test_heavy_tie_share_threshold).
HEAVY_TIE_SHARE = 0.05
_SCREEN_SIZE = 1024


def tied_share(values: np.ndarray, k: int) -> float:
    """Share of samples whose value occurs more than k times.

    A strided subsample screens first: with no repeated value among ~1000 samples
    there are no heavy ties, and the exact O(n) count (hashing) is skipped.
    """
    n = values.shape[0]
    screen = values[:: max(1, n // _SCREEN_SIZE)]
    if np.unique(screen).shape[0] == screen.shape[0]:
        return 0.0
    codes, n_levels = hashed_codes(values)
    counts = np.bincount(codes, minlength=n_levels)
    return float(counts[counts > k].sum()) / n


def heavy_tie_share(values: np.ndarray, k: int) -> float | None:
    """The share of samples tied with more than k others when it makes a variable
    heavily tied (at least HEAVY_TIE_SHARE), else None; None for a constant variable,
    which is handled exactly (it carries no information)."""
    if is_constant(values):
        return None
    share = tied_share(values, k)
    return share if share >= HEAVY_TIE_SHARE else None


#: The remedy a TiesWarning names under a KSG estimator of MI.
MI_TIE_FIX = (
    "use method='mixed' (Gao et al. 2017), which counts atoms exactly, or treat it as "
    "discrete (integer labels and method='discrete')"
)


def warn_heavy_ties(label: str, values: np.ndarray, k: int, method: str, fix=None) -> None:
    """Warn, naming the column, the estimator and a fix that applies (``fix``; MI's by
    default), when a column is heavily tied under a KSG estimator."""
    share = heavy_tie_share(values, k)
    if share is not None:
        warnings.warn(
            f"{label} has heavy ties: {share:.0%} of its samples share their value with "
            f"more than k={k} others. method={method!r} (KSG) assumes continuous data and "
            f"can be badly biased by ties; for a variable with atoms or few distinct "
            f"values, {fix or MI_TIE_FIX}.",
            TiesWarning,
            stacklevel=user_stacklevel(),
        )


def is_constant(values: np.ndarray) -> bool:
    return bool(values.min() == values.max())
