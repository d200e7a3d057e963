"""Bias-corrected entropy and MI of contingency tables, from the counts of the non-empty
cells: Miller-Madow, Grassberger (2003), Chao-Shen (2003) and James-Stein shrinkage
(Hausser and Strimmer 2009). MI and CMI are sums of corrected entropies, so that
I(X;X) = H(X) and a constant variable has entropy 0 under every correction. Results in
nats. ``correction`` is an int code (``CORRECTION_CODES``); 0 is the plug-in estimate.
"""

import numba as nb
import numpy as np

from .._config import NUMBA_CACHE
from ._digamma import _digamma
from ._sort import _count_nonzero, _counting_sort, _level_counts

#: correction= name -> the code the kernels take.
CORRECTION_CODES = {
    None: 0,
    "miller-madow": 1,
    "grassberger": 2,
    "chao-shen": 3,
    "shrinkage": 4,
}


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _nonzero(counts):
    """The non-zero counts, in order."""
    out = np.empty(_count_nonzero(counts), dtype=np.int64)
    m = 0
    for c in counts:
        if c > 0:
            out[m] = c
            m += 1
    return out


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _grassberger_g(c):
    """G(c) = psi(c) + (-1)^c / 2 (psi((c + 1) / 2) - psi(c / 2)), Grassberger (2003)
    eq. (35)."""
    sign = 1.0 if c % 2 == 0 else -1.0
    return _digamma(float(c)) + 0.5 * sign * (_digamma((c + 1) / 2.0) - _digamma(c / 2.0))


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _shrinkage_weight(counts, n, cells):
    """lambda of Hausser and Strimmer (2009) toward the uniform target 1 / cells, for
    the non-empty counts among ``cells`` cells (the rest empty), clipped to [0, 1]."""
    target = 1.0 / cells
    squares = 0.0
    spread = 0.0
    for c in counts:
        u = c / n
        squares += u * u
        spread += (target - u) ** 2
    spread += (cells - counts.shape[0]) * target * target
    if n <= 1 or spread == 0.0:
        return 0.0
    weight = (1.0 - squares) / ((n - 1) * spread)
    return min(1.0, max(0.0, weight))


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _entropy_of_counts(counts, correction):
    """Entropy in nats from the counts of the non-empty cells (all > 0), with the
    correction of code ``correction``; shrinkage targets the uniform distribution over
    these cells."""
    m = counts.shape[0]
    n = 0
    for c in counts:
        n += c
    h = 0.0
    if m <= 1:  # one level: no uncertainty, whatever the correction
        return 0.0
    if correction == 2:  # Grassberger: log n - (1/n) sum c G(c)
        for c in counts:
            h += c * _grassberger_g(c)
        return np.log(n) - h / n
    if correction == 3:  # Chao-Shen: coverage-adjusted Horvitz-Thompson
        singletons = 0
        for c in counts:
            if c == 1:
                singletons += 1
        if singletons == n:
            singletons = n - 1
        coverage = 1.0 - singletons / n
        for c in counts:
            p = coverage * c / n
            h -= p * np.log(p) / -np.expm1(n * np.log1p(-p))  # 1 - (1 - p)^n, accurately
        return h
    if correction == 4:  # James-Stein shrinkage toward uniform
        weight = _shrinkage_weight(counts, n, m)
        for c in counts:
            p = weight / m + (1.0 - weight) * c / n
            h -= p * np.log(p)
        return h
    for c in counts:  # plug-in, and Miller-Madow's first-order term
        h += c * np.log(n / c)
    h /= n
    if correction == 1:
        h += (m - 1) / (2.0 * n)
    return h


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _entropy_of_codes(codes, n_levels, correction):
    return _entropy_of_counts(_nonzero(_level_counts(codes, n_levels)), correction)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _joint_counts(x, n_x, y, n_y):
    """The counts of the non-empty cells of the joint table of codes x and y, grouped
    by x (a counting sort), in order of first appearance within a group."""
    n = x.shape[0]
    start, members = _counting_sort(x, n_x)
    scratch = np.zeros(n_y, dtype=np.int64)
    counts = np.empty(n, dtype=np.int64)
    m = 0
    for a in range(n_x):
        for t in range(start[a], start[a + 1]):
            scratch[y[members[t]]] += 1
        for t in range(start[a], start[a + 1]):
            b = y[members[t]]
            if scratch[b] > 0:
                counts[m] = scratch[b]
                m += 1
                scratch[b] = 0
    return counts[:m]


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _corrected_mi(x, n_x, y, n_y, correction):
    """(MI in nats, saturated) with a correction beyond Miller-Madow: H(X) + H(Y) -
    H(X, Y), each corrected (shrinkage: each table toward uniform over its own
    observed cells, so that MI, entropy and CMI agree: I(X;X) = H(X))."""
    n = x.shape[0]
    counts = _joint_counts(x, n_x, y, n_y)
    count_x = _level_counts(x, n_x)
    count_y = _level_counts(y, n_y)
    nonzero_x = _nonzero(count_x)
    nonzero_y = _nonzero(count_y)
    saturated = counts.shape[0] == n and nonzero_x.shape[0] > 1 and nonzero_y.shape[0] > 1
    h_x = _entropy_of_counts(nonzero_x, correction)
    h_y = _entropy_of_counts(nonzero_y, correction)
    return h_x + h_y - _entropy_of_counts(counts, correction), saturated
