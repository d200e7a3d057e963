"""The chi-square survival function, and the per-pair quantities of the G-test
(Wilks 1938) over a matrix of table pairs."""

import math

import numba as nb
import numpy as np

from .._config import NUMBA_CACHE

_TINY = 1e-300


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _chi2_sf(statistic, df):
    """P(chi2(df) >= statistic): the regularised upper incomplete gamma function
    Q(df / 2, statistic / 2), by its series below a + 1 and its continued fraction
    (modified Lentz) above (Press et al., Numerical Recipes, sec. 6.2). 1 for df <= 0
    (the statistic is then 0) or a statistic <= 0, 0 for an infinite one; NaN stays
    NaN."""
    if math.isnan(statistic):
        return np.nan
    if df <= 0 or statistic <= 0.0:
        return 1.0
    if math.isinf(statistic):  # perfect dependence (gcmi's inf): nothing is as large
        return 0.0
    x = statistic / 2.0
    a = df / 2.0
    if df == 1:
        return math.erfc(math.sqrt(x))
    log_prefix = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1.0:
        term = 1.0 / a
        total = term
        ap = a
        for _ in range(100_000):
            ap += 1.0
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-16:
                break
        return max(0.0, 1.0 - total * math.exp(log_prefix))
    b = x + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b
    h = d
    for i in range(1, 100_000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        if abs(d) < _TINY:
            d = _TINY
        c = b + an / c
        if abs(c) < _TINY:
            c = _TINY
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            break
    return min(1.0, math.exp(log_prefix) * h)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _chi2_sf_array(statistics, df, out):
    """out[t] = ``_chi2_sf`` of statistics[t] with df[t] degrees of freedom."""
    for t in range(statistics.shape[0]):
        out[t] = _chi2_sf(statistics[t], df[t])


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _small_expected_cells(counts, n_levels, pairs, n, min_expected, out):
    """out[t]: how many cells of the table of pairs[t] expect fewer than min_expected
    counts under independence (n_a n_b / n < min_expected). counts: (variables,
    width) level counts of each variable, the first n_levels[v] used."""
    for t in range(pairs.shape[0]):
        a, b = pairs[t, 0], pairs[t, 1]
        small = 0
        for i in range(n_levels[a]):
            for j in range(n_levels[b]):
                if counts[a, i] * counts[b, j] < min_expected * n:
                    small += 1
        out[t] = small
