"""KSG with the local non-uniformity correction (LNC) of Gao, Ver Steeg and Galstyan
(2015), on the neighbour search of ``_neighbours``. Variables come as ``Points``
records; results in nats.

For each sample, its k nearest neighbours in the joint space (max-norm) and itself
span a box along the axes, the one KSG assumes the density is uniform in. When the
neighbours lie along a thin, tilted set (strong dependence), the box along their
principal axes (PCA) is much smaller: if log(V_pca / V_box) < log(alpha), the sample
adds log(V_box / V_pca) to the estimate. Eigenvectors come from a cyclic Jacobi
rotation, so nothing needs LAPACK inside a kernel.
"""

import numba as nb
import numpy as np

from .._config import NUMBA_CACHE
from ._digamma import _digamma_int
from ._neighbours import _count_brute, _count_near, _k_nearest, _marginal_tree, _row_points


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _jacobi_eigenvectors(a, v):
    """Eigenvectors (the columns of v) of the symmetric matrix a (d, d), which is
    overwritten: cyclic Jacobi rotations until the off-diagonal part is below 1e-15 of
    the diagonal (test_jacobi_eigenvectors_match_numpy)."""
    d = a.shape[0]
    for r in range(d):
        for c in range(d):
            v[r, c] = 1.0 if r == c else 0.0
    for _ in range(64):
        off = 0.0
        diagonal = 0.0
        for p in range(d):
            diagonal += a[p, p] * a[p, p]
            for q in range(p + 1, d):
                off += a[p, q] * a[p, q]
        if off <= 1e-30 * diagonal or off == 0.0:
            return
        for p in range(d - 1):
            for q in range(p + 1, d):
                if a[p, q] == 0.0:
                    continue
                theta = (a[q, q] - a[p, p]) / (2.0 * a[p, q])
                t = 1.0 / (abs(theta) + np.sqrt(theta * theta + 1.0))
                if theta < 0.0:
                    t = -t
                c = 1.0 / np.sqrt(t * t + 1.0)
                s = t * c
                for r in range(d):
                    arp = a[r, p]
                    arq = a[r, q]
                    a[r, p] = c * arp - s * arq
                    a[r, q] = s * arp + c * arq
                for r in range(d):
                    apr = a[p, r]
                    aqr = a[q, r]
                    a[p, r] = c * apr - s * aqr
                    a[q, r] = s * apr + c * aqr
                for r in range(d):
                    vrp = v[r, p]
                    vrq = v[r, q]
                    v[r, p] = c * vrp - s * vrq
                    v[r, q] = s * vrp + c * vrq


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _log_volume_ratio(local, cov, v):
    """log(V_pca / V_box) of the points local (m, d), offsets from the query (the query
    itself a row of zeros): the boxes, along the principal axes of local.T local and
    along the coordinate axes, that reach the farthest point on each axis; their
    half-widths' logs summed. cov, v: (d, d) scratch. -inf when the points lie exactly
    on a line or plane (one variable an exact function of the other: infinite MI);
    nan when the coordinate box is flat (exact copies of the query)."""
    m, d = local.shape
    for r in range(d):
        for c in range(d):
            total = 0.0
            for j in range(m):
                total += local[j, r] * local[j, c]
            cov[r, c] = total
    _jacobi_eigenvectors(cov, v)
    log_box = 0.0
    log_pca = 0.0
    flat = False
    for c in range(d):
        widest = 0.0
        projected = 0.0
        for j in range(m):
            widest = max(widest, abs(local[j, c]))
            along = 0.0
            for r in range(d):
                along += local[j, r] * v[r, c]
            projected = max(projected, abs(along))
        if widest == 0.0:  # exact copies along an axis: no box to compare with
            return np.nan
        if projected == 0.0:
            flat = True
        else:
            log_pca += np.log(projected)
        log_box += np.log(widest)
    return -np.inf if flat else log_pca - log_box


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _lnc_mi(x, y, k, n_cells, log_alpha):
    """KSG (algorithm 1) plus the LNC correction, in nats. x, y: Points (dx + dy = d
    dimensions, n > k > d); n_cells: 0 for brute force, else the side of the rank grid.
    The KSG part equals ``_ksg_mi_pair``'s: the same neighbours, counts and sum."""
    xv, yv = x.values, y.values
    dx = xv.shape[0]
    d = dx + yv.shape[0]
    n = xv.shape[1]
    eps, idx = _k_nearest(x, y, k, n_cells)
    terms = np.empty(n, dtype=np.float64)
    corrections = np.zeros(n, dtype=np.float64)
    local = np.empty((k + 1, d), dtype=np.float64)
    cov = np.empty((d, d), dtype=np.float64)
    v = np.empty((d, d), dtype=np.float64)
    x_tree, y_tree = _marginal_tree(x), _marginal_tree(y)
    query_x = np.empty(dx, dtype=np.float64)
    query_y = np.empty(d - dx, dtype=np.float64)
    for i in range(n):
        if n_cells > 0:
            n_x = _count_near(x, x_tree, i, eps[i], False, query_x)
            n_y = _count_near(y, y_tree, i, eps[i], False, query_y)
        else:
            n_x = _count_brute(xv, i, eps[i], False)
            n_y = _count_brute(yv, i, eps[i], False)
        terms[i] = _digamma_int(n_x + 1) + _digamma_int(n_y + 1)
        for r in range(d):
            local[0, r] = 0.0
        for j in range(k):
            other = idx[i, j]
            for r in range(dx):
                local[j + 1, r] = xv[r, other] - xv[r, i]
            for r in range(d - dx):
                local[j + 1, dx + r] = yv[r, other] - yv[r, i]
        ratio = _log_volume_ratio(local, cov, v)
        if ratio < log_alpha:  # nan (a flat neighbourhood) is never below
            corrections[i] = -ratio
    total = 0.0
    correction = 0.0
    for i in range(n):  # index order: the same sums for any thread count
        total += terms[i]
        correction += corrections[i]
    return _digamma_int(k) + _digamma_int(n) - total / n + correction / n


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _lnc_mi_pair(x, y, k, n_cells, log_alpha):
    """The LNC pair function that ``fastmi.mi`` and every tile run: 0 when either
    variable is constant."""
    if x.constant or y.constant:
        return 0.0
    return _lnc_mi(x, y, k, n_cells, log_alpha)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _lnc_mi_pairs(values, sorted_, order, rank, constant, pairs, k, n_cells, log_alpha, out):
    """out[t] = ``_lnc_mi_pair`` of 1-D variables pairs[t, 0] and pairs[t, 1]."""
    for t in range(pairs.shape[0]):
        a, b = pairs[t, 0], pairs[t, 1]
        x = _row_points(values, sorted_, order, rank, constant, a)
        y = _row_points(values, sorted_, order, rank, constant, b)
        out[t] = _lnc_mi_pair(x, y, k, n_cells, log_alpha)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _log_volume_ratios(neighbourhoods):
    """``_log_volume_ratio`` of each neighbourhood (draws, k, d) of offsets from a query
    at the origin (fastmi.estimators.lnc draws them uniform to set alpha)."""
    draws, k, d = neighbourhoods.shape
    local = np.zeros((k + 1, d), dtype=np.float64)
    cov = np.empty((d, d), dtype=np.float64)
    v = np.empty((d, d), dtype=np.float64)
    out = np.empty(draws, dtype=np.float64)
    for t in range(draws):
        local[1:] = neighbourhoods[t]
        out[t] = _log_volume_ratio(local, cov, v)
    return out
