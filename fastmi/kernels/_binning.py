"""Equal-width binning of one continuous variable."""

import numba as nb
import numpy as np

from .._config import NUMBA_CACHE


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _uniform_edge(k, low, high, step, n_bins):
    # Edge k exactly as np.linspace(low, high, n_bins + 1) computes it, so that codes
    # match np.histogram's bins value for value (test_uniform_codes_match_np_histogram).
    if k == n_bins:
        return high
    if step == 0.0:  # denormal range: numpy's special case
        return (k / n_bins) * (high - low) + low
    return k * step + low


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _uniform_bin_codes(x, low, high, n_bins):
    """Bin index of each value for n_bins equal-width bins on [low, high].

    x: float64[n] within [low, high]; high > low, high - low finite; n_bins >= 1.
    Bins are half-open [e_k, e_k+1) except the last, which is closed, as in
    np.histogram. Returns int64[n] codes in [0, n_bins); O(n) time, no O(n_bins) memory.
    """
    step = (high - low) / n_bins
    scale = n_bins / (high - low)
    codes = np.empty(x.shape[0], dtype=np.int64)
    for i in range(x.shape[0]):
        v = x[i]
        k = int((v - low) * scale)
        k = min(max(k, 0), n_bins - 1)
        # The product above can be one bin off; settle against the exact edges.
        while k > 0 and v < _uniform_edge(k, low, high, step, n_bins):
            k -= 1
        while k < n_bins - 1 and v >= _uniform_edge(k + 1, low, high, step, n_bins):
            k += 1
        codes[i] = k
    return codes
