"""Multiple-comparison adjustments of the p-values of a matrix of tests."""

from __future__ import annotations

import numpy as np

#: correction= values of fastmi.pairwise_test.
ADJUSTMENTS = ("fdr_bh", "bonferroni", "maxstat", None)


def fdr_bh(pvalues: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg (1995) adjusted p-values: rejecting those <= alpha keeps
    the expected false discovery rate at or below alpha for independent or positively
    dependent tests. The i-th smallest of m p-values becomes
    min over j >= i of p_(j) m / j, capped at 1."""
    p = np.asarray(pvalues, dtype=np.float64)
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    out = np.empty(m)
    out[order] = adjusted
    return out


def bonferroni(pvalues: np.ndarray) -> np.ndarray:
    """p m, capped at 1: controls the family-wise error rate for any dependence."""
    p = np.asarray(pvalues, dtype=np.float64)
    return np.minimum(1.0, p * p.size)


def maxstat(statistics: np.ndarray, null_maxima: np.ndarray) -> np.ndarray:
    """Single-step max-statistic adjusted p-values (Westfall and Young 1993):
    (1 + #{b : max over pairs of permutation b >= statistic}) / (1 + B). Controls the
    family-wise error rate under the dependence the permutations keep."""
    maxima = np.sort(np.asarray(null_maxima, dtype=np.float64))
    at_least = maxima.size - np.searchsorted(maxima, statistics, side="left")
    return (1.0 + at_least) / (1.0 + maxima.size)
