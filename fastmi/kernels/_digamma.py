"""Digamma, to full double precision: of positive integers inside kernels (the kNN
estimators), and of positive reals (the Gaussian bias correction of gcmi)."""

from fractions import Fraction

import numba as nb
import numpy as np

from .._config import NUMBA_CACHE

_EULER_GAMMA = 0.57721566490153286060651209
_SMALL = 32


def _digamma_small_table() -> tuple:
    # psi(m) = -gamma + H(m - 1), the harmonic number summed exactly in fractions, so
    # each entry is the correctly rounded value (test_digamma_int_matches_scipy). A
    # tuple, not an array: Numba cannot cache parallel functions that use global arrays.
    table = [float("nan")]  # psi(0) is a pole; kernels never ask for it
    harmonic = Fraction(0)
    for m in range(1, _SMALL):
        table.append(float(harmonic - Fraction(_EULER_GAMMA)))
        harmonic += Fraction(1, m)
    return tuple(table)


_PSI_SMALL = _digamma_small_table()


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _digamma_series(x):
    """psi(x) for real x >= 16 by the asymptotic series
    ln x - 1/(2x) - sum B_2j / (2j x^2j) up to the x^-10 term; its truncation error is
    below 1e-17 there (test_digamma_int_matches_scipy, test_digamma_matches_scipy)."""
    inv = 1.0 / x
    inv2 = inv * inv
    series = inv2 * (
        1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 / 132)))
    )
    return np.log(x) - 0.5 * inv - series


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _digamma_int(m):
    """psi(m) for an integer m >= 1: below 32 a table of exact values, from 32 on the
    asymptotic series."""
    if m < _SMALL:
        return _PSI_SMALL[m]
    return _digamma_series(float(m))


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _digamma_int_table(n):
    """psi(0), ..., psi(n) by ``_digamma_int`` (psi(0), a pole, is NaN): the values the
    kNN kernels use, as one array (the GPU backend copies it to the device)."""
    table = np.empty(n + 1)
    table[0] = np.nan
    for m in range(1, n + 1):
        table[m] = _digamma_int(m)
    return table


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _digamma(x):
    """psi(x) for real x > 0: the recurrence psi(x) = psi(x + 1) - 1/x up to x >= 16,
    then the asymptotic series."""
    result = 0.0
    while x < 16.0:
        result -= 1.0 / x
        x += 1.0
    return result + _digamma_series(x)
