"""Gaussian-copula estimator kernels: normal scores, and the fixed-order dot products
that give the correlations of normal scores."""

import math

import numba as nb
import numpy as np

from .._config import NUMBA_CACHE


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _normal_quantile(q):
    """Phi^{-1}(q) for 0 < q <= 0.5: Newton steps on 0.5 erfc(-x / sqrt 2) = q from a
    logistic-style start. Converges to full double precision in a few steps, also in
    the tail, since erfc keeps its relative accuracy there
    (test_normal_quantiles_match_scipy)."""
    if q == 0.5:
        return 0.0
    x = 4.91 * (q**0.14 - (1.0 - q) ** 0.14)  # within ~1e-2 of the answer
    for _ in range(50):
        cdf = 0.5 * math.erfc(-x / math.sqrt(2.0))
        density = math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
        step = (cdf - q) / density
        x -= step
        if abs(step) <= 1e-15 * max(1.0, abs(x)):
            break
    return x


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _normal_scores_table(n):
    """table[h] = Phi^{-1}(h / (2 (n + 1))) for h = 1 .. 2n + 1: the normal score of
    every rank and half rank r = h / 2 in 1 .. n (ties get average ranks). Exactly
    antisymmetric: table[2 (n + 1) - h] = -table[h]."""
    size = 2 * (n + 1)
    table = np.zeros(size, dtype=np.float64)
    for h in range(1, n + 2):
        x = _normal_quantile(h / size)
        table[h] = x
        table[size - h] = -x
    return table


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _dot(x, y):
    """Dot product of two float64 rows summed in a fixed order (eight interleaved
    partial sums, then those in order), so that a value never depends on the thread
    count or the tile, as a BLAS product's can. The gcmi pair function: on unit rows
    it is their correlation."""
    n = x.shape[0]
    partial = np.zeros(8)
    stop = n - n % 8
    for i in range(0, stop, 8):
        for lane in range(8):
            partial[lane] += x[i + lane] * y[i + lane]
    total = 0.0
    for lane in range(8):
        total += partial[lane]
    for i in range(stop, n):
        total += x[i] * y[i]
    return total


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _correlation(x, y):
    """Correlation of two unit rows (centred, unit norm): their ``_dot``, and exactly
    +1 or -1 when one row equals the other or its negation (identical or reversed
    ranks: a perfect monotone relation), which rounding would otherwise leave a few
    ulps short of 1, giving a large finite MI instead of an infinite one. Normal scores
    are exactly antisymmetric, so reversed ranks give exactly negated rows."""
    r = _dot(x, y)
    if abs(r) < 1.0 - 1e-6:
        return r
    same = True
    negated = True
    for i in range(x.shape[0]):
        same = same and x[i] == y[i]
        negated = negated and x[i] == -y[i]
        if not (same or negated):
            return r
    return 1.0 if same else -1.0


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _correlation_pairs(units, pairs, out):
    """out[t] = ``_correlation`` of rows pairs[t, 0] and pairs[t, 1] of units."""
    for t in range(pairs.shape[0]):
        out[t] = _correlation(units[pairs[t, 0]], units[pairs[t, 1]])
