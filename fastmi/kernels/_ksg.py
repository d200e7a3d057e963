"""The KSG family of kNN estimators (max-norm): Kraskov-Stoegbauer-Grassberger MI,
Kozachenko-Leonenko entropy and Frenzel-Pompe conditional MI, on the neighbour search
of ``_neighbours``. Variables come as ``Points`` records, prepared once per variable
(fastmi._continuous). Results in nats.
"""

import numba as nb
import numpy as np

from .._config import NUMBA_CACHE
from ._digamma import _digamma_int
from ._kdtree import _build_tree, _tree_knn
from ._neighbours import (
    Points,
    _build_strips,
    _count_brute,
    _count_in_tree,
    _count_near,
    _count_sorted,
    _joint_values,
    _k_nearest_tree,
    _knn_brute,
    _knn_strips,
    _kth_distances,
    _kth_nearest_sorted,
    _marginal_tree,
    _neighbour_extent,
    _prefer_tree,
    _row_points,
)

# ---------------------------------------------------------------------------------------
# KSG mutual information, Kraskov, Stoegbauer & Grassberger (2004)
# ---------------------------------------------------------------------------------------


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _ksg_mi_term(n_x, n_y, algorithm):
    """psi(n_x + 1) + psi(n_y + 1) (algorithm 1) or psi(n_x) + psi(n_y) (algorithm 2),
    the per-sample term of Kraskov et al. (2004) eqs. (8) and (9)."""
    if algorithm == 1:
        return _digamma_int(n_x + 1) + _digamma_int(n_y + 1)
    return _digamma_int(n_x) + _digamma_int(n_y)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ksg_terms(x, y, k, algorithm, strips, first_strip, stop, terms):
    """terms[i] for every sample i in strips first_strip .. stop - 1 (x, y: 1-D
    Points): all neighbour searches first, then all counts, by binary search on the
    sorted values (each loop keeps its own data in cache)."""
    first, lay_i, rank_x, rank_y = strips[0], strips[3], strips[4], strips[5]
    base = first[first_strip]
    radius = np.empty((2, first[stop] - base), dtype=np.float64)
    _knn_strips(x.values, x.sorted, y.values, strips, first_strip, stop, algorithm, k, radius)
    inclusive = algorithm != 1
    for row in range(base, first[stop]):
        n_x = _count_sorted(x.sorted, rank_x[row], radius[0, row - base], inclusive)
        n_y = _count_sorted(y.sorted, rank_y[row], radius[1, row - base], inclusive)
        terms[lay_i[row]] = _ksg_mi_term(n_x, n_y, algorithm)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ksg_mi_total(terms, k, algorithm):
    n = terms.shape[0]
    total = 0.0
    for i in range(n):  # index order: the same sum for any thread count
        total += terms[i]
    mi = _digamma_int(k) + _digamma_int(n) - total / n
    if algorithm == 2:
        mi -= 1.0 / k
    return mi


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ksg_mi_brute(x, y, k, algorithm):
    """KSG estimate of I(X;Y) in nats by brute force: O(n^2), the tests' reference for
    the strip and tree searches, which give the same value."""
    xv, yv = x.values, y.values
    n = xv.shape[1]
    best_d = np.empty(k, dtype=np.float64)
    best_j = np.empty(k, dtype=np.int64)
    terms = np.empty(n, dtype=np.float64)
    inclusive = algorithm != 1
    for i in range(n):
        _knn_brute(xv, yv, i, best_d, best_j)
        eps_x = eps_y = best_d[k - 1]
        if algorithm != 1:
            eps_x, eps_y = _neighbour_extent(xv, yv, i, best_j)
        n_x = _count_brute(xv, i, eps_x, inclusive)
        n_y = _count_brute(yv, i, eps_y, inclusive)
        terms[i] = _ksg_mi_term(n_x, n_y, algorithm)
    return _ksg_mi_total(terms, k, algorithm)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ksg_mi_strips(x, y, k, algorithm, n_strips):
    """KSG estimate of I(X;Y) in nats with the strip search.

    x, y: 1-D Points of n samples; k >= 1, n > k; algorithm 1 or 2; n_strips >= 1
    (clipped to n).
    """
    n = x.values.shape[1]
    n_strips = min(max(n_strips, 1), n)
    strips = _build_strips(x, y, n_strips)
    terms = np.empty(n, dtype=np.float64)
    _ksg_terms(x, y, k, algorithm, strips, 0, n_strips, terms)
    return _ksg_mi_total(terms, k, algorithm)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ksg_tree_terms(x, y, k, algorithm, trees, first, stop, terms):
    """terms[i] for the samples at joint-tree positions first .. stop - 1, searched
    with KD-trees: trees = (joint, x's, y's)."""
    joint, x_tree, y_tree = trees
    best_d = np.empty(k, dtype=np.float64)
    best_j = np.empty(k, dtype=np.int64)
    query_x = np.empty(x.values.shape[0], dtype=np.float64)
    query_y = np.empty(y.values.shape[0], dtype=np.float64)
    inclusive = algorithm != 1
    for pos in range(first, stop):
        i = joint.index[pos]
        _tree_knn(joint, joint.points[pos], i, best_d, best_j)
        eps_x = eps_y = best_d[k - 1]
        if algorithm != 1:
            eps_x, eps_y = _neighbour_extent(x.values, y.values, i, best_j)
        n_x = _count_near(x, x_tree, i, eps_x, inclusive, query_x)
        n_y = _count_near(y, y_tree, i, eps_y, inclusive, query_y)
        terms[i] = _ksg_mi_term(n_x, n_y, algorithm)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ksg_trees(x, y):
    """The KD-trees of the KSG tree search: the joint space's, x's and y's."""
    return _build_tree(_joint_values(x, y)), _marginal_tree(x), _marginal_tree(y)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ksg_mi_tree(x, y, k, algorithm):
    """KSG estimate of I(X;Y) in nats with KD-trees (``_ksg_mi_strips``'s contract and
    value): O(n log n) in any dimension, and for heavily tied data."""
    n = x.values.shape[1]
    terms = np.empty(n, dtype=np.float64)
    _ksg_tree_terms(x, y, k, algorithm, _ksg_trees(x, y), 0, n, terms)
    return _ksg_mi_total(terms, k, algorithm)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ksg_mi_pair(x, y, k, algorithm, n_strips):
    """The KSG pair function of two 1-D variables with the strip search, which
    ``fastmi.mi`` and every tile run unless ``_prefer_tree`` sends a pair to
    ``_ksg_mi_tree_pair``: 0 when either variable is constant (it carries no
    information), else the strip search; for small n (n_strips == 0) one strip, which
    is brute force over samples in rank order (the same value as ``_ksg_mi_brute``,
    which stays for the tests, uncompiled here).

    The tree search is a kernel of its own, chosen by the callers, so that the common
    1-D case does not compile it (it would triple the first call's compile time)."""
    if x.constant or y.constant:
        return 0.0
    return _ksg_mi_strips(x, y, k, algorithm, max(n_strips, 1))


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ksg_mi_tree_pair(x, y, k, algorithm):
    """``_ksg_mi_pair`` with the KD-tree search: the same value."""
    if x.constant or y.constant:
        return 0.0
    return _ksg_mi_tree(x, y, k, algorithm)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ksg_mi_pairs(values, sorted_, order, rank, constant, pairs, k, algorithm, n_strips, out):
    """out[t] = ``_ksg_mi_pair`` of 1-D variables pairs[t, 0] and pairs[t, 1]; the
    rows of values, sorted_, order, rank, constant are their Points fields. Serial:
    callers run chunks of pairs on threads (``fastmi._threads``)."""
    for t in range(pairs.shape[0]):
        a, b = pairs[t, 0], pairs[t, 1]
        x = _row_points(values, sorted_, order, rank, constant, a)
        y = _row_points(values, sorted_, order, rank, constant, b)
        out[t] = _ksg_mi_pair(x, y, k, algorithm, n_strips)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ksg_mi_tree_pairs(values, sorted_, order, rank, constant, pairs, k, algorithm, out):
    """``_ksg_mi_pairs`` with the KD-tree search, for the pairs ``_prefer_tree``
    picks."""
    for t in range(pairs.shape[0]):
        a, b = pairs[t, 0], pairs[t, 1]
        x = _row_points(values, sorted_, order, rank, constant, a)
        y = _row_points(values, sorted_, order, rank, constant, b)
        out[t] = _ksg_mi_tree_pair(x, y, k, algorithm)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _prefer_tree_pairs(values, sorted_, order, rank, constant, pairs, k, n_strips, out):
    """out[t] = whether pair t of 1-D variables takes the KD-tree search
    (``_prefer_tree``)."""
    for t in range(pairs.shape[0]):
        a, b = pairs[t, 0], pairs[t, 1]
        x = _row_points(values, sorted_, order, rank, constant, a)
        y = _row_points(values, sorted_, order, rank, constant, b)
        out[t] = n_strips > 0 and _prefer_tree(x, y, k, n_strips)


# ---------------------------------------------------------------------------------------
# Kozachenko-Leonenko entropy
# ---------------------------------------------------------------------------------------


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _kl_entropy_total(log_eps, k, d):
    """psi(n) - psi(k) + d log 2 + (d / n) sum_i log eps_i, in nats (max-norm balls of
    radius eps have volume (2 eps)^d). log_eps is summed in index order."""
    n = log_eps.shape[0]
    total = 0.0
    for i in range(n):
        total += log_eps[i]
    return _digamma_int(n) - _digamma_int(k) + d * np.log(2.0) + d * total / n


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _kl_entropy(x, rest, k, n_cells):
    """Kozachenko-Leonenko entropy of x (Points, d dimensions, n > k) in nats.

    n_cells == 0: brute force. d == 1: from the sorted values, the k-th neighbour
    merged outwards (O(n k)). d >= 2: the rank grid over x's first row and ``rest``,
    the Points of rows 1 .. d - 1 of x (sorted by row 1); unused otherwise. Every
    strategy gives the same result.
    """
    d = x.values.shape[0]
    n = x.values.shape[1]
    first = Points(x.values[0:1], x.sorted, x.order, x.rank, x.constant)
    if n_cells == 0:
        none = Points(x.values[0:0], x.sorted, x.order, x.rank, x.constant)
        return _kl_entropy_total(np.log(_kth_distances(x, none, k, 0)), k, d)
    if d == 1:
        log_eps = np.empty(n, dtype=np.float64)
        for p in range(n):
            log_eps[x.order[p]] = np.log(_kth_nearest_sorted(x.sorted, p, 0, n, k))
        return _kl_entropy_total(log_eps, k, 1)
    return _kl_entropy_total(np.log(_kth_distances(first, rest, k, n_cells)), k, d)


# ---------------------------------------------------------------------------------------
# Frenzel-Pompe conditional mutual information
# ---------------------------------------------------------------------------------------


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _fp_cmi(x, y, z, k):
    """Frenzel-Pompe estimate of I(X;Y|Z) in nats:
    psi(k) + mean_i [psi(n_z + 1) - psi(n_xz + 1) - psi(n_yz + 1)], with eps_i the k-th
    neighbour distance in the joint (x, y, z) space (max-norm), counts strict.

    x, y, z: Points. The joint space has at least three dimensions, so the search is a
    KD-tree whatever n (at small n one leaf: brute force); the counts are range counts
    on KD-trees over (x, z), (y, z) and z (its sorted first row if 1-D).
    """
    n = x.values.shape[1]
    xz = _joint_values(x, z)
    yz = _joint_values(y, z)
    eps = _k_nearest_tree(x, Points(yz, y.sorted, y.order, y.rank, y.constant), k)[0]
    xz_tree, yz_tree, z_tree = _build_tree(xz), _build_tree(yz), _marginal_tree(z)
    query_xz = np.empty(xz.shape[0], dtype=np.float64)
    query_yz = np.empty(yz.shape[0], dtype=np.float64)
    query_z = np.empty(z.values.shape[0], dtype=np.float64)
    terms = np.empty(n, dtype=np.float64)
    for i in range(n):
        n_xz = _count_in_tree(xz_tree, xz, i, eps[i], False, query_xz)
        n_yz = _count_in_tree(yz_tree, yz, i, eps[i], False, query_yz)
        n_z = _count_near(z, z_tree, i, eps[i], False, query_z)
        marginal = _digamma_int(n_xz + 1) + _digamma_int(n_yz + 1)
        terms[i] = _digamma_int(n_z + 1) - marginal  # symmetric in x and y, bitwise
    total = 0.0
    for i in range(n):
        total += terms[i]
    return _digamma_int(k) + total / n
