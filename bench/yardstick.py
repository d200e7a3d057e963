"""The bare counting loop: one increment per sample per pair, the yardstick for
discrete all-pairs MI (it computes only the joint tables, not the MI)."""

import numba as nb
import numpy as np


@nb.njit(parallel=True, cache=True)
def bare_counting_loop(codes, n_levels, pairs, out):
    """out[t] = joint[0, 0] of pair t, after counting its n_levels^2 table."""
    for t in nb.prange(pairs.shape[0]):
        x, y = codes[pairs[t, 0]], codes[pairs[t, 1]]
        joint = np.zeros(n_levels * n_levels, dtype=np.int64)
        for s in range(x.shape[0]):
            joint[x[s] * n_levels + y[s]] += 1
        out[t] = joint[0]


def all_pairs(p):
    return np.column_stack(np.triu_indices(p, 1)).astype(np.int64)
