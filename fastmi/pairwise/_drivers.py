"""Parallel drivers: one prange over the pairs of a tile, serial kernels inside.

Each pair owns one output cell, so there is no reduction, and a pair's value never
depends on the thread that computed it or on the other pairs in its tile.
"""

import numba as nb
import numpy as np

from .._config import NUMBA_CACHE
from ..kernels._discrete import _discrete_mi_bitsets, _discrete_mi_dense, _discrete_mi_sparse
from ..kernels._knn import _ksg_mi_brute, _ksg_mi_grid
from ..kernels._mixed import _gao_mi, _ross_mi_sorted


@nb.njit(cache=NUMBA_CACHE, parallel=True)
def _discrete_mi_pairs(
    codes, n_levels, bits, bit_row, logs, pairs, dense_limit, bitset_cells, miller_madow, out
):
    """out[t] = plug-in MI (nats) of variables pairs[t, 0] and pairs[t, 1].

    codes: int64 (n_vars, n); n_levels: int64 (n_vars,); bits: uint64 level bitsets
    (rows, max_levels, words) of the variables with bit_row >= 0; logs: log_table(n).
    A pair is counted
    with bitsets when both have them and n_x n_y <= bitset_cells, densely when
    n_x n_y <= dense_limit (as fastmi._dispatch.discrete_mi_kernel decides), sparsely
    otherwise; every strategy gives the same value.
    """
    n = codes.shape[1]
    for t in nb.prange(pairs.shape[0]):
        a, b = pairs[t, 0], pairs[t, 1]
        n_x, n_y = n_levels[a], n_levels[b]
        if bit_row[a] >= 0 and bit_row[b] >= 0 and n_x * n_y <= bitset_cells:
            mi, m_x, m_y, m_xy = _discrete_mi_bitsets(
                bits[bit_row[a], :n_x], bits[bit_row[b], :n_y], n, logs
            )
        elif n_x * n_y <= dense_limit:
            mi, m_x, m_y, m_xy = _discrete_mi_dense(codes[a], codes[b], n_x, n_y, logs)
        else:
            mi, m_x, m_y, m_xy = _discrete_mi_sparse(codes[a], codes[b], n_x, n_y, logs)
        if miller_madow:
            mi += (m_x + m_y - m_xy - 1) / (2.0 * n)
        out[t] = mi


@nb.njit(cache=NUMBA_CACHE, parallel=True)
def _ksg_mi_pairs(values, sorted_, order, rank, pairs, k, algorithm, n_cells, out):
    """out[t] = KSG MI (nats) of prepared 1-D variables pairs[t, 0] and pairs[t, 1];
    values, sorted_, order, rank: (n_vars, n) as fastmi._continuous prepares them."""
    for t in nb.prange(pairs.shape[0]):
        a, b = pairs[t, 0], pairs[t, 1]
        x = values[a : a + 1]
        y = values[b : b + 1]
        if n_cells == 0:
            out[t] = _ksg_mi_brute(x, y, k, algorithm)
        else:
            out[t] = _ksg_mi_grid(
                x,
                sorted_[a],
                order[a],
                rank[a],
                y,
                sorted_[b],
                order[b],
                rank[b],
                k,
                algorithm,
                n_cells,
            )


@nb.njit(cache=NUMBA_CACHE, parallel=True)
def _ross_mi_pairs(labels, n_levels, sorted_, order, pairs, k, out):
    """out[t] = Ross MI (nats) of discrete variable pairs[t, 0] (a row of labels) and
    continuous variable pairs[t, 1] (a row of sorted_, order)."""
    for t in nb.prange(pairs.shape[0]):
        a, c = pairs[t, 0], pairs[t, 1]
        out[t] = _ross_mi_sorted(sorted_[c], order[c], labels[a], n_levels[a], k)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _multiplicity(cx, cy, n_x, n_y):
    """How many samples share each sample's (x, y) codes, itself included: a counting
    sort by x, then one scratch array of y counts per x group. O(n + n_x + n_y)."""
    n = cx.shape[0]
    start = np.zeros(n_x + 1, dtype=np.int64)
    for i in range(n):
        start[cx[i] + 1] += 1
    for a in range(n_x):
        start[a + 1] += start[a]
    fill = start[:-1].copy()
    members = np.empty(n, dtype=np.int64)
    for i in range(n):
        members[fill[cx[i]]] = i
        fill[cx[i]] += 1
    scratch = np.zeros(n_y, dtype=np.int64)
    out = np.empty(n, dtype=np.int64)
    for a in range(n_x):
        for t in range(start[a], start[a + 1]):
            scratch[cy[members[t]]] += 1
        for t in range(start[a], start[a + 1]):
            out[members[t]] = scratch[cy[members[t]]]
        for t in range(start[a], start[a + 1]):
            scratch[cy[members[t]]] = 0
    return out


@nb.njit(cache=NUMBA_CACHE, parallel=True)
def _gao_mi_pairs(values, sorted_, order, rank, codes, n_levels, pairs, k, n_cells, out):
    """out[t] = Gao et al. MI (nats) of 1-D variables pairs[t, 0] and pairs[t, 1],
    prepared without jitter; codes: their exact-value codes, for the multiplicities."""
    for t in nb.prange(pairs.shape[0]):
        a, b = pairs[t, 0], pairs[t, 1]
        dup = _multiplicity(codes[a], codes[b], n_levels[a], n_levels[b])
        out[t] = _gao_mi(
            values[a : a + 1],
            sorted_[a],
            order[a],
            rank[a],
            values[b : b + 1],
            sorted_[b],
            order[b],
            rank[b],
            dup,
            k,
            n_cells,
        )


@nb.njit(cache=NUMBA_CACHE, parallel=True)
def _dot_pairs(units, pairs, out):
    """out[t] = dot product of rows pairs[t, 0] and pairs[t, 1] of units, summed in a
    fixed order (eight interleaved partial sums, then those in order), so a pair's
    value does not depend on the thread count or its tile, as a BLAS product's can."""
    n = units.shape[1]
    for t in nb.prange(pairs.shape[0]):
        x, y = units[pairs[t, 0]], units[pairs[t, 1]]
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
        out[t] = total
